/**
 * Who wrote a record and when it happened, as far as the server can hold a client to it
 * (issue 9, item 4: an officer stored `createdBy` naming another unit's user, and follow-ups
 * dated 2019 and 2099). Pure rules; the sync-server applies them to every write
 * (sync-server/sync/screen-docs.ts), with the session's user name and what it already stores.
 *
 * - `updatedBy` is the author of this revision: it must be the signed-in user who sends it.
 * - `createdBy` is the author of the record: for a record the server does not hold yet it must
 *   be the sender too; afterwards it must stay what was first stored.
 * - A visit, interview or non-compliance date lies between 2000-01-01 and tomorrow in Bangkok
 *   (tomorrow: a tablet whose clock runs a little ahead near midnight is not refused).
 */

/** The earliest date a CARE record can plausibly describe: the programme is far younger. */
export const EARLIEST_RECORD_DATE = '2000-01-01';

/** Fields that date the event a record describes, per document type. */
export const EVENT_DATE_FIELDS: Record<string, string> = {
  followup: 'visitDate',
  care01: 'interviewDate',
  noncompliance: 'occurredOn'
};

/** The calendar date in Bangkok (UTC+7, no daylight saving) of `now`, plus `days`. */
export function bangkokDate(now: Date, days = 0): string {
  return new Date(now.getTime() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** The document's event date outside [EARLIEST_RECORD_DATE, tomorrow in Bangkok], as a reason; else null. */
export function eventDateProblem(doc: Record<string, unknown>, now: Date): string | null {
  const field = typeof doc.type === 'string' ? EVENT_DATE_FIELDS[doc.type] : undefined;
  const value = field ? doc[field] : undefined;
  if (!field || typeof value !== 'string') return null;
  if (value < EARLIEST_RECORD_DATE)
    return `${field}: วันที่ก่อน ${EARLIEST_RECORD_DATE} ไม่น่าเป็นไปได้ / a date before ${EARLIEST_RECORD_DATE} is not plausible`;
  const latest = bangkokDate(now, 1);
  if (value > latest) return `${field}: วันที่อยู่ในอนาคต (หลัง ${latest}) / a date in the future (after ${latest}) is not plausible`;
  // A follow-up's recording moment may not lie in the future either (it would hide a back-dated
  // visit behind a matching stamp); an old one stays visible as the gap to the audit's receivedAt.
  if (
    typeof doc.recordedAt === 'string' &&
    !Number.isNaN(Date.parse(doc.recordedAt)) &&
    bangkokDate(new Date(doc.recordedAt)) > latest
  )
    return `recordedAt: เวลาที่บันทึกอยู่ในอนาคต (หลัง ${latest}) / a recording time in the future (after ${latest}) is not plausible`;
  return null;
}

/**
 * The authorship of a revision sent by `sender`: null when it holds, else the reason.
 * `storedCreatedBy`: the record's author as the server holds it; null for a record it does not hold.
 */
export function authorshipProblem(doc: Record<string, unknown>, sender: string, storedCreatedBy: string | null): string | null {
  if (doc.updatedBy !== sender)
    return `updatedBy: ต้องเป็นชื่อผู้ใช้ที่ส่งข้อมูล (${sender}) / must be the signed-in user who sends it (${sender})`;
  const author = storedCreatedBy ?? sender;
  if (doc.createdBy !== author)
    return storedCreatedBy === null
      ? `createdBy: ระเบียนใหม่ต้องบันทึกในชื่อของผู้ส่ง (${sender}) / a new record must be created by the signed-in user (${sender})`
      : `createdBy: ผู้สร้างระเบียนเปลี่ยนไม่ได้ (${storedCreatedBy}) / createdBy cannot be changed: the record was created by ${storedCreatedBy}`;
  return null;
}
