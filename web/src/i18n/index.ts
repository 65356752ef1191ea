import { createI18n } from 'vue-i18n';
import { Locale as VantLocale } from 'vant';
import vantEnUS from 'vant/es/locale/lang/en-US';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import zhCN from './zh-CN';
import en from './en';
import type { Locale } from '../api/types';

export const SUPPORTED_LOCALES: Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

/** Switches vue-i18n, Vant's built-in texts and <html lang>. */
export function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (locale === 'en') VantLocale.use('en-US', vantEnUS);
  else VantLocale.use('zh-CN', vantZhCN);
  document.documentElement.lang = locale;
}
