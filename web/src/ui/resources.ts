// Display helpers for resource cards (资源卡片): prices, terms, distances, photos.
import type { Composer } from 'vue-i18n';
import type { ResourceCommon, ResourceSummary } from '../api/types';

type T = Composer['t'];

/** Fen (分) → yuan text without needless decimals: 3000 → "30", 2550 → "25.5". */
export function yuan(fen: number): string {
  const v = fen / 100;
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, '');
}

/** Yuan typed by a person → fen, or null when it is not a non-negative amount with ≤ 2 decimals. */
export function parseYuan(text: string): number | null {
  const s = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [int, frac = ''] = s.split('.');
  return Number(int) * 100 + Number(frac.padEnd(2, '0'));
}

/** The terms of use in words: 免费, 30 元/次, 5 积分, 押金 50 积分, 换：… */
export function ruleText(t: T, card: Pick<ResourceCommon, 'rule' | 'price_fen' | 'price_unit' | 'points' | 'deposit_points'> & { exchange_terms?: string }): string {
  switch (card.rule) {
    case 'price':
      return card.price_unit
        ? t('resource.ruleText.pricePer', { price: yuan(card.price_fen), unit: card.price_unit })
        : t('resource.ruleText.price', { price: yuan(card.price_fen) });
    case 'points':
      return t('resource.ruleText.points', { n: card.points });
    case 'deposit':
      return t('resource.ruleText.deposit', { n: card.deposit_points });
    case 'exchange':
      return card.exchange_terms
        ? t('resource.ruleText.exchangeTerms', { terms: card.exchange_terms })
        : t('resource.ruleText.exchange');
    default:
      return t('resource.ruleText.free');
  }
}

export function distanceText(t: T, meters: number): string {
  if (meters < 1000) return t('market.meters', { n: Math.max(1, Math.round(meters / 10) * 10) });
  const km = meters / 1000;
  const n = km >= 10 ? Math.round(km) : Math.round(km * 10) / 10;
  return t('market.kilometers', { n: String(n) });
}

export function photoUrl(cardId: number, photoId: number): string {
  return `/api/v1/resources/${cardId}/photos/${photoId}`;
}

export function coverUrl(card: ResourceSummary): string | null {
  return card.cover_photo_id ? photoUrl(card.id, card.cover_photo_id) : null;
}

/** CSS class of a lifecycle chip. */
export function lifecycleClass(l: string): string {
  switch (l) {
    case 'listed':
      return 'status-on';
    case 'pending_review':
      return 'status-wait';
    case 'draft':
      return 'status-draft';
    default:
      return 'status-off';
  }
}

/** CSS class of an availability chip. */
export function availabilityClass(a: string): string {
  return a === 'available' ? 'status-on' : a === 'maintenance' ? 'status-off' : 'status-wait';
}

export const KIND_ICONS: Record<string, string> = {
  space: 'home-o',
  service: 'service-o',
  goods: 'bag-o',
  manpower: 'friends-o',
};
