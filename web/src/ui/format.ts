// Small locale-aware text helpers.

/** Joins list items the way the language does: 、 in Chinese, ", " in English. */
export function joinList(locale: string, items: readonly string[]): string {
  return items.join(locale.startsWith('zh') ? '、' : ', ');
}

/** Whole years from a YYYY-MM-DD birth date to today (device clock), or null. */
export function ageYears(birth: string | null | undefined, now = new Date()): number | null {
  if (!birth) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d)) age -= 1;
  return age >= 0 ? age : null;
}

/** Today as YYYY-MM-DD in Asia/Shanghai (dates in the register are civil dates). */
export function todayCivil(timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return parts;
}
