// The points bank 积分银行 and time bank 时间银行 (/api/v1/ledger, docs/api/openapi.yaml).
//
// Units as the API sends them: points are whole points (积分), time credits are whole minutes
// (时间币), money is fen. Every call that moves points carries an Idempotency-Key chosen by the
// client: the same key with the same fields returns the first outcome, so a retry after a lost
// answer never pays twice.
import { useI18n } from 'vue-i18n';
import { ApiError, api, request } from './client';
import type { Page } from './types';

export type Currency = 'points' | 'minutes';
export type OwnerKind = 'resident' | 'household' | 'merchant' | 'organisation' | 'pool';
export type PoolName = 'issuance' | 'rewards' | 'escrow' | 'fees' | 'subsidies' | 'donations';
export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending' | 'expire_pending';
export type HoldState = 'pending' | 'posted' | 'voided' | 'expired';
export type EarningUnit = 'time' | 'hour' | 'item';

export interface LedgerAccount {
  id: number;
  community_id: number;
  currency: Currency;
  owner_kind: OwnerKind;
  owner_id: number;
  pool: PoolName | null;
  no_overdraft: boolean;
  credit_limit: number | null;
  upper_limit: number | null;
  vulnerable: boolean;
  balance: number;
  /** balance − held + credit limit; null when the account may overdraw without limit. */
  available: number | null;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
  created_at: number;
}

export interface Wallet {
  community_id: number;
  accounts: LedgerAccount[];
  redemption_points: number;
  redemption_fen: number;
  rules_version: number;
}

export interface Transfer {
  id: number;
  community_id: number;
  currency: Currency;
  request_id: number;
  debit_account_id: number;
  credit_account_id: number;
  amount: number;
  kind: TransferKind;
  pending_id: number | null;
  reverses_id: number | null;
  timeout_at: number | null;
  code: string;
  memo: string;
  value_fen: number | null;
  created_at: number;
  hold_state: HoldState | null;
}

export interface StatementLine {
  transfer: Transfer;
  counterparty_account_id: number;
  /** Signed change of the posted balance (0 for holds and releases). */
  amount: number;
  /** Signed change of the held amount. */
  pending_change: number;
  /** Posted balance after this line. */
  balance_after: number;
}

export interface Statement {
  account: LedgerAccount;
  items: StatementLine[];
  next_cursor: string | null;
}

export interface Outcome {
  request_id: number;
  replayed: boolean;
  transfers: Transfer[];
}

export interface EarningRule {
  code: string;
  name: string;
  currency: Currency;
  amount_per_unit: number;
  unit: EarningUnit;
}

export interface ValuationRules {
  points_per_yuan: number;
  condition_permille: Record<string, number>;
  demand_permille: Record<string, number>;
  points_per_hour: number;
  intensity_permille: Record<string, number>;
  special_slot_permille: number;
  skill_base_points: number;
  scarcity_permille: Record<string, number>;
  certified_permille: number;
}

export interface RulesUpdate {
  earning: EarningRule[];
  redemption_points: number;
  redemption_fen: number;
  donation_fen: number;
  donation_points: number;
  new_member_points: number;
  new_member_minutes: number;
  subsidy_points: number;
  valuation: ValuationRules;
}

export interface Rules extends RulesUpdate {
  community_id: number;
  /** 0 = the built-in defaults (nothing saved yet). */
  version: number;
  created_at: number | null;
}

// ---------------------------------------------------------------- idempotency keys

/** A fresh idempotency key (a UUID; a random hex string where randomUUID is missing). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One user attempt at a money-moving action: the key is made on the first submit and kept
 * for retries of the same attempt (a lost answer, a 5xx); `reset()` when the user changes what
 * they are sending or after an answer that settles the attempt.
 */
export class Attempt {
  private key: string | null = null;

  current(): string {
    if (!this.key) this.key = newIdempotencyKey();
    return this.key;
  }

  get started(): boolean {
    return this.key !== null;
  }

