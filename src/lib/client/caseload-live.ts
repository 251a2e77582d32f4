/**
 * The caseload worklist of one unit kept in memory and recomputed only for the people a change
 * touched. Recomputing the whole unit after every save read every projection row of it (5,000
 * people: about 300 ms on a throttled tablet); one saved visit concerns one person.
 *
 * Changes are learnt from Dexie's `storagemutated` event (fired for this tab's writes and, through
 * Dexie's cross-tab channel, for other tabs' writes): the person ids of the rows written are in it.
 * Whatever cannot be narrowed to a few people — a sync batch (Dexie then reports whole ranges), a
 * deleted work row, a merge, a new holiday calendar — recomputes everything, as before.
 */
import Dexie, { cmp, type IntervalTree, type ObservabilitySet, type Table } from 'dexie';
import { buildWorklist, compareWorklistRows, type WorklistRow } from '../domain/worklist.ts';
import { officialHolidays, type HolidayCalendar } from '../domain/holidays-th.ts';
import { computeCaseload, HOLIDAYS_KEY, worklistInput } from './caseload.ts';
import { localDb, type LocalDb, type PersonRow } from './local-db.ts';
import type { EpisodeProjection, FollowUpProjection, NonComplianceProjection } from './projection.ts';

/** A worklist row with the area of the person's address (village, sub-district, district). */
export interface CaseloadRow extends WorklistRow {
  area: string;
}

/** More people than this in one change: recomputing everything is as cheap and simpler. */
const MOST_PEOPLE_AT_ONCE = 50;

/** The person-keyed parts of the projection: table → the index holding the person id ('' = primary key). */
const PERSON_PARTS: Record<string, string> = {
  people: '',
  episodes: 'personId',
  followups: 'personId',
  noncompliance: 'personId'
};

/**
 * The people a change concerns: a set of person ids, 'all' when it cannot be narrowed down, or
 * null when it does not concern the worklist.
 */
export function peopleTouched(parts: ObservabilitySet, dbName: string): Set<string> | 'all' | null {
  // Dexie's "everything may have changed" (e.g. a page restored from the back-forward cache).
  if ('all' in parts) return 'all';
  const touched = new Set<string>();
  let relevant = false;
  for (const [table, index] of Object.entries(PERSON_PARTS)) {
    const part = parts[`idb://${dbName}/${table}/${index}`];
    if (part && !collectKeys(part, touched)) return 'all';
    const named = !!part && 'from' in part;
    if (named) relevant = true;
    // A deleted work row does not say whose it was (its primary key is the record id). Dexie also
    // lists a row it wrote without knowing the old one as possibly deleted, but then names its
    // person (a work row never changes person).
    const dels = parts[`idb://${dbName}/${table}/:dels`];
    if (table !== 'people' && dels && 'from' in dels && !named) return 'all';
    // Changed in place (Dexie's update/modify names the row, not its unchanged person): the
    // projection never does that, so it is rare enough to recompute everyone.
    const rows = parts[`idb://${dbName}/${table}/`];
    if (table !== 'people' && rows && 'from' in rows && !named) return 'all';
  }
  const settings = parts[`idb://${dbName}/settings/`];
  if (settings && holdsKey(settings, HOLIDAYS_KEY)) return 'all';
  if (touched.size > MOST_PEOPLE_AT_ONCE) return 'all';
  return relevant ? touched : null;
}

/** Adds the single keys of an interval tree to `into`; false when it holds a range (not single keys). */
function collectKeys(node: IntervalTree | null | undefined, into: Set<string>): boolean {
  if (!node || !('from' in node)) return true;
  if (typeof node.from !== 'string' || node.from !== node.to) return false;
  into.add(node.from);
  return collectKeys(node.l, into) && collectKeys(node.r, into);
}

function holdsKey(node: IntervalTree | null | undefined, key: string): boolean {
  if (!node || !('from' in node)) return false;
  if (cmp(node.from, key) <= 0 && cmp(key, node.to) <= 0) return true;
  return holdsKey(node.l, key) || holdsKey(node.r, key);
}

export class CaseloadWorklist {
  private list: CaseloadRow[] = [];
  /** Merged records (retired id → kept id) as of the last full computation. */
  private redirects: ReadonlyMap<string, string> = new Map();
  private areas = new Map<string, string>();
  /** The calendar of the last full computation: a new one recomputes everyone (peopleTouched). */
  private holidays: ReadonlySet<string> | HolidayCalendar = officialHolidays;

