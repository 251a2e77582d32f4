/**
 * Supervision visit standard by classification level (follow-up.md "Supervision visit standards";
 * source: probation KPI 7 in sources/003). For one person on supervision: is the standard of their
 * level met, and if not, what is still needed and by when.
 *
 * | level    | any one option satisfies it                                    | window              |
 * | strict   | ≥3 visits by volunteers / network / leader, or ≥1 by an officer | start … half-period |
 * | moderate | ≥2 visits by volunteers / network / leader, or ≥1 by an officer | whole period        |
 * | lenient  | ≥1 visit by anyone                                              | whole period        |
 * Abnormal situation (officers cannot go out): electronic follow-ups (phone, letter, electronic
 * media) marked `abnormalSituation` also satisfy it — strict ≥2, moderate ≥2, lenient ≥1.
 *
 * Conventions:
 * - Supervision period = supervisionEnd − supervisionStart in calendar days (supervisionEnd is
 *   the last day). Strict deadline ("before half of the period has passed") =
 *   supervisionStart + floor(period / 2); a visit ON the deadline day still counts.
 *   Example: 2027-01-01 … 2027-12-31 → period 364 → deadline 2027-07-02.
 * - Moderate / lenient deadline = supervisionEnd.
 * - Only follow-ups with visitDate in [supervisionStart, deadline] count; a follow-up linked to a
 *   different episode (episodeId) does not count for this one.
 * - People who never came to acknowledge their conditions are outside the target group: 'excluded'.
 */
import type { EpisodeDoc, FollowUpDoc } from './followup-schemas.ts';
import { CLASSIFICATION_LEVELS, type ClassificationLevel, type FollowUpMethod } from './options.ts';
import { addDays, assertIsoDate, daysBetween } from './calendar.ts';

export type SupervisionEpisode = Pick<
  EpisodeDoc,
  '_id' | 'personId' | 'supervisionStart' | 'supervisionEnd' | 'classificationLevel' | 'conditionsAcknowledged'
>;
export type CountableFollowUp = Pick<FollowUpDoc, 'personId' | 'episodeId' | 'visitDate' | 'method' | 'visitor' | 'abnormalSituation'>;

export type SupervisionStatus = 'met' | 'due' | 'overdue' | 'excluded' | 'unclassified' | 'not-on-supervision';

export interface BilingualText {
  th: string;
  en: string;
}

export interface SupervisionCounts {
  /** Visits (home / workplace / elsewhere) by a probation officer inside the window. */
  officerVisits: number;
  /** Visits by volunteers, the community justice network or community leaders inside the window. */
  otherVisits: number;
  /** Phone / letter / electronic follow-ups marked abnormalSituation inside the window. */
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
}

export const VISIT_METHODS: ReadonlySet<FollowUpMethod> = new Set(['home-visit', 'workplace-visit', 'other-visit']);
export const ELECTRONIC_METHODS: ReadonlySet<FollowUpMethod> = new Set(['phone', 'letter', 'electronic']);

/** The number of visits / electronic follow-ups each level requires (any one option suffices). */
export const SUPERVISION_STANDARD: Record<ClassificationLevel, { others: number; officer: number; anyone: number; electronic: number }> = {
  // `anyone`: visits by any visitor; Infinity = that option does not exist for the level.
  strict: { others: 3, officer: 1, anyone: Infinity, electronic: 2 },
  moderate: { others: 2, officer: 1, anyone: Infinity, electronic: 2 },
  lenient: { others: Infinity, officer: Infinity, anyone: 1, electronic: 1 }
};

const NO_COUNTS: SupervisionCounts = { officerVisits: 0, otherVisits: 0, electronicFallback: 0, outsideWindow: 0 };

/** Last day a follow-up counts for the standard, or undefined without a full supervision period. */
export function supervisionDeadline(episode: SupervisionEpisode): string | undefined {
  const { supervisionStart: start, supervisionEnd: end, classificationLevel: level } = episode;
  if (!start || !end) return undefined;
  if (level === 'strict') return addDays(start, Math.floor(daysBetween(start, end) / 2));
  return end;
}