  reset(): void {
    this.key = null;
  }

  /** Continues an attempt begun earlier (e.g. before a page reload) with its key. */
  adopt(key: string): void {
    this.key = key;
  }
}

const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });

// ---------------------------------------------------------------- calls

export const ledgerApi = {
  wallet: () => api.get<Wallet>('/ledger/wallet'),
  openWallet: () => api.post<Wallet>('/ledger/wallet', {}),
  account: (id: number) => api.get<LedgerAccount>(`/ledger/accounts/${id}`),
  accounts: (query: { owner_kind?: OwnerKind; limit?: number; cursor?: string | null }) =>
    api.get<Page<LedgerAccount>>('/ledger/accounts', { query }),
  statement: (id: number, cursor?: string | null, limit = 20) =>
    api.get<Statement>(`/ledger/accounts/${id}/statement`, { query: { cursor, limit } }),
  statementCsvUrl: (id: number) => `/api/v1/ledger/accounts/${id}/statement.csv`,
  payQrUrl: (id: number) => `/api/v1/ledger/accounts/${id}/pay-qr`,
  rules: () => api.get<Rules>('/ledger/rules'),
  /** The stored outcome of the caller's request with this key (404: it never arrived). */
  findByKey: (key: string) => api.get<Outcome>('/ledger/transfers', { query: { idempotency_key: key } }),
  saveRules: (rules: RulesUpdate) => request<Rules>('PUT', '/ledger/rules', { body: rules }),
  pay: (
    body: { payee_account_id: number; amount: number; currency: Currency; memo?: string },
    key: string,
  ) => api.post<Outcome>('/ledger/payments', body, withKey(key)),
  redeem: (amount: number, key: string) => api.post<Outcome>('/ledger/redemptions', { amount }, withKey(key)),
  earn: (body: { user_id: number; rule_code: string; quantity: number; memo?: string }, key: string) =>
    api.post<Outcome>('/ledger/earnings', body, withKey(key)),
  donate: (body: { amount_fen: number; memo?: string }, key: string) =>
    api.post<Outcome>('/ledger/donations', body, withKey(key)),
  subsidise: (body: { account_id: number; memo?: string }, key: string) =>
    api.post<Outcome>('/ledger/subsidies', body, withKey(key)),
  certify: (id: number, vulnerable: boolean) =>
    api.patch<LedgerAccount>(`/ledger/accounts/${id}`, { vulnerable }),
};

// ---------------------------------------------------------------- helpers

/** Parses what a pay QR code holds (`linli:pay?community=1&account=17`) or a bare account number. */
export function parsePayCode(text: string): { account: number; community: number | null } | null {
  const s = text.trim();
  if (/^\d{1,15}$/.test(s)) {
    const n = Number(s);
    return n >= 1 ? { account: n, community: null } : null;
  }
  const m = /^linli:pay\?(.*)$/i.exec(s);
  if (!m) return null;
  const params = new URLSearchParams(m[1]);
  const account = Number(params.get('account'));
  const community = params.get('community') ? Number(params.get('community')) : null;
  if (!Number.isInteger(account) || account < 1) return null;
  return { account, community: community && Number.isInteger(community) ? community : null };
}

/** The wallet's own accounts by role. */
export function walletAccounts(wallet: Wallet | null): {
  points: LedgerAccount | null;
  minutes: LedgerAccount | null;
  merchant: LedgerAccount | null;
} {
  const list = wallet?.accounts ?? [];
  const resident = (c: Currency) => list.find((a) => a.owner_kind === 'resident' && a.currency === c) ?? null;
  return {
    points: resident('points'),
    minutes: resident('minutes'),
    merchant: list.find((a) => a.owner_kind === 'merchant' && a.currency === 'points') ?? null,
  };
}

/** What an account may still spend: `available`, or the balance when it is unbounded. */
export function spendable(a: LedgerAccount): number {
  return a.available ?? a.balance;
}

