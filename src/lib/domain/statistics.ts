/**
 * Statistics of the follow-up system (กราฟสถิติ) supervisors look at, computed from the same
 * per-person records as the KPIs (kpi.ts KpiPersonRecord), month by month:
 * 1. people released, and on supervision at the end of the range;
 * 4. unemployed: people whose latest follow-up up to the end of the range says "no job";
 * 5. follow-up reports per month (comparison over time);
 * 9. follow-ups compared with the number released, per month.
 * Pure: no I/O. Months are ISO "YYYY-MM"; a range is at most MAX_STATISTICS_MONTHS long.
 */
import type { KpiPersonRecord } from './kpi.ts';

export const MAX_STATISTICS_MONTHS = 36;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface MonthRange {
  from: string;
  to: string;
}

export interface MonthlyStatistics {
  /** The months of the range, in order. */
  months: string[];
  released: number[];
  followUps: number[];
  /** Totals over the range / at its end. */
  totals: {
    released: number;
    followUps: number;
    onSupervisionAtEnd: number;
    unemployedAtEnd: number;
    peopleWithWorkInfo: number;
  };
}

/** The months from `from` to `to` inclusive; throws a RangeError naming the field otherwise. */
export function monthsOf(range: MonthRange): string[] {
  const a = MONTH.exec(range.from);
  const b = MONTH.exec(range.to);
  if (!a) throw new RangeError('from: เดือนแบบ YYYY-MM / from: a month as YYYY-MM');
  if (!b) throw new RangeError('to: เดือนแบบ YYYY-MM / to: a month as YYYY-MM');
  const start = Number(a[1]) * 12 + Number(a[2]) - 1;
  const end = Number(b[1]) * 12 + Number(b[2]) - 1;
  if (end < start) throw new RangeError('to: ต้องไม่ก่อน from / to: must not be before from');
  if (end - start + 1 > MAX_STATISTICS_MONTHS)
    throw new RangeError(`to: ช่วงไม่เกิน ${MAX_STATISTICS_MONTHS} เดือน / to: at most ${MAX_STATISTICS_MONTHS} months`);
  const months: string[] = [];
  for (let m = start; m <= end; m++)
    months.push(`${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`);
  return months;
}

/** Last day of a "YYYY-MM" month. */
function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}

export function monthlyStatistics(people: readonly KpiPersonRecord[], range: MonthRange): MonthlyStatistics {
  const months = monthsOf(range);
  const index = new Map(months.map((m, i) => [m, i]));
  const released = months.map(() => 0);
  const followUps = months.map(() => 0);
  const end = lastDay(months[months.length - 1]);
  let onSupervisionAtEnd = 0;
  let unemployedAtEnd = 0;
  let peopleWithWorkInfo = 0;
  for (const p of people) {
    for (const e of p.episodes) {
      const i = index.get(e.releaseDate.slice(0, 7));
      if (i !== undefined) released[i]++;
      if (e.supervisionStart && e.supervisionEnd && e.supervisionStart <= end && e.supervisionEnd >= end) onSupervisionAtEnd++;
    }
    let latest: KpiPersonRecord['followUps'][number] | undefined;
    for (const f of p.followUps) {
      const i = index.get(f.visitDate.slice(0, 7));
      if (i !== undefined) followUps[i]++;
      if (f.visitDate <= end && f.employed !== undefined && (!latest || f.visitDate > latest.visitDate)) latest = f;
    }
    if (latest) {
      peopleWithWorkInfo++;
      if (latest.employed === false) unemployedAtEnd++;
    }
  }
  const sum = (a: number[]) => a.reduce((n, x) => n + x, 0);
  return {
    months,
    released,
    followUps,
    totals: { released: sum(released), followUps: sum(followUps), onSupervisionAtEnd, unemployedAtEnd, peopleWithWorkInfo }
  };
}
