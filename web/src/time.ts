// Times from the API are epoch seconds UTC; they are shown in the community's
// zone (Asia/Shanghai unless the community says otherwise).
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();

export function formatEpoch(epochSeconds: number | null | undefined, locale: string, timeZone = DEFAULT_TIME_ZONE): string {
  if (epochSeconds === null || epochSeconds === undefined || !Number.isFinite(epochSeconds)) return '—';
  const key = `${locale}|${timeZone}`;
  let fmt = cache.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat(locale, {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
      });
    } catch {
      fmt = new Intl.DateTimeFormat(locale, { timeZone: DEFAULT_TIME_ZONE, dateStyle: 'medium', timeStyle: 'medium', hour12: false });
    }
    cache.set(key, fmt);
  }
  return fmt.format(new Date(epochSeconds * 1000));
}
