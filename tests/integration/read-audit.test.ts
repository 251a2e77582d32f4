import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { call } from '../helpers/admin-api.ts';
import {
  closeClients,
  localDb,
  login,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('audit of reads and sign-ins; request log lines', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ logLevel: 'info' });
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  it('records who pulled how many documents of which unit, by id only, and sign-ins', async () => {
    const people = [makePerson(UNIT_A, { firstName: 'อ่านแล้วบันทึก' }), makePerson(UNIT_A), makePerson(UNIT_A)];
    await server.storage.openDatabase(unitDatabaseName(UNIT_A)).bulkDocs(people, { new_edits: true });
    const pulled = await replicate(remoteDb(server, UNIT_A, USERS.supervisor), localDb());
    expect(pulled.result.docs_written).toBe(3);
    const admin = (await login(server, USERS.admin)).cookie;
    const rows = (await call(server, 'GET', `/api/admin/audit?action=read-pull&actor=${USERS.supervisor}`, admin)).body.rows;
    expect(rows.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(3);
    expect(rows.every((r: { unitId: string; ip: string }) => r.unitId === UNIT_A && r.ip === '127.0.0.1')).toBe(true);
    // The person's id finds the read ("filter by person"); the name is nowhere.
    const byPerson = (await call(server, 'GET', `/api/admin/audit?target=${people[0]._id}`, admin)).body.rows;
    expect(byPerson).toEqual([expect.objectContaining({ action: 'read-pull', actor: USERS.supervisor })]);
    const raw = await server.storage.openDatabase('audit').allDocs({ include_docs: true });
    expect(JSON.stringify(raw)).not.toContain('อ่านแล้วบันทึก');

    // Sign-ins and password changes.
    const signIns = (await call(server, 'GET', `/api/admin/audit?action=sign-in&actor=${USERS.admin}`, admin)).body.rows;
    expect(signIns.length).toBe(1);
  });

  it('log lines carry the account and the client address', async () => {
    await login(server, USERS.officerA);
    await fetch(`${server.url}/sync/${UNIT_A}/`, {
      headers: { Authorization: `Basic ${Buffer.from(`${USERS.officerA}:Test-Pass-2569!`).toString('base64')}` }
    });
    await fetch(`${server.url}/api/me`);
    const requests = server.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests).toContainEqual(
      expect.objectContaining({ path: '/api/session', status: 200, account: USERS.officerA, ip: '127.0.0.1' })
    );
    expect(requests).toContainEqual(expect.objectContaining({ path: `/sync/${UNIT_A}/`, status: 200, account: USERS.officerA }));
    expect(requests).toContainEqual(expect.objectContaining({ path: '/api/me', status: 401, account: null, ip: '127.0.0.1' }));
  });
});