  constructor(
    private readonly db: LocalDb,
    readonly unitId: string,
    readonly today: string
  ) {}

  get rows(): readonly CaseloadRow[] {
    return this.list;
  }

  /** Every person of the unit. */
  async computeAll(): Promise<readonly CaseloadRow[]> {
    const people = await this.db.people.where('unitId').equals(this.unitId).toArray();
    const { rows, redirects, holidays } = await computeCaseload(this.unitId, this.today, this.db, people);
    this.redirects = redirects;
    this.holidays = holidays;
    this.areas = new Map(people.map((p) => [p.id, p.area ?? '']));
    this.list = rows.map((r) => this.withArea(r));
    return this.list;
  }

  /** Only these people: their rows are recomputed and put back in order; false when everything had to be. */
  async recompute(personIds: ReadonlySet<string>): Promise<boolean> {
    const ids = [...personIds];
    const byPerson = async <T extends { unitId: string }>(table: Table<T, string>): Promise<T[]> =>
      (await table.where('personId').anyOf(ids).toArray()).filter((r) => r.unitId === this.unitId);
    // One read transaction for the four tables: a consistent view, and one IndexedDB round trip.
    const db = this.db;
    const [found, episodes, followUps, nonCompliance] = await db.transaction(
      'r',
      [db.people, db.episodes, db.followups, db.noncompliance],
      () =>
        Promise.all([
          this.db.people.bulkGet(ids),
          byPerson(this.db.episodes as unknown as Table<EpisodeProjection, string>),
          byPerson(this.db.followups as unknown as Table<FollowUpProjection, string>),
          byPerson(this.db.noncompliance as unknown as Table<NonComplianceProjection, string>)
        ])
    );
    const people = found.filter((p): p is PersonRow => !!p && p.unitId === this.unitId);
    // A merged record moves work between people: only a computation of everyone gets that right.
    const merging = (id: string) => this.redirects.has(id) || [...this.redirects.values()].includes(id);
    if (people.some((p) => p.mergedInto) || ids.some(merging)) {
      await this.computeAll();
      return false;
    }
    for (const p of people) this.areas.set(p.id, p.area ?? '');
    const fresh = buildWorklist(worklistInput(people, episodes, followUps, nonCompliance, this.today, this.holidays)).map((r) =>
      this.withArea(r)
    );
    const kept = this.list.filter((r) => !personIds.has(r.personId));
    this.list = mergeSorted(kept, fresh);
    return true;
  }

  private withArea(r: WorklistRow): CaseloadRow {
    return { ...r, area: this.areas.get(r.personId) ?? '' };
  }
}

/** Two lists in worklist order merged into one (the second is short: one person's rows). */
function mergeSorted(long: CaseloadRow[], short: CaseloadRow[]): CaseloadRow[] {
  if (short.length === 0) return long;
  const out = long.slice();
  for (const row of short.sort(compareWorklistRows)) {
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWorklistRows(out[mid], row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, row);
  }
  return out;
}

/**
 * Follows the unit's worklist: `onRows` gets the whole list first, then after each change that
 * concerns it. Changes arriving while a computation runs are gathered into the next one.
 */
export function followWorklist(
  unitId: string,
  today: string,
  onRows: (rows: readonly CaseloadRow[]) => void,
  onError: (e: unknown) => void,
  db: LocalDb = localDb
): () => void {
  const worklist = new CaseloadWorklist(db, unitId, today);
  let stopped = false;
  let pending: Set<string> | 'all' | null = 'all';
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      while (pending && !stopped) {
        const next = pending;
        pending = null;
        if (next === 'all') await worklist.computeAll();
        else await worklist.recompute(next);
        if (!stopped) onRows(worklist.rows);
      }
    } catch (e) {
      onError(e);
    } finally {
      running = false;
    }
  };
  const onChange = (parts: ObservabilitySet) => {
    const touched = peopleTouched(parts, db.name);
    if (!touched) return;
    if (touched === 'all' || pending === 'all') pending = 'all';
    else pending = new Set([...(pending ?? []), ...touched]);
    void run();
  };
  Dexie.on('storagemutated', onChange);
  void run();
  return () => {
    stopped = true;
    Dexie.on.storagemutated.unsubscribe(onChange);
  };
}
