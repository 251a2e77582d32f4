/**
 * The statistics of the follow-up system (กราฟสถิติ 1–9), read from the sync-server: the numbers
 * per unit, the workplace map's points, and the list of released people behind a number.
 */
import type { BilingualText } from '../domain/supervision.ts';
import type { MonthlyStatistics } from '../domain/statistics.ts';
import type { AgencyStatistic, AreaStatistic, MapPoint, PersonRow, UnitCounts } from '../domain/statistics-people.ts';
import { getJson, qs, type ProjectionState } from './reports.ts';

export interface MapSettings {
  /** A raster tile template ({z}/{x}/{y}); null: Thailand's packaged outline only. */
  tileUrl: string | null;
  attribution: string;
}

interface UnitState {
  unitId: string;
  name: BilingualText;
  stale: boolean;
  projection: ProjectionState;
}

export interface StatisticsAnswer {
  from: string;
  to: string;
  agencyNames: Record<string, BilingualText>;
  map: MapSettings;
  units: Array<
    UnitState & {
      people: number;
      statistics: MonthlyStatistics;
      counts: UnitCounts;
      agencies: AgencyStatistic[];
      areas: { people: number; areas: AreaStatistic[] };
    }
  >;
}

export interface WorkplacesAnswer {
  from: string;
  to: string;
  map: MapSettings;
  /** Points in the range; at most a capped number are sent (`points.length` ≤ total). */
  total: number;
  units: UnitState[];
  points: Array<MapPoint & { name: string; prisonerId: string }>;
}

export interface PeopleFilter {
  from: string;
  to: string;
  unit?: string;
  agency?: string;
  capital?: '1';
  province?: string;
  district?: string;
}

export interface ReleasedPage {
  total: number;
  offset: number;
  units: UnitState[];
  rows: Array<PersonRow & { name: string; prisonerId: string }>;
}

export const statistics = (from: string, to: string) => getJson<StatisticsAnswer>(`/api/reports/statistics?${qs({ from, to })}`);

export const workplaces = (from: string, to: string, unit = 'all') =>
  getJson<WorkplacesAnswer>(`/api/reports/statistics/workplaces?${qs({ from, to, unit })}`);

export const releasedPeople = (f: PeopleFilter, offset = 0, limit = 100) =>
  getJson<ReleasedPage>(`/api/reports/statistics/people?${qs({ ...f, offset, limit })}`);

export const releasedExportUrl = (f: PeopleFilter, format: 'xlsx' | 'csv') =>
  `/api/reports/statistics/people/export?${qs({ ...f, format })}`;

/** The screen of the people behind a number (statistic 7 with the filter). */
export const peopleScreenUrl = (f: PeopleFilter) =>
  `/reports/statistics/people?${qs({ ...f } as Record<string, string | undefined>)}`;
