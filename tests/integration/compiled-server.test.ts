/**
 * The production start (`npm start`: `node build-server/main.js`, compiled by
 * scripts/build-server.ts) runs the same server as the TypeScript under tsx: built here, started
 * as its own process on a prepared store, a tablet signs in, pushes and pulls through PouchDB,
 * and another unit stays out of reach.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build-server.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import { startCouchTarget, type CouchTarget } from '../helpers/couchdb-target.ts';
import { spawnServer, winningRevisions, type ServerProcess } from '../helpers/faults.ts';
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
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe(`the compiled sync-server (${storageKindFromEnv()} store)`, () => {
  const processes: ServerProcess[] = [];
  let couch: CouchTarget | null = null;
  afterEach(closeClients);
  afterAll(async () => {
    for (const p of processes) await p.kill('SIGTERM');
    await couch?.stop();
  });

  async function prepareStore(): Promise<Record<string, string>> {
    if (storageKindFromEnv() === 'couchdb') {
      const target = (couch = await startCouchTarget());
      await seedAccounts(target.storage());
      return { COUCHDB_URL: target.url, COUCHDB_PREFIX: target.prefix };
    }
    const dataDir = tempDir('compiled');
    const storage = new EmbeddedStorage(dataDir);
    await seedAccounts(storage);
    await storage.close(); // releases the LevelDB lock for the child
    return { DATA_DIR: dataDir };
  }

  it('starts from build-server/main.js and syncs a tablet both ways, in scope only', { timeout: 120_000 }, async () => {
    const outdir = await buildServer();
    // Pushed batches are checked in worker threads, loaded from beside the bundle.
    expect(existsSync(path.join(outdir, 'screen-worker.js'))).toBe(true);
    const server = await spawnServer(await prepareStore(), 30_000, { compiled: true });
    processes.push(server);
    const health = await fetch(`${server.url}/api/health`).then((r) => r.json());
    expect(health.status).toBe('ok');

    const { cookie, status } = await login({ url: server.url } as TestServer, USERS.officerA);
    expect(status).toBe(200);
    const remote = remoteDbWithCookie({ url: server.url } as TestServer, UNIT_A, cookie);

    const tablet = localDb('compiled-tablet');
    await tablet.bulkDocs(Array.from({ length: 30 }, () => makePerson(UNIT_A)));
    const pushed = await replicate(tablet, remote);
    expect(pushed.denied).toEqual([]);
    expect(pushed.result.docs_written).toBe(30);
    // The document check runs in the compiled worker too: a bad record is refused, naming the field.
    const bad = localDb('compiled-bad');
    await bad.put({ ...makePerson(UNIT_A), firstName: '' });
    const refused = await replicate(bad, remote);
    expect(refused.denied).toHaveLength(1);
    expect(refused.denied[0].reason).toContain('firstName');

    const second = localDb('compiled-second');
    const pulled = await replicate(remote, second);
    expect(pulled.result.docs_written).toBe(30);
    expect(await winningRevisions(second)).toEqual(await winningRevisions(tablet));

    // The access check is compiled in too: officer A's cookie opens nothing of unit B.
    const other = await fetch(`${server.url}/sync/${UNIT_B}/_changes`, { headers: { cookie } });
    expect(other.status).toBe(403);
    expect(server.output()).not.toMatch(/Error|TypeError/);
  });
});
