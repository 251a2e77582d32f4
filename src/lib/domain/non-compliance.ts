/**
 * Non-compliance deadlines (follow-up.md "Non-compliance"; probation KPI 3 in sources/003).
 *
 * - Missed a reporting appointment → action within 15 working days of the missed appointment.
 * - Did not come to acknowledge the conditions → action within 30 working days of the day the
 *   office received the case (that day is the document's `occurredOn`).
 * - Either way never later than 1 calendar month after the non-compliance: the deadline is the
 *   earlier of the two. (For the 30-working-day case the month is always the earlier one; the rule
 *   is applied as written rather than second-guessed.)
 * - Action = record check, warning or tracking, any one, recorded; it must be dated between the
 *   non-compliance day and the deadline (inclusive) to count as on time.
 * - Excluded: parole / sentence reduction with a supervision period under 30 days
 *   (supervisionEnd − supervisionStart < 30 calendar days, the same period convention as
 *   supervision.ts).
 *
 * Working days follow calendar.ts: day 1 is the first working day after `occurredOn`.
 */
import type { EpisodeDoc, NonComplianceDoc } from './followup-schemas.ts';
import type { NonComplianceKind } from './options.ts';
import { NON_COMPLIANCE_KINDS } from './options.ts';
import { addMonths, addWorkingDays, assertIsoDate, daysBetween, minDate, workingDaysBetween, type Holidays } from './calendar.ts';
import type { BilingualText } from './supervision.ts';

/** `_id` is optional: the rules never read it, the worklist carries it so a row can open the event. */
export type NonComplianceEvent = Pick<NonComplianceDoc, 'personId' | 'episodeId' | 'kind' | 'occurredOn' | 'actions'> & Partial<Pick<NonComplianceDoc, '_id'>>;
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
}

export interface NonComplianceResult extends NonComplianceDeadline {
  status: NonComplianceStatus;
  /** The first action on time, if any. */
  actedOn?: string;
  need: BilingualText;
}

export function nonComplianceDeadline(event: Pick<NonComplianceEvent, 'kind' | 'occurredOn'>, holidays: Holidays): NonComplianceDeadline {
  const workingDayDeadline = addWorkingDays(event.occurredOn, NON_COMPLIANCE_WORKING_DAYS[event.kind], holidays);
  const monthCap = addMonths(event.occurredOn, 1);
  return { deadline: minDate(workingDayDeadline, monthCap), workingDayDeadline, monthCap };
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
export function deadlineCountdown(deadline: string, today: string, holidays: Holidays): { workingDaysLeft: number } | { daysOverdue: number } {
  if (today > deadline) return { daysOverdue: daysBetween(deadline, today) };
  return { workingDaysLeft: workingDaysBetween(today, deadline, holidays) };
}

/** Parole / sentence reduction with a supervision period under 30 days: outside the KPI. */
export function isExcludedFromNonComplianceTarget(episode: NonComplianceEpisode | undefined): boolean {
  if (!episode || (episode.releaseType !== 'parole' && episode.releaseType !== 'sentence-reduction')) return false;
  if (!episode.supervisionStart || !episode.supervisionEnd) return false;
  return daysBetween(episode.supervisionStart, episode.supervisionEnd) < MIN_COUNTED_SUPERVISION_DAYS;
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
      need: { th: 'พักการลงโทษ/ลดวันต้องโทษ คุมประพฤติน้อยกว่า 30 วัน — ไม่นับเป็นกลุ่มเป้าหมาย', en: 'Parole / sentence reduction under 30 days — outside the target group' }
    };
  const actionDays = event.actions.map((a) => a.on).filter((d) => d >= event.occurredOn).sort();
  const onTime = actionDays.find((d) => d <= deadlines.deadline);
  if (onTime) return { ...deadlines, status: 'done', actedOn: onTime, need: { th: `ดำเนินการแล้ว (${kind})`, en: `Action taken (${kindEn})` } };
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
