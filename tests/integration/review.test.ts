/**
 * The review queue on a real server and store: records an officer synced wait in their unit's
 * queue; a supervisor never sees another unit's queue or record; officers and volunteers cannot
 * mark; a decision is written as a `review` document, audited by id only, leaves the queue, and
 * reaches the unit's tablet replica on its next pull; a tablet cannot push a forged review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let supervisorA: string;
const careA = { id: '', rev: '' };
const careB = { id: '' };
const personA = { id: '' };

async function call(method: 'GET' | 'POST', path: string, cookie: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Cookie: cookie, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) })
  });
  return { status: response.status, body: await response.json() };
}

async function pushAs(username: string, unitId: string) {
  const tablet = localDb(`review-${username}`);
  const person = makePerson(unitId, { createdBy: username, updatedBy: username });
  const care01 = makeCare01(person, { createdBy: username, updatedBy: username });
  await tablet.bulkDocs([person, care01]);
  const out = await replicate(tablet, remoteDb(server, unitId, username));
  expect(out.denied).toEqual([]);
  return { tablet, person, care01 };
}

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.storage, {
    username: 'supervisor.a',
    displayName: 'Supervisor A',
    role: 'supervisor',
    units: [UNIT_A],
    password: PASSWORD
  });
  await createUser(server.storage, {
    username: 'volunteer.a',
    displayName: 'Volunteer A',
    role: 'volunteer',
    units: [UNIT_A],
    password: PASSWORD
  });
  const a = await pushAs(USERS.officerA, UNIT_A);
  const b = await pushAs(USERS.officerB, UNIT_B);
  personA.id = a.person._id;
  careA.id = a.care01._id;
  careB.id = b.care01._id;
  careA.rev = ((await server.storage.openDatabase(`unit-${UNIT_A}`).get(careA.id)) as { _rev: string })._rev;
  supervisor = (await login(server, USERS.supervisor)).cookie;
  supervisorA = (await login(server, 'supervisor.a')).cookie;
});

afterAll(async () => {
  await closeClients();
  await server?.stop();
});

describe('review queue', () => {
  it('lists what officers synced, per unit, for a supervisor of both units', async () => {
    const { status, body } = await call('GET', '/api/review/queue', supervisor);
    expect(status).toBe(200);
    const byUnit = Object.fromEntries(
      body.units.map((u: { unitId: string; entries: Array<{ id: string }> }) => [u.unitId, u.entries.map((e) => e.id)])
    );
    expect(byUnit[UNIT_A]).toContain(careA.id);
    expect(byUnit[UNIT_B]).toContain(careB.id);
  });

  it('a supervisor never sees another unit: not in the queue, not by asking for it, not a record of it', async () => {
    const own = await call('GET', '/api/review/queue', supervisorA);
    expect(own.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([UNIT_A]);
    const other = await call('GET', `/api/review/queue?unit=${UNIT_B}`, supervisorA);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/ไม่มีสิทธิ์/);
    expect((await call('GET', `/api/review/${UNIT_B}/${careB.id}`, supervisorA)).status).toBe(403);
    expect(
      (await call('POST', `/api/review/${UNIT_B}/${careB.id}`, supervisorA, { rev: '1-abc', state: 'reviewed' })).status
    ).toBe(403);
  });

  it('officers and volunteers cannot read the queue or mark a record', async () => {
    for (const username of [USERS.officerA, 'volunteer.a']) {
      const cookie = (await login(server, username)).cookie;
      expect((await call('GET', '/api/review/queue', cookie)).status).toBe(403);
      const mark = await call('POST', `/api/review/${UNIT_A}/${careA.id}`, cookie, { rev: careA.rev, state: 'reviewed' });
      expect(mark.status).toBe(403);
    }
  });

  it('opens a record read-only, audited as read-record with its id and no personal content', async () => {
    const { status, body } = await call('GET', `/api/review/${UNIT_A}/${careA.id}`, supervisor);
    expect(status).toBe(200);
    expect(body.record._id).toBe(careA.id);
    expect(body.person._id).toBe(personA.id);
    const events = (await server.storage.openDatabase('audit').allDocs({ include_docs: true })).rows
      .map((r) => r.doc as unknown as Record<string, unknown>)
      .filter((d) => d?.action === 'read-record' && d.actor === USERS.supervisor && d.unitId === UNIT_A);
    expect(events.some((e) => (e.ids as string[]).includes(careA.id))).toBe(true);
    expect(JSON.stringify(events)).not.toContain(body.person.firstName);
  });

  it('bad decisions are refused in Thai and English naming the field, and change nothing', async () => {
    const noComment = await call('POST', `/api/review/${UNIT_A}/${careA.id}`, supervisor, {
      rev: careA.rev,
      state: 'returned',
      comment: ' '
    });
    expect(noComment.status).toBe(400);
    expect(noComment.body.message).toMatch(/comment: ส่งกลับต้องมีความเห็น/);
    const badState = await call('POST', `/api/review/${UNIT_A}/${careA.id}`, supervisor, { rev: careA.rev, state: 'approved' });
    expect(badState.body.message).toMatch(/^state:/);
    const stale = await call('POST', `/api/review/${UNIT_A}/${careA.id}`, supervisor, { rev: '9-abc', state: 'reviewed' });
    expect(stale.status).toBe(409);
    const reviews = await server.storage.openDatabase(`unit-${UNIT_A}`).allDocs({ startkey: 'review:', endkey: 'review:\ufff0' });
    expect(reviews.rows).toEqual([]);
  });

  it('sending back writes a review document, audited, gone from the queue, pulled by the unit tablet', async () => {
    const sent = await call('POST', `/api/review/${UNIT_A}/${careA.id}`, supervisor, {
      rev: careA.rev,
      state: 'returned',
      comment: 'ที่อยู่ไม่ครบ โปรดแก้ไข'
    });
    expect(sent.status).toBe(201);
    const queue = await call('GET', `/api/review/queue?unit=${UNIT_A}`, supervisor);
    expect(queue.body.units[0].entries.map((e: { id: string }) => e.id)).not.toContain(careA.id);

    const audit = (await server.storage.openDatabase('audit').allDocs({ include_docs: true })).rows
      .map((r) => r.doc as unknown as Record<string, unknown>)
      .filter((d) => d?.action === 'review-returned');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: USERS.supervisor, unitId: UNIT_A, target: careA.id });
    expect(JSON.stringify(audit)).not.toContain('ที่อยู่ไม่ครบ');

    const tablet = localDb('review-pull');
    await replicate(remoteDb(server, UNIT_A, USERS.officerA), tablet);
    const pulled = await tablet.get(sent.body.id);
    expect(pulled).toMatchObject({
      type: 'review',
      targetId: careA.id,
      targetRev: careA.rev,
      state: 'returned',
      comment: 'ที่อยู่ไม่ครบ โปรดแก้ไข',
      reviewedBy: USERS.supervisor,
      personId: personA.id
    });
  });

  it('a tablet cannot push a review of its own', async () => {
    const tablet = localDb('review-forge');
    await tablet.put({
      _id: 'review:00000000-0000-4000-8000-000000000001',
      type: 'review',
      unitId: UNIT_A,
      schemaVersion: 1,
      targetId: careA.id,
      targetRev: careA.rev,
      state: 'reviewed',
      comment: '',
      reviewedBy: USERS.supervisor,
      at: new Date().toISOString()
    });
    const out = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(out.denied).toHaveLength(1);
    await expect(
      server.storage.openDatabase(`unit-${UNIT_A}`).get('review:00000000-0000-4000-8000-000000000001')
    ).rejects.toThrow();
  });
});
