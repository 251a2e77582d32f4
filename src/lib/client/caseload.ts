/**
 * The caseload worklist on the device: reads the Dexie projection (people, episodes, follow-ups,
 * non-compliance) and runs the shared worklist rules. Run inside liveQuery, so a report saved on
 * this tablet or synced in from another re-computes the list at once. No network needed.
 *
 * Holidays (for working-day deadlines): the server's calendar (administrators edit it) is fetched
 * when online and cached in Dexie settings; without it the calendar shipped with the app is used.
 */
import { buildWorklist, type WorklistEpisode, type WorklistRow } from '../domain/worklist.ts';
import { mergeRedirects } from '../domain/duplicates.ts';
import type { CountableFollowUp } from '../domain/supervision.ts';
import type { NonComplianceEvent } from '../domain/non-compliance.ts';
import { officialHolidays, type HolidayCalendar } from '../domain/holidays-th.ts';
import { isIsoDate } from '../domain/dates.ts';
import { deviceFetch } from './device.ts';
import { getSetting, localDb, setSetting } from './local-db.ts';
import type { EpisodeProjection, FollowUpProjection, NonComplianceProjection } from './projection.ts';

const HOLIDAYS_KEY = 'holidays';

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

export async function currentHolidays(): Promise<ReadonlySet<string> | HolidayCalendar> {
  const cached = await getSetting<CachedHolidays>(HOLIDAYS_KEY);
  return cached?.dates ? new Set(cached.dates) : officialHolidays;
}

/** The unit's worklist for `today` (ISO date), from the projection. Call inside liveQuery. */
export async function caseloadWorklist(unitId: string, today: string): Promise<WorklistRow[]> {
  const [people, episodes, followUps, nonCompliance, holidays] = await Promise.all([
    localDb.people.where('unitId').equals(unitId).toArray(),
    localDb.episodes
      .where('unitId')
      .equals(unitId)
      .toArray()
      .then((r) => r as EpisodeProjection[]),
    localDb.followups
      .where('unitId')
      .equals(unitId)
      .toArray()
      .then((r) => r as FollowUpProjection[]),
    localDb.noncompliance
      .where('unitId')
      .equals(unitId)
      .toArray()
      .then((r) => r as NonComplianceProjection[]),
    currentHolidays()
  ]);
  return buildWorklist({
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
  });
}
