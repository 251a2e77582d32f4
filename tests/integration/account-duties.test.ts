/**
 * Account duties (which request step an account holds beyond its role) against a real server:
 * only an administrator sets them, they are validated by the shared domain (officer accounts,
 * known duties) and audited; a request step is allowed to an account exactly when it holds the
 * duty of that step.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DB, SYSTEM_DB } from '../../sync-server/system-db.ts';
import { userDocId } from '../../sync-server/users.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { assistanceRequest, SERVICE_PERSON } from '../../src/lib/domain/services/test-fixtures.ts';
import { call } from '../helpers/admin-api.ts';
import {
  basicAuth,
  closeClients,
  login,
  makePerson,
  startTestServer,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

const WHY = 'มอบหมายงานรับคำร้อง / intake duty';

describe('account duties ("เจ้าหน้าที่กลุ่มยุทธศาสตร์", "เจ้าหน้าที่การเงิน")', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = (await login(server, USERS.admin)).cookie;
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const storedDuties = async (username: string) =>
    ((await server.storage.openDatabase(SYSTEM_DB).get(userDocId(username))) as StoredDoc).duties;
  const patch = (cookie: string, username: string, body: object) =>
    call(server, 'PATCH', `/api/admin/accounts/${username}`, cookie, { why: WHY, ...body });

  it('only an administrator may set them, and only known duties on an officer account', async () => {
    const officer = (await login(server, USERS.officerB)).cookie;
    const supervisor = (await login(server, USERS.supervisor)).cookie;
    expect((await patch(officer, USERS.officerB, { duties: ['intake'] })).status).toBe(403);
    expect((await patch(supervisor, USERS.officerB, { duties: ['intake'] })).status).toBe(403);
    expect(await storedDuties(USERS.officerB)).toBeUndefined();

    const unknown = await patch(admin, USERS.officerB, { duties: ['director'] });
    expect(unknown).toMatchObject({ status: 400, body: { field: 'duties.0' } });
    const twice = await patch(admin, USERS.officerB, { duties: ['intake', 'intake'] });
    expect(twice).toMatchObject({ status: 400, body: { field: 'duties' } });
    const notOfficer = await patch(admin, USERS.supervisor, { duties: ['finance'] });
    expect(notOfficer).toMatchObject({ status: 400, body: { field: 'duties', message: expect.stringMatching(/^กำหนดหน้าที่/) } });
    expect(await storedDuties(USERS.supervisor)).toBeUndefined();
  });

  it('a request step is allowed to the account once it holds that duty; the change is audited', async () => {
    // The probation office's officer filed a request at the office; accepting it is the staff's step.
    const person = makePerson(UNIT_B, { createdBy: USERS.officerB, updatedBy: USERS.officerB, _id: SERVICE_PERSON });
    const filed = assistanceRequest(UNIT_B, {
      createdBy: USERS.officerB,
      updatedBy: USERS.officerB,
      history: [{ state: 'submitted', at: new Date(Date.now() - 60_000).toISOString(), by: USERS.officerB, duty: 'case-officer' }]
    });
    const put = async (doc: object & { _id: string }) =>
      fetch(`${server.url}/sync/${UNIT_B}/${encodeURIComponent(doc._id)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(USERS.officerB) },
        body: JSON.stringify(doc)
      });
    expect((await put(person)).status).toBe(201);
    const first = await put(filed);
    expect(first.status).toBe(201);
    const rev = ((await first.json()) as { rev: string }).rev;
    const accept = {
      ...filed,
      _rev: rev,
      history: [...filed.history, { state: 'accepted', at: new Date().toISOString(), by: USERS.officerB, duty: 'intake' }]
    };

    const refused = await put(accept);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { reason: string }).reason).toMatch(/does not hold the duty intake/);

    const given = await patch(admin, USERS.officerB, { duties: ['intake'] });
    expect(given).toMatchObject({ status: 200, body: { username: USERS.officerB, duties: ['intake'] } });
    expect(await storedDuties(USERS.officerB)).toEqual(['intake']);
    const duties = await fetch(`${server.url}/api/requests/duties`, { headers: { Authorization: basicAuth(USERS.officerB) } });
    expect(((await duties.json()) as { duties: string[] }).duties.sort()).toEqual(['case-officer', 'intake']);

    expect((await put(accept)).status).toBe(201);

    const audit = (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows.map(
      (r) => r.doc as Record<string, unknown>
    );
    expect(audit.find((e) => e?.action === 'account-change' && e.target === userDocId(USERS.officerB))).toMatchObject({
      actor: USERS.admin,
      why: expect.stringContaining('[duties: intake]')
    });

    // Taken away again (an edit without duties keeps them; an empty list removes them).
    await patch(admin, USERS.officerB, { displayName: 'Officer B' });
    expect(await storedDuties(USERS.officerB)).toEqual(['intake']);
    await patch(admin, USERS.officerB, { duties: [] });
    expect(await storedDuties(USERS.officerB)).toBeUndefined();
  });
});
