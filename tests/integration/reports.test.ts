/**
 * The reports API on a generated dataset, on a real server and store: every KPI number equals an
 * independent recomputation from the raw documents; a new follow-up synced shows in the next
 * answer; a supervisor never sees a unit not on the account; reads and exports are audited
 * without names; bad parameters get a Thai/English error naming the field.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fiscalYearRange } from '../../src/lib/domain/calendar.ts';
import { officialHolidays } from '../../src/lib/domain/holidays-th.ts';
import {
  allKpis,
  type KpiEpisode,
  type KpiFollowUp,
  type KpiPersonRecord,
  KPI_IDS,
  VOCATIONAL_HELP_ACTIONS
} from '../../src/lib/domain/kpi.ts';
import type { EpisodeDoc, FollowUpDoc, NonComplianceDoc } from '../../src/lib/domain/followup-schemas.ts';
import type { Care01Doc, PersonDoc } from '../../src/lib/domain/schemas.ts';
import { monthlyStatistics } from '../../src/lib/domain/statistics.ts';
import { checkDoc } from '../../src/lib/domain/validate-doc.ts';
import { buildServer } from '../../sync-server/app.ts';
import { CouchStorage } from '../../sync-server/storage/couchdb.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { createUser } from '../../sync-server/users.ts';
import { generateUnit, type GeneratedDoc } from '../../sync-server/reports/generate.ts';
import {
  closeClients,
  localDb,
  login,
  PASSWORD,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

const FY = 2568;
let server: TestServer;
let supervisorCookie: string;
const generated = new Map<string, GeneratedDoc[]>();

async function get(path: string, cookie = supervisorCookie) {
  const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } });
  return { status: response.status, body: await response.json() };
}

/** KPI records built straight from the stored documents (all of them, read with _all_docs). */
async function recordsFromRawDocuments(unitId: string): Promise<KpiPersonRecord[]> {
  const all = await server.storage.openDatabase(unitDatabaseName(unitId)).allDocs({ include_docs: true });
  const people = new Map<string, KpiPersonRecord>();
  const of = (personId: string) => {
    if (!people.has(personId))
      people.set(personId, { personId, unitId, episodes: [], followUps: [], nonCompliance: [], vocationalHelp: [], needs: [] });
    return people.get(personId)!;
  };
  for (const row of all.rows) {
    const doc = row.doc as unknown as { type?: string } | null;
    if (!doc) continue;
    if (doc.type === 'person') {
      const p = doc as PersonDoc;
      const r = of(p._id);
      r.sex = p.sex;
      r.dateOfBirth = p.dateOfBirth;
      for (const t of p.trainingRecords ?? []) if (t.completedOn) r.vocationalHelp.push({ on: t.completedOn, kind: 'training' });
    } else if (doc.type === 'episode') {
      const {
        _id,
        personId,
        releaseType,
        releaseDate,
        supervisionStart,
        supervisionEnd,
        classificationLevel,
        caseReceivedOn,
        conditionsAcknowledged,
        electronicMonitoring
      } = doc as EpisodeDoc;
      of(personId).episodes.push({
        _id,
        personId,
        releaseType,
        releaseDate,
        supervisionStart,
        supervisionEnd,
        classificationLevel,
        caseReceivedOn,
        conditionsAcknowledged,
        electronicMonitoring
      } as KpiEpisode);
    } else if (doc.type === 'followup') {
      const f = doc as FollowUpDoc;
      const kf: KpiFollowUp = {
        personId: f.personId,
        episodeId: f.episodeId,
        visitDate: f.visitDate,
        method: f.method,
        visitor: f.visitor,
        abnormalSituation: f.abnormalSituation,
        employed: f.work.employed,
        monthlyIncome: f.monthlyIncome
      };
      of(f.personId).followUps.push(kf);
    } else if (doc.type === 'noncompliance') {
      const n = doc as NonComplianceDoc;
      of(n.personId).nonCompliance.push({
        _id: n._id,
        personId: n.personId,
        episodeId: n.episodeId,
        kind: n.kind,
        occurredOn: n.occurredOn,
        actions: n.actions
      });
    } else if (doc.type === 'care01') {
      const c = doc as Care01Doc;
      const r = of(c.personId);
      for (const h of c.helpGiven)
        if (VOCATIONAL_HELP_ACTIONS.has(h.action)) r.vocationalHelp.push({ on: c.interviewDate, kind: h.action as 'capital' });
      if (c.helpWanted?.choice === 'wants') r.needs.push(...c.helpWanted.needs);
    }
  }
  return [...people.values()];
}

/**
 * The post-supervision KPI counted by hand from the raw documents, without the shared rule code:
 * supervision ended in FY-1, and a follow-up in FY by an officer (any method) or a visit by anyone.
 */
