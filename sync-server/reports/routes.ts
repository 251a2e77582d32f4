/**
 * The reports API for supervisors (desktop, online; no replica): the KPIs per unit and summed
 * over the units in scope, the people behind every number, exports of both as .xlsx / CSV, and
 * the statistics of the follow-up system (statistics-routes.ts).
 * Every answer says as of which sequence and when each unit's projection was read; every read
 * and export is audited (who, unit, report, how many people — ids only, never names).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { KPI_DEFINITIONS, KPI_IDS, type KpiId, type KpiRow } from '../../src/lib/domain/kpi.ts';
import { recordEvent } from '../audit-events.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { calendarInForce } from '../holidays.ts';
import { accessToUnit, unitsInScope } from '../scope.ts';
import { findUnits, type UserDoc } from '../users.ts';
import { EXPORT_FORMATS, sendTable, type ExportColumn } from './export.ts';
import { statisticsRoutes } from './statistics-routes.ts';
import { summary, sumKpi, type KpiQuery, type UnitKpis } from './service.ts';
import { reportServiceOf } from './shared-service.ts';

/** The most rows one drill-down page returns. */
export const MAX_PAGE = 500;

const OUTCOMES = ['met', 'not-met', 'counted', 'excluded', 'all'] as const;
type OutcomeFilter = (typeof OUTCOMES)[number];

const kpiQuery = z.strictObject({
  fy: z.coerce
    .number({ message: 'fy: ปีงบประมาณ (พ.ศ.) เช่น 2565 / fy: fiscal year (Buddhist Era), e.g. 2565' })
    .int()
    .min(2500, 'fy: ปีงบประมาณ พ.ศ. 2500–2700 / fy: fiscal year 2500–2700 BE')
    .max(2700, 'fy: ปีงบประมาณ พ.ศ. 2500–2700 / fy: fiscal year 2500–2700 BE'),
  period: z.enum(['6', '12'], { message: 'period: 6 หรือ 12 เดือน / period: 6 or 12 months' }),
  format: z.enum(EXPORT_FORMATS, { message: 'format: xlsx หรือ csv / format: xlsx or csv' }).optional()
});

const peopleQuery = kpiQuery.extend({
  unit: z.string().max(64, 'unit: ไม่ถูกต้อง / unit: not valid').default('all'),
  outcome: z.enum(OUTCOMES, { message: `outcome: ${OUTCOMES.join(' | ')}` }).default('all'),
  group: z
    .enum(['electronic-monitoring', 'no-electronic-monitoring'], {
      message: 'group: electronic-monitoring | no-electronic-monitoring'
    })
    .optional(),
  offset: z.coerce.number({ message: 'offset: ตัวเลข / offset: a number' }).int().min(0, 'offset ≥ 0').max(10_000_000).default(0),
  limit: z.coerce
    .number({ message: 'limit: ตัวเลข / limit: a number' })
    .int()
    .min(1, `limit: 1–${MAX_PAGE}`)
    .max(MAX_PAGE, `limit: 1–${MAX_PAGE}`)
    .default(100)
});

const NO_REPORTS = 'บัญชีนี้ดูรายงานไม่ได้ / This account cannot read reports.';
const OUT_OF_SCOPE = 'ไม่มีสิทธิ์ดูหน่วยงานนี้ / This unit is not in your scope.';
const UNKNOWN_KPI = `ไม่มีตัวชี้วัดนี้ / No such KPI (${KPI_IDS.join(', ')}).`;

