// Booking and loans 预约与借用: API types and calls (see docs/api/openapi.yaml, tag booking),
// plus the pure time helpers the booking pages share. Times are epoch seconds UTC; the pages
// show and pick them in the community's zone (the settings' `timezone`, Asia/Shanghai by
// default) whatever the device zone is.
import { api, ApiError, request } from './client';
import type { Page } from './types';
import { DEFAULT_TIME_ZONE } from '../time';

export const BOOKING_STATUSES = [
  'held',
  'requested',
  'confirmed',
  'checked_in',
  'completed',
  'cancelled',
  'declined',
  'no_show',
  'expired',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export type BookingKind = 'booking' | 'loan';

export interface Booking {
  id: number;
  community_id: number;
  card_id: number;
  card_title: string;
  kind: BookingKind;
  status: BookingStatus;
  booker_user_id: number;
  provider_user_id: number | null;
  start_s: number;
  /** For loans: the due time. */
  end_s: number;
  unit: number;
  price_fen: number;
  points: number;
  deposit_points: number;
  note: string;
  reason: string;
  condition_notes: string;
  late: boolean;
  overdue: boolean;
  created_at: number;
  updated_at: number;
  confirmed_at: number | null;
  checked_in_at: number | null;
  finished_at: number | null;
  hold_expires_at: number | null;
  can_manage: boolean;
  is_booker: boolean;
}

export interface WeeklyWindow {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:MM" local time; end may be "24:00". */
  start: string;
  end: string;
}

export interface Blackout {
  start_s: number;
  end_s: number;
  kind: 'blackout' | 'maintenance';
  note: string;
}

export interface BookingSettings {
  card_id: number;
  capacity: number;
  capacity_override: number | null;
  requires_approval: boolean;
  buffer_minutes: number;
  min_duration_minutes: number;
  max_duration_minutes: number;
  cancel_cutoff_minutes: number;
  no_show_grace_minutes: number;
  reminder_lead_minutes: number;
  price_fen_per_hour: number;
  points: number;
  deposit_points: number;
  windows: WeeklyWindow[];
  blackouts: Blackout[];
  timezone: string;
  version: number;
  customised: boolean;
  can_manage: boolean;
}

export type BookingSettingsUpdate = Partial<
  Omit<BookingSettings, 'card_id' | 'capacity' | 'capacity_override' | 'timezone' | 'version' | 'customised' | 'can_manage'>
> & { capacity?: number | null };

export interface TimeRange {
  start_s: number;
  end_s: number;
}

export interface Availability {
  card_id: number;
  timezone: string;
  capacity: number;
  from_s: number;
  to_s: number;
  /** Where the weekly windows allow bookings (blackouts not subtracted). */
  open: TimeRange[];
  /** Occupied units (each includes the card's buffer). */
  busy: (TimeRange & { unit: number })[];
  /** Where every unit is taken. */
  full: TimeRange[];
  blackouts: Blackout[];
}

export interface WaitlistEntry {
  id: number;
  card_id: number;
  start_s: number;
  end_s: number;
  status: 'waiting' | 'offered' | 'accepted' | 'expired' | 'left';
  booking_id: number | null;
  created_at: number;
}

export interface ParkingSpot {
  card_id: number;
  title: string;
  price_fen_per_hour: number;
  price_fen: number;
  building_id: number | null;
  lat: number | null;
  lon: number | null;
  owner_user_id: number | null;
}

export interface EarningsLine {
  card_id: number;
  card_title: string;
  month: string;
  bookings: number;
  price_fen: number;
  points: number;
}

export interface Earnings {
  items: EarningsLine[];
  total_fen: number;
  total_points: number;
}

export interface CalendarFeed {
  token: string;
  bookings_url: string;
  card_url_template: string;
}

/** A fresh Idempotency-Key (also outside secure contexts, where randomUUID is missing). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ------------------------------------------------------------------------------ calls
export const bookingApi = {
  settings: (cardId: number) => api.get<BookingSettings>(`/resources/${cardId}/booking-settings`),
  /** Replaces the settings (PUT with If-Match: 409 version_mismatch when changed meanwhile). */
  saveSettings: (cardId: number, body: BookingSettingsUpdate, version: number) =>
    request<BookingSettings>('PUT', `/resources/${cardId}/booking-settings`, {
      body,
      headers: version > 0 ? { 'If-Match': `"${version}"` } : {},
    }),
  availability: (cardId: number, from: number, to: number) =>
    api.get<Availability>(`/resources/${cardId}/availability`, { query: { from, to } }),
  create: (body: { card_id: number; start_s: number; end_s: number; note?: string }, key: string) =>
    api.post<Booking>('/bookings', body, { headers: { 'Idempotency-Key': key } }),
  borrow: (body: { card_id: number; due_s: number; note?: string }, key: string) =>
    api.post<Booking>('/loans', body, { headers: { 'Idempotency-Key': key } }),
  get: (id: number) => api.get<Booking>(`/bookings/${id}`),
  mine: (query: { kind?: BookingKind; status?: BookingStatus; cursor?: string | null }) =>
    api.get<Page<Booking>>('/bookings/mine', { query }),
  incoming: (query: { kind?: BookingKind; status?: BookingStatus; cursor?: string | null }) =>
    api.get<Page<Booking>>('/bookings/incoming', { query }),
  approve: (id: number) => api.post<Booking>(`/bookings/${id}/approve`, {}),
  decline: (id: number, reason: string) => api.post<Booking>(`/bookings/${id}/decline`, { reason }),
  cancel: (id: number, reason: string) => api.post<Booking>(`/bookings/${id}/cancel`, { reason }),
  checkIn: (id: number) => api.post<Booking>(`/bookings/${id}/check-in`, {}),
  checkInByCode: (code: string) => api.post<Booking>('/bookings/check-in', { code }),
  complete: (id: number, conditionNotes: string) =>
    api.post<Booking>(`/bookings/${id}/complete`, { condition_notes: conditionNotes }),
  returnLoan: (id: number, conditionNotes: string) =>
    api.post<Booking>(`/loans/${id}/return`, { condition_notes: conditionNotes }),
  accept: (id: number) => api.post<Booking>(`/bookings/${id}/accept`, {}),
  qrUrl: (id: number) => `/api/v1/bookings/${id}/qr`,
  joinWaitlist: (body: { card_id: number; start_s: number; end_s: number }) =>
    api.post<WaitlistEntry>('/bookings/waitlist', body),
  myWaitlist: () => api.get<{ items: WaitlistEntry[] }>('/bookings/waitlist/mine'),
  leaveWaitlist: (id: number) => api.del<WaitlistEntry>(`/bookings/waitlist/${id}`),
  parking: (from: number, to: number) =>
    api.get<{ items: ParkingSpot[]; from_s: number; to_s: number }>('/bookings/parking', { query: { from, to } }),
  earnings: (from: number, to: number) => api.get<Earnings>('/bookings/earnings', { query: { from, to } }),
  newFeed: () => api.post<CalendarFeed>('/bookings/calendar-feed', {}),
};

