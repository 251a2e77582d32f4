/** Dates are stored as ISO strings and shown in the Thai Buddhist Era (พ.ศ. = ค.ศ. + 543). */

export const BE_OFFSET = 543;

const TH_MONTHS_SHORT = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const EN_MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (rejects 2025-02-30). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** "2026-11-22" → "22 พ.ย. 2569" (th) or "22 Nov 2026" (en). Datetimes use their local date. */
export function formatDate(iso: string | undefined, lang: 'th' | 'en' = 'th'): string {
  if (!iso) return '';
  const [y, m, d] = localIsoDate(iso).split('-').map(Number);
  if (!y || !m || !d || m > 12) return iso;
  return lang === 'th' ? `${d} ${TH_MONTHS_SHORT[m - 1]} ${y + BE_OFFSET}` : `${d} ${EN_MONTHS_SHORT[m - 1]} ${y}`;
}

export function formatDateTime(iso: string | undefined, lang: 'th' | 'en' = 'th'): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const hh = String(t.getHours()).padStart(2, '0');
  const mm = String(t.getMinutes()).padStart(2, '0');
  return `${formatDate(iso, lang)} ${hh}:${mm}${lang === 'th' ? ' น.' : ''}`;
}

/** The calendar date of an ISO date or datetime, in the device's time zone for datetimes. */
export function localIsoDate(iso: string): string {
  if (ISO_DATE.test(iso)) return iso;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

export function todayIso(now: Date = new Date()): string {
  return localIsoDate(now.toISOString());
}

/** Whole years between a date of birth and a day (both ISO dates). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

/** Buddhist-Era year typed by an officer → ISO year (2569 → 2026). */
export function beYearToCe(beYear: number): number {
  return beYear - BE_OFFSET;
}

/**
 * The calendar day in Thailand (UTC+7, its only time zone) of a timestamp: the day a device in
 * Thailand showed when it stamped it, whatever the server's or tablet's own zone setting.
 */
export function thaiDayOf(isoDateTime: string): string {
  return new Date(Date.parse(isoDateTime) + 7 * 3600_000).toISOString().slice(0, 10);
}
