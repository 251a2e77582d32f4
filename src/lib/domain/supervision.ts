/**
 * Supervision visit standard by classification level (docs/domain/follow-up.md "Supervision
 * standards"; the Department of Probation's FY2565 KPI 7, "มาตรฐานที่กำหนด"). For one person on
 * supervision: is the standard of their level met, and if not, what is still needed and by when.
 *
 * Who counts, in the seed's words (any one option satisfies the level):
 * | strict   | ≥3 visits by "อาสาสมัครคุมประพฤติหรือเครือข่ายยุติธรรมชุมชนหรือภาคีเครือข่ายที่มีประสบการณ์"
 * |          | (volunteers, community justice network, experienced partners — NOT community leaders),
 * |          | or ≥1 officer visit, "ก่อนครึ่งหนึ่งของระยะเวลาการคุมความประพฤติ"            |
 * | moderate | ≥2 visits by volunteers / community justice network / community leaders ("ผู้นำชุมชน
 * |          | ในพื้นที่"), or ≥1 officer visit, within the period                            |
 * | lenient  | ≥1 visit by a volunteer, or (none assignable) the network or a community leader, or
 * |          | an officer, within the period                                                   |
 * Experienced partners are named for the strict level only, so they count only there. Lenient:
 * the record cannot say whether a volunteer could be assigned, so a network or leader visit always
 * counts as the seed's fallback.
 * Abnormal situation ("พนักงานคุมประพฤติไม่สามารถออกสอดส่องได้ เนื่องจากสถานการณ์ไม่ปกติ"):
 * follow-ups "โดยสื่ออิเล็กทรอนิกส์หรือเทคโนโลยีอื่น" marked `abnormalSituation` satisfy it —
 * strict ≥2, moderate ≥2, lenient ≥1. Phone and electronic media are such technology; a letter is
 * not (letters count only for the follow-up after supervision, post-supervision.ts).
 *
 * Conventions:
 * - A supervision period counts its first and last day (calendar.ts `periodDays`): 1–30 January
 *   is 30 days.
 * - "Before half of the period" (strict) is read as: the visit's day lies wholly in the first half
 *   of the period, so the last day that counts is day ⌊L/2⌋ of an L-day period
 *   (`supervisionDeadline`). 1–30 January → 15 January; 2027-01-01 … 2027-12-31 (365 days) →
 *   2027-07-01 (the middle day 2 July is shared by both halves and is already too late).
 * - Moderate / lenient deadline = supervisionEnd (the last day of the period).
 * - Only follow-ups with visitDate in [supervisionStart, deadline] count; a follow-up linked to a
 *   different episode (episodeId) does not count for this one.
 * - Once the deadline has passed unmet the standard was missed on that date, for good: the result
 *   stays 'overdue', says so with the date, and counts the visits made since (`lateVisits`), which
 *   are supervision work but no longer count toward the standard.
 * - People who never came to acknowledge their conditions are outside the target group: 'excluded'.
 */
import type { EpisodeDoc, FollowUpDoc } from './followup-schemas.ts';
import { CLASSIFICATION_LEVELS, type ClassificationLevel, type FollowUpMethod, type Visitor } from './options.ts';
import { addDays, assertIsoDate, periodDays } from './calendar.ts';
import { formatDate } from './dates.ts';

export type SupervisionEpisode = Pick<
  EpisodeDoc,
  '_id' | 'personId' | 'supervisionStart' | 'supervisionEnd' | 'classificationLevel' | 'conditionsAcknowledged'
>;
export type CountableFollowUp = Pick<
  FollowUpDoc,
  'personId' | 'episodeId' | 'visitDate' | 'method' | 'visitor' | 'abnormalSituation'
>;

export type SupervisionStatus = 'met' | 'due' | 'overdue' | 'excluded' | 'unclassified' | 'not-on-supervision';

export interface BilingualText {
  th: string;
  en: string;
}