// ------------------------------------------------------------------------------ time in a zone
export interface ZonedParts {
  /** YYYY-MM-DD */
  date: string;
  /** ISO weekday 1..7 */
  weekday: number;
  hour: number;
  minute: number;
  /** Seconds since local midnight. */
  secondOfDay: number;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'short',
      });
    } catch {
      f = partsFormat(DEFAULT_TIME_ZONE);
    }
    partsCache.set(zone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The civil date and time of `epochS` in `zone`. */
export function zoned(epochS: number, zone = DEFAULT_TIME_ZONE): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of partsFormat(zone).formatToParts(new Date(epochS * 1000))) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday] ?? 1,
    hour,
    minute,
    secondOfDay: hour * 3600 + minute * 60 + Number(parts.second),
  };
}

/** Epoch seconds of the local civil time `date` (YYYY-MM-DD) + `secondOfDay` in `zone`. */
export function fromZoned(date: string, secondOfDay: number, zone = DEFAULT_TIME_ZONE): number {
  const [y, m, d] = date.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d) / 1000 + secondOfDay;
  // Correct by the zone's offset at the guess; twice covers offset changes (DST).
  let t = naive;
  for (let i = 0; i < 2; i += 1) {
    const p = zoned(t, zone);
    const [py, pm, pd] = p.date.split('-').map(Number);
    const shown = Date.UTC(py, pm - 1, pd) / 1000 + p.secondOfDay;
    t += naive - shown;
  }
  return t;
}

