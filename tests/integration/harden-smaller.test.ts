/**
 * Issue 9, item 7 (the smaller findings): `_local` documents bounded and private to the account
 * that wrote them; a volunteer learns nothing of hidden ids through `filter=_doc_ids` or a refused
 * write; HSTS and a Content-Security-Policy header; a malformed URL answered 400 with the security
 * headers and without echoing it; NUL, lone surrogates and bidi overrides refused in text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../sync-server/config.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { basicAuth, makePerson, startTestServer, UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { makeFollowUp, seedVolunteers, VOLUNTEERS } from '../helpers/volunteers.ts';

describe('smaller hardening findings', () => {
  let server: TestServer;
  const officerB = { createdBy: USERS.officerB, updatedBy: USERS.officerB };
  const assigned = makePerson(UNIT_B, { ...officerB, assignedVolunteers: [VOLUNTEERS.one] });
  const hidden = makePerson(UNIT_B, officerB);
  const hiddenReport = makeFollowUp(hidden, officerB);

  beforeAll(async () => {
    server = await startTestServer({ cookieSecure: true });
    await seedVolunteers(server);
    await server.storage.openDatabase(unitDatabaseName(UNIT_B)).bulkDocs([assigned, hidden, hiddenReport], { new_edits: true });
  });
  afterAll(async () => server.stop());

  const call = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: basicAuth(user), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };

  it('keeps _local documents private to the account that wrote them (a volunteer cannot read or delete an officer checkpoint)', async () => {
    const put = await call(USERS.officerB, 'PUT', `/sync/${UNIT_B}/_local/checkpoint-1`, { last_seq: 5 });
    expect(put.status).toBe(201);
    expect((await call(USERS.officerB, 'GET', `/sync/${UNIT_B}/_local/checkpoint-1`)).body).toMatchObject({
      _id: '_local/checkpoint-1',
      last_seq: 5
    });
    const read = await call(VOLUNTEERS.one, 'GET', `/sync/${UNIT_B}/_local/checkpoint-1`);
    expect(read.status).toBe(404);
    const removed = await call(VOLUNTEERS.one, 'DELETE', `/sync/${UNIT_B}/_local/checkpoint-1?rev=${put.body.rev}`);
    expect(removed.status).toBe(404);
    expect((await call(USERS.officerB, 'GET', `/sync/${UNIT_B}/_local/checkpoint-1`)).status).toBe(200);
  });

  it('bounds the _local documents of a read-only account: id pattern, count (oldest dropped) and size', async () => {
    const odd = await call(USERS.supervisor, 'PUT', `/sync/${UNIT_A}/_local/${'x'.repeat(200)}`, { last_seq: 1 });
    expect(odd.status).toBe(400);
    for (let i = 0; i < LIMITS.localDocsPerAccount; i++)
      expect((await call(USERS.supervisor, 'PUT', `/sync/${UNIT_A}/_local/cp-${i}`, { last_seq: i })).status).toBe(201);
    // Updating one it already has works (a checkpoint moves on every sync) and takes no room.
    const current = await call(USERS.supervisor, 'GET', `/sync/${UNIT_A}/_local/cp-1`);
    expect((await call(USERS.supervisor, 'PUT', `/sync/${UNIT_A}/_local/cp-1`, { ...current.body, last_seq: 99 })).status).toBe(
      201
    );
    expect((await call(USERS.supervisor, 'GET', `/sync/${UNIT_A}/_local/cp-0`)).status).toBe(200);
    // One more id: the oldest goes, so the account never holds more than the bound.
    expect((await call(USERS.supervisor, 'PUT', `/sync/${UNIT_A}/_local/cp-extra`, { last_seq: 1 })).status).toBe(201);
    expect((await call(USERS.supervisor, 'GET', `/sync/${UNIT_A}/_local/cp-0`)).status).toBe(404);
    expect((await call(USERS.supervisor, 'GET', `/sync/${UNIT_A}/_local/cp-extra`)).status).toBe(200);
    const big = await call(USERS.supervisor, 'PUT', `/sync/${UNIT_A}/_local/cp-1`, { pad: 'x'.repeat(LIMITS.localDocBytes) });
    expect(big.status).toBe(413);
  });

  it('answers filter=_doc_ids for a hidden id exactly as for an id that does not exist', async () => {
    const ask = async (id: string) =>
      (await call(VOLUNTEERS.one, 'POST', `/sync/${UNIT_B}/_changes?filter=_doc_ids`, { doc_ids: [id] })).text;
    const missing = `person:${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`;
    expect(await ask(hidden._id)).toBe(await ask(missing));
    expect(await ask(hiddenReport._id)).toBe(await ask(missing));
  });

  it("refuses a volunteer's write to a hidden id with the same reason as to someone else's person, naming nothing stored", async () => {
    const asVolunteer = { createdBy: VOLUNTEERS.one, updatedBy: VOLUNTEERS.one, visitor: 'volunteer' as const };
    const overHidden = makeFollowUp(assigned, { ...asVolunteer, _id: hiddenReport._id });
    const notMine = makeFollowUp(hidden, asVolunteer);
    const rows = (await call(VOLUNTEERS.one, 'POST', `/sync/${UNIT_B}/_bulk_docs`, { docs: [overHidden, notMine] })).body;
    expect(rows[0].error).toBe('forbidden');
    expect(rows[0].reason).toBe(rows[1].reason);
    expect(JSON.stringify(rows)).not.toContain(hiddenReport.recordedAt);
    expect(JSON.stringify(rows)).not.toContain(USERS.officerB);
  });

  it('sends HSTS (secure cookies) and a Content-Security-Policy header, also on errors', async () => {
    for (const path of ['/api/health', '/api/nothing-here', `/sync/${UNIT_A}/`]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
  });

  it('answers a malformed URL with 400, the security headers, and without echoing the URL', async () => {
    const response = await fetch(`${server.url}/api/%E0%A4%A?secret=abc`);
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
    expect(text).not.toMatch(/%E0|secret/);
  });

  it('refuses NUL, lone surrogates and bidi overrides in text fields, naming the field', async () => {
    const rows = (
      await call(USERS.officerA, 'POST', `/sync/${UNIT_A}/_bulk_docs`, {
        docs: [
          makePerson(UNIT_A, { firstName: 'สม\u0000ชาย' }),
          makePerson(UNIT_A, { lastName: 'abc\u202Eevil' }),
          makePerson(UNIT_A, { firstName: 'x\uD800y' })
        ]
      })
    ).body;
    expect(rows[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/firstName: .*ตัวอักษรควบคุม/) });
    expect(rows[1]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/lastName: /) });
    expect(rows[2]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/firstName: /) });
  });
});