async function postSupervisionByHand(unitId: string): Promise<{ numerator: number; denominator: number }> {
  const all = await server.storage.openDatabase(unitDatabaseName(unitId)).allDocs({ include_docs: true });
  const docs = all.rows.map((r) => r.doc as unknown as GeneratedDoc);
  const prev = fiscalYearRange(FY - 1);
  const cur = fiscalYearRange(FY);
  let numerator = 0;
  let denominator = 0;
  for (const e of docs.filter((d): d is EpisodeDoc => d.type === 'episode')) {
    if (!e.supervisionEnd || e.supervisionEnd < prev.start || e.supervisionEnd > prev.end) continue;
    denominator++;
    const followed = docs.some(
      (f) =>
        f.type === 'followup' &&
        f.personId === e.personId &&
        (!f.episodeId || f.episodeId === e._id) &&
        f.visitDate >= cur.start &&
        f.visitDate <= cur.end &&
        (f.visitor === 'probation-officer' || ['home-visit', 'workplace-visit', 'other-visit'].includes(f.method))
    );
    if (followed) numerator++;
  }
  return { numerator, denominator };
}

beforeAll(async () => {
  server = await startTestServer();
  for (const [unitId, people, seed] of [
    [UNIT_A, 120, 11],
    [UNIT_B, 300, 12]
  ] as const) {
    const docs = generateUnit({ unitId, people, fiscalYear: FY, seed });
    for (const d of docs) expect(checkDoc(d, unitId)).toMatchObject({ ok: true });
    generated.set(unitId, docs);
    await server.storage.openDatabase(unitDatabaseName(unitId)).bulkDocs(docs, { new_edits: true });
  }
  await createUser(server.storage, {
    username: 'volunteer.b',
    displayName: 'Volunteer B',
    role: 'volunteer',
    units: [UNIT_B],
    password: PASSWORD
  });
  await createUser(server.storage, {
    username: 'supervisor.a',
    displayName: 'Supervisor A',
    role: 'supervisor',
    units: [UNIT_A],
    password: PASSWORD
  });
  supervisorCookie = (await login(server, USERS.supervisor)).cookie;
}, 120_000);

afterAll(async () => {
  await closeClients();
  await server?.stop();
});

