/**
 * The field officer's caseload worklist, computed on the device: who is due or overdue, for what,
 * and by when. People whose standards are met (or who are excluded / unclassified / not on
 * supervision) do not appear.
 *
 * Rows come from three rules, one row per episode or non-compliance event still open:
 * - 'supervision'      (supervision.ts)      shown while today ≤ supervisionEnd; once the standard
 *   was missed on its date the row says so and stays until a visit is made after that date (the
 *   officer then did what can still be done; the missed standard stays in the person's history);
 * - 'post-supervision' (post-supervision.ts) shown from the day after supervision ends until the
 *   end of the fiscal year after the deadline (an overdue row stays one more year, then it is
 *   history: the KPI year is closed);
 * - 'non-compliance'   (non-compliance.ts)   shown until an action is recorded; a deadline counted
 *   in a fiscal year the holiday calendar does not cover carries `calendarWarning`.
 *
 * Buckets: 'overdue' (status overdue, dueBy before today), 'today' (dueBy = today), 'this-week'
 * (dueBy after today up to and including the coming Sunday; when today is a Sunday the week ends
 * today), 'later'. Rows are sorted by bucket, then dueBy, then name, then personId.
 *
 * Cost: follow-ups, episodes and non-compliance events are indexed by personId once, so the work
 * is linear in the size of the input (no person × follow-up scan).
 */
import type { EpisodeDoc } from './followup-schemas.ts';
import {
  assertIsoDate,
  endOfWeek,
  fiscalYearOf,
  fiscalYearRange,
  holidaySet,
  type CalendarWarning,
  type Holidays
} from './calendar.ts';
import { evaluateSupervision, type BilingualText, type CountableFollowUp, type SupervisionEpisode } from './supervision.ts';
import { evaluatePostSupervision } from './post-supervision.ts';
import { episodeOfEvent, evaluateNonCompliance, type NonComplianceEvent } from './non-compliance.ts';
import { CLASSIFICATION_LEVELS } from './options.ts';
import { resolvePersonId } from './duplicates.ts';

export type WorklistBucket = 'overdue' | 'today' | 'this-week' | 'later';
export type WorklistKind = 'supervision' | 'post-supervision' | 'non-compliance';

export interface WorklistPerson {
  id: string;
  name: string;
}

export type WorklistEpisode = SupervisionEpisode & Pick<EpisodeDoc, 'releaseType' | 'releaseDate'>;

export interface WorklistInput {
  persons: readonly WorklistPerson[];
  episodes: readonly WorklistEpisode[];
  followUps: readonly CountableFollowUp[];
  nonCompliance: readonly NonComplianceEvent[];
  today: string;
  holidays: Holidays;
  /**
   * Merged records (duplicates.ts `mergeRedirects`): retired person id → the record kept. A
   * retired record gets no rows of its own; its episodes, follow-ups and events count for the kept one.
   */
  redirects?: ReadonlyMap<string, string>;
}

export interface WorklistRow {
  personId: string;
  name: string;
  kind: WorklistKind;
  reason: BilingualText;
  dueBy: string;
  bucket: WorklistBucket;
  /** Rows of kind 'non-compliance': the event's id (when the input carried it), to open the event. */
  nonComplianceId?: string;
  /** The deadline was counted in working days the holiday calendar does not cover. */
  calendarWarning?: CalendarWarning;
}

const BUCKET_ORDER: Record<WorklistBucket, number> = { overdue: 0, today: 1, 'this-week': 2, later: 3 };

