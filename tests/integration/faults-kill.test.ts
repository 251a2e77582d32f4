/**
 * Fault (a): the sync-server process is SIGKILLed in the middle of a tablet's first
 * replication of 2,000 records, restarted on the same store, and the replication resumed.
 * Ends with the server and every client holding exactly the same documents and revisions.
 */
import PouchDB from 'pouchdb-node';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { StoragePort } from '../../sync-server/storage/port.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { startCouchTarget, type CouchTarget } from '../helpers/couchdb-target.ts';
import { conflictedIds, idsWithSeveralLeaves, spawnServer, winningRevisions, type ServerProcess } from '../helpers/faults.ts';
import {
  closeClients,
  localDb,
  login,
  makePerson,
  remoteDbWithCookie,
  replicate,
  seedAccounts,
  storageKindFromEnv,
  tempDir,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

const RECORDS = 2_000;
const KILL_AFTER_WRITTEN = 500;

describe(`server killed during an initial replication (${storageKindFromEnv()} store)`, () => {
  const processes: ServerProcess[] = [];
  let couch: CouchTarget | null = null;
  afterEach(closeClients);
  afterAll(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await couch?.stop();
  });

  /** The store the child process uses, prepared here (accounts), and how to reach it again. */
  async function prepareStore(): Promise<{ env: Record<string, string>; open: () => StoragePort }> {
    if (storageKindFromEnv() === 'couchdb') {
      const target = (couch = await startCouchTarget());
      await seedAccounts(target.storage());
      return { env: { COUCHDB_URL: target.url, COUCHDB_PREFIX: target.prefix }, open: () => target.storage() };
    }
    const dataDir = tempDir('killed');
    const storage = new EmbeddedStorage(dataDir);
    await seedAccounts(storage);
    await storage.close(); // releases the LevelDB lock for the child
    return { env: { DATA_DIR: dataDir }, open: () => new EmbeddedStorage(dataDir) };
  }

  it('loses nothing and duplicates nothing when replication resumes after a restart', { timeout: 180_000 }, async () => {
    const store = await prepareStore();
    const tablet = localDb('tablet');
    await tablet.bulkDocs(Array.from({ length: RECORDS }, () => makePerson(UNIT_A)));

    const first = await spawnServer(store.env);
    processes.push(first);
    const { cookie } = await login({ url: first.url } as TestServer, USERS.officerA);
    expect(cookie).toMatch(/^care_session=/);

    // Push in batches of 100 and kill the server once a quarter has been written.
    const replication = PouchDB.replicate(tablet, remoteDbWithCookie({ url: first.url } as TestServer, UNIT_A, cookie), {
      batch_size: 100
    });
    let writtenBeforeKill = 0;
    replication.on('change', (info) => {
      if (info.docs_written >= KILL_AFTER_WRITTEN && writtenBeforeKill === 0) {
        writtenBeforeKill = info.docs_written;
        first.child.kill('SIGKILL');
      }
    });
    const outcome = await replication.then(
      () => 'completed',
      (e: { message?: string }) => `failed: ${e.message}`
    );
    await first.kill('SIGKILL');
    expect(writtenBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER_WRITTEN);
    expect(writtenBeforeKill).toBeLessThan(RECORDS);
    expect(outcome).toMatch(/^failed/);

    // Same store, new process (and port). The session made before the kill still holds.
    const second = await spawnServer(store.env);
    processes.push(second);
    const remote = remoteDbWithCookie({ url: second.url } as TestServer, UNIT_A, cookie);
    const resumed = await replicate(tablet, remote, { batch_size: 100 });
    expect(resumed.result.ok).toBe(true);
    expect(resumed.result.doc_write_failures).toBe(0);
    // It resumed from a checkpoint: it did not send everything again.
    expect(resumed.result.docs_read).toBeLessThan(RECORDS);

    // A second tablet pulls the unit: it must get exactly what the first one has.
    const other = localDb('other');
    const pulled = await replicate(remote, other, { batch_size: 500 });
    expect(pulled.result.ok).toBe(true);

    const onTablet = await winningRevisions(tablet);
    expect(onTablet.size).toBe(RECORDS);
    expect(await winningRevisions(other)).toEqual(onTablet);

    // And the store itself, read directly after the server has stopped.
    await second.kill('SIGTERM');
    const storage = store.open();
    try {
      const serverDb = storage.openDatabase(unitDatabaseName(UNIT_A));
      const rows = (await serverDb.allDocs({})).rows;
      const onServer = new Map(rows.map((r) => [r.id, r.value!.rev]));
      expect(onServer).toEqual(onTablet);
      expect(await idsWithSeveralLeaves(serverDb)).toEqual([]);
    } finally {
      await storage.close();
    }
    expect(await conflictedIds(other)).toEqual([]);
  });
});