describe('KPI numbers', () => {
  it.each([6, 12])('every KPI of every unit at %i months equals a recomputation from the raw documents', async (period) => {
    const { status, body } = await get(`/api/reports/kpi?fy=${FY}&period=${period}`);
    expect(status).toBe(200);
    expect(body.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual([UNIT_A, UNIT_B]);
    for (const unit of body.units) {
      expect(unit.stale).toBe(false);
      expect(unit.projection.seq).not.toBeNull();
      const expected = allKpis(await recordsFromRawDocuments(unit.unitId), {
        fiscalYear: FY,
        period: period as 6 | 12,
        holidays: officialHolidays
      });
      for (const e of expected) {
        const got = unit.kpis[e.id];
        expect({
          id: e.id,
          n: got.numerator,
          d: got.denominator,
          x: got.excluded,
          p: got.percent,
          s: got.score,
          g: got.groups
        }).toEqual({
          id: e.id,
          n: e.numerator,
          d: e.denominator,
          x: e.excluded,
          p: e.percent,
          s: e.score,
          g: e.groups
        });
        expect(got.denominator).toBeGreaterThan(0);
      }
      if (period === 12)
        expect(await postSupervisionByHand(unit.unitId)).toEqual({
          numerator: unit.kpis['post-supervision'].numerator,
          denominator: unit.kpis['post-supervision'].denominator
        });
    }
    for (const id of KPI_IDS) {
      const sum = (k: 'numerator' | 'denominator') => body.units.reduce((n: number, u: any) => n + u.kpis[id][k], 0);
      expect([body.region.kpis[id].numerator, body.region.kpis[id].denominator]).toEqual([sum('numerator'), sum('denominator')]);
    }
  });

  it('the drill-down lists exactly the people behind a number, with the rule of every excluded one', async () => {
    const table = (await get(`/api/reports/kpi?fy=${FY}&period=12`)).body;
    const unitB = table.units.find((u: { unitId: string }) => u.unitId === UNIT_B);
    const met = await get(`/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=${UNIT_B}&outcome=met&limit=500`);
    expect(met.status).toBe(200);
    expect(met.body.total).toBe(unitB.kpis['supervision-visits'].numerator);
    expect(met.body.rows.every((r: { outcome: string; name: string }) => r.outcome === 'met' && r.name.length > 0)).toBe(true);
    const excluded = await get(
      `/api/reports/kpi/vocational-help/people?fy=${FY}&period=12&unit=${UNIT_B}&outcome=excluded&limit=500`
    );
    expect(excluded.body.total).toBe(unitB.kpis['vocational-help'].excluded);
    expect(excluded.body.rows.every((r: { rule?: string; reason: { th: string } }) => r.rule && r.reason.th)).toBe(true);
    const em = await get(
      `/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=${UNIT_B}&outcome=counted&group=electronic-monitoring&limit=500`
    );
    expect(em.body.total).toBe(unitB.kpis['supervision-visits'].groups['electronic-monitoring'].denominator);
  });

  it('a follow-up synced by an officer shows in the next answer, with a new sequence', async () => {
    const before = (
      await get(`/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=${UNIT_B}&outcome=not-met&limit=500`)
    ).body;
    const table = (await get(`/api/reports/kpi?fy=${FY}&period=12`)).body;
    const unitBefore = table.units.find((u: { unitId: string }) => u.unitId === UNIT_B);
    // A classified person still short of visits: one officer visit meets any level.
    const target = before.rows.find(
      (r: { reason: { en: string } }) => /more visit/.test(r.reason.en) && !/abnormal/.test(r.reason.en)
    );
    const episode = generated.get(UNIT_B)!.find((d) => d._id === target.caseId) as EpisodeDoc;
    const visitDate = episode.supervisionStart!;
    const followUp: FollowUpDoc = {
      _id: 'followup:0b0b0b0b-0000-4000-8000-000000000001',
      type: 'followup',
      unitId: UNIT_B,
      schemaVersion: 1,
      createdAt: `${visitDate}T05:00:00.000Z`,
      createdBy: USERS.officerB,
      updatedAt: `${visitDate}T05:00:00.000Z`,
      updatedBy: USERS.officerB,
      personId: episode.personId,
      episodeId: episode._id,
      visitDate,
      recordedAt: `${visitDate}T05:00:00.000Z`,
      method: 'home-visit',
      visitor: 'probation-officer',
      housing: {},
      work: {}
    };
    const tablet = localDb('reports-tablet');
    await tablet.put(followUp);
    const pushed = await replicate(tablet, remoteDb(server, UNIT_B, USERS.officerB));
    expect(pushed.denied).toEqual([]);
    const after = (await get(`/api/reports/kpi?fy=${FY}&period=12`)).body.units.find(
      (u: { unitId: string }) => u.unitId === UNIT_B
    );
    expect(after.projection.seq).not.toBe(unitBefore.projection.seq);
    expect(after.kpis['supervision-visits'].numerator).toBe(unitBefore.kpis['supervision-visits'].numerator + 1);
    const row = (
      await get(`/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=${UNIT_B}&outcome=met&limit=500`)
    ).body.rows.find((r: { caseId: string }) => r.caseId === episode._id);
    expect(row).toBeDefined();
  });
});

describe('statistics', () => {
  it('per unit, month by month, equal to a recomputation from the raw documents; scoped; bad months refused', async () => {
    const r = await get('/api/reports/statistics?from=2024-10&to=2025-09');
    expect(r.status).toBe(200);
    for (const u of r.body.units) {
      const expected = monthlyStatistics(await recordsFromRawDocuments(u.unitId), { from: '2024-10', to: '2025-09' });
      expect(u.statistics).toEqual(expected);
      expect(expected.totals.released).toBeGreaterThan(0);
    }
    const a = await get('/api/reports/statistics?from=2024-10&to=2025-09', (await login(server, 'supervisor.a')).cookie);
    expect(a.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([UNIT_A]);
    const bad = await get('/api/reports/statistics?from=2024-13&to=2025-09');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^from: เดือน/);
    const long = await get('/api/reports/statistics?from=2020-01&to=2025-09');
    expect(long.status).toBe(400);
  });
});

describe('scope, audit, input', () => {
  it('a supervisor of one unit never sees the other: not in the table, 403 on its drill-down and export', async () => {
    const cookie = (await login(server, 'supervisor.a')).cookie;
    const table = await get(`/api/reports/kpi?fy=${FY}&period=12`, cookie);
    expect(table.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([UNIT_A]);
    expect(JSON.stringify(table.body)).not.toContain(UNIT_B);
    const people = await get(`/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=${UNIT_B}`, cookie);
    expect(people.status).toBe(403);
    expect(people.body.message).toMatch(/ไม่มีสิทธิ์/);
    const all = await get(`/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=all&limit=500`, cookie);
    expect(all.body.rows.every((r: { unitId: string }) => r.unitId === UNIT_A)).toBe(true);
    const exported = await fetch(
      `${server.url}/api/reports/kpi/supervision-visits/people/export?fy=${FY}&period=12&unit=${UNIT_B}&format=csv`,
      { headers: { Cookie: cookie } }
    );
    expect(exported.status).toBe(403);
  });

  it('not signed in: 401; a volunteer: 403', async () => {
    expect((await fetch(`${server.url}/api/reports/kpi?fy=${FY}&period=12`)).status).toBe(401);
    const volunteer = await get(`/api/reports/kpi?fy=${FY}&period=12`, (await login(server, 'volunteer.b')).cookie);
    expect(volunteer.status).toBe(403);
  });

  it('reads, drill-downs and exports are audited with who, unit, report and how many people — never a name', async () => {
    await get(`/api/reports/kpi/non-compliance/people?fy=${FY}&period=12&unit=${UNIT_A}&outcome=all&limit=50`);
    const csv = await fetch(
      `${server.url}/api/reports/kpi/non-compliance/people/export?fy=${FY}&period=12&unit=${UNIT_A}&format=csv`,
      { headers: { Cookie: supervisorCookie } }
    );
    await csv.arrayBuffer();
    const events = (await server.storage.openDatabase('audit').allDocs({ include_docs: true })).rows
      .map(
        (r) =>
          r.doc as unknown as { type: string; action: string; actor: string; unitId?: string; target?: string; count?: number }
      )
      .filter((d) => d?.type === 'audit-event');
    const table = events.find(
      (e) =>
        e.action === 'read-report' && e.target === `kpi-table:${FY}:12` && e.unitId === UNIT_B && e.actor === USERS.supervisor
    );
    expect(table?.count).toBeGreaterThan(0);
    const drill = events.find(
      (e) => e.action === 'read-report' && e.target?.startsWith('kpi-people:non-compliance') && e.unitId === UNIT_A
    );
    expect(drill?.count).toBeGreaterThan(0);
    const exported = events.find(
      (e) => e.action === 'export' && e.target?.startsWith('kpi-people:non-compliance') && e.target.endsWith(':csv')
    );
    expect(exported?.count).toBeGreaterThan(0);
    const names = generated
      .get(UNIT_A)!
      .filter((d): d is PersonDoc => d.type === 'person')
      .map((p) => p.firstName + ' ' + p.lastName);
    const audit = JSON.stringify(events);
    expect(names.some((n) => audit.includes(n))).toBe(false);
  });

  it.each([
    ['fy=abc&period=12', /fy/],
    ['fy=2568&period=7', /period/],
    ['fy=2568', /period/],
    ['fy=1999&period=12', /fy/]
  ])('bad parameters %s → 400 naming the field, in Thai and English', async (q, field) => {
    const r = await get(`/api/reports/kpi?${q}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(field);
    expect(r.body.message).toMatch(/[\u0E00-\u0E7F]/);
  });

  it('a page size over the bound is refused', async () => {
    const r = await get(`/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&limit=100000`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/limit/);
  });
});

describe('exports', () => {
  it('the people list as .xlsx holds every row of the drill-down; as CSV it starts with a BOM', async () => {
    const list = (await get(`/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=${UNIT_B}&outcome=all&limit=500`))
      .body;
    const response = await fetch(
      `${server.url}/api/reports/kpi/supervision-visits/people/export?fy=${FY}&period=12&unit=${UNIT_B}&outcome=all&format=xlsx`,
      { headers: { Cookie: supervisorCookie } }
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-export-rows')).toBe(String(list.total));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(list.total + 1);
    const prisonerIds = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 1) prisonerIds.add(String(row.getCell(2).value));
    });
    expect(prisonerIds).toEqual(new Set(list.rows.map((r: { prisonerId: string }) => r.prisonerId)));
    const csv = await fetch(`${server.url}/api/reports/kpi/export?fy=${FY}&period=12&format=csv`, {
      headers: { Cookie: supervisorCookie }
    });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.trim().split('\r\n')).toHaveLength(1 + 3 * KPI_IDS.length);
  });
});

describe.runIf(process.env.STORAGE === 'couchdb')('several stateless instances on one CouchDB', () => {
  it('a second instance builds its own projection and answers the same numbers, each with its own as-of', async () => {
    const storage = new CouchStorage(server.couch!.url, { prefix: server.couch!.prefix });
    const second = await buildServer({ storage, log: false });
    await second.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = second.server.address() as { port: number };
      const url = `http://127.0.0.1:${address.port}`;
      const cookie = supervisorCookie; // sessions live in the shared store
      const one = (await get(`/api/reports/kpi?fy=${FY}&period=12`)).body;
      const other = await (await fetch(`${url}/api/reports/kpi?fy=${FY}&period=12`, { headers: { Cookie: cookie } })).json();
      for (const u of one.units) {
        const v = other.units.find((x: { unitId: string }) => x.unitId === u.unitId);
        expect(v.stale).toBe(false);
        expect(v.projection.seq).not.toBeNull();
        for (const id of KPI_IDS)
          expect([v.kpis[id].numerator, v.kpis[id].denominator]).toEqual([u.kpis[id].numerator, u.kpis[id].denominator]);
      }
    } finally {
      await second.close();
      await storage.close();
    }
  });
});
