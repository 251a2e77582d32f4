/**
 * The caseload worklist on the device: reads the Dexie projection (people, episodes, follow-ups,
 * non-compliance) and runs the shared worklist rules. Run inside liveQuery, so a report saved on
 * this tablet or synced in from another re-computes the list at once. No network needed.
 *
 * Holidays (for working-day deadlines): the server's calendar (administrators edit it) is fetched
 * when online and cached in Dexie settings; without it the calendar shipped with the app is used.
 */
import type { Table } from 'dexie';
import { buildWorklist, type WorklistEpisode, type WorklistInput, type WorklistRow } from '../domain/worklist.ts';
import { mergeRedirects } from '../domain/duplicates.ts';
import type { CountableFollowUp } from '../domain/supervision.ts';
import type { NonComplianceEvent } from '../domain/non-compliance.ts';
import { officialHolidays, type HolidayCalendar } from '../domain/holidays-th.ts';
import { isIsoDate } from '../domain/dates.ts';
import { deviceFetch } from './device.ts';
import { localDb, setSetting, type LocalDb, type PersonRow } from './local-db.ts';
import type { EpisodeProjection, FollowUpProjection, NonComplianceProjection } from './projection.ts';

/** The settings key of the cached calendar (a write to it recomputes the worklist). */
export const HOLIDAYS_KEY = 'holidays';

interface CachedHolidays {
  fetchedAt: string;
  dates: string[];
}

/** Accepts the calendar as a list of `{date}` entries or of ISO dates, alone or under `holidays`. */
export function holidayDatesFrom(body: unknown): string[] | null {
  const list = Array.isArray(body)
    ? body
    : Array.isArray((body as { holidays?: unknown })?.holidays)
      ? (body as { holidays: unknown[] }).holidays
      : null;
  if (!list) return null;
  const dates = list.map((h) => (typeof h === 'string' ? h : (h as { date?: unknown })?.date));
  // All or nothing: a calendar with one unreadable entry is not half-used. An empty calendar is
  // a valid answer (an administrator removed every day) and is used as such.
  return dates.every((d): d is string => typeof d === 'string' && isIsoDate(d)) ? dates : null;
}

/** Fetches GET /api/holidays when online and caches it; failures keep the cached or shipped calendar. */
export async function refreshHolidays(): Promise<void> {
  if (typeof navigator !== 'undefined' && !navigator.onLine) return;
  try {
    const res = await deviceFetch('/api/holidays', { credentials: 'same-origin' });
    if (!res.ok) return;
    const dates = holidayDatesFrom(await res.json());
    if (dates) await setSetting(HOLIDAYS_KEY, { fetchedAt: new Date().toISOString(), dates } satisfies CachedHolidays);
  } catch {
    /* offline or server without the endpoint: the cached or shipped calendar stands */
  }
}

export async function currentHolidays(db: LocalDb = localDb): Promise<ReadonlySet<string> | HolidayCalendar> {
  const cached = await db.settings.get(HOLIDAYS_KEY);
  const dates = (cached?.value as CachedHolidays | undefined)?.dates;
  return dates ? new Set(dates) : officialHolidays;
}

/** The unit's worklist for `today` (ISO date), from the projection. Call inside liveQuery. */
export async function caseloadWorklist(unitId: string, today: string): Promise<WorklistRow[]> {
  return (await computeCaseload(unitId, today)).rows;
}

/**
 * The worklist of every person of the unit, the merged records it followed (retired id → kept
 * id) and the holiday calendar it counted with. `people` when the caller has read them already.
 */
export async function computeCaseload(
  unitId: string,
  today: string,
  db: LocalDb = localDb,
  people?: PersonRow[]
): Promise<{ rows: WorklistRow[]; redirects: ReadonlyMap<string, string>; holidays: ReadonlySet<string> | HolidayCalendar }> {
  const ofUnit = async <T>(table: Table<T, string>): Promise<T[]> => table.where('unitId').equals(unitId).toArray();
  const [persons, episodes, followUps, nonCompliance, holidays] = await Promise.all([
    people ?? ofUnit(db.people as unknown as Table<PersonRow, string>),
    ofUnit(db.episodes as unknown as Table<EpisodeProjection, string>),
    ofUnit(db.followups as unknown as Table<FollowUpProjection, string>),
    ofUnit(db.noncompliance as unknown as Table<NonComplianceProjection, string>),
    currentHolidays(db)
  ]);
  const input = worklistInput(persons, episodes, followUps, nonCompliance, today, holidays);
  return { rows: buildWorklist(input), redirects: input.redirects!, holidays };
}

/** The shared worklist rules' input from projection rows. */
export function worklistInput(
  people: PersonRow[],
  episodes: EpisodeProjection[],
  followUps: FollowUpProjection[],
  nonCompliance: NonComplianceProjection[],
  today: string,
  holidays: ReadonlySet<string> | HolidayCalendar
): WorklistInput {
  return {
    persons: people.map((p) => ({ id: p.id, name: p.name })),
    // Merged records: their episodes, visits and events count under the record kept.
    redirects: mergeRedirects(people.map((p) => ({ _id: p.id, mergedInto: p.mergedInto }))),
    episodes: episodes.map((e): WorklistEpisode => ({
      _id: e.id,
      personId: e.personId,
      releaseType: e.releaseType,
      releaseDate: e.releaseDate,
      supervisionStart: e.supervisionStart,
      supervisionEnd: e.supervisionEnd,
      classificationLevel: e.classificationLevel as WorklistEpisode['classificationLevel'],
      conditionsAcknowledged: e.conditionsAcknowledged
    })),
    followUps: followUps.map((f): CountableFollowUp => ({
      personId: f.personId,
      episodeId: f.episodeId,
      visitDate: f.visitDate,
      method: f.method as CountableFollowUp['method'],
      visitor: f.visitor as CountableFollowUp['visitor'],
      abnormalSituation: f.abnormalSituation
    })),
    nonCompliance: nonCompliance.map((n): NonComplianceEvent => ({
      _id: n.id,
      personId: n.personId,
      episodeId: n.episodeId,
      kind: n.kind as NonComplianceEvent['kind'],
      occurredOn: n.occurredOn,
      acknowledgeBy: n.acknowledgeBy,
      actions: n.actions
    })),
    today,
    holidays
  };
}
