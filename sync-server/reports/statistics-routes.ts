/**
 * The statistics of the follow-up system (กราฟสถิติ 1–9) for supervisors, computed from the
 * reporting projection with the shared formulas (statistics.ts, statistics-people.ts):
 * the monthly charts and the per-unit, per-agency and per-area numbers, the workplace map's
 * points, and the list of released people behind a number (paged, or exported as .xlsx / CSV).
 * Units come from the scope question (the reader the reports module passes in); every read and
 * export is audited per unit with how many people (and, for lists and points, which — ids only).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RELEASE_TYPES } from '../../src/lib/domain/options.ts';
import { monthlyStatistics, monthsOf } from '../../src/lib/domain/statistics.ts';
import {
  addressesByArea,
  agencyStatistics,
  statisticsPeople,
  unitCounts,
  workplaceMap,
  type PeopleFilter,
  type PersonRow
} from '../../src/lib/domain/statistics-people.ts';
import { CARE_CENTRE_AGENCY, CARE_CENTRE_NAME } from '../../src/lib/domain/statistics-sources.ts';
import { recordEvent } from '../audit-events.ts';
import { catalogInForce } from '../catalog/store.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import type { UserDoc } from '../users.ts';
import { sendTable, type ExportColumn } from './export.ts';
import { mapSettings } from './map-settings.ts';
import type { ReportService } from './service.ts';

/** The most rows one page of the people list returns. */
export const MAX_PEOPLE_PAGE = 500;
/** The most workplace points one map answer carries (the rest are counted, not sent). */
export const MAX_MAP_POINTS = 2000;

type Name = { th: string; en: string };

export interface StatisticsKit {
  ctx: ServerContext;
  service: ReportService;
  /** The signed-in reader and the units in scope, or null with the refusal already sent. */
  reader(request: FastifyRequest, reply: FastifyReply): Promise<{ user: UserDoc; units: string[] } | null>;
  unitNames(unitIds: string[]): Promise<(unitId: string) => Name>;
}

const month = (field: string) =>
  z
    .string({ message: `${field}: เดือนแบบ YYYY-MM / ${field}: a month as YYYY-MM` })
    .max(7, `${field}: เดือนแบบ YYYY-MM / ${field}: a month as YYYY-MM`);
const rangeQuery = z.strictObject({ from: month('from'), to: month('to') });
const unitParam = z.string().max(64, 'unit: ไม่ถูกต้อง / unit: not valid').default('all');
const areaParam = (field: string) =>
  z.string().max(100, `${field}: ยาวเกิน 100 ตัวอักษร / ${field}: at most 100 characters`).optional();

const mapQuery = rangeQuery.extend({ unit: unitParam });
const peopleQuery = rangeQuery.extend({
  unit: unitParam,
  agency: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'agency: รหัสหน่วยงาน a-z 0-9 - / agency: an agency id')
    .optional(),
  capital: z.enum(['1'], { message: 'capital: 1 หรือไม่ระบุ / capital: 1 or absent' }).optional(),
  province: areaParam('province'),
  district: areaParam('district'),
  offset: z.coerce.number({ message: 'offset: ตัวเลข / offset: a number' }).int().min(0, 'offset ≥ 0').max(10_000_000).default(0),
  limit: z.coerce
    .number({ message: 'limit: ตัวเลข / limit: a number' })
    .int()
    .min(1, `limit: 1–${MAX_PEOPLE_PAGE}`)
    .max(MAX_PEOPLE_PAGE, `limit: 1–${MAX_PEOPLE_PAGE}`)
    .default(100),
  format: z.enum(['xlsx', 'csv'], { message: 'format: xlsx หรือ csv / format: xlsx or csv' }).optional()
});

const OUT_OF_SCOPE = 'ไม่มีสิทธิ์ดูหน่วยงานนี้ / This unit is not in your scope.';

