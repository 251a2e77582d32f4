/**
 * Statistics 2, 3, 6, 7 and 8 of the follow-up system (กราฟสถิติ, the menu of the old CARE
 * Support system) over a range of months, from the per-person facts of statistics-sources.ts:
 * 2. agencies that helped or gave capital for an occupation (รายงานหน่วยงานให้ความช่วยเหลือ/ให้ทุนประกอบอาชีพ);
 * 3. addresses by area (รายงานที่อยู่ตามพื้นที่): people released in the range by province and district;
 * 6. workplace locations (รายงานแสดงที่ตั้งสถานที่ทำงาน): each person's latest located workplace;
 * 7. the list of released people (รายงานแสดงรายชื่อผู้พ้นโทษ/ผู้ถูกคุมประพฤติ), also the people behind 2 and 3;
 * 8. counts by unit (รายงานจำนวนแยกตามหน่วยงาน): "หน่วยงาน" read as the unit (prison / probation
 *    office) the people belong to, as the reports call a unit; the partner agencies are statistic 2.
 * Pure: no I/O.
 */
import { monthsOf, type MonthRange } from './statistics.ts';
import type { AgencyHelp, HelpOutcome, PersonArea, StatisticsPerson, WorkplacePoint } from './statistics-sources.ts';

/** The area value of people whose address names no province / district (a query parameter too). */
export const NO_AREA = '-';

export interface DayRange {
  start: string;
  end: string;
}

/** First and last day of a month range (validated as monthsOf does). */
export function dayRange(range: MonthRange): DayRange {
  const months = monthsOf(range);
  const last = months[months.length - 1];
  const [y, m] = last.split('-').map(Number);
  return { start: `${months[0]}-01`, end: `${last}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}` };
}

const within = (day: string, r: DayRange) => day >= r.start && day <= r.end;

export interface AgencyStatistic {
  agencyId: string;
  /** People with help given by the agency in the range. */
  helped: number;
  /** Of them, people given capital for an occupation. */
  capital: number;
  /** Baht paid in the range. */
  paid: number;
  /** Records (referrals, visits, requests) that reached each outcome in the range. */
  records: Record<HelpOutcome, number>;
}

const helpedBy = (h: AgencyHelp, agencyId: string, r: DayRange) =>
  h.agencyId === agencyId && h.outcome === 'helped' && within(h.on, r);

/** Statistic 2: per agency, most people helped first. */
export function agencyStatistics(people: readonly StatisticsPerson[], range: MonthRange): AgencyStatistic[] {
  const r = dayRange(range);
  const byAgency = new Map<string, AgencyStatistic & { helpedIds: Set<string>; capitalIds: Set<string> }>();
  for (const p of people)
    for (const h of p.help) {
      if (!within(h.on, r)) continue;
      let a = byAgency.get(h.agencyId);
      if (!a) {
        a = {
          agencyId: h.agencyId,
          helped: 0,
          capital: 0,
          paid: 0,
          records: { helped: 0, 'in-progress': 0, 'not-helped': 0 },
          helpedIds: new Set(),
          capitalIds: new Set()
        };
        byAgency.set(h.agencyId, a);
      }
      a.records[h.outcome]++;
      a.paid += h.paid;
      if (h.outcome === 'helped') {
        a.helpedIds.add(p.personId);
        if (h.capital) a.capitalIds.add(p.personId);
      }
    }
  return [...byAgency.values()]
    .map(({ helpedIds, capitalIds, ...a }) => ({ ...a, helped: helpedIds.size, capital: capitalIds.size }))
    .sort((a, b) => b.helped - a.helped || a.agencyId.localeCompare(b.agencyId));
}

/** The person released in the range (any of their episodes). */
const releasedIn = (p: StatisticsPerson, r: DayRange) => p.episodes.some((e) => within(e.releaseDate, r));

export interface AreaStatistic {
  province: string;
  people: number;
  districts: Array<{ district: string; people: number }>;
}

/** Statistic 3: people released in the range by the province and district of their current address. */
export function addressesByArea(
  people: readonly StatisticsPerson[],
  range: MonthRange
): { people: number; areas: AreaStatistic[] } {
  const r = dayRange(range);
  const provinces = new Map<string, Map<string, number>>();
  let total = 0;
  for (const p of people) {
    if (!releasedIn(p, r)) continue;
    total++;
    const province = p.area?.province ?? NO_AREA;
    const district = p.area?.district ?? NO_AREA;
    const districts = provinces.get(province) ?? new Map<string, number>();
    districts.set(district, (districts.get(district) ?? 0) + 1);
    provinces.set(province, districts);
  }
  const areas = [...provinces].map(([province, districts]) => ({
    province,
    people: [...districts.values()].reduce((n, x) => n + x, 0),
    districts: [...districts]
      .map(([district, n]) => ({ district, people: n }))
      .sort((a, b) => b.people - a.people || a.district.localeCompare(b.district))
  }));
  // Known areas by size; "not recorded" last.
  areas.sort(
    (a, b) =>
      Number(a.province === NO_AREA) - Number(b.province === NO_AREA) ||
      b.people - a.people ||
      a.province.localeCompare(b.province)
  );
  return { people: total, areas };
}