export interface SupervisionCounts {
  /** Visits (home / workplace / elsewhere) by a probation officer inside the window. */
  officerVisits: number;
  /** Visits inside the window by the other visitors the level counts (volunteers, network, …). */
  otherVisits: number;
  /** Visits inside the window by visitors the level does not name (community leaders for strict, …). */
  notCountedVisits: number;
  /** Phone / electronic-media follow-ups marked abnormalSituation inside the window. */
  electronicFallback: number;
  /** Follow-ups of this supervision dated outside the window (they do not count). */
  outsideWindow: number;
}

export interface SupervisionResult {
  status: SupervisionStatus;
  level?: ClassificationLevel;
  /** Last day a follow-up counts (the strict half-period deadline, or the end of supervision). */
  dueBy?: string;
  need: BilingualText;
  counted: SupervisionCounts;
  /** Once overdue: visits of this supervision made after the deadline (recorded, not counted). */
  lateVisits?: number;
}

export const VISIT_METHODS: ReadonlySet<FollowUpMethod> = new Set(['home-visit', 'workplace-visit', 'other-visit']);
/** "สื่ออิเล็กทรอนิกส์หรือเทคโนโลยีอื่น": phone and electronic media; a letter is not one. */
export const ELECTRONIC_METHODS: ReadonlySet<FollowUpMethod> = new Set(['phone', 'electronic']);

/** The number of visits / electronic follow-ups each level requires (any one option suffices). */
export const SUPERVISION_STANDARD: Record<ClassificationLevel, { others: number; officer: number; electronic: number }> = {
  strict: { others: 3, officer: 1, electronic: 2 },
  moderate: { others: 2, officer: 1, electronic: 2 },
  lenient: { others: 1, officer: 1, electronic: 1 }
};

/** The visitors other than a probation officer whose visits count, per level (the seed's lists). */
export const COUNTED_OTHER_VISITORS: Record<ClassificationLevel, ReadonlySet<Visitor>> = {
  strict: new Set(['volunteer', 'community-network', 'experienced-partner']),
  moderate: new Set(['volunteer', 'community-network', 'community-leader']),
  lenient: new Set(['volunteer', 'community-network', 'community-leader'])
};

const OTHERS_WORDS: Record<ClassificationLevel, BilingualText> = {
  strict: {
    th: 'อาสาสมัคร/เครือข่ายยุติธรรมชุมชน/ภาคีเครือข่ายที่มีประสบการณ์',
    en: 'volunteers / community justice network / experienced partners'
  },
  moderate: { th: 'อาสาสมัคร/เครือข่ายยุติธรรมชุมชน/ผู้นำชุมชน', en: 'volunteers / community justice network / community leaders' },
  lenient: {
    th: 'อาสาสมัคร (หรือเครือข่ายยุติธรรมชุมชน/ผู้นำชุมชน)',
    en: 'a volunteer (or the community justice network / a community leader)'
  }
};

const NO_COUNTS: SupervisionCounts = {
  officerVisits: 0,
  otherVisits: 0,
  notCountedVisits: 0,
  electronicFallback: 0,
  outsideWindow: 0
};

/**
 * Last day a follow-up counts for the standard, or undefined without a full supervision period.
 * Strict: day ⌊L/2⌋ of the L-day period (see the conventions above); the others: the last day.
 */
export function supervisionDeadline(episode: SupervisionEpisode): string | undefined {
  const { supervisionStart: start, supervisionEnd: end, classificationLevel: level } = episode;
  if (!start || !end) return undefined;
  if (level === 'strict') return addDays(start, lastCountingDayOfHalf(start, end) - 1);
  return end;
}

/** Day ⌊L/2⌋ (1-based) of an L-day period: the last day wholly in its first half. */
function lastCountingDayOfHalf(start: string, end: string): number {
  return Math.max(1, Math.floor(periodDays(start, end) / 2));
}

