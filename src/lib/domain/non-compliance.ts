/**
 * Non-compliance deadlines (docs/domain/non-compliance.md; the Department of Probation's FY2565
 * KPI 3, "ไม่ปฏิบัติตามเงื่อนไข").
 *
 * - Missed a reporting appointment → action within 15 working days "นับแต่วันที่ผู้ถูกคุมความ
 *   ประพฤติไม่มารายงานตัวตามกำหนด" (of the missed appointment, the document's `occurredOn`).
 * - Did not come to acknowledge the conditions → action within 30 working days "นับแต่วันที่
 *   สำนักงานคุมประพฤติรับคดี" (of the day the office received the case, `occurredOn` for this kind).
 * - Either way "ต้องไม่เกิน ๑ เดือน นับแต่วันที่ผู้ถูกคุมความประพฤติไม่ปฏิบัติตามเงื่อนไข": never later
 *   than 1 calendar month after the day of the non-compliance itself — the missed appointment, or
 *   the day the person was told to come and acknowledge the conditions (`acknowledgeBy`). Without
 *   that day on record the month is counted from the case receipt, the earliest day the office
 *   could know, and the result says so (`monthCapFrom: 'case-received'`).
 * - Which rule governs: the EARLIER of the two deadlines, always (`governs`). In practice 15
 *   working days (three weeks and more) end before a month for a missed appointment; for
 *   conditions not acknowledged the month from the day the person was due usually ends first.
 * - Action = record check, warning or tracking, any one, recorded; it must be dated between the
 *   non-compliance day and the deadline (inclusive) to count as on time.
 * - Excluded: "ผู้ได้รับการพักการลงโทษ/ลดวันต้องโทษจำคุก ที่มีระยะเวลาคุมความประพฤติน้อยกว่า 30 วัน" —
 *   parole / sentence reduction whose supervision period, counting its first and last day, is
 *   under 30 days (1–30 January is 30 days: counted).
 *
 * Working days follow calendar.ts: day 1 is the first working day after `occurredOn`; a count
 * reaching into a fiscal year the holiday calendar does not cover carries `calendarWarning`.
 */
import type { EpisodeDoc, NonComplianceDoc } from './followup-schemas.ts';
import type { NonComplianceKind } from './options.ts';
import { NON_COMPLIANCE_KINDS } from './options.ts';
import {
  addMonths,
  assertIsoDate,
  daysBetween,
  periodDays,
  workingDayDeadline,
  workingDaysBetween,
  type CalendarWarning,
  type Holidays
} from './calendar.ts';
import type { BilingualText } from './supervision.ts';

/** `_id` is optional: the rules never read it, the worklist carries it so a row can open the event. */
export type NonComplianceEvent = Pick<NonComplianceDoc, 'personId' | 'episodeId' | 'kind' | 'occurredOn' | 'actions'> &
  Partial<Pick<NonComplianceDoc, '_id' | 'acknowledgeBy'>>;
export type NonComplianceEpisode = Pick<EpisodeDoc, 'releaseType' | 'supervisionStart' | 'supervisionEnd'>;

export type NonComplianceStatus = 'done' | 'done-late' | 'due' | 'overdue' | 'excluded';

export const NON_COMPLIANCE_WORKING_DAYS: Record<NonComplianceKind, number> = {
  'missed-appointment': 15,
  'conditions-not-acknowledged': 30
};

/** Supervision periods shorter than this (parole / sentence reduction) are outside the target. */
export const MIN_COUNTED_SUPERVISION_DAYS = 30;

export interface NonComplianceDeadline {
  /** The deadline that applies: the earlier of the two below. */
  deadline: string;
  workingDayDeadline: string;
  monthCap: string;
  /** Which of the two is the deadline (the working days when both fall on the same day). */
  governs: 'working-days' | 'month-cap';
  /** The day the month is counted from: the non-compliance itself, or (not on record) the case receipt. */
  monthCapFrom: 'non-compliance' | 'case-received';
  /** The working days reach into a fiscal year the holiday calendar does not cover. */
  calendarWarning?: CalendarWarning;
}

export interface NonComplianceResult extends NonComplianceDeadline {
  status: NonComplianceStatus;
  /** The first action on time, if any. */
  actedOn?: string;
  need: BilingualText;
}

/** The day of the non-compliance the month is counted from, and whether it is that day or a stand-in. */
export function nonComplianceDay(event: Pick<NonComplianceEvent, 'kind' | 'occurredOn' | 'acknowledgeBy'>): {
  day: string;
  from: NonComplianceDeadline['monthCapFrom'];
} {
  if (event.kind === 'missed-appointment') return { day: event.occurredOn, from: 'non-compliance' };
  return event.acknowledgeBy
    ? { day: event.acknowledgeBy, from: 'non-compliance' }
    : { day: event.occurredOn, from: 'case-received' };
}

export function nonComplianceDeadline(
  event: Pick<NonComplianceEvent, 'kind' | 'occurredOn' | 'acknowledgeBy'>,
  holidays: Holidays
): NonComplianceDeadline {
  const counted = workingDayDeadline(event.occurredOn, NON_COMPLIANCE_WORKING_DAYS[event.kind], holidays);
  const { day, from } = nonComplianceDay(event);
  const monthCap = addMonths(day, 1);
  const governs = counted.date <= monthCap ? 'working-days' : 'month-cap';
  return {
    deadline: governs === 'working-days' ? counted.date : monthCap,
    workingDayDeadline: counted.date,
    monthCap,
    governs,
    monthCapFrom: from,
    ...(counted.warning ? { calendarWarning: counted.warning } : {})
  };
}