/** Fen a merchant receives for `points` at the rate (floored, as the server computes it). */
export function redemptionFen(points: number, rate: { redemption_points: number; redemption_fen: number }): number {
  if (rate.redemption_points <= 0) return 0;
  return Math.floor((points * rate.redemption_fen) / rate.redemption_points);
}

/** Points a donation of `fen` buys at the rules' rate (floored). */
export function donationPoints(fen: number, rules: { donation_fen: number; donation_points: number }): number {
  if (rules.donation_fen <= 0) return 0;
  return Math.floor((fen * rules.donation_points) / rules.donation_fen);
}

/** Points (or minutes) earned by `quantity` units of `rule`; for per-hour rules quantity is minutes. */
export function earnedAmount(rule: EarningRule, quantity: number): number {
  if (rule.unit === 'hour') return Math.floor((rule.amount_per_unit * quantity) / 60);
  return rule.amount_per_unit * quantity;
}

/** The earning rule's code from a transfer code `earning:<rule>`, or null. */
export function earningCode(code: string): string | null {
  return code.startsWith('earning:') ? code.slice('earning:'.length) : null;
}

// ---------------------------------------------------------------- display

/** Texts for amounts, codes and owners in the UI's language (call inside setup()). */
export function useLedgerFormat() {
  const { t, te } = useI18n();

  /** Minutes as hours and minutes: 150 → "2 小时 30 分". */
  function minutesText(total: number): string {
    const h = Math.floor(total / 60);
    const m = total % 60;
    if (h === 0) return t('ledger.minutesOnly', { m });
    if (m === 0) return t('ledger.hoursOnly', { h });
    return t('ledger.hoursMinutes', { h, m });
  }

  /** An amount in its currency, without sign handling for negatives beyond a minus. */
  function amount(n: number, currency: Currency): string {
    const sign = n < 0 ? '−' : '';
    const abs = Math.abs(n);
    return sign + (currency === 'points' ? t('ledger.pointsUnit', { n: abs }) : minutesText(abs));
  }

  /** A signed change: "+10 积分", "−15 积分". */
  function signed(n: number, currency: Currency): string {
    if (n > 0) return `+${amount(n, currency)}`;
    return amount(n, currency);
  }

  function yuan(fen: number): string {
    return t('ledger.yuan', { v: (fen / 100).toFixed(2) });
  }

  function currencyName(c: Currency): string {
    return t(c === 'points' ? 'ledger.points' : 'ledger.minutes');
  }

  /** What a transfer was for, from its code (earning rules by name when known). */
  function purpose(transfer: Transfer, ruleNames: Record<string, string> = {}): string {
    if (transfer.kind !== 'posted' && transfer.kind !== 'pending') return t(`ledger.kinds.${transfer.kind}`);
    const rule = earningCode(transfer.code);
    if (rule !== null) return t('ledger.codes.earning', { rule: ruleNames[rule] ?? rule });
    const key = `ledger.codes.${transfer.code}`;
    return te(key) ? t(key) : transfer.code;
  }

  /** Who owns an account, as far as the API tells (ids only; no names). */
  function owner(a: Pick<LedgerAccount, 'owner_kind' | 'owner_id' | 'pool' | 'id'>): string {
    if (a.owner_kind === 'pool' && a.pool) return t('ledger.owners.pool', { pool: t(`ledger.pools.${a.pool}`) });
    return t(`ledger.owners.${a.owner_kind}`, { id: a.owner_id });
  }

  return { t, minutesText, amount, signed, yuan, currencyName, purpose, owner };
}

/** A ledger-specific message for an API error (the shared reasons do not know these), or null. */
export function ledgerReasonKey(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.reason) return null;
  return `ledger.reasons.${error.reason}`;
}

/** True for answers worth retrying with the same key (the outcome is unknown). */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  const s = error.status;
  return s === 0 || s >= 500 || (s === 409 && ['serialization_failure', 'constraint_violation', 'duplicate'].includes(error.reason ?? ''));
}