/** How the strict deadline was read, for the screen: "day 182 of 365". */
export function halfPeriodReading(episode: SupervisionEpisode): BilingualText | undefined {
  const { supervisionStart: start, supervisionEnd: end } = episode;
  if (!start || !end || episode.classificationLevel !== 'strict') return undefined;
  const length = periodDays(start, end);
  const day = lastCountingDayOfHalf(start, end);
  return {
    th: `ครึ่งหนึ่งของระยะเวลาคุมความประพฤติ ${length} วัน (นับวันแรกและวันสุดท้าย): ต้องสอดส่องภายในวันที่ ${day} คือ ${formatDate(addDays(start, day - 1), 'th')}`,
    en: `half of the ${length}-day supervision period (first and last day counted): visits count up to day ${day}, ${formatDate(addDays(start, day - 1), 'en')}`
  };
}

/** Does this follow-up belong to the episode (same person, and not linked to another episode)? */
export function belongsToEpisode(f: CountableFollowUp, episode: Pick<EpisodeDoc, '_id' | 'personId'>): boolean {
  return f.personId === episode.personId && (f.episodeId === undefined || f.episodeId === episode._id);
}

export function countSupervisionFollowUps(
  followUps: readonly CountableFollowUp[],
  episode: SupervisionEpisode,
  from: string,
  to: string
): SupervisionCounts {
  const counts = { ...NO_COUNTS };
  const others = episode.classificationLevel ? COUNTED_OTHER_VISITORS[episode.classificationLevel] : new Set<Visitor>();
  for (const f of followUps) {
    if (!belongsToEpisode(f, episode)) continue;
    if (f.visitDate < from || f.visitDate > to) {
      counts.outsideWindow++;
      continue;
    }
    if (VISIT_METHODS.has(f.method)) {
      if (f.visitor === 'probation-officer') counts.officerVisits++;
      else if (others.has(f.visitor)) counts.otherVisits++;
      else counts.notCountedVisits++;
    } else if (ELECTRONIC_METHODS.has(f.method) && f.abnormalSituation === true) {
      counts.electronicFallback++;
    }
  }
  return counts;
}

export function isStandardMet(level: ClassificationLevel, c: SupervisionCounts): boolean {
  const s = SUPERVISION_STANDARD[level];
  return c.otherVisits >= s.others || c.officerVisits >= s.officer || c.electronicFallback >= s.electronic;
}

/** What is still needed, in words, for a level not yet met. */
export function describeNeed(level: ClassificationLevel, c: SupervisionCounts, abnormalSituation: boolean): BilingualText {
  const s = SUPERVISION_STANDARD[level];
  const who = OTHERS_WORDS[level];
  const others = s.others - c.otherVisits;
  let th = `อีก ${others} ครั้งโดย${who.th} หรือ ${s.officer} ครั้งโดยพนักงานคุมประพฤติ`;
  let en = `${others} more visit${others === 1 ? '' : 's'} by ${who.en}, or ${s.officer} by a probation officer`;
  if (abnormalSituation) {
    const electronic = s.electronic - c.electronicFallback;
    th += ` (สถานการณ์ไม่ปกติ: หรือติดตามทางสื่ออิเล็กทรอนิกส์หรือเทคโนโลยีอื่นอีก ${electronic} ครั้ง)`;
    en += ` (abnormal situation: or ${electronic} more follow-up${electronic === 1 ? '' : 's'} by electronic media or other technology)`;
  }
  if (level === 'strict') {
    th += ' ก่อนครึ่งหนึ่งของระยะเวลาคุมความประพฤติ';
    en += ', before half of the supervision period';
  }
  if (c.notCountedVisits > 0) {
    th += ` (การเยี่ยมโดยผู้ที่ไม่นับในระดับนี้ ${c.notCountedVisits} ครั้งไม่นับ)`;
    en += ` (${c.notCountedVisits} visit${c.notCountedVisits === 1 ? '' : 's'} by visitors this level does not count)`;
  }
  return { th, en };
}

