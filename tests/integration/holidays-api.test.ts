import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialHolidays } from '../../src/lib/domain/holidays-th.ts';
import { HOLIDAY_CALENDAR_DOC_ID } from '../../sync-server/holidays.ts';
import { isNotFound } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, SYSTEM_DB } from '../../sync-server/system-db.ts';
import { login, startTestServer, USERS, type TestServer } from '../helpers/server.ts';
import { seedVolunteers, VOLUNTEERS } from '../helpers/volunteers.ts';

describe('GET / PUT /api/holidays', () => {
  let server: TestServer;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    server = await startTestServer();
    await seedVolunteers(server);
    for (const name of [USERS.admin, USERS.officerA, USERS.supervisor, VOLUNTEERS.one])
      cookies[name] = (await login(server, name)).cookie;
  });
  afterAll(async () => server.stop());

  async function call(method: 'GET' | 'PUT', as: string | null, body?: unknown, raw?: string) {
    const response = await fetch(`${server.url}/api/holidays`, {
      method,
      headers: {
        ...(as ? { Cookie: cookies[as] } : {}),
        ...(body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {})
      },
      body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined)
    });
    return { status: response.status, body: await response.json() };
  }
  const auditEntries = async () =>
    (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows
      .map((r) => r.doc as Record<string, any>)
      .filter((d) => d.type === 'audit-holidays');
  const storedCopy = () => server.storage.openDatabase(SYSTEM_DB).get(HOLIDAY_CALENDAR_DOC_ID);

  const edited = [
    // Given out of order on purpose: saved sorted.
    { date: '2027-05-10', th: 'วันหยุดพิเศษ', en: 'Special holiday' },
    { date: '2026-12-07', th: 'วันหยุดชดเชยวันพ่อแห่งชาติ', en: "Substitution for Father's Day" },
    { date: '2027-05-20', th: 'วันพืชมงคล', en: 'Royal Ploughing Ceremony', provisional: true }
  ];

  it('serves the official calendar to every signed-in role until an administrator edits it', async () => {
    for (const name of [USERS.officerA, USERS.supervisor, VOLUNTEERS.one, USERS.admin]) {
      const { status, body } = await call('GET', name);
      expect(status).toBe(200);
      expect(body).toEqual({ source: 'official', holidays: officialHolidays });
    }
    expect(officialHolidays.length).toBeGreaterThan(20);
    expect((await call('GET', null)).status).toBe(401);
  });

  it('refuses changes from everyone but an administrator, and stores nothing', async () => {
    for (const name of [USERS.officerA, USERS.supervisor, VOLUNTEERS.one]) {
      const { status, body } = await call('PUT', name, edited);
      expect(status).toBe(403);
      expect(body).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/administrator/) });
    }
    expect((await call('PUT', null, edited)).status).toBe(401);
    await expect(storedCopy()).rejects.toSatisfy(isNotFound);
    expect(await auditEntries()).toEqual([]);
  });

  it('refuses a bad calendar with a readable reason and changes nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ date: '2027-01-01', th: 'x', en: 'y' }, /JSON array/],
      [[{ date: '2027-02-30', th: 'วันหยุด', en: 'Holiday' }], /0\.date: .*not a valid date/],
      [[{ date: '1/1/2027', th: 'วันหยุด', en: 'Holiday' }], /not a valid date/],
      [[{ date: '2027-01-01', th: '  ', en: 'Holiday' }], /0\.th: .*required/],
      [[{ date: '2027-01-01', th: 'วันหยุด' }], /0\.en/],
      [[{ date: '2027-01-01', th: 'วันหยุด', en: 'Holiday', colour: 'red' }], /colour|Unrecognized/i],
      [
        [
          { date: '2027-01-01', th: 'วันขึ้นปีใหม่', en: "New Year's Day" },
          { date: '2027-01-01', th: 'ซ้ำ', en: 'Again' }
        ],
        /1\.date: .*2027-01-01 is listed twice/
      ]
    ];
    for (const [body, reason] of cases) {
      const answer = await call('PUT', USERS.admin, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(reason);
    }
    expect((await call('PUT', USERS.admin, undefined, '[{"date": ')).status).toBe(400);
    await expect(storedCopy()).rejects.toSatisfy(isNotFound);
    expect((await call('GET', USERS.officerA)).body.source).toBe('official');
  });

  it('replaces the calendar for everyone, sorted by date, and audits who changed which days', async () => {
    const saved = await call('PUT', USERS.admin, edited);
    expect(saved.status).toBe(200);
    const sorted = [edited[1], edited[0], edited[2]];
    expect(saved.body).toEqual({ source: 'edited', holidays: sorted, updatedAt: expect.any(String), updatedBy: USERS.admin });

    const seen = await call('GET', VOLUNTEERS.one);
    expect(seen.body).toEqual(saved.body);

    const [entry] = await auditEntries();
    const official = new Map(officialHolidays.map((h) => [h.date, h]));
    expect(entry).toMatchObject({
      username: USERS.admin,
      count: 3,
      added: sorted.filter((h) => !official.has(h.date)).map((h) => h.date),
      changed: sorted
        .filter((h) => official.has(h.date) && JSON.stringify(official.get(h.date)) !== JSON.stringify(h))
        .map((h) => h.date),
      removed: officialHolidays.filter((h) => !edited.some((e) => e.date === h.date)).map((h) => h.date)
    });
    expect(entry.added).toContain('2027-05-10');
    expect(entry.removed.length).toBeGreaterThan(20);

    // Saving the same calendar again changes nothing and adds no audit entry.
    const again = await call('PUT', USERS.admin, sorted);
    expect(again.body).toEqual(saved.body);
    expect(await auditEntries()).toHaveLength(1);

    // A rename is recorded as a change of that day.
    const renamed = await call('PUT', USERS.admin, [{ ...edited[1] }, { ...edited[0], en: 'Special public holiday' }, edited[2]]);
    expect(renamed.status).toBe(200);
    const entries = (await auditEntries()).sort((a, b) => (a.at < b.at ? -1 : 1));
    expect(entries[1]).toMatchObject({ added: [], removed: [], changed: ['2027-05-10'] });
  });

  it('keeps the edited calendar across a restart (it lives in storage, not in memory)', async () => {
    const before = (await call('GET', USERS.admin)).body;
    await server.stop({ keepData: true });
    server = await startTestServer({ dataDir: server.dataDir, seed: false });
    const cookie = (await login(server, USERS.officerA)).cookie;
    const response = await fetch(`${server.url}/api/holidays`, { headers: { Cookie: cookie } });
    expect(await response.json()).toEqual(before);
  });
});
