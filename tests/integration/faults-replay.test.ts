/**
 * Fault (d): the same `_bulk_docs` batch arrives twice (a tablet that never saw the answer
 * sends it again), one after the other and both at once. Replicated revisions are idempotent:
 * the second copy changes nothing, and the server, the sending tablet and another tablet end
 * with the same documents and revisions, no conflicts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { conflictedIds, idsWithSeveralLeaves, winningRevisions } from '../helpers/faults.ts';
import {
  closeClients,
  localDb,
  login,
  makeCare01,
  makePerson,
  remoteDbWithCookie,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('the same _bulk_docs batch pushed twice', () => {
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer();
    cookie = (await login(server, USERS.officerA)).cookie;
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const serverDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_A));

  /** The batch exactly as PouchDB's replicator sends it: every leaf with its _revisions. */
  async function replicationBatch(tablet: PouchDB.Database): Promise<object[]> {
    const ids = (await tablet.allDocs()).rows.map((r) => ({ id: r.id, rev: r.value.rev }));
    const got = await tablet.bulkGet({ docs: ids, revs: true });
    return got.results.map((r) => (r.docs[0] as { ok: object }).ok);
  }

  const post = (docs: object[]) =>
    fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ docs, new_edits: false })
    }).then(async (r) => ({ status: r.status, rows: (await r.json()) as unknown[] }));

  async function serverState() {
    const rows = (await serverDb().allDocs({})).rows;
    return { revs: new Map(rows.map((r) => [r.id, r.value!.rev])), info: await serverDb().info() };
  }

  it('stores a replayed batch once, sequentially and concurrently', async () => {
    const tablet = localDb('tablet');
    const people = Array.from({ length: 40 }, () => makePerson(UNIT_A));
    await tablet.bulkDocs([...people, ...people.slice(0, 10).map((p) => makeCare01(p))]);
    // Some records edited once more, so the batch carries revision histories longer than one.
    for (const p of people.slice(0, 5)) await tablet.put({ ...(await tablet.get(p._id)), firstName: 'แก้ไข' });
    const batch = await replicationBatch(tablet);

    const first = await post(batch);
    expect(first.status).toBe(201);
    expect(first.rows.filter((r) => (r as { error?: string }).error)).toEqual([]);
    const afterFirst = await serverState();
    expect(afterFirst.revs).toEqual(await winningRevisions(tablet));

    const second = await post(batch);
    expect(second.status).toBe(201);
    expect(second.rows.filter((r) => (r as { error?: string }).error)).toEqual([]);
    const afterSecond = await serverState();
    expect(afterSecond.revs).toEqual(afterFirst.revs);
    expect(afterSecond.info.doc_count).toBe(afterFirst.info.doc_count);

    // A new batch sent twice at the same moment.
    const more = Array.from({ length: 30 }, () => makePerson(UNIT_A));
    await tablet.bulkDocs(more);
    const batch2 = (await replicationBatch(tablet)).filter((d) => more.some((m) => m._id === (d as { _id: string })._id));
    const both = await Promise.all([post(batch2), post(batch2)]);
    for (const answer of both) {
      expect(answer.status).toBe(201);
      expect(answer.rows.filter((r) => (r as { error?: string }).error)).toEqual([]);
    }

    const onTablet = await winningRevisions(tablet);
    expect((await serverState()).revs).toEqual(onTablet);
    expect(await idsWithSeveralLeaves(serverDb())).toEqual([]);

    // The tablet's own replication now finds nothing missing; another tablet gets the same set.
    const again = await replicate(tablet, remoteDbWithCookie(server, UNIT_A, cookie));
    expect(again.result.docs_written).toBe(0);
    const other = localDb('other');
    await replicate(remoteDbWithCookie(server, UNIT_A, cookie), other);
    expect(await winningRevisions(other)).toEqual(onTablet);
    expect(await conflictedIds(other)).toEqual([]);
  });
});