export function bucketFor(dueBy: string, today: string, weekEnd: string = endOfWeek(today)): WorklistBucket {
  if (dueBy < today) return 'overdue';
  if (dueBy === today) return 'today';
  if (dueBy <= weekEnd) return 'this-week';
  return 'later';
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

const NONE: never[] = [];
const NO_REDIRECTS: ReadonlyMap<string, string> = new Map();

export function buildWorklist(input: WorklistInput): WorklistRow[] {
  const { today } = input;
  assertIsoDate(today, 'today');
  const holidays = holidaySet(input.holidays);
  const weekEnd = endOfWeek(today);
  const redirects = input.redirects ?? NO_REDIRECTS;
  const owner = (personId: string) => resolvePersonId(personId, redirects);
  // With merges, an episode and its follow-ups may carry either record's id: count them under the
  // kept one (the rules compare person ids, so the copies carry the resolved id).
  const allFollowUps = redirects.size
    ? input.followUps.map((f) => (redirects.has(f.personId) ? { ...f, personId: owner(f.personId) } : f))
    : input.followUps;
  const allEpisodes = redirects.size
    ? input.episodes.map((e) => (redirects.has(e.personId) ? { ...e, personId: owner(e.personId) } : e))
    : input.episodes;
  const allEvents = redirects.size
    ? input.nonCompliance.map((n) => (redirects.has(n.personId) ? { ...n, personId: owner(n.personId) } : n))
    : input.nonCompliance;
  const followUpsByPerson = groupBy(allFollowUps, (f) => f.personId);
  const episodesByPerson = groupBy(allEpisodes, (e) => e.personId);
  const nonComplianceByPerson = groupBy(allEvents, (n) => n.personId);

  const rows: WorklistRow[] = [];
  const add = (
    person: WorklistPerson,
    kind: WorklistKind,
    reason: BilingualText,
    dueBy: string,
    overdue: boolean,
    extra: Pick<WorklistRow, 'nonComplianceId' | 'calendarWarning'> = {}
  ) =>
    rows.push({
      personId: person.id,
      name: person.name,
      kind,
      reason,
      dueBy,
      bucket: overdue ? 'overdue' : bucketFor(dueBy, today, weekEnd),
      ...(extra.nonComplianceId ? { nonComplianceId: extra.nonComplianceId } : {}),
      ...(extra.calendarWarning ? { calendarWarning: extra.calendarWarning } : {})
    });

  for (const person of input.persons) {
    if (redirects.has(person.id)) continue;
    const followUps = followUpsByPerson.get(person.id) ?? NONE;
    const episodes = episodesByPerson.get(person.id) ?? NONE;

    for (const episode of episodes) {
      if (episode.supervisionEnd && today <= episode.supervisionEnd) {
        const s = evaluateSupervision(episode, followUps, today);
        const stillToVisit = s.status === 'due' || (s.status === 'overdue' && s.lateVisits === 0);
        if (stillToVisit && s.dueBy && s.level) {
          const level = CLASSIFICATION_LEVELS.label(s.level, 'th');
          const levelEn = CLASSIFICATION_LEVELS.label(s.level, 'en');
          add(
            person,
            'supervision',
            { th: `สอดส่องตามมาตรฐาน (${level}): ${s.need.th}`, en: `Supervision visits (${levelEn}): ${s.need.en}` },
            s.dueBy,
            s.status === 'overdue'
          );
        }
      }
      const p = evaluatePostSupervision(episode, followUps, today);
      if ((p.status === 'due' || p.status === 'overdue') && p.dueBy && p.endedInFiscalYear !== undefined) {
        const visibleUntil = fiscalYearRange(fiscalYearOf(p.dueBy) + 1).end;
        if (today <= visibleUntil) add(person, 'post-supervision', p.need, p.dueBy, p.status === 'overdue');
      }
    }

    for (const event of nonComplianceByPerson.get(person.id) ?? NONE) {
      const n = evaluateNonCompliance(event, episodeOfEvent(event, episodes), today, holidays);
      if (n.status === 'due' || n.status === 'overdue')
        add(person, 'non-compliance', n.need, n.deadline, n.status === 'overdue', {
          nonComplianceId: event._id,
          calendarWarning: n.calendarWarning
        });
    }
  }

  return rows.sort(compareWorklistRows);
}

/** The worklist's order: bucket, then dueBy, then name, then personId (a list updated person by person keeps it). */
export function compareWorklistRows(a: WorklistRow, b: WorklistRow): number {
  return (
    BUCKET_ORDER[a.bucket] - BUCKET_ORDER[b.bucket] ||
    (a.dueBy < b.dueBy ? -1 : a.dueBy > b.dueBy ? 1 : 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0)
  );
}

/** Row counts per bucket, for the worklist header. */
export function countByBucket(rows: readonly WorklistRow[]): Record<WorklistBucket, number> {
  const counts: Record<WorklistBucket, number> = { overdue: 0, today: 0, 'this-week': 0, later: 0 };
  for (const r of rows) counts[r.bucket]++;
  return counts;
}
