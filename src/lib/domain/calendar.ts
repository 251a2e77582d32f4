/**
 * Calendar arithmetic for deadlines (docs/domain/calendar.md): the Thai fiscal
 * year, calendar days and working days (วันทำการ: Monday–Friday minus public holidays).
 *
 * Everything works on ISO dates ("2027-04-13") turned into whole day numbers in UTC, so the
 * device's time zone can never shift a day. Bad input throws a RangeError rather than producing a
 * wrong deadline quietly.
 *
 * Conventions (used by every deadline in the product):
 * - `addWorkingDays(event, n)`: the event day itself is day 0 and never counts, even when it is a
 *   working day; day 1 is the first working day AFTER the event. "Action within 15 working days of
 *   the missed appointment" → deadline = addWorkingDays(missed, 15), and the deadline day counts.
 * - `workingDaysBetween(from, to)`: working days in (from, to] — after `from`, up to and including
 *   `to` — so workingDaysBetween(d, addWorkingDays(d, n)) === n.
 * - `daysBetween(from, to)`: calendar days `to − from` (0 for the same day).
 * - `periodDays(start, end)`: the length of a period that counts its first AND last day, as the
 *   seed does ("1–30 January is 30 days"): daysBetween + 1.
 * - Working days are only as good as the holiday calendar: for a fiscal year the calendar has no
 *   entry in, the functions count weekends only. `workingDayDeadline` and
 *   `calendarCoverageWarning` return a warning then, for the screens and reports to show
 *   (docs/domain/calendar.md).
 */
import { BE_OFFSET } from './dates.ts';
import type { HolidayCalendar } from './holidays-th.ts';

/** A holiday calendar as edited by administrators, or a set of its ISO dates built once. */
export type Holidays = HolidayCalendar | ReadonlySet<string>;

// Day numbers are computed with integer arithmetic (H. Hinnant's days-from-civil), not Date
// objects: the worklist converts tens of thousands of dates and must stay fast on a tablet.

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function invalid(iso: unknown, what = 'date'): never {
  throw new RangeError(`${what} must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(iso)}`);
}

/** Days since 1970-01-01 (UTC) of an ISO date; throws a RangeError for anything else. */
export function toDayNumber(iso: string): number {
  if (typeof iso !== 'string' || iso.length !== 10 || iso[4] !== '-' || iso[7] !== '-') invalid(iso);
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 2);
  const d = digits(iso, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) invalid(iso);
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Throws a RangeError naming `what` unless `iso` is a real ISO date. */
export function assertIsoDate(iso: string, what = 'date'): void {
  try {
    toDayNumber(iso);
  } catch {
    invalid(iso, what);
  }
}

