/**
 * The reporting service of one sync-server instance: a projection per unit (projection.ts),
 * caught up on request within a bounded wait and in the background, and the KPI results per unit
 * cached until that unit's projection changes. Regions sum the units' numerators and denominators.
 */
import type { Holidays } from '../../src/lib/domain/calendar.ts';
import {
  countsFrom,
  KPI_DEFINITIONS,
  KPI_FUNCTIONS,
  KPI_IDS,
  type KpiCounts,
  type KpiGroup,
  type KpiId,
  type KpiPeriod,
  type KpiResult
} from '../../src/lib/domain/kpi.ts';
import type { StoragePort } from '../storage/port.ts';
import { unitDatabaseName } from '../system-db.ts';
import { UnitProjection, type ProjectionState } from './projection.ts';

/** Longest a request waits for projections to catch up before answering with what it has. */
export const CATCH_UP_WAIT_MS = 1500;
/** How often units already asked about are caught up in the background. */
export const BACKGROUND_INTERVAL_MS = 2000;

export interface KpiQuery {
  fiscalYear: number;
  period: KpiPeriod;
}

/** A unit's KPIs without the rows (the drill-down fetches those). */
export interface UnitKpis {
  unitId: string;
  projection: ProjectionState;
  /** True when the catch-up did not reach the end of the feed in time: the numbers are older. */
  stale: boolean;
  kpis: Record<KpiId, KpiSummary>;
}

export type KpiSummary = Omit<KpiResult, 'rows' | 'definition'>;

interface CachedUnit {
  key: string;
  version: number;
  /** The holiday calendar the results were computed with (an edit recomputes them). */
  calendar: string;
  results: Record<KpiId, KpiResult>;
}

/** Report periods kept computed in the background (the most recently asked ones). */
export const MAX_WARM_QUERIES = 8;

export class ReportService {
  private readonly storage: StoragePort;
  private readonly holidays: () => Promise<Holidays>;
  private readonly projections = new Map<string, UnitProjection>();
  private readonly cache = new Map<string, CachedUnit>();
  /** Queries asked lately, most recent last: the background keeps their results current. */
  private readonly asked: KpiQuery[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  /** `holidays`: the calendar in force, read when the background recomputes. */
  constructor(storage: StoragePort, holidays: () => Promise<Holidays> = async () => new Set<string>()) {
    this.storage = storage;
    this.holidays = holidays;
  }

  projection(unitId: string): UnitProjection {
    let p = this.projections.get(unitId);
    if (!p) {
      p = new UnitProjection(unitId, this.storage.openDatabase(unitDatabaseName(unitId)));
      this.projections.set(unitId, p);
    }
    return p;
  }

  /** Catches the units up, waiting at most `waitMs`; answers which ones did not finish. */
  async catchUp(unitIds: readonly string[], waitMs = CATCH_UP_WAIT_MS): Promise<Set<string>> {
    const deadline = Date.now() + waitMs;
    const stale = new Set<string>();
    await Promise.all(
      unitIds.map(async (u) => {
        // A store that fails answers with the projection as it is, marked stale.
        const reading = this.projection(u)
          .catchUp(deadline)
          .catch(() => false);
        const timeout = new Promise<false>((resolve) =>
          setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())).unref()
        );
        if (!(await Promise.race([reading, timeout]))) stale.add(u);
      })
    );
    return stale;
  }

  /** Every KPI of one unit (cached until its projection changes). */
  unitResults(unitId: string, q: KpiQuery, holidays: Holidays): Record<KpiId, KpiResult> {
    this.remember(q);
    const p = this.projection(unitId);
    const key = `${unitId}|${q.fiscalYear}|${q.period}`;
    const version = p.state().version;
    const calendar = calendarFingerprint(holidays);
    const cached = this.cache.get(key);
    if (cached && cached.version === version && cached.calendar === calendar) return cached.results;
    const records = p.records();
    const results = Object.fromEntries(KPI_IDS.map((id) => [id, KPI_FUNCTIONS[id](records, { ...q, holidays })])) as Record<
      KpiId,
      KpiResult
    >;
    this.cache.set(key, { key, version, calendar, results });
    return results;
  }

  private remember(q: KpiQuery): void {
    const i = this.asked.findIndex((a) => a.fiscalYear === q.fiscalYear && a.period === q.period);
    if (i === this.asked.length - 1 && i >= 0) return;
    if (i >= 0) this.asked.splice(i, 1);
    this.asked.push({ fiscalYear: q.fiscalYear, period: q.period });
    if (this.asked.length > MAX_WARM_QUERIES) this.asked.shift();
  }

  /**
   * Starts catching up, every few seconds, the units asked about so far, and recomputing the
   * recently asked KPIs of the units that changed, so a page finds them ready.
   */
  startBackground(intervalMs = BACKGROUND_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(intervalMs), intervalMs);
    this.timer.unref();
  }

  private async tick(budgetMs: number): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const units = [...this.projections.keys()];
      await this.catchUp(units, budgetMs);
      if (this.asked.length === 0) return;
      const holidays = await this.holidays();
      for (const unitId of units)
        for (const q of [...this.asked]) {
          this.unitResults(unitId, q, holidays);
          // One unit at a time, so requests are served in between.
          await new Promise((resolve) => setImmediate(resolve));
        }
    } catch {
      // A store that fails now is caught up on the next tick or request.
    } finally {
      this.ticking = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export function summary(r: KpiResult): KpiSummary {
  const { rows: _rows, definition: _definition, ...rest } = r;
  return rest;
}

/** A region's KPI: the units' numerators and denominators summed, % and score recomputed. */
export function sumKpi(
  id: KpiId,
  parts: readonly KpiSummary[]
): KpiCounts & { excluded: number; groups?: Record<KpiGroup, KpiCounts> } {
  const { thresholds } = KPI_DEFINITIONS[id];
  const sum = (pick: (s: KpiSummary) => KpiCounts | undefined) => {
    let numerator = 0;
    let denominator = 0;
    for (const s of parts) {
      const c = pick(s);
      if (!c) continue;
      numerator += c.numerator;
      denominator += c.denominator;
    }
    return countsFrom(numerator, denominator, thresholds);
  };
  const total = { ...sum((s) => s), excluded: parts.reduce((n, s) => n + s.excluded, 0) };
  if (!KPI_DEFINITIONS[id].splitsElectronicMonitoring) return total;
  return {
    ...total,
    groups: {
      'electronic-monitoring': sum((s) => s.groups?.['electronic-monitoring']),
      'no-electronic-monitoring': sum((s) => s.groups?.['no-electronic-monitoring'])
    }
  };
}

const fingerprints = new WeakMap<object, string>();
/** The calendar's content as a string, computed once per calendar object. */
function calendarFingerprint(holidays: Holidays): string {
  let f = fingerprints.get(holidays);
  if (f === undefined) {
    f = JSON.stringify(holidays instanceof Set ? [...holidays] : holidays);
    fingerprints.set(holidays, f);
  }
  return f;
}