/** The standard was missed on `dueBy`: say so, what counted by then, and what visits since are. */
export function describeMissed(
  level: ClassificationLevel,
  dueBy: string,
  c: SupervisionCounts,
  lateVisits: number
): BilingualText {
  const counted = c.officerVisits + c.otherVisits + c.electronicFallback;
  let th = `ไม่ครบตามมาตรฐาน (${CLASSIFICATION_LEVELS.label(level, 'th')}) เมื่อครบกำหนด ${formatDate(dueBy, 'th')}: นับได้ ${counted} ครั้ง`;
  let en = `Standard (${CLASSIFICATION_LEVELS.label(level, 'en')}) missed on ${formatDate(dueBy, 'en')}: ${counted} counted by then`;
  if (lateVisits > 0) {
    th += ` · สอดส่องหลังกำหนด ${lateVisits} ครั้ง บันทึกเป็นการสอดส่องแต่ไม่นับตามมาตรฐาน`;
    en += ` · ${lateVisits} visit${lateVisits === 1 ? '' : 's'} since: recorded as supervision, not counted toward the standard`;
  } else {
    th += ' · ยังควรออกสอดส่อง: การสอดส่องจากนี้บันทึกได้แต่ไม่นับตามมาตรฐาน';
    en += ' · still to be visited: visits from now on are recorded but no longer count toward the standard';
  }
  return { th, en };
}

/**
 * Evaluate the standard for one episode on a given day. `followUps` may hold the person's whole
 * history (other episodes' and other people's follow-ups are ignored).
 */
export function evaluateSupervision(
  episode: SupervisionEpisode,
  followUps: readonly CountableFollowUp[],
  on: string
): SupervisionResult {
  assertIsoDate(on, 'the evaluation day');
  const { supervisionStart: start, supervisionEnd: end, classificationLevel: level } = episode;
  if (!start || !end)
    return {
      status: 'not-on-supervision',
      need: { th: 'ไม่อยู่ระหว่างคุมความประพฤติ', en: 'Not on supervision' },
      counted: { ...NO_COUNTS }
    };
  if (episode.conditionsAcknowledged === false)
    return {
      status: 'excluded',
      level,
      need: { th: 'ไม่มารับทราบเงื่อนไข — ไม่นับเป็นกลุ่มเป้าหมาย', en: 'Never acknowledged the conditions — outside the target group' },
      counted: { ...NO_COUNTS }
    };
  if (!level)
    return {
      status: 'unclassified',
      need: { th: 'ยังไม่ได้จำแนกระดับการควบคุม', en: 'Not yet classified (no control level)' },
      counted: { ...NO_COUNTS }
    };

  const dueBy = supervisionDeadline(episode)!;
  const counted = countSupervisionFollowUps(followUps, episode, start, dueBy);
  if (isStandardMet(level, counted))
    return {
      status: 'met',
      level,
      dueBy,
      need: {
        th: `ครบตามมาตรฐาน (${CLASSIFICATION_LEVELS.label(level, 'th')})`,
        en: `Standard met (${CLASSIFICATION_LEVELS.label(level, 'en')})`
      },
      counted
    };
  if (on > dueBy) {
    let lateVisits = 0;
    for (const f of followUps)
      if (belongsToEpisode(f, episode) && f.visitDate > dueBy && f.visitDate <= on && VISIT_METHODS.has(f.method)) lateVisits++;
    return { status: 'overdue', level, dueBy, need: describeMissed(level, dueBy, counted, lateVisits), counted, lateVisits };
  }
  const abnormal = followUps.some(
    (f) => f.abnormalSituation === true && belongsToEpisode(f, episode) && f.visitDate >= start && f.visitDate <= dueBy
  );
  const need = describeNeed(level, counted, abnormal);
  if (level === 'strict') {
    // The reading of "before half of the period", on screen with the need (see the conventions).
    const length = periodDays(start, end);
    const day = lastCountingDayOfHalf(start, end);
    need.th += ` (ภายในวันที่ ${day} จาก ${length} วัน นับวันแรกและวันสุดท้าย)`;
    need.en += ` (by day ${day} of ${length}, first and last day counted)`;
  }
  return { status: 'due', level, dueBy, need, counted };
}