/** The rule that set the deadline, in words for the screen. */
export function describeDeadlineRule(
  kind: NonComplianceKind,
  d: Pick<NonComplianceDeadline, 'governs' | 'monthCapFrom'>
): BilingualText {
  const days = NON_COMPLIANCE_WORKING_DAYS[kind];
  const fromTh = kind === 'missed-appointment' ? 'วันที่ไม่มารายงานตัวตามนัด' : 'วันที่สำนักงานรับคดี';
  const fromEn = kind === 'missed-appointment' ? 'the missed appointment' : 'the day the office received the case';
  const capTh =
    d.monthCapFrom === 'non-compliance'
      ? kind === 'missed-appointment'
        ? 'วันที่ไม่มารายงานตัว'
        : 'วันที่ต้องมารับทราบเงื่อนไข'
      : 'วันรับคดี (ไม่ได้บันทึกวันที่ต้องมารับทราบเงื่อนไข)';
  const capEn =
    d.monthCapFrom === 'non-compliance'
      ? kind === 'missed-appointment'
        ? 'the missed appointment'
        : 'the day the person was due to acknowledge the conditions'
      : 'the case receipt (the day the person was due to come is not recorded)';
  const rule =
    d.governs === 'working-days'
      ? { th: `ใช้ ${days} วันทำการ (ถึงก่อน)`, en: `the ${days} working days apply (they end first)` }
      : { th: 'ใช้ 1 เดือน (ถึงก่อน)', en: 'the 1-month limit applies (it ends first)' };
  return {
    th: `${days} วันทำการนับจาก${fromTh} และไม่เกิน 1 เดือนนับจาก${capTh}: ${rule.th}`,
    en: `${days} working days after ${fromEn}, and no later than 1 month after ${capEn}: ${rule.en}`
  };
}

/**
 * The person's episode an event belongs to: the linked one, else the latest release on or before
 * the event (events recorded before episodes were linked). Shared by the worklist and the screen
 * so both judge the exclusion against the same episode.
 */
export function episodeOfEvent<E extends { _id: string; releaseDate: string }>(
  event: Pick<NonComplianceEvent, 'episodeId' | 'occurredOn'>,
  episodes: readonly E[]
): E | undefined {
  if (event.episodeId) return episodes.find((e) => e._id === event.episodeId);
  let latest: E | undefined;
  for (const e of episodes) if (e.releaseDate <= event.occurredOn && (!latest || e.releaseDate > latest.releaseDate)) latest = e;
  return latest;
}

/**
 * How far `today` is from the deadline, for the screen: working days still left (0 = due today),
 * or, once past, calendar days overdue (a deadline on Friday seen on Saturday is 1 day late, where
 * a working-day count would say 0).
 */
export function deadlineCountdown(
  deadline: string,
  today: string,
  holidays: Holidays
): { workingDaysLeft: number } | { daysOverdue: number } {
  if (today > deadline) return { daysOverdue: daysBetween(deadline, today) };
  return { workingDaysLeft: workingDaysBetween(today, deadline, holidays) };
}

/** Parole / sentence reduction with a supervision period under 30 days: outside the KPI. */
export function isExcludedFromNonComplianceTarget(episode: NonComplianceEpisode | undefined): boolean {
  if (!episode || (episode.releaseType !== 'parole' && episode.releaseType !== 'sentence-reduction')) return false;
  if (!episode.supervisionStart || !episode.supervisionEnd) return false;
  return periodDays(episode.supervisionStart, episode.supervisionEnd) < MIN_COUNTED_SUPERVISION_DAYS;
}

export function evaluateNonCompliance(
  event: NonComplianceEvent,
  episode: NonComplianceEpisode | undefined,
  on: string,
  holidays: Holidays
): NonComplianceResult {
  assertIsoDate(on, 'the evaluation day');
  const deadlines = nonComplianceDeadline(event, holidays);
  const kind = NON_COMPLIANCE_KINDS.label(event.kind, 'th');
  const kindEn = NON_COMPLIANCE_KINDS.label(event.kind, 'en');
  if (isExcludedFromNonComplianceTarget(episode))
    return {
      ...deadlines,
      status: 'excluded',
      need: {
        th: 'พักการลงโทษ/ลดวันต้องโทษ คุมประพฤติน้อยกว่า 30 วัน — ไม่นับเป็นกลุ่มเป้าหมาย',
        en: 'Parole / sentence reduction under 30 days — outside the target group'
      }
    };
  const actionDays = event.actions
    .map((a) => a.on)
    .filter((d) => d >= event.occurredOn)
    .sort();
  const onTime = actionDays.find((d) => d <= deadlines.deadline);
  if (onTime)
    return {
      ...deadlines,
      status: 'done',
      actedOn: onTime,
      need: { th: `ดำเนินการแล้ว (${kind})`, en: `Action taken (${kindEn})` }
    };
  if (actionDays.length > 0)
    return {
      ...deadlines,
      status: 'done-late',
      actedOn: actionDays[0],
      need: { th: `ดำเนินการแล้วแต่เกินกำหนด (${kind})`, en: `Action taken after the deadline (${kindEn})` }
    };
  return {
    ...deadlines,
    status: on > deadlines.deadline ? 'overdue' : 'due',
    need: {
      th: `${kind}: ตรวจสอบประวัติ ตักเตือน หรือติดตามตัว และบันทึกในระบบ`,
      en: `${kindEn}: check the record, warn, or track the person, and record it`
    }
  };
}