/** Does this follow-up belong to the episode (same person, and not linked to another episode)? */
export function belongsToEpisode(f: CountableFollowUp, episode: Pick<EpisodeDoc, '_id' | 'personId'>): boolean {
  return f.personId === episode.personId && (f.episodeId === undefined || f.episodeId === episode._id);
}

export function countSupervisionFollowUps(followUps: readonly CountableFollowUp[], episode: SupervisionEpisode, from: string, to: string): SupervisionCounts {
  const counts = { ...NO_COUNTS };
  for (const f of followUps) {
    if (!belongsToEpisode(f, episode)) continue;
    if (f.visitDate < from || f.visitDate > to) {
      counts.outsideWindow++;
      continue;
    }
    if (VISIT_METHODS.has(f.method)) {
      if (f.visitor === 'probation-officer') counts.officerVisits++;
      else counts.otherVisits++;
    } else if (ELECTRONIC_METHODS.has(f.method) && f.abnormalSituation === true) {
      counts.electronicFallback++;
    }
  }
  return counts;
}

export function isStandardMet(level: ClassificationLevel, c: SupervisionCounts): boolean {
  const s = SUPERVISION_STANDARD[level];
  return (
    c.otherVisits >= s.others ||
    c.officerVisits >= s.officer ||
    c.otherVisits + c.officerVisits >= s.anyone ||
    c.electronicFallback >= s.electronic
  );
}

/** What is still needed, in words, for a level not yet met. */
export function describeNeed(level: ClassificationLevel, c: SupervisionCounts, abnormalSituation: boolean): BilingualText {
  const s = SUPERVISION_STANDARD[level];
  let th: string;
  let en: string;
  if (level === 'lenient') {
    th = 'เยี่ยมอีก 1 ครั้ง โดยอาสาสมัครคุมประพฤติ เครือข่ายยุติธรรมชุมชน ผู้นำชุมชน หรือพนักงานคุมประพฤติ';
    en = '1 more visit by a volunteer, the community justice network, a community leader or a probation officer';
  } else {
    const others = s.others - c.otherVisits;
    th = `อีก ${others} ครั้งโดยอาสาสมัคร/เครือข่ายยุติธรรมชุมชน/ผู้นำชุมชน หรือ ${s.officer} ครั้งโดยพนักงานคุมประพฤติ`;
    en = `${others} more visit${others === 1 ? '' : 's'} by volunteers / community network / leaders, or ${s.officer} by a probation officer`;
  }
  if (abnormalSituation) {
    const electronic = s.electronic - c.electronicFallback;
    th += ` (สถานการณ์ไม่ปกติ: หรือติดตามทางสื่ออิเล็กทรอนิกส์อีก ${electronic} ครั้ง)`;
    en += ` (abnormal situation: or ${electronic} more electronic follow-up${electronic === 1 ? '' : 's'})`;
  }
  if (level === 'strict') {
    th += ' ก่อนครึ่งหนึ่งของระยะเวลาคุมความประพฤติ';
    en += ', before half of the supervision period';
  }
  return { th, en };
}

/**
 * Evaluate the standard for one episode on a given day. `followUps` may hold the person's whole
 * history (other episodes' and other people's follow-ups are ignored).
 */
export function evaluateSupervision(episode: SupervisionEpisode, followUps: readonly CountableFollowUp[], on: string): SupervisionResult {
  assertIsoDate(on, 'the evaluation day');
  const { supervisionStart: start, supervisionEnd: end, classificationLevel: level } = episode;
  if (!start || !end)
    return { status: 'not-on-supervision', need: { th: 'ไม่อยู่ระหว่างคุมความประพฤติ', en: 'Not on supervision' }, counted: { ...NO_COUNTS } };
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
      need: { th: `ครบตามมาตรฐาน (${CLASSIFICATION_LEVELS.label(level, 'th')})`, en: `Standard met (${CLASSIFICATION_LEVELS.label(level, 'en')})` },
      counted
    };
  const abnormal = followUps.some((f) => f.abnormalSituation === true && belongsToEpisode(f, episode) && f.visitDate >= start && f.visitDate <= dueBy);
  return { status: on > dueBy ? 'overdue' : 'due', level, dueBy, need: describeNeed(level, counted, abnormal), counted };
}
