/**
 * The reporting service of one sync-server instance: a projection per unit (projection.ts),
 * caught up on request within a bounded wait and in the background, and the KPI results per unit
 * cached until that unit's projection changes. Regions sum the units' numerators and denominators.
 */
import type { Holidays } from '../../src/lib/domain/calendar.ts';
import { countsFrom, KPI_DEFINITIONS, KPI_FUNCTIONS, KPI_IDS, type KpiCounts, type KpiGroup, type KpiId, type KpiPeriod, type KpiResult } from '../../src/lib/domain/kpi.ts';
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
  results: Record<KpiId, KpiResult>;
}

export class ReportService {
  private readonly storage: StoragePort;
  private readonly projections = new Map<string, UnitProjection>();
  private readonly cache = new Map<string, CachedUnit>();
  private timer: NodeJS.Timeout | null = null;

  constructor(storage: StoragePort) {
    this.storage = storage;
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
        const reading = this.projection(u).catchUp(deadline).catch(() => false);
        const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())).unref());
        if (!(await Promise.race([reading, timeout]))) stale.add(u);
      })
    );
    return stale;
  }

  /** Every KPI of one unit (cached until its projection changes). */
  unitResults(unitId: string, q: KpiQuery, holidays: Holidays): Record<KpiId, KpiResult> {
    const p = this.projection(unitId);
    const key = `${unitId}|${q.fiscalYear}|${q.period}`;
    const version = p.state().version;
    const cached = this.cache.get(key);
    if (cached && cached.version === version && cached.key === key) return cached.results;
    const records = p.records();
    const results = Object.fromEntries(KPI_IDS.map((id) => [id, KPI_FUNCTIONS[id](records, { ...q, holidays })])) as Record<KpiId, KpiResult>;
    this.cache.set(key, { key, version, results });
    return results;
  }

  /** Starts catching up, every few seconds, the units asked about so far. */
  startBackground(intervalMs = BACKGROUND_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      for (const p of this.projections.values()) p.catchUp(Date.now() + intervalMs).catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
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
export function sumKpi(id: KpiId, parts: readonly KpiSummary[]): KpiCounts & { excluded: number; groups?: Record<KpiGroup, KpiCounts> } {
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