/** YYYY-MM-DD plus `days`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/** ISO weekday (1..7) of a civil date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

export function hhmm(secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function parseHhmm(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const v = Number(m[1]) * 3600 + Number(m[2]) * 60;
  return Number(m[2]) < 60 && v <= 86400 ? v : null;
}

export function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

/** Price in fen of `durationS` at `fenPerHour`, rounded up to a whole fen (as the server does). */
export function priceFen(fenPerHour: number, durationS: number): number {
  return Math.ceil((fenPerHour * durationS) / 3600);
}

/** Statuses that still hold the slot (and can change). */
export function isActive(s: BookingStatus): boolean {
  return s === 'held' || s === 'requested' || s === 'confirmed' || s === 'checked_in';
}

/** CSS class of a status chip. */
export function statusClass(s: BookingStatus): string {
  switch (s) {
    case 'confirmed':
    case 'checked_in':
      return 'status-on';
    case 'completed':
      return 'status-draft';
    case 'held':
    case 'requested':
      return 'status-wait';
    default:
      return 'status-off';
  }
}

/** Check-in is open from 15 minutes before the start until the end (server rule). */
export const CHECK_IN_EARLY_S = 15 * 60;

export function isApiError(e: unknown, reason: string): boolean {
  return e instanceof ApiError && e.reason === reason;
}

type Translate = (key: string, named?: Record<string, unknown>) => string;
type HasKey = (key: string) => boolean;

/**
 * The booking reasons and field names are not in the core messages: an ApiError whose reason
 * booking knows comes back with its text as `detail` (which ProblemAlert shows), field names
 * translated; anything else is returned unchanged.
 */
export function localizeProblem(e: unknown, t: Translate, te: HasKey): unknown {
  if (!(e instanceof ApiError)) return e;
  const p = e.problem;
  const known = p.reason && te(`booking.reasons.${p.reason}`);
  const errors = p.errors?.map((f) => ({
    ...f,
    field: te(`booking.fields.${f.field}`) ? t(`booking.fields.${f.field}`) : f.field,
  }));
  if (!known && !errors?.length) return e;
  return new ApiError({
    ...p,
    reason: known ? undefined : p.reason,
    detail: known ? t(`booking.reasons.${p.reason}`) : p.detail,
    errors,
  });
}

const dayFormatCache = new Map<string, Intl.DateTimeFormat>();
/** "11月22日周日" / "Sun, Nov 22" of `epochS` in `zone`. */
export function formatDay(epochS: number, locale: string, zone = DEFAULT_TIME_ZONE): string {
  const key = `${locale}|${zone}`;
  let f = dayFormatCache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { timeZone: zone, month: 'short', day: 'numeric', weekday: 'short' });
    } catch {
      f = new Intl.DateTimeFormat(locale, { timeZone: DEFAULT_TIME_ZONE, month: 'short', day: 'numeric', weekday: 'short' });
    }
    dayFormatCache.set(key, f);
  }
  return f.format(new Date(epochS * 1000));
}

/** "11月22日周日 14:00–15:30" (the end's day is repeated when it differs). */
export function formatRange(startS: number, endS: number, locale: string, zone = DEFAULT_TIME_ZONE): string {
  const a = zoned(startS, zone);
  const b = zoned(endS, zone);
  const endText = b.date === a.date || (b.secondOfDay === 0 && addDays(a.date, 1) === b.date)
    ? (b.secondOfDay === 0 && b.date !== a.date ? '24:00' : hhmm(b.secondOfDay))
    : `${formatDay(endS, locale, zone)} ${hhmm(b.secondOfDay)}`;
  return `${formatDay(startS, locale, zone)} ${hhmm(a.secondOfDay)}–${endText}`;
}

/** "1 小时 30 分钟" style durations come from i18n; this splits minutes. */
export function splitMinutes(total: number): { d: number; h: number; m: number } {
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  return { d, h, m: total % 60 };
}

/** "11月22日周日 20:00" of `epochS` in `zone`. */
export function formatMoment(epochS: number, locale: string, zone = DEFAULT_TIME_ZONE): string {
  return `${formatDay(epochS, locale, zone)} ${hhmm(zoned(epochS, zone).secondOfDay)}`;
}