export async function statisticsRoutes(app: FastifyInstance, kit: StatisticsKit) {
  const { ctx, service } = kit;
  const map = mapSettings();

  function parse<T extends z.ZodType>(schema: T, input: unknown, reply: FastifyReply): z.infer<T> | null {
    const result = schema.safeParse(input);
    if (!result.success) {
      sendApiError(reply, 400, 'bad_request', result.error.issues.map((i) => i.message).join('; '));
      return null;
    }
    try {
      monthsOf(result.data as { from: string; to: string });
    } catch (e) {
      sendApiError(reply, 400, 'bad_request', (e as Error).message);
      return null;
    }
    return result.data;
  }

  /** The units asked for (all in scope, or one of them), or null with the refusal sent. */
  function unitsAsked(units: string[], unit: string, reply: FastifyReply): string[] | null {
    if (unit === 'all') return units;
    if (!units.includes(unit)) {
      sendApiError(reply, 403, 'forbidden', OUT_OF_SCOPE);
      return null;
    }
    return [unit];
  }

  async function audit(
    request: FastifyRequest,
    user: UserDoc,
    action: 'read-report' | 'export',
    target: string,
    perUnit: Map<string, string[] | number>
  ) {
    for (const [unitId, people] of perUnit)
      await recordEvent(ctx.audit, {
        action,
        actor: user.username,
        unitId,
        target,
        count: typeof people === 'number' ? people : people.length,
        ...(typeof people !== 'number' && { ids: people }),
        ip: request.ip
      });
  }

  /** Agency names from the catalog in force (administrators' additions included). */
  async function agencyNames(): Promise<Record<string, Name>> {
    const { catalog } = await catalogInForce(ctx.system);
    return {
      ...Object.fromEntries(catalog.agencies.map((a) => [a.id, { th: a.th, en: a.en }])),
      [CARE_CENTRE_AGENCY]: CARE_CENTRE_NAME
    };
  }

  // Statistics 1–5, 8 and 9 per unit; 2 and 3 also per unit (the screen sums them).
  app.get('/api/reports/statistics', async (request, reply) => {
    const who = await kit.reader(request, reply);
    if (!who) return reply;
    const q = parse(rangeQuery, request.query, reply);
    if (!q) return reply;
    const stale = await service.catchUp(who.units);
    const name = await kit.unitNames(who.units);
    const units = who.units.map((unitId) => {
      const projection = service.projection(unitId);
      const records = projection.records();
      const people = projection.statisticsRecords();
      return {
        unitId,
        name: name(unitId),
        stale: stale.has(unitId),
        projection: projection.state(),
        people: people.length,
        statistics: monthlyStatistics(records, q),
        counts: unitCounts(people, q),
        agencies: agencyStatistics(people, q),
        areas: addressesByArea(people, q)
      };
    });
    await audit(
      request,
      who.user,
      'read-report',
      `statistics:${q.from}:${q.to}`,
      new Map(units.map((u) => [u.unitId, u.people]))
    );
    return { from: q.from, to: q.to, agencyNames: await agencyNames(), map, units };
  });

  // Statistic 6: the workplace map's points (each person's latest located workplace in the range).
  app.get('/api/reports/statistics/workplaces', async (request, reply) => {
    const who = await kit.reader(request, reply);
    if (!who) return reply;
    const q = parse(mapQuery, request.query, reply);
    if (!q) return reply;
    const units = unitsAsked(who.units, q.unit, reply);
    if (!units) return reply;
    const stale = await service.catchUp(units);
    const all = units.flatMap((unitId) => workplaceMap(service.projection(unitId).statisticsRecords(), q));
    const shown = all.slice(0, MAX_MAP_POINTS);
    const perUnit = new Map<string, string[]>(units.map((u) => [u, []]));
    for (const p of shown) perUnit.get(p.unitId)!.push(p.personId);
    await audit(request, who.user, 'read-report', `statistics-map:${q.from}:${q.to}`, perUnit);
    const name = await kit.unitNames(units);
    return {
      from: q.from,
      to: q.to,
      map,
      total: all.length,
      units: units.map((unitId) => ({
        unitId,
        name: name(unitId),
        stale: stale.has(unitId),
        projection: service.projection(unitId).state()
      })),
      points: shown.map((p) => {
        const label = service.projection(p.unitId).label(p.personId);
        return { ...p, name: label?.name ?? '', prisonerId: label?.prisonerId ?? '' };
      })
    };
  });

  /** Statistic 7 / the people behind statistics 2 and 3, with the names the list shows. */
  async function peopleRows(request: FastifyRequest, reply: FastifyReply) {
    const who = await kit.reader(request, reply);
    if (!who) return null;
    const q = parse(peopleQuery, request.query, reply);
    if (!q) return null;
    const units = unitsAsked(who.units, q.unit, reply);
    if (!units) return null;
    const stale = await service.catchUp(units);
    const filter: PeopleFilter = {
      ...(q.agency !== undefined && { agency: q.agency }),
      ...(q.capital && { capital: true }),
      ...(q.province !== undefined && { province: q.province }),
      ...(q.district !== undefined && { district: q.district })
    };
    const rows: Array<PersonRow & { name: string; prisonerId: string }> = [];
    for (const unitId of units) {
      const projection = service.projection(unitId);
      for (const r of statisticsPeople(projection.statisticsRecords(), q, filter)) {
        const label = projection.label(r.personId);
        rows.push({ ...r, name: label?.name ?? '', prisonerId: label?.prisonerId ?? '' });
      }
    }
    // Newest release first across units, as within one.
    rows.sort((a, b) => (b.releaseDate ?? '').localeCompare(a.releaseDate ?? ''));
    const target = `statistics-people:${q.from}:${q.to}:${[q.agency, q.capital && 'capital', q.province, q.district].filter(Boolean).join('/')}`;
    return { who, q, units, stale, rows, target };
  }

  const byUnit = (units: string[], rows: PersonRow[]) => {
    const m = new Map<string, string[]>(units.map((u) => [u, []]));
    for (const r of rows) m.get(r.unitId)!.push(r.personId);
    for (const [u, ids] of m) m.set(u, [...new Set(ids)]);
    return m;
  };

  app.get('/api/reports/statistics/people', async (request, reply) => {
    const p = await peopleRows(request, reply);
    if (!p) return reply;
    const page = p.rows.slice(p.q.offset, p.q.offset + p.q.limit);
    await audit(request, p.who.user, 'read-report', p.target, byUnit(p.units, page));
    const name = await kit.unitNames(p.units);
    return {
      from: p.q.from,
      to: p.q.to,
      total: p.rows.length,
      offset: p.q.offset,
      units: p.units.map((unitId) => ({
        unitId,
        name: name(unitId),
        stale: p.stale.has(unitId),
        projection: service.projection(unitId).state()
      })),
      rows: page
    };
  });

  app.get('/api/reports/statistics/people/export', async (request, reply) => {
    const p = await peopleRows(request, reply);
    if (!p) return reply;
    await audit(request, p.who.user, 'export', `${p.target}:${p.q.format ?? 'xlsx'}`, byUnit(p.units, p.rows));
    const name = await kit.unitNames(p.units);
    const columns: ExportColumn[] = [
      { key: 'unit', th: 'หน่วยงาน', en: 'Unit', width: 30 },
      { key: 'prisonerId', th: 'เลขประจำตัวผู้ต้องขัง', en: 'Prisoner ID' },
      { key: 'name', th: 'ชื่อ-สกุล', en: 'Name', width: 30 },
      { key: 'releaseDate', th: 'วันที่พ้นโทษ', en: 'Released on', width: 12 },
      { key: 'releaseType', th: 'ประเภทการปล่อย', en: 'Release type', width: 20 },
      { key: 'supervisionStart', th: 'เริ่มคุมความประพฤติ', en: 'Supervision start', width: 12 },
      { key: 'supervisionEnd', th: 'สิ้นสุดคุมความประพฤติ', en: 'Supervision end', width: 12 },
      { key: 'province', th: 'จังหวัด', en: 'Province', width: 16 },
      { key: 'district', th: 'อำเภอ/เขต', en: 'District', width: 16 }
    ];
    const rows = (function* () {
      for (const r of p.rows)
        yield {
          unit: name(r.unitId).th,
          prisonerId: r.prisonerId,
          name: r.name,
          releaseDate: r.releaseDate ?? '',
          releaseType: r.releaseType ? RELEASE_TYPES.label(r.releaseType as never, 'th') : '',
          supervisionStart: r.supervisionStart ?? '',
          supervisionEnd: r.supervisionEnd ?? '',
          province: r.area?.province ?? '',
          district: r.area?.district ?? ''
        };
    })();
    return sendTable(
      reply,
      p.q.format ?? 'xlsx',
      `released-${p.q.from}-${p.q.to}`,
      { sheetName: 'released', columns, rows },
      p.rows.length
    );
  });
}
