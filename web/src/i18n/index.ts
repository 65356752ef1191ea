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

// Each feature module keeps its strings in modules/<module>.ts:
//   export default { 'zh-CN': { booking: {...} }, en: { booking: {...} } }
// (one top-level key per module, the same shape in both locales).
type ModuleMessages = { 'zh-CN': Record<string, unknown>; en: Record<string, unknown> };
const moduleMessages = Object.values(
  import.meta.glob<{ default: ModuleMessages }>('./modules/*.ts', { eager: true }),
).map((m) => m.default);
// Typed as the core messages: module keys are looked up by string, like every key.
const withModules = (base: typeof zhCN, locale: keyof ModuleMessages): typeof zhCN =>
  Object.assign({}, base, ...moduleMessages.map((m) => m[locale]));

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': withModules(zhCN, 'zh-CN'), en: withModules(en, 'en') },
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
