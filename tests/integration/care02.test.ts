/**
 * CARE 02 on a real server and store: the month's numbers derived from the centre's CARE 01/03/04
 * records, submit → locked, a correction only with a reason and recorded as a visible
 * re-submission (who, when, why, what changed), scope (an account never reads another unit's
 * CARE 02; volunteers never), audit entries without personal data, errors naming the field.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { care03, care04 } from '../../src/lib/domain/services/test-fixtures.ts';
import { createUnit, createUser } from '../../sync-server/users.ts';
import {
  closeClients,
  login,
  makeCare01,
  makePerson,
  PASSWORD,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

const MONTH = '2026-11';
const UNIT_C = 'gamma-prison';
let server: TestServer;
let officer: string;
let supervisor: string;

async function call(method: 'GET' | 'POST', path: string, cookie: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Cookie: cookie, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) })
  });
  return { status: response.status, body: await response.json() };
}

const unitA = () => server.storage.openDatabase(`unit-${UNIT_A}`);

beforeAll(async () => {
  server = await startTestServer();
  await createUnit(server.storage, { unitId: UNIT_C, name: { th: 'ศูนย์ทดสอบ ซี', en: 'Test centre C' }, kind: 'prison-care' });
  await createUser(server.storage, {
    username: 'volunteer.a',
    displayName: 'Volunteer A',
    role: 'volunteer',
    units: [UNIT_A],
    password: PASSWORD
  });
  const person = makePerson(UNIT_A);
  await unitA().bulkDocs(
    [
      person,
      makeCare01(person, { interviewDate: '2026-11-02' }),
      makeCare01(person, { interviewDate: '2026-10-31' }),
      care03(UNIT_A, { visitDate: '2026-11-05', clientStatus: 'prisoner', services: ['job-info', 'advice'] }, 1),
      care03(UNIT_A, { visitDate: '2026-11-06', clientStatus: 'prisoner', services: ['job-info'] }, 2),
      care04(UNIT_A, { visitDate: '2026-11-07', services: ['medical'] }, 3)
    ] as never,
    { new_edits: true }
  );
  officer = (await login(server, USERS.officerA)).cookie;
  supervisor = (await login(server, USERS.supervisor)).cookie;
});

afterAll(async () => {
  await closeClients();
  await server?.stop();
});

describe('CARE 02', () => {
  it('derives the month from the records with every box a number and shows the deadline', async () => {
    const { status, body } = await call('GET', `/api/care02/${UNIT_A}/${MONTH}`, officer);
    expect(status).toBe(200);
    expect(body.deadline).toBe('2026-12-01T09:30:00.000Z');
    expect(body.locked).toBe(false);
    expect(body.derived.interviews).toBe(1);
    expect(body.derived.visits).toEqual({ prisoner: 2, released: 0, relative: 1, total: 3 });
    expect(body.derived.people).toEqual({ prisoner: 1, released: 0, relative: 1, total: 2 });
    expect(body.derived.services['job-info'].prisoner).toBe(2);
    expect(body.derived.services.medical.relative).toBe(1);
    expect(body.derived.services.shelter).toEqual({ prisoner: 0, released: 0, relative: 0, total: 0 });
  });

  it('submit locks the month; a correction needs a reason and records who, when, why and what changed', async () => {
    const first = await call('GET', `/api/care02/${UNIT_A}/${MONTH}`, officer);
    const submitted = await call('POST', `/api/care02/${UNIT_A}/${MONTH}`, officer, { basis: first.body.basis });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ version: 1, submittedBy: USERS.officerA });
    expect(submitted.body.late).toBe(submitted.body.at > '2026-12-01T09:30:00.000Z');

    const again = await call('POST', `/api/care02/${UNIT_A}/${MONTH}`, officer, { basis: first.body.basis });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/^why: เดือนนี้ส่งแล้ว/);

    // A late CARE 03 arrives; the numbers the officer saw are no longer the numbers.
    await unitA().bulkDocs(
      [care03(UNIT_A, { visitDate: '2026-11-20', clientStatus: 'released', services: ['shelter'] }, 4)] as never,
      { new_edits: true }
    );
    const stale = await call('POST', `/api/care02/${UNIT_A}/${MONTH}`, supervisor, {
      basis: first.body.basis,
      why: 'บันทึก CARE 03 ตกหล่น'
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/^basis:/);

    const now = await call('GET', `/api/care02/${UNIT_A}/${MONTH}`, supervisor);
    expect(now.body.locked).toBe(true);
    const corrected = await call('POST', `/api/care02/${UNIT_A}/${MONTH}`, supervisor, {
      basis: now.body.basis,
      why: 'บันทึก CARE 03 ตกหล่น'
    });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ version: 2, submittedBy: USERS.supervisor, why: 'บันทึก CARE 03 ตกหล่น' });
    expect(corrected.body.changes).toEqual(
      expect.arrayContaining([
        { box: 'visits.released', from: 0, to: 1 },
        { box: 'services.shelter.released', from: 0, to: 1 }
      ])
    );
    const history = await call('GET', `/api/care02/${UNIT_A}/${MONTH}`, officer);
    expect(history.body.submissions.map((s: { version: number }) => s.version)).toEqual([1, 2]);
    expect(history.body.submissions[0].numbers.visits.released).toBe(0);
  });

  it('exports the submitted form as .xlsx with the same numbers, and as CSV with a BOM', async () => {
    const { body } = await call('GET', `/api/care02/${UNIT_A}/${MONTH}`, officer);
    const latest = body.submissions.at(-1).numbers;
    const response = await fetch(`${server.url}/api/care02/${UNIT_A}/${MONTH}/export?format=xlsx`, {
      headers: { Cookie: officer }
    });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0];
    const rows = new Map<string, number[]>();
    sheet.eachRow((row, n) => {
      if (n > 1)
        rows.set(
          String(row.getCell(1).value).split(' / ')[1],
          [2, 3, 4, 5].map((c) => Number(row.getCell(c).value))
        );
    });
    expect(rows.get('Visits')).toEqual([
      latest.visits.prisoner,
      latest.visits.released,
      latest.visits.relative,
      latest.visits.total
    ]);
    expect(rows.get('Temporary shelter')).toEqual([0, 1, 0, 1]);
    expect(rows.get('Medical care')).toEqual([0, 0, 1, 1]);
    const csv = await fetch(`${server.url}/api/care02/${UNIT_A}/${MONTH}/export?format=csv`, { headers: { Cookie: officer } });
    expect(new Uint8Array(await csv.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const bad = await call('GET', `/api/care02/${UNIT_A}/${MONTH}/export?format=pdf`, officer);
    expect(bad.body.message).toMatch(/^format:/);
  });

  it('scope: another unit, a probation office and volunteers are refused; bad months name the field', async () => {
    expect((await call('GET', `/api/care02/${UNIT_C}/${MONTH}`, officer)).status).toBe(403);
    expect((await call('GET', `/api/care02/${UNIT_C}/${MONTH}`, supervisor)).status).toBe(403);
    expect((await call('GET', `/api/care02/${UNIT_B}/${MONTH}`, supervisor)).status).toBe(404);
    const volunteer = (await login(server, 'volunteer.a')).cookie;
    expect((await call('GET', `/api/care02/${UNIT_A}/${MONTH}`, volunteer)).status).toBe(403);
    const bad = await call('GET', `/api/care02/${UNIT_A}/2569-13`, officer);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^month:/);
  });

  it('reads and submissions are audited with counts and ids, never names', async () => {
    const events = (await server.storage.openDatabase('audit').allDocs({ include_docs: true })).rows
      .map((r) => r.doc as unknown as Record<string, unknown>)
      .filter(
        (d) =>
          typeof d?.action === 'string' && (String(d.target ?? '').startsWith('care02') || String(d.action).startsWith('care02'))
      );
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['read-report', 'care02-submit', 'care02-resubmit', 'export'])
    );
    expect(events.every((e) => e.unitId === UNIT_A)).toBe(true);
    expect(JSON.stringify(events)).not.toMatch(/สมศรี|ตกหล่น/);
  });
});
