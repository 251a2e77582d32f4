/**
 * The CARE 03 / CARE 04 workbooks, the review queue and CARE 02 read from the reporting
 * projection, on a real server and store: every heading and every cell of a generated dataset
 * equals an independent recomputation from the raw documents (.xlsx opened with exceljs, CSV
 * parsed); a visit synced by a tablet appears in the queue, in CARE 02 and in the workbook; scope,
 * audit (ids and counts only), errors naming the field; a second instance on one CouchDB answers
 * the same from its own projection.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonDoc } from '../../src/lib/domain/schemas.ts';
import { checkDoc } from '../../src/lib/domain/validate-doc.ts';
import type { Care03Doc, Care04Doc } from '../../src/lib/domain/services/care-visits.ts';
import { buildServer } from '../../sync-server/app.ts';
import { generateCareVisits } from '../../sync-server/reports/generate-visits.ts';
import { CouchStorage } from '../../sync-server/storage/couchdb.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { createUser } from '../../sync-server/users.ts';
import {
  closeClients,
  localDb,
  login,
  makeCare01,
  makePerson,
  PASSWORD,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

let server: TestServer;
let supervisor: string;
let officer: string;
const people: PersonDoc[] = [];
let visits: Array<Care03Doc | Care04Doc> = [];

// The headings, worded as the forms ask (written out here, not read from the code under test).
const CARE03_HEADINGS = [
  'ลำดับ / No.',
  'วันที่มารับบริการ / Visit date (BE)',
  'เลขประจำตัวผู้ต้องขัง / Prisoner ID',
  'ชื่อ – นามสกุล / Name',
  'สถานะ (ผู้ต้องขัง/ผู้พ้นโทษ) / Prisoner / released',
  'บริการที่ได้รับ / Services',
  'ผลการให้บริการ / Result',
  'เจ้าหน้าที่ผู้ให้บริการ / Served by'
];
const CARE04_HEADINGS = [
  'ลำดับ / No.',
  'วันที่มารับบริการ / Visit date (BE)',
  "ชื่อ – นามสกุล ญาติ / Relative's name",
  'ความสัมพันธ์กับผู้ต้องขัง / Relationship',
  'หมายเลขโทรศัพท์ / Phone',
  'เลขประจำตัวผู้ต้องขัง / Prisoner ID',
  "ชื่อ – นามสกุล ผู้ต้องขัง / Prisoner's name",
  'บริการที่ได้รับ / Services',
  'ผลการให้บริการ / Result',
  'เจ้าหน้าที่ผู้ให้บริการ / Served by'
];
const TITLE_TH: Record<string, string> = { mr: 'นาย', mrs: 'นาง', miss: 'นางสาว' };
const STATUS_TH = { prisoner: 'ผู้ต้องขัง', released: 'ผู้พ้นโทษ' };
const RELATION_TH: Record<string, string> = {
  parent: 'บิดา/มารดา',
  spouse: 'คู่สมรส',
  sibling: 'พี่น้อง',
  child: 'บุตร',
  relative: 'ญาติ',
  employer: 'นายจ้าง'
};
const SERVICE_TH: Record<string, string> = {
  capital: 'ทุนประกอบอาชีพ',
  'job-info': 'ข้อมูลตำแหน่งงานว่าง',
  shelter: 'ที่พักชั่วคราว',
  'child-scholarship': 'ทุนการศึกษาบุตร',
  medical: 'การรักษาพยาบาล',
  'fare-home': 'ค่าพาหนะกลับภูมิลำเนา',
  referral: 'ประสานส่งต่อหน่วยงานเครือข่าย',
  'employment-project': 'การจ้างงานตามโครงการคืนคนดีสู่สังคม',
  advice: 'ให้ข้อมูลข่าวสาร / คำปรึกษาทั่วไป',
  other: 'อื่น ๆ'
};

/** The expected rows, recomputed from the raw documents. */
function expectedRows(type: 'care03' | 'care04', first: string, last: string, all = visits): string[][] {
  const byId = new Map(people.map((p) => [p._id, p]));
  const chosen = all
    .filter((v) => v.type === type && v.visitDate >= first && v.visitDate <= last)
    .sort((a, b) => (a.visitDate + a.recordedAt + a._id).localeCompare(b.visitDate + b.recordedAt + b._id));
  return chosen.map((v, i) => {
    const p = byId.get(v.personId)!;
    const [y, m, d] = v.visitDate.split('-').map(Number);
    const services = v.services.map((s) => (s === 'other' ? `อื่น ๆ (${v.serviceOther})` : SERVICE_TH[s])).join(', ');
    const person = [p.prisonerId, `${TITLE_TH[p.title]}${p.firstName} ${p.lastName}`];
    const tail = [services, v.result, v.servedByName ?? v.servedBy];
    if (v.type === 'care03') return [String(i + 1), `${d}/${m}/${y + 543}`, ...person, STATUS_TH[v.clientStatus], ...tail];
    const r = v.relative;
    return [
      String(i + 1),
      `${d}/${m}/${y + 543}`,
      `${r.title ? TITLE_TH[r.title] : ''}${r.firstName} ${r.lastName}`,
      r.relationship === 'other' ? r.relationshipOther! : RELATION_TH[r.relationship],
      r.phone ?? '',
      ...person,
      ...tail
    ];
  });
}

