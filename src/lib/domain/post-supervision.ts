/**
 * Follow-up of people past supervision (docs/domain/follow-up.md; the Department of Probation's
 * FY2565 KPI 8): everyone
 * whose supervision ended in fiscal year N must be followed up at least once in fiscal year N+1.
 *
 * What counts (inside FY N+1 only):
 * - by a probation officer: any method — letter, phone, electronic media, or a visit;
 * - by a volunteer, the community justice network or a community leader: a visit only. An
 *   experienced partner (ภาคีเครือข่าย) is read as part of "เครือข่าย" here: a visit only.
 *
 * Conventions: "ended in FY N" uses supervisionEnd (the last day of supervision). While the person
 * is still on supervision the rule does not apply ('not-applicable'). After supervision ended but
 * before FY N+1 starts the result is 'due' with `windowStart` in the future: a follow-up made
 * then does not count yet. The deadline is the last day of FY N+1.
 */
import type { EpisodeDoc } from './followup-schemas.ts';
import { assertIsoDate, fiscalYearOf, fiscalYearRange } from './calendar.ts';
import { type BilingualText, type CountableFollowUp, VISIT_METHODS, belongsToEpisode } from './supervision.ts';

export type PostSupervisionEpisode = Pick<EpisodeDoc, '_id' | 'personId' | 'supervisionEnd'>;
export type PostSupervisionStatus = 'met' | 'due' | 'overdue' | 'not-applicable';

export interface PostSupervisionResult {
  status: PostSupervisionStatus;
  /** Fiscal year (Buddhist Era) in which supervision ended. */
  endedInFiscalYear?: number;
  /** First and last day a follow-up counts (FY N+1). */
  windowStart?: string;
  dueBy?: string;
  /** Counting follow-ups inside the window. */
  counted: number;
  need: BilingualText;
}

/** Does this follow-up count as a post-supervision follow-up (ignoring its date)? */
export function countsAsPostSupervisionFollowUp(f: Pick<CountableFollowUp, 'method' | 'visitor'>): boolean {
  return f.visitor === 'probation-officer' || VISIT_METHODS.has(f.method);
}

export function evaluatePostSupervision(
  episode: PostSupervisionEpisode,
  followUps: readonly CountableFollowUp[],
  on: string
): PostSupervisionResult {
  assertIsoDate(on, 'the evaluation day');
  const end = episode.supervisionEnd;
  if (!end || on <= end)
    return {
      status: 'not-applicable',
      counted: 0,
      need: { th: 'ยังไม่พ้นการคุมความประพฤติ', en: 'Supervision has not ended' }
    };
  const endedInFiscalYear = fiscalYearOf(end);
  const { start: windowStart, end: dueBy } = fiscalYearRange(endedInFiscalYear + 1);
  let counted = 0;
  for (const f of followUps)
    if (belongsToEpisode(f, episode) && f.visitDate >= windowStart && f.visitDate <= dueBy && countsAsPostSupervisionFollowUp(f))
      counted++;
  const base = { endedInFiscalYear, windowStart, dueBy, counted };
  if (counted > 0)
    return { ...base, status: 'met', need: { th: 'ติดตามผู้พ้นการคุมความประพฤติแล้ว', en: 'Followed up after supervision' } };
  return {
    ...base,
    status: on > dueBy ? 'overdue' : 'due',
    need: {
      th: `ติดตามผู้พ้นการคุมความประพฤติอย่างน้อย 1 ครั้งในปีงบประมาณ ${endedInFiscalYear + 1} (พนักงานคุมประพฤติ: จดหมาย โทรศัพท์ สื่ออิเล็กทรอนิกส์ หรือเยี่ยม; อาสาสมัคร/เครือข่าย/ผู้นำชุมชน: เยี่ยม)`,
      en: `Follow up at least once in FY${endedInFiscalYear + 1} (officer: letter, phone, electronic media or a visit; volunteer / network / leader: a visit)`
    }
  };
}
