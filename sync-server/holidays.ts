/**
 * The holiday calendar in force for working-day deadlines (non-compliance: 15 / 30 working days).
 * The product ships the official data (src/lib/domain/holidays-th.ts); administrators replace it
 * with an edited copy when the Cabinet adds a special holiday or announces a lunar date. The copy
 * lives in the `system` database (one document, through the storage port, so every server
 * instance on one CouchDB serves the same calendar); without it the official data is in force.
 * Every change is written to the audit trail (dates only: holidays are not personal data).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { officialHolidays, type HolidayCalendar } from '../src/lib/domain/holidays-th.ts';
import { calendarDifference, type CalendarInForce } from '../src/lib/domain/holiday-editor.ts';
import { describeZodError } from '../src/lib/domain/validate-doc.ts';
import { isoDate, requiredText } from '../src/lib/domain/schemas.ts';
import { isConflict, isNotFound, type DocumentStore } from './storage/port.ts';

export const HOLIDAY_CALENDAR_DOC_ID = 'holiday-calendar';

/** A calendar of some decades of holidays is a few hundred entries; the cap refuses nonsense. */
export const MAX_HOLIDAYS = 2000;
/** Request body cap for PUT /api/holidays (2000 entries with long Thai names fit easily). */
export const HOLIDAYS_BODY_BYTES = 512 * 1024;

interface HolidayCalendarDoc {
  _id: string;
  _rev?: string;
  type: 'holiday-calendar';
  holidays: HolidayCalendar;
  updatedAt: string;
  updatedBy: string;
}

const holiday = z.strictObject({
  date: isoDate,
  th: requiredText(300),
  en: requiredText(300),
  provisional: z.boolean().optional()
});

export const holidayCalendarInput = z
  .array(holiday)
  .max(MAX_HOLIDAYS, { message: `at most ${MAX_HOLIDAYS} holidays` })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((h, i) => {
      if (seen.has(h.date))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'date'],
          message: `วันที่ซ้ำ ${h.date} / ${h.date} is listed twice (one entry per day)`
        });
      seen.add(h.date);
    });
  });

export type HolidayCheck = { ok: true; holidays: HolidayCalendar } | { ok: false; message: string };

/** Validates an edited calendar and puts it in date order (the order it is saved and served in). */
export function checkHolidayCalendar(input: unknown): HolidayCheck {
  if (!Array.isArray(input))
    return { ok: false, message: 'ส่งรายการวันหยุดเป็นอาร์เรย์ JSON / send the holidays as a JSON array of {date, th, en}' };
  const result = holidayCalendarInput.safeParse(input);
  if (!result.success) return { ok: false, message: describeZodError(result.error) };
  const holidays = [...result.data].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { ok: true, holidays };
}

async function storedCalendar(system: DocumentStore): Promise<HolidayCalendarDoc | null> {
  try {
    const doc = (await system.get(HOLIDAY_CALENDAR_DOC_ID)) as unknown as HolidayCalendarDoc;
    return doc.type === 'holiday-calendar' ? doc : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function calendarInForce(system: DocumentStore): Promise<CalendarInForce> {
  const stored = await storedCalendar(system);
  if (!stored) return { source: 'official', holidays: officialHolidays };
  return { source: 'edited', holidays: stored.holidays, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
}

export type ReplaceResult = { ok: true; calendar: CalendarInForce; changed: boolean } | { ok: false; conflict: true };

/**
 * Replaces the calendar in force with `holidays` (already checked) and audits the change.
 * An identical calendar changes nothing and writes no audit entry. A concurrent replacement by
 * another administrator answers `conflict` instead of silently overwriting theirs.
 */
export async function replaceHolidayCalendar(
  system: DocumentStore,
  audit: DocumentStore,
  username: string,
  holidays: HolidayCalendar,
  now = new Date()
): Promise<ReplaceResult> {
  const stored = await storedCalendar(system);
  const before = stored ? stored.holidays : officialHolidays;
  if (JSON.stringify(before) === JSON.stringify(holidays))
    return { ok: true, changed: false, calendar: await calendarInForce(system) };
  const at = now.toISOString();
  const doc: HolidayCalendarDoc = {
    _id: HOLIDAY_CALENDAR_DOC_ID,
    ...(stored?._rev ? { _rev: stored._rev } : {}),
    type: 'holiday-calendar',
    holidays,
    updatedAt: at,
    updatedBy: username
  };
  try {
    await system.put({ ...doc });
  } catch (e) {
    if (isConflict(e)) return { ok: false, conflict: true };
    throw e;
  }
  await audit.put({
    _id: `holidays:${at}:${randomBytes(6).toString('hex')}`,
    type: 'audit-holidays',
    at,
    username,
    count: holidays.length,
    // What a reviewer of the audit trail wants to see: which days came, went, or were renamed.
    ...calendarDifference(before, holidays)
  });
  return { ok: true, changed: true, calendar: { source: 'edited', holidays, updatedAt: at, updatedBy: username } };
}