export async function reportRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  const service = reportServiceOf(app, ctx);

  /** The signed-in reader and the units they may read, or null with the answer already sent. */
  async function reader(request: FastifyRequest, reply: FastifyReply): Promise<{ user: UserDoc; units: string[] } | null> {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) {
      sendAuthFailure(reply, auth, 'api');
      return null;
    }
    if (auth.user.role === 'volunteer') {
      sendApiError(reply, 403, 'forbidden', NO_REPORTS);
      return null;
    }
    const units: string[] = [];
    for (const u of await unitsInScope(ctx, auth.user)) {
      const access = await accessToUnit(ctx, auth.user, u);
      if (access === 'read' || access === 'write') units.push(u);
    }
    return { user: auth.user, units };
  }

  /** Unit names (Thai / English), the id where a unit has no record. */
  async function unitNames(unitIds: string[]): Promise<(unitId: string) => { th: string; en: string }> {
    const names = new Map((await findUnits(ctx.system, unitIds)).map((u) => [u.unitId, u.name]));
    return (unitId) => names.get(unitId) ?? { th: unitId, en: unitId };
  }

  function parse<T extends z.ZodType>(schema: T, input: unknown, reply: FastifyReply): z.infer<T> | null {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    sendApiError(reply, 400, 'bad_request', result.error.issues.map((i) => i.message).join('; '));
    return null;
  }

  /** KPIs of every unit in `units`, caught up within the bounded wait. */
  async function compute(units: string[], q: KpiQuery) {
    const stale = await service.catchUp(units);
    const { holidays } = await calendarInForce(ctx.system);
    return units.map((unitId) => ({
      unitId,
      stale: stale.has(unitId),
      results: service.unitResults(unitId, q, holidays),
      projection: service.projection(unitId).state()
    }));
  }

  const query = (q: { fy: number; period: '6' | '12' }): KpiQuery => ({ fiscalYear: q.fy, period: Number(q.period) as 6 | 12 });

  async function kpiTable(request: FastifyRequest, reply: FastifyReply) {
    const who = await reader(request, reply);
    if (!who) return null;
    const q = parse(kpiQuery, request.query, reply);
    if (!q) return null;
    const computed = await compute(who.units, query(q));
    const name = await unitNames(who.units);
    const units: Array<UnitKpis & { name: { th: string; en: string } }> = computed.map((c) => ({
      unitId: c.unitId,
      name: name(c.unitId),
      projection: c.projection,
      stale: c.stale,
      kpis: Object.fromEntries(KPI_IDS.map((id) => [id, summary(c.results[id])])) as UnitKpis['kpis']
    }));
    const region = Object.fromEntries(
      KPI_IDS.map((id) => [
        id,
        sumKpi(
          id,
          units.map((u) => u.kpis[id])
        )
      ])
    );
    for (const c of computed)
      await recordEvent(ctx.audit, {
        action: q.format ? 'export' : 'read-report',
        actor: who.user.username,
        unitId: c.unitId,
        target: `kpi-table:${q.fy}:${q.period}${q.format ? `:${q.format}` : ''}`,
        count: new Set(KPI_IDS.flatMap((id) => c.results[id].rows.map((r) => r.personId))).size,
        ip: request.ip
      });
    return { q, units, region, computed };
  }

  app.get('/api/reports/kpi', async (request, reply) => {
    const t = await kpiTable(request, reply);
    if (!t) return reply;
    const first = t.computed[0]?.results;
    return {
      fiscalYear: t.q.fy,
      period: Number(t.q.period),
      asOf: first ? first['supervision-visits'].asOf : null,
      definitions: KPI_DEFINITIONS,
      windows: first ? Object.fromEntries(KPI_IDS.map((id) => [id, first[id].window])) : null,
      // Regions arrive with the unit tree; until then one group: every unit in scope.
      region: { id: 'all', name: { th: 'ทุกหน่วยงานในความรับผิดชอบ', en: 'All units in scope' }, kpis: t.region },
      units: t.units
    };
  });

  app.get('/api/reports/kpi/export', async (request, reply) => {
    const t = await kpiTable(request, reply);
    if (!t) return reply;
    const format = t.q.format ?? 'xlsx';
    const rows: Array<Record<string, string | number | null>> = [];
    const line = (
      unit: string,
      id: KpiId,
      c: { numerator: number; denominator: number; percent: number | null; score: number | null; excluded: number },
      group = ''
    ) =>
      rows.push({
        unit,
        kpi: KPI_DEFINITIONS[id].title.th,
        group,
        numerator: c.numerator,
        denominator: c.denominator,
        percent: c.percent,
        score: c.score,
        target: KPI_DEFINITIONS[id].target,
        excluded: c.excluded
      });
    for (const u of t.units) for (const id of KPI_IDS) line(u.name.th, id, u.kpis[id]);
    for (const id of KPI_IDS) line('ทุกหน่วยงานในความรับผิดชอบ', id, t.region[id]);
    const columns: ExportColumn[] = [
      { key: 'unit', th: 'หน่วยงาน', en: 'Unit', width: 30 },
      { key: 'kpi', th: 'ตัวชี้วัด', en: 'KPI', width: 60 },
      { key: 'numerator', th: 'ผลงาน', en: 'Numerator' },
      { key: 'denominator', th: 'เป้าหมาย (ราย)', en: 'Denominator' },
      { key: 'percent', th: 'ร้อยละ', en: '%' },
      { key: 'score', th: 'ระดับคะแนน', en: 'Score' },
      { key: 'target', th: 'ค่าเป้าหมาย (ร้อยละ)', en: 'Target %' },
      { key: 'excluded', th: 'ไม่นับเป็นกลุ่มเป้าหมาย', en: 'Excluded' }
    ];
    return sendTable(reply, format, `kpi-${t.q.fy}-${t.q.period}m`, { sheetName: 'KPI', columns, rows });
  });

  async function peopleRows(request: FastifyRequest, reply: FastifyReply) {
    const who = await reader(request, reply);
    if (!who) return null;
    const kpi = (request.params as { kpi: string }).kpi as KpiId;
    if (!KPI_IDS.includes(kpi)) {
      sendApiError(reply, 404, 'not_found', UNKNOWN_KPI);
      return null;
    }
    const q = parse(peopleQuery, request.query, reply);
    if (!q) return null;
    if (q.unit !== 'all' && !who.units.includes(q.unit)) {
      sendApiError(reply, 403, 'forbidden', OUT_OF_SCOPE);
      return null;
    }
    const units = q.unit === 'all' ? who.units : [q.unit];
    const computed = await compute(units, query(q));
    const rows: Array<KpiRow & { name: string; prisonerId: string }> = [];
    for (const c of computed) {
      const projection = service.projection(c.unitId);
      for (const r of c.results[kpi].rows) {
        if (!matches(r, q.outcome, q.group)) continue;
        const label = projection.label(r.personId);
        rows.push({ ...r, name: label?.name ?? '', prisonerId: label?.prisonerId ?? '' });
      }
    }
    return { who, kpi, q, rows, computed };
  }

  async function auditPeople(
    request: FastifyRequest,
    who: { user: UserDoc },
    kpi: KpiId,
    q: z.infer<typeof peopleQuery>,
    shown: KpiRow[],
    action: 'read-report' | 'export'
  ) {
    const byUnit = new Map<string, string[]>();
    for (const r of shown) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r.personId]);
    for (const [unitId, ids] of byUnit) {
      const people = [...new Set(ids)];
      await recordEvent(ctx.audit, {
        action,
        actor: who.user.username,
        unitId,
        target: `kpi-people:${kpi}:${q.fy}:${q.period}:${q.outcome}${q.format ? `:${q.format}` : ''}`,
        count: people.length,
        ids: people,
        ip: request.ip
      });
    }
  }

  app.get('/api/reports/kpi/:kpi/people', async (request, reply) => {
    const p = await peopleRows(request, reply);
    if (!p) return reply;
    const page = p.rows.slice(p.q.offset, p.q.offset + p.q.limit);
    await auditPeople(request, p.who, p.kpi, p.q, page, 'read-report');
    return {
      kpi: p.kpi,
      definition: KPI_DEFINITIONS[p.kpi],
      total: p.rows.length,
      offset: p.q.offset,
      units: await (async () => {
        const name = await unitNames(p.computed.map((c) => c.unitId));
        return p.computed.map((c) => ({ unitId: c.unitId, name: name(c.unitId), stale: c.stale, projection: c.projection }));
      })(),
      rows: page
    };
  });

  app.get('/api/reports/kpi/:kpi/people/export', async (request, reply) => {
    const p = await peopleRows(request, reply);
    if (!p) return reply;
    await auditPeople(request, p.who, p.kpi, p.q, p.rows, 'export');
    const columns: ExportColumn[] = [
      { key: 'unitId', th: 'หน่วยงาน', en: 'Unit' },
      { key: 'prisonerId', th: 'เลขประจำตัวผู้ต้องขัง', en: 'Prisoner ID' },
      { key: 'name', th: 'ชื่อ-สกุล', en: 'Name', width: 30 },
      { key: 'caseDay', th: 'วันที่', en: 'Case day', width: 12 },
      { key: 'outcome', th: 'ผล', en: 'Outcome', width: 12 },
      { key: 'reason', th: 'เหตุผล', en: 'Reason', width: 60 }
    ];
    const rows = (function* () {
      for (const r of p.rows)
        yield {
          unitId: r.unitId,
          prisonerId: r.prisonerId,
          name: r.name,
          caseDay: r.caseDay ?? '',
          outcome: OUTCOME_LABEL[r.outcome],
          reason: r.reason.th
        };
    })();
    return sendTable(
      reply,
      p.q.format ?? 'xlsx',
      `kpi-${p.kpi}-${p.q.fy}-${p.q.period}m`,
      { sheetName: p.kpi, columns, rows },
      p.rows.length
    );
  });

  // Statistics 1–9 of the follow-up system and the workplace map (statistics-routes.ts).
  await statisticsRoutes(app, { ctx, service, reader, unitNames });
}

const OUTCOME_LABEL: Record<KpiRow['outcome'], string> = {
  met: 'ผ่าน / met',
  'not-met': 'ไม่ผ่าน / not met',
  excluded: 'ไม่นับ / excluded'
};

function matches(r: KpiRow, outcome: OutcomeFilter, group: string | undefined): boolean {
  if (group && r.group !== group) return false;
  if (outcome === 'all') return true;
  if (outcome === 'counted') return r.outcome !== 'excluded';
  return r.outcome === outcome;
}