export interface MapPoint extends WorkplacePoint {
  personId: string;
  unitId: string;
}

/** Statistic 6: each person's latest workplace location recorded by a follow-up in the range. */
export function workplaceMap(people: readonly StatisticsPerson[], range: MonthRange): MapPoint[] {
  const r = dayRange(range);
  const points: MapPoint[] = [];
  for (const p of people) {
    let latest: WorkplacePoint | undefined;
    for (const w of p.workplaces) if (within(w.on, r) && (!latest || w.on > latest.on)) latest = w;
    if (latest) points.push({ ...latest, personId: p.personId, unitId: p.unitId });
  }
  return points;
}

export interface PersonRow {
  personId: string;
  unitId: string;
  episodeId?: string;
  releaseDate?: string;
  releaseType?: string;
  supervisionStart?: string;
  supervisionEnd?: string;
  area?: PersonArea;
}

export interface PeopleFilter {
  /** Only people helped by this agency in the range (statistic 2's drill-down). */
  agency?: string;
  /** With `agency`: only those given capital for an occupation. */
  capital?: boolean;
  /** Province / district of the current address; NO_AREA for "not recorded". */
  province?: string;
  district?: string;
}

const areaMatches = (area: PersonArea | undefined, f: PeopleFilter) =>
  (f.province === undefined || (area?.province ?? NO_AREA) === f.province) &&
  (f.district === undefined || (area?.district ?? NO_AREA) === f.district);

/**
 * Statistic 7, and the people behind statistics 2 and 3: one row per release in the range (newest
 * first); with `agency`, one row per person helped by it in the range, with their latest release.
 */
export function statisticsPeople(people: readonly StatisticsPerson[], range: MonthRange, filter: PeopleFilter = {}): PersonRow[] {
  const r = dayRange(range);
  const rows: PersonRow[] = [];
  const row = (p: StatisticsPerson, e: StatisticsPerson['episodes'][number] | undefined): PersonRow => ({
    personId: p.personId,
    unitId: p.unitId,
    ...(e && {
      episodeId: e._id,
      releaseDate: e.releaseDate,
      releaseType: e.releaseType,
      ...(e.supervisionStart && { supervisionStart: e.supervisionStart, supervisionEnd: e.supervisionEnd })
    }),
    ...(p.area && { area: p.area })
  });
  for (const p of people) {
    if (!areaMatches(p.area, filter)) continue;
    if (filter.agency !== undefined) {
      if (!p.help.some((h) => helpedBy(h, filter.agency!, r) && (!filter.capital || h.capital))) continue;
      const latest = p.episodes.reduce<StatisticsPerson['episodes'][number] | undefined>(
        (a, e) => (!a || e.releaseDate > a.releaseDate ? e : a),
        undefined
      );
      rows.push(row(p, latest));
    } else for (const e of p.episodes) if (within(e.releaseDate, r)) rows.push(row(p, e));
  }
  return rows.sort(
    (a, b) =>
      (b.releaseDate ?? '').localeCompare(a.releaseDate ?? '') ||
      a.unitId.localeCompare(b.unitId) ||
      a.personId.localeCompare(b.personId)
  );
}

export interface UnitCounts {
  /** People on the unit's records. */
  people: number;
  /** People released in the range. */
  released: number;
  /** People on supervision on the last day of the range. */
  onSupervision: number;
  /** People with a follow-up report dated in the range. */
  followedUp: number;
  /** People helped by any agency in the range. */
  helped: number;
  /** People with a workplace located in the range. */
  located: number;
}

/** Statistic 8 for one unit. */
export function unitCounts(people: readonly StatisticsPerson[], range: MonthRange): UnitCounts {
  const r = dayRange(range);
  const c: UnitCounts = { people: 0, released: 0, onSupervision: 0, followedUp: 0, helped: 0, located: 0 };
  for (const p of people) {
    c.people++;
    if (releasedIn(p, r)) c.released++;
    if (
      p.episodes.some((e) => e.supervisionStart && e.supervisionEnd && e.supervisionStart <= r.end && e.supervisionEnd >= r.end)
    )
      c.onSupervision++;
    if (p.followUpDays.some((d) => within(d, r))) c.followedUp++;
    if (p.help.some((h) => h.outcome === 'helped' && within(h.on, r))) c.helped++;
    if (p.workplaces.some((w) => within(w.on, r))) c.located++;
  }
  return c;
}