async function download(path: string, cookie = supervisor) {
  const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function sheetOf(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const v = row.getCell(c).value;
      cells.push(v === null || v === undefined ? '' : String(v));
    }
    rows.push(cells);
  });
  return rows;
}

/** RFC 4180: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

async function call(path: string, cookie = supervisor, base = server.url) {
  const response = await fetch(`${base}${path}`, { headers: { Cookie: cookie } });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  server = await startTestServer();
  for (let i = 0; i < 30; i++) people.push(makePerson(UNIT_A, { title: (['mr', 'mrs', 'miss'] as const)[i % 3] }));
  visits = generateCareVisits({
    unitId: UNIT_A,
    personIds: people.map((p) => p._id),
    perPerson: 4,
    from: '2026-09-20',
    to: '2026-11-20',
    seed: 12,
    relativeShare: 0.35
  });
  for (const v of visits) expect(checkDoc(v, UNIT_A)).toMatchObject({ ok: true });
  await server.storage
    .openDatabase(unitDatabaseName(UNIT_A))
    .bulkDocs([...people, makeCare01(people[0], { interviewDate: '2026-11-03' }), ...visits] as never, { new_edits: true });
  await createUser(server.storage, {
    username: 'volunteer.a',
    displayName: 'Volunteer A',
    role: 'volunteer',
    units: [UNIT_A],
    password: PASSWORD
  });
  supervisor = (await login(server, USERS.supervisor)).cookie;
  officer = (await login(server, USERS.officerA)).cookie;
}, 60_000);

afterAll(async () => {
  await closeClients();
  await server?.stop();
});

describe('CARE 03 / CARE 04 workbooks', () => {
  it('CARE 03 of a month as .xlsx: the title, the headings in the form’s order and every cell as recomputed', async () => {
    const { response, bytes } = await download(`/api/care-visits/${UNIT_A}/2026-11/export?report=care03&format=xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`care03-${UNIT_A}-2026-11.xlsx`);
    const rows = await sheetOf(bytes);
    expect(rows[0][0]).toMatch(/^CARE 03 แบบสรุปบัญชีรายชื่อผู้เข้ารับบริการในศูนย์ประสานงานและส่งเสริมการมีงานทำ/);
    expect(rows[0][0]).toContain('ประจำเดือน 11/2569');
    expect(rows[1]).toEqual(CARE03_HEADINGS);
    const expected = expectedRows('care03', '2026-11-01', '2026-11-30');
    expect(expected.length).toBeGreaterThan(10);
    expect(rows.slice(2)).toEqual(expected);
    expect(response.headers.get('x-export-rows')).toBe(String(expected.length));
    expect(response.headers.get('x-report-stale')).toBe('false');
    // The same month's CARE 02 counts the same visits (prisoners + released people).
    const care02 = await call(`/api/care02/${UNIT_A}/2026-11`);
    expect(care02.body.derived.visits.prisoner + care02.body.derived.visits.released).toBe(expected.length);
  });

  it('CARE 04 over three months as CSV with a BOM, every cell as recomputed', async () => {
    const { response, bytes } = await download(
      `/api/care-visits/${UNIT_A}/2026-09/export?report=care04&to=2026-11&format=csv`,
      officer
    );
    expect(response.status).toBe(200);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual(CARE04_HEADINGS);
    const expected = expectedRows('care04', '2026-09-01', '2026-11-30');
    expect(expected.length).toBeGreaterThan(10);
    expect(rows.slice(1)).toEqual(expected);
    const care02 = await Promise.all(['2026-09', '2026-10', '2026-11'].map((m) => call(`/api/care02/${UNIT_A}/${m}`, officer)));
    expect(care02.reduce((n, c) => n + c.body.derived.visits.relative, 0)).toBe(expected.length);
  });

  it('bad requests name the field and change nothing; scope and roles are kept', async () => {
    const base = `/api/care-visits/${UNIT_A}/2026-11/export`;
    expect((await call(`${base}?report=care05`)).body.message).toMatch(/^report:/);
    expect((await call(`${base}?report=care03&to=2026-10`)).body.message).toMatch(/^to: ต้องไม่ก่อน/);
    expect((await call(`${base}?report=care03&to=2027-11`)).body.message).toMatch(/^to: ไม่เกิน 12 เดือน/);
    expect((await call(`${base}?report=care03&format=pdf`)).body.message).toMatch(/^format:/);
    expect((await call(`/api/care-visits/${UNIT_A}/2026-13/export?report=care03`)).body.message).toMatch(/^month:/);
    expect((await call(`/api/care-visits/${UNIT_B}/2026-11/export?report=care03`)).status).toBe(404);
    const volunteer = (await login(server, 'volunteer.a')).cookie;
    expect((await call(`${base}?report=care03`, volunteer)).status).toBe(403);
    const officerB = (await login(server, USERS.officerB)).cookie;
    expect((await call(`${base}?report=care03`, officerB)).status).toBe(403);
  });

  it('each export is audited: who, unit, report, row count, person ids — no names', async () => {
    const events = (await server.storage.openDatabase('audit').allDocs({ include_docs: true })).rows
      .map((r) => r.doc as unknown as Record<string, unknown>)
      .filter((d) => d?.action === 'export' && /^care0[34]:/.test(String(d.target)));
    const care03 = events.find((e) => e.target === 'care03:2026-11:2026-11:xlsx')!;
    expect(care03).toMatchObject({
      actor: USERS.supervisor,
      unitId: UNIT_A,
      count: expectedRows('care03', '2026-11-01', '2026-11-30').length
    });
    expect(events.find((e) => e.target === 'care04:2026-09:2026-11:csv')).toMatchObject({ actor: USERS.officerA });
    const text = JSON.stringify(events);
    for (const p of people.slice(0, 5)) expect(text).not.toContain(p.firstName);
    expect(text).not.toMatch(/ให้ข้อมูล|แนะนำ/);
  });
});

describe('review queue and CARE 02 follow the unit’s changes', () => {
  it('a visit synced by a tablet appears in the queue, in the CARE 02 numbers and in the workbook', async () => {
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const month = today.slice(0, 7);
    const queueBefore = await call(`/api/review/queue?unit=${UNIT_A}&limit=500`);
    const care02Before = await call(`/api/care02/${UNIT_A}/${month}`);
    expect(queueBefore.body.units[0].stale).toBe(false);
    expect(queueBefore.body.units[0].projection.caughtUpAt).toBeTruthy();

    const now = new Date().toISOString();
    const visit: Care03Doc = {
      _id: 'care03:7e000000-0000-4000-8000-000000000001',
      type: 'care03',
      unitId: UNIT_A,
      schemaVersion: 1,
      createdAt: now,
      createdBy: USERS.officerA,
      updatedAt: now,
      updatedBy: USERS.officerA,
      personId: people[1]._id,
      visitDate: today,
      recordedAt: now,
      servedBy: USERS.officerA,
      clientStatus: 'released',
      services: ['shelter', 'fare-home'],
      result: 'ประสานที่พักชั่วคราว'
    };
    const tablet = localDb('tablet-a');
    await tablet.put(visit as never);
    const pushed = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(pushed.denied).toEqual([]);
    expect(pushed.result.docs_written).toBe(1);

    const queueAfter = await call(`/api/review/queue?unit=${UNIT_A}&limit=500`);
    expect(queueAfter.body.units[0].total).toBe(queueBefore.body.units[0].total + 1);
    expect(queueAfter.body.units[0].entries.map((e: { id: string }) => e.id)).toContain(visit._id);
    expect(queueAfter.body.units[0].projection.seq).not.toBe(queueBefore.body.units[0].projection.seq);

    const care02After = await call(`/api/care02/${UNIT_A}/${month}`);
    const [b, a] = [care02Before.body.derived, care02After.body.derived];
    expect(a.visits.released).toBe(b.visits.released + 1);
    expect(a.services.shelter.released).toBe(b.services.shelter.released + 1);
    expect(a.services['fare-home'].total).toBe(b.services['fare-home'].total + 1);
    expect(care02After.body.stale).toBe(false);

    const { bytes } = await download(`/api/care-visits/${UNIT_A}/${month}/export?report=care03`);
    const rows = await sheetOf(bytes);
    expect(rows.slice(2)).toEqual(expectedRows('care03', `${month}-01`, `${month}-31`, [...visits, visit]));

    // Reviewed: it leaves the queue at once (the decision comes back through the same feed).
    const entry = queueAfter.body.units[0].entries.find((e: { id: string }) => e.id === visit._id);
    const marked = await fetch(`${server.url}/api/review/${UNIT_A}/${visit._id}`, {
      method: 'POST',
      headers: { Cookie: supervisor, 'Content-Type': 'application/json' },
      body: JSON.stringify({ rev: entry.rev, state: 'reviewed' })
    });
    expect(marked.status).toBe(201);
    const queueLast = await call(`/api/review/queue?unit=${UNIT_A}&limit=500`);
    expect(queueLast.body.units[0].total).toBe(queueBefore.body.units[0].total);
    const record = await call(`/api/review/${UNIT_A}/${visit._id}`);
    expect(record.body.reviews.map((r: { state: string }) => r.state)).toEqual(['reviewed']);
  });
});

describe.runIf(process.env.STORAGE === 'couchdb')('several stateless instances on one CouchDB', () => {
  it('a second instance answers the same queue, CARE 02 and workbook from its own projection', async () => {
    const storage = new CouchStorage(server.couch!.url, { prefix: server.couch!.prefix });
    const second = await buildServer({ storage, log: false });
    await second.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
      const one = await call(`/api/review/queue?unit=${UNIT_A}&limit=500`);
      const other = await call(`/api/review/queue?unit=${UNIT_A}&limit=500`, supervisor, url);
      expect(other.body.units[0].stale).toBe(false);
      expect(other.body.units[0].entries).toEqual(one.body.units[0].entries);
      const c1 = await call(`/api/care02/${UNIT_A}/2026-10`);
      const c2 = await call(`/api/care02/${UNIT_A}/2026-10`, supervisor, url);
      expect(c2.body.derived).toEqual(c1.body.derived);
      const file = await fetch(`${url}/api/care-visits/${UNIT_A}/2026-10/export?report=care04`, {
        headers: { Cookie: supervisor }
      });
      const rows = await sheetOf(Buffer.from(await file.arrayBuffer()));
      expect(rows.slice(2)).toEqual(expectedRows('care04', '2026-10-01', '2026-10-31'));
    } finally {
      await second.close();
      await storage.close();
    }
  });
});
