/**
 * Fault (b): a TCP proxy between the tablets and the server cuts connections at random points
 * (seeded, bounded) while one tablet pushes and another pulls. Each tablet retries its
 * one-off replication, as the app does, a bounded number of times. Ends with the server and
 * both tablets holding exactly the same documents and revisions, with no conflicts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  conflictedIds,
  idsWithSeveralLeaves,
  remoteUnitDb,
  replicateWithin,
  retryBounded,
  seededRandom,
  stalledRequests,
  startCuttingProxy,
  winningRevisions,
  type CuttingProxy
} from '../helpers/faults.ts';
import {
  closeClients,
  localDb,
  login,
  makeCare01,
  makePerson,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

/** Another cut pattern: FAULT_SEED=<n> (the assertions below hold for any seed). */
const SEED = Number(process.env.FAULT_SEED ?? 20261122);
const MAX_CUTS = 12;
const PEOPLE = 300;
/** One replication attempt's bound (normally a few hundred ms; the whole test takes ~5 s). */
const ATTEMPT_MS = 45_000;

describe('connections cut mid-batch by a proxy', () => {
  let server: TestServer;
  let proxy: CuttingProxy;
  beforeAll(async () => {
    server = await startTestServer({ longpollMaxMs: 2_000 });
    const port = Number(new URL(server.url).port);
    proxy = await startCuttingProxy(
      { host: '127.0.0.1', port },
      { rng: seededRandom(SEED), maxCuts: MAX_CUTS, minBytes: 200, maxBytes: 40_000, cutProbability: 0.9 }
    );
  });
  afterEach(closeClients);
  afterAll(async () => {
    await proxy.close();
    await server.stop();
  });

  /** Remote handles made per attempt, closed at the end. */
  const remotes: PouchDB.Database[] = [];
  const track = (db: PouchDB.Database) => (remotes.push(db), db);
  afterEach(async () => {
    await Promise.all(remotes.splice(0).map((db) => db.close().catch(() => undefined)));
  });

  it('loses nothing and duplicates nothing while a tablet pushes and another pulls', { timeout: 180_000 }, async () => {
    const { cookie } = await login(server, USERS.officerA);
    const viaProxy = () => track(remoteUnitDb(proxy.url, UNIT_A, cookie));
    // Each attempt is bounded: a stuck one is cancelled and retried like a cut one.
    const replicate = (source: PouchDB.Database, target: PouchDB.Database) =>
      replicateWithin(source, target, { batch_size: 25 }, ATTEMPT_MS);

    const pusher = localDb('pusher');
    const people = Array.from({ length: PEOPLE }, () => makePerson(UNIT_A));
    await pusher.bulkDocs([...people, ...people.slice(0, 100).map((p) => makeCare01(p))]);
    const puller = localDb('puller');

    // Both at once, each retrying after a cut; the puller keeps pulling until the pusher is done.
    let pushDone = false;
    const push = retryBounded(() => replicate(pusher, viaProxy()).then(() => (pushDone = true)), 60);
    const pull = (async () => {
      let rounds = 0;
      let attempts = 0;
      while (!pushDone && rounds < 200) {
        rounds++;
        attempts += await retryBounded(() => replicate(viaProxy(), puller), 60);
      }
      return attempts + (await retryBounded(() => replicate(viaProxy(), puller), 60));
    })();
    const [pushAttempts] = await Promise.all([push, pull]);
    // The faults really happened: connections were cut, and the push had to start over.
    expect(proxy.cuts()).toBeGreaterThanOrEqual(4);
    expect(proxy.cuts()).toBeLessThanOrEqual(MAX_CUTS);
    expect(pushAttempts).toBeGreaterThan(1);
    if (stalledRequests.length) console.warn(`fault test: ${stalledRequests.length} stalled: ${stalledRequests.join(', ')}`);

    const onPusher = await winningRevisions(pusher);
    expect(onPusher.size).toBe(PEOPLE + 100);
    expect(await winningRevisions(puller)).toEqual(onPusher);
    const serverDb = server.storage.openDatabase(unitDatabaseName(UNIT_A));
    const rows = (await serverDb.allDocs({})).rows;
    expect(new Map(rows.map((r) => [r.id, r.value!.rev]))).toEqual(onPusher);
    expect(await idsWithSeveralLeaves(serverDb)).toEqual([]);
    expect(await conflictedIds(puller)).toEqual([]);
  });
});