/** The ISO date of a day number (inverse of toDayNumber). */
export function fromDayNumber(day: number): string {
  if (!Number.isInteger(day)) throw new RangeError(`day number must be an integer, got ${day}`);
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) throw new RangeError(`day number ${day} is outside years 0000–9999`);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(iso: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromDayNumber(toDayNumber(iso) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * Days in a period that counts its first and last day (supervision periods): 1–30 January → 30.
 * The seed's exclusion "ระยะเวลาคุมความประพฤติน้อยกว่า 30 วัน" and its half-period are measured on it.
 */
export function periodDays(start: string, end: string): number {
  return daysBetween(start, end) + 1;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 (day 0) was a Thursday. */
export function dayOfWeek(iso: string): number {
  return (((toDayNumber(iso) + 4) % 7) + 7) % 7;
}

/**
 * The same day `months` later; when that month is shorter the last day of the month is used
 * (31 Jan + 1 month = 28 or 29 Feb), so "within 1 month" never runs into the month after.
 */
export function addMonths(iso: string, months: number): string {
  toDayNumber(iso); // validates
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const [y, m, d] = iso.split('-').map(Number);
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** The coming Sunday (the day itself when it is a Sunday): the end of "this week". */
export function endOfWeek(iso: string): string {
  return addDays(iso, (7 - dayOfWeek(iso)) % 7);
}

// ---------------------------------------------------------------------------------------------
// Fiscal year (ปีงบประมาณ): 1 October – 30 September, named by the Buddhist-Era year in which it
// ends. FY2570 = 2026-10-01 … 2027-09-30.

/** The fiscal year (Buddhist Era) a date belongs to: 2026-09-30 → 2569, 2026-10-01 → 2570. */
export function fiscalYearOf(iso: string): number {
  toDayNumber(iso); // validates
  const [y, m] = iso.split('-').map(Number);
  return (m >= 10 ? y + 1 : y) + BE_OFFSET;
}

/** First and last day of a fiscal year given in the Buddhist Era (2570 → 2026-10-01 … 2027-09-30). */
export function fiscalYearRange(fiscalYearBE: number): { start: string; end: string } {
  if (!Number.isInteger(fiscalYearBE) || fiscalYearBE < 2400 || fiscalYearBE > 2800)
    throw new RangeError(`fiscal year must be a Buddhist-Era year such as 2570, got ${fiscalYearBE}`);
  const endYear = fiscalYearBE - BE_OFFSET;
  return { start: `${endYear - 1}-10-01`, end: `${endYear}-09-30` };
}

// ---------------------------------------------------------------------------------------------
// Working days

const setCache = new WeakMap<HolidayCalendar, ReadonlySet<string>>();
const dayNumberCache = new WeakMap<object, ReadonlySet<number>>();

/**
 * The holiday dates as a set. Built once per calendar array (cached), so calling the working-day
 * functions thousands of times with the same calendar stays cheap. Calendars are treated as
 * immutable: after an edit, pass a new array (as a store update does), not the mutated old one.
 * A calendar entry that is not an ISO date makes the working-day functions throw a RangeError.
 */
export function holidaySet(holidays: Holidays): ReadonlySet<string> {
  if (!Array.isArray(holidays)) return holidays as ReadonlySet<string>;
  const calendar = holidays as HolidayCalendar;
  let set = setCache.get(calendar);
  if (!set) {
    set = new Set(calendar.map((h) => h.date));
    setCache.set(calendar, set);
  }
  return set;
}

/** The holidays as day numbers (cached per calendar or set): the loops below never build strings. */
function holidayDayNumbers(holidays: Holidays): ReadonlySet<number> {
  let days = dayNumberCache.get(holidays);
  if (!days) {
    days = new Set([...holidaySet(holidays)].map(toDayNumber));
    dayNumberCache.set(holidays, days);
  }
  return days;
}

function isWorkingDayNumber(day: number, holidays: ReadonlySet<number>): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

export function isWorkingDay(iso: string, holidays: Holidays): boolean {
  return isWorkingDayNumber(toDayNumber(iso), holidayDayNumbers(holidays));
}

/** The n-th working day after `iso` (see the convention at the top). n = 0 returns `iso`. */
export function addWorkingDays(iso: string, n: number, holidays: Holidays): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  const set = holidayDayNumbers(holidays);
  let day = toDayNumber(iso);
  let left = n;
  while (left > 0) {
    day += 1;
    if (isWorkingDayNumber(day, set)) left -= 1;
  }
  return fromDayNumber(day);
}

/** Working days in (from, to]; 0 when `to` is not after `from`. */
export function workingDaysBetween(from: string, to: string, holidays: Holidays): number {
  const set = holidayDayNumbers(holidays);
  const last = toDayNumber(to);
  let count = 0;
  for (let day = toDayNumber(from) + 1; day <= last; day++) if (isWorkingDayNumber(day, set)) count++;
  return count;
}

/** The earlier of two ISO dates. */
export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

// ---------------------------------------------------------------------------------------------
// Calendar coverage: the holiday list is per fiscal year; outside the years it covers, working
// days would be counted as if there were no holidays. Rather than guess, say so.

/** A count of working days that crossed fiscal years the holiday calendar has no entry for. */
export interface CalendarWarning {
  /** Fiscal years (Buddhist Era) touched by the count with no holiday in the calendar. */
  uncoveredFiscalYears: number[];
  th: string;
  en: string;
}

const coverageCache = new WeakMap<object, ReadonlySet<number>>();

/** The fiscal years (Buddhist Era) in which the calendar lists at least one holiday. */
export function coveredFiscalYears(holidays: Holidays): ReadonlySet<number> {
  let years = coverageCache.get(holidays);
  if (!years) {
    years = new Set([...holidaySet(holidays)].map(fiscalYearOf));
    coverageCache.set(holidays, years);
  }
  return years;
}

/**
 * A warning when the days (from, to] reach into a fiscal year the calendar does not cover (every
 * real fiscal year has official holidays, so an empty year means "not entered yet"), else
 * undefined.
 */
export function calendarCoverageWarning(from: string, to: string, holidays: Holidays): CalendarWarning | undefined {
  const first = fiscalYearOf(from);
  const last = fiscalYearOf(to);
  const covered = coveredFiscalYears(holidays);
  const uncoveredFiscalYears: number[] = [];
  for (let fy = first; fy <= last; fy++) if (!covered.has(fy)) uncoveredFiscalYears.push(fy);
  if (uncoveredFiscalYears.length === 0) return undefined;
  const years = uncoveredFiscalYears.join(', ');
  return {
    uncoveredFiscalYears,
    th: `ปฏิทินวันหยุดยังไม่มีปีงบประมาณ ${years}: นับวันทำการโดยไม่หักวันหยุดราชการ กำหนดจริงอาจช้ากว่านี้`,
    en: `The holiday calendar has no entries for FY${years}: working days are counted without public holidays, so the real deadline may be later`
  };
}

/** The n-th working day after `iso`, with a warning when the holiday calendar does not cover the days counted. */
export function workingDayDeadline(iso: string, n: number, holidays: Holidays): { date: string; warning?: CalendarWarning } {
  const date = addWorkingDays(iso, n, holidays);
  const warning = calendarCoverageWarning(iso, date, holidays);
  return warning ? { date, warning } : { date };
}
