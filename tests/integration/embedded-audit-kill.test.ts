/**
 * "No accepted write lacks an audit entry", with a real `kill -9`: the sync-server runs as a
 * child process with the test-only hook CARE_TEST_KILL_AFTER_WRITE=1 (sync-server/test-faults.ts,
 * honoured only with NODE_ENV=test), which SIGKILLs it right after a `_bulk_docs` reached the
 * store and before the audit entry is completed. Restarted on the same data directory, the
 * record is there and so is the entry naming it: its intent, stored before the write, which the
 * restarted server settled (audit-repair.ts) by finding the revision in the unit database.
 * Embedded store only: the data directory is the thing restarted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import { spawnServer, type ServerProcess } from '../helpers/faults.ts';
import { login, makePerson, seedAccounts, tempDir, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';

type AuditEntry = StoredDoc & { status?: string; username?: string; writing?: Array<{ id: string; rev?: string }> };

describe('a sync-server killed with SIGKILL between the store write and the audit completion', () => {
  const processes: ServerProcess[] = [];
  afterAll(async () => {
    for (const p of processes) await p.kill('SIGKILL');
  });

  async function preparedDataDir(): Promise<string> {
    const dataDir = tempDir('audit-kill');
    const storage = new EmbeddedStorage(dataDir);
    await seedAccounts(storage);
    await storage.close(); // the child takes the LevelDB locks
    return dataDir;
  }

  async function start(dataDir: string, env: Record<string, string>): Promise<ServerProcess> {
    const server = await spawnServer({ DATA_DIR: dataDir, ...env });
    processes.push(server);
    return server;
  }

  async function push(server: ServerProcess, cookie: string, doc: object): Promise<Response | Error> {
    return fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: [doc], new_edits: false }),
      signal: AbortSignal.timeout(20_000)
    }).catch((e: Error) => e);
  }

  async function auditEntriesNaming(dataDir: string, id: string): Promise<AuditEntry[]> {
    const storage = new EmbeddedStorage(dataDir);
    try {
      const all = await storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true });
      return all.rows
        .map((row) => row.doc as AuditEntry)
        .filter(
          (doc) =>
            doc?.writing?.some((w) => w.id === id) ||
            (doc as { stored?: Array<{ id: string }> })?.stored?.some((s) => s.id === id)
        );
    } finally {
      await storage.close();
    }
  }

  it('keeps the write and its audit entry across the restart', { timeout: 90_000 }, async () => {
    const dataDir = await preparedDataDir();
    const dying = await start(dataDir, { NODE_ENV: 'test', CARE_TEST_KILL_AFTER_WRITE: '1' });
    const { cookie } = await login({ url: dying.url } as TestServer, USERS.officerA);
    const person = { ...makePerson(UNIT_A), _rev: '1-0123456789abcdef0123456789abcdef' };

    const answer = await push(dying, cookie, person);
    // The process died before answering: the tablet never heard "stored" and will send it again.
    expect(answer).toBeInstanceOf(Error);
    await dying.kill('SIGKILL'); // waits for the exit
    expect(dying.child.signalCode).toBe('SIGKILL');

    // Restarted on the same directory: the record landed and the audit names it.
    // Grace 0: this single instance was just killed, no write of it can still be in progress.
    const again = await start(dataDir, { NODE_ENV: 'test', CARE_AUDIT_REPAIR_GRACE_MS: '0' });
    const { cookie: cookie2 } = await login({ url: again.url } as TestServer, USERS.officerA);
    const stored = await fetch(`${again.url}/sync/${UNIT_A}/${person._id}`, { headers: { cookie: cookie2 } });
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { _rev: string })._rev).toBe(person._rev);
    await again.kill('SIGTERM');

    const entries = await auditEntriesNaming(dataDir, person._id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      status: 'complete',
      recovered: 'recovered at start',
      username: USERS.officerA,
      unitId: UNIT_A,
      accepted: 1,
      stored: [{ id: person._id, rev: person._rev }],
      notWritten: []
    });
    const unit = new EmbeddedStorage(dataDir);
    try {
      expect(((await unit.openDatabase(unitDatabaseName(UNIT_A)).get(person._id)) as StoredDoc)._rev).toBe(person._rev);
    } finally {
      await unit.close();
    }
  });

  it('ignores the hook outside NODE_ENV=test: the write is answered and its entry completed', { timeout: 90_000 }, async () => {
    const dataDir = await preparedDataDir();
    const server = await start(dataDir, { NODE_ENV: 'production', CARE_TEST_KILL_AFTER_WRITE: '1' });
    const { cookie } = await login({ url: server.url } as TestServer, USERS.officerA);
    const person = { ...makePerson(UNIT_A), _rev: '1-fedcba9876543210fedcba9876543210' };
    const answer = await push(server, cookie, person);
    expect(answer).toBeInstanceOf(Response);
    expect((answer as Response).status).toBe(201);
    expect(server.child.exitCode).toBeNull();
    await server.kill('SIGTERM');
    const entries = await auditEntriesNaming(dataDir, person._id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: 'complete', stored: [{ id: person._id, rev: person._rev }] });
  });
});
