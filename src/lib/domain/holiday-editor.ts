/**
 * The holiday calendar as administrators edit it (src/routes/admin/holidays, sync-server/holidays.ts):
 * grouped by Thai fiscal year, edited so it stays in date order with one entry per day, compared
 * with the calendar in force, and the server's refusal put in terms of the entries on screen.
 * Pure functions: the screen and the server share them.
 */
import { dayOfWeek, fiscalYearOf } from './calendar.ts';
import { formatDate, isIsoDate } from './dates.ts';
import type { HolidayCalendar } from './holidays-th.ts';

export type Holiday = HolidayCalendar[number];
type Lang = 'th' | 'en';

/** GET / PUT /api/holidays answer with the calendar in force. */
export interface CalendarInForce {
  /** 'official': the data shipped with the product; 'edited': the administrators' copy. */
  source: 'official' | 'edited';
  holidays: HolidayCalendar;
  updatedAt?: string;
  updatedBy?: string;
}

export interface FiscalYearGroup {
  /** Buddhist Era, e.g. 2570 = 2026-10-01 … 2027-09-30. */
  fiscalYear: number;
  holidays: Holiday[];
}

const byDate = (a: Holiday, b: Holiday) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** The calendar by fiscal year, oldest first, each year in date order. */
export function groupByFiscalYear(calendar: readonly Holiday[]): FiscalYearGroup[] {
  const groups = new Map<number, Holiday[]>();
  for (const h of [...calendar].sort(byDate)) {
    const fy = fiscalYearOf(h.date);
    const list = groups.get(fy);
    if (list) list.push(h);
    else groups.set(fy, [h]);
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([fiscalYear, holidays]) => ({ fiscalYear, holidays }));
}

/** One entry in the shape the server stores: `provisional` only when true (so copies compare equal). */
function entry(date: string, th: string, en: string, provisional?: boolean): Holiday {
  return provisional ? { date, th, en, provisional: true } : { date, th, en };
}

export type AddProblem = 'date' | 'names' | 'duplicate';

/**
 * The calendar with one more day, in date order. A day already listed is refused here (the
 * server refuses it too): the administrator edits the listed day's name instead.
 */
export function withHoliday(
  calendar: readonly Holiday[],
  h: { date: string; th: string; en: string }
): { ok: true; calendar: Holiday[] } | { ok: false; problem: AddProblem } {
  if (!isIsoDate(h.date)) return { ok: false, problem: 'date' };
  if (!h.th.trim() || !h.en.trim()) return { ok: false, problem: 'names' };
  if (calendar.some((c) => c.date === h.date)) return { ok: false, problem: 'duplicate' };
  return { ok: true, calendar: [...calendar, entry(h.date, h.th.trim(), h.en.trim())].sort(byDate) };
}

export function withoutHoliday(calendar: readonly Holiday[], date: string): Holiday[] {
  return calendar.filter((h) => h.date !== date);
}

/** The calendar with one day's names or provisional mark changed. Names are kept as typed: an empty one is the server's to refuse. */
export function withChangedHoliday(
  calendar: readonly Holiday[],
  date: string,
  change: Partial<Omit<Holiday, 'date'>>
): Holiday[] {
  return calendar.map((h) => {
    if (h.date !== date) return h;
    const next = { ...h, ...change };
    return entry(h.date, next.th, next.en, next.provisional);
  });
}

const sameHoliday = (a: Holiday, b: Holiday) =>
  a.th === b.th && a.en === b.en && Boolean(a.provisional) === Boolean(b.provisional);

/** Which days came, went, or were renamed (the audit trail and the "unsaved changes" count). */
export function calendarDifference(
  before: readonly Holiday[],
  after: readonly Holiday[]
): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.map((h) => [h.date, h]));
  const now = new Map(after.map((h) => [h.date, h]));
  return {
    added: after.filter((h) => !old.has(h.date)).map((h) => h.date),
    removed: before.filter((h) => !now.has(h.date)).map((h) => h.date),
    changed: after.filter((h) => old.has(h.date) && !sameHoliday(old.get(h.date)!, h)).map((h) => h.date)
  };
}

const WEEKDAYS: Record<Lang, string[]> = {
  th: ['อา.', 'จ.', 'อ.', 'พ.', 'พฤ.', 'ศ.', 'ส.'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
};

/** "ส. 5 ธ.ค. 2569": the weekday matters here (a weekend holiday brings a substitution day). */
export function holidayDate(iso: string, lang: Lang): string {
  return `${WEEKDAYS[lang][dayOfWeek(iso)]} ${formatDate(iso, lang)}`;
}

const FIELDS: Record<string, Record<Lang, string>> = {
  date: { th: 'วันที่', en: 'date' },
  th: { th: 'ชื่อภาษาไทย', en: 'Thai name' },
  en: { th: 'ชื่อภาษาอังกฤษ', en: 'English name' },
  provisional: { th: 'เครื่องหมายยังไม่ประกาศ', en: 'provisional mark' }
};

/** The server writes "ไทย / English": the half in `lang`, with ISO dates shown as on screen. */
function inLanguage(text: string, lang: Lang): string {
  const cut = text.indexOf(' / ');
  const bilingual = cut > 0 && /[\u0E00-\u0E7F]/.test(text.slice(0, cut));
  const half = bilingual ? (lang === 'th' ? text.slice(0, cut) : text.slice(cut + 3)) : text;
  return half.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => (isIsoDate(d) ? formatDate(d, lang) : d));
}

/**
 * The reasons of a 400 from PUT /api/holidays, one line per problem. The server names an entry
 * by its position in the list sent ("3.th: ต้องกรอก / required", sync-server/holidays.ts and
 * describeZodError); the administrator knows it by its date, so the line starts with that.
 */
export function explainRefusal(message: string, sent: readonly Holiday[], lang: Lang): string[] {
  return message
    .split('; ')
    .filter((issue) => issue.trim())
    .map((issue) => {
      const m = /^(\d+)(?:\.(\w+))?[^:]*: (.*)$/s.exec(issue.trim());
      if (!m) return inLanguage(issue.trim(), lang);
      const index = Number(m[1]);
      const h = sent[index];
      const where =
        h && isIsoDate(h.date) ? holidayDate(h.date, lang) : lang === 'th' ? `รายการที่ ${index + 1}` : `Entry ${index + 1}`;
      const field = m[2] && FIELDS[m[2]] ? ` · ${FIELDS[m[2]][lang]}` : '';
      return `${where}${field}: ${inLanguage(m[3], lang)}`;
    });
}
