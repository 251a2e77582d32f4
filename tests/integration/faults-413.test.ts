/**
 * Fault (c): the server refuses large batches with 413 (a body cap below the default, as a
 * proxy in front of a small server would). PouchDB on its own gives up (one-off) or repeats
 * the same batch for ever (live); the client's replicateWithShrinkingBatches halves the batch
 * until it passes. Ends with the server and both tablets holding the same documents.
 */
import PouchDB from 'pouchdb-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTooLarge, replicateWithShrinkingBatches } from '../../src/lib/client/batch-size.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { idsWithSeveralLeaves, winningRevisions } from '../helpers/faults.ts';
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

/** About 25 person records per request: a batch of 100 is refused, 25 passes. */
const BODY_CAP = 48 * 1024;

describe('the server answers 413 to large batches', () => {
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer({ syncBodyBytes: BODY_CAP });
    cookie = (await login(server, USERS.officerA)).cookie;
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const remote = () => remoteDbWithCookie(server, UNIT_A, cookie);
  const serverDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_A));

  it('answers 413 with a reason, in CouchDB shape, and stores nothing of that batch', async () => {
    const docs = Array.from({ length: 200 }, () => makePerson(UNIT_A));
    const before = await serverDb().info();
    const response = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ docs })
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too_large', reason: expect.stringMatching(/too large/) });
    expect((await serverDb().info()).update_seq).toEqual(before.update_seq);
  });

  it('PouchDB alone: a one-off replication fails with the 413, and the batch size stays what it was', async () => {
    const tablet = localDb('plain');
    await tablet.bulkDocs(Array.from({ length: 150 }, () => makePerson(UNIT_A)));
    const error = await PouchDB.replicate(tablet, remote(), { batch_size: 100 }).then(
      () => null,
      (e: unknown) => e
    );
    expect(isTooLarge(error)).toBe(true);
    expect((error as { result?: { ok: boolean } }).result?.ok).toBe(false);
  });

  it('PouchDB alone: a live replication with retry repeats the same oversized batch', async () => {
    const tablet = localDb('live');
    await tablet.bulkDocs(Array.from({ length: 100 }, () => makePerson(UNIT_A)));
    const tooLarge: unknown[] = [];
    const live = PouchDB.replicate(tablet, remote(), {
      live: true,
      retry: true,
      batch_size: 100,
      // Short back-off so the repetition shows within the test (PouchDB's default grows to 10 min).
      back_off_function: () => 50
    } as PouchDB.Replication.ReplicateOptions);
    live.on('paused', (e) => {
      if (e && isTooLarge(e)) tooLarge.push(e);
    });
    const started = Date.now();
    while (tooLarge.length < 3 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 50));
    live.cancel();
    expect(tooLarge.length).toBeGreaterThanOrEqual(3);
    const written = new Set((await serverDb().allDocs({})).rows.map((r) => r.id));
    const onTablet = [...(await winningRevisions(tablet)).keys()];
    expect(onTablet.filter((id) => written.has(id))).toEqual([]);
  });

  it('halving the batch after each 413 gets every document across, once', async () => {
    const tablet = localDb('shrinking');
    const people = Array.from({ length: 120 }, () => makePerson(UNIT_A));
    await tablet.bulkDocs([...people, ...people.slice(0, 30).map((p) => makeCare01(p))]);
    const shrinks: Array<[number, number]> = [];
    const { result, batchSize } = await replicateWithShrinkingBatches(
      async (size) => {
        const outcome = await replicate(tablet, remote(), { batch_size: size, batches_limit: 2 });
        return outcome.result;
      },
      { initial: 100, onShrink: (from, to) => shrinks.push([from, to]) }
    );
    expect(result.ok).toBe(true);
    expect(result.doc_write_failures).toBe(0);
    expect(shrinks[0]).toEqual([100, 50]);
    expect(batchSize).toBeLessThan(100);

    // Another tablet pulls (pull batches are not limited by the body cap) and all three agree.
    const other = localDb('other');
    await replicate(remote(), other);
    const onTablet = await winningRevisions(tablet);
    const onOther = await winningRevisions(other);
    for (const [id, rev] of onTablet) expect(onOther.get(id)).toBe(rev);
    const onServer = new Map((await serverDb().allDocs({})).rows.map((r) => [r.id, r.value!.rev]));
    expect(onServer).toEqual(onOther);
    expect(await idsWithSeveralLeaves(serverDb())).toEqual([]);
  });

  it('gives up with the 413 when a single document is larger than the cap', async () => {
    const tablet = localDb('huge');
    const person = makePerson(UNIT_A);
    // A long but valid free-text field repeated over several interviews would do; one big note here.
    await tablet.bulkDocs(Array.from({ length: 4 }, () => makeCare01(person, { offence: 'ก'.repeat(200) })));
    await tablet.put({
      ...makePerson(UNIT_A),
      _id: 'person:00000000-0000-4000-8000-000000000000',
      firstName: 'x'.repeat(BODY_CAP)
    } as never);
    let attempts = 0;
    const error = await replicateWithShrinkingBatches(async (size) => {
      attempts++;
      return (await replicate(tablet, remote(), { batch_size: size })).result;
    }).then(
      () => null,
      (e: unknown) => e
    );
    expect(isTooLarge(error)).toBe(true);
    // 100, 50, 25, 12, 6, 3, 1: bounded by log2 of the first size.
    expect(attempts).toBe(7);
  });
});
