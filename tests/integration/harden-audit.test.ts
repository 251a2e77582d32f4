/**
 * Issue 9, items 4 and 7: the write audit names document ids and revisions (never content) for
 * every accepted and refused write, stamps the server's receive time, and is written so that no
 * accepted write lacks an entry: the intent is stored before the store write. A store that dies
 * right after writing (it throws, as a `kill -9` would cut the request short) leaves the intent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../sync-server/app.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { DocumentStore, StoragePort } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  closeClients,
  localDb,
  makePerson,
  PASSWORD,
  RELAXED_THROTTLE,
  remoteDb,
  replicate,
  seedAccounts,
  UNIT_A,
  USERS
} from '../helpers/server.ts';

/** The embedded store, except that a unit's bulkDocs can be made to fail just after it wrote. */
function storeThatDiesAfterWriting(inner: StoragePort, dies: { now: boolean }): StoragePort {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'openDatabase') return Reflect.get(target, prop, receiver);
      return (name: string): DocumentStore => {
        const db = target.openDatabase(name);
        if (name !== unitDatabaseName(UNIT_A)) return db;
        return new Proxy(db, {
          get(dbTarget, dbProp, dbReceiver) {
            if (dbProp !== 'bulkDocs') {
              const value = Reflect.get(dbTarget, dbProp, dbReceiver);
              return typeof value === 'function' ? value.bind(dbTarget) : value;
            }
            return async (...args: Parameters<DocumentStore['bulkDocs']>) => {
              const rows = await dbTarget.bulkDocs(...args);
              if (dies.now) throw new Error('process killed after the write');
              return rows;
            };
          }
        });
      };
    }
  });
}

describe('the write audit', () => {
  let app: FastifyInstance;
  let storage: EmbeddedStorage;
  let url: string;
  let dataDir: string;
  const dies = { now: false };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'care-field-audit-'));
    storage = new EmbeddedStorage(dataDir);
    await seedAccounts(storage);
    app = await buildServer({
      storage: storeThatDiesAfterWriting(storage, dies),
      log: false,
      throttle: RELAXED_THROTTLE,
      longpollMaxMs: 2_000
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}`;
  });
  afterEach(async () => {
    dies.now = false;
    await closeClients();
  });
  afterAll(async () => {
    await app.close();
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const entries = async () =>
    (await storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows
      .map((r) => r.doc as Record<string, any>)
      .filter((e) => e.type === 'audit-write');
  const send = (docs: unknown[], newEdits = true) =>
    fetch(`${url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${USERS.officerA}:${PASSWORD}`).toString('base64')}`,
        'Content-Type': 'application/json'
      },
      body: JSON.stringify({ docs, new_edits: newEdits })
    });

  it('names every accepted document with the revision it was stored under, and the server receive time, never content', async () => {
    const good = makePerson(UNIT_A);
    const bad = { ...makePerson(UNIT_A), firstName: '' };
    const before = Date.now();
    const response = await send([good, bad]);
    const rows = (await response.json()) as Array<{ id: string; rev?: string; ok?: boolean }>;
    const storedRev = rows.find((r) => r.id === good._id)!.rev!;
    const entry = (await entries()).find((e) => e.stored?.some((s: { id: string }) => s.id === good._id));
    expect(entry).toMatchObject({
      status: 'complete',
      username: USERS.officerA,
      accepted: 1,
      stored: [{ id: good._id, rev: storedRev }],
      refusedCount: 1,
      refused: [{ id: bad._id, reason: expect.stringMatching(/firstName/) }]
    });
    expect(Date.parse(entry!.receivedAt)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(entry!.receivedAt)).toBeLessThanOrEqual(Date.now());
    const text = JSON.stringify(entry);
    expect(text).not.toContain(good.firstName);
    expect(text).not.toContain(good.prisonerId);
  });

  it('names replicated revisions as the tablet sent them', async () => {
    const tablet = localDb('audit-tablet');
    const person = makePerson(UNIT_A);
    const { rev } = await tablet.put(person);
    await replicate(tablet, remoteDb({ url } as never, UNIT_A, USERS.officerA));
    const entry = (await entries()).find((e) => e.stored?.some((s: { id: string }) => s.id === person._id));
    expect(entry).toMatchObject({ status: 'complete', newEdits: false, stored: [{ id: person._id, rev }] });
  });

  it('leaves the intent entry, naming ids and revisions, when the process dies right after the store write', async () => {
    dies.now = true;
    const person = makePerson(UNIT_A);
    const response = await send([{ ...person, _rev: '1-abc' }], false);
    expect(response.status).toBe(500);
    // The write did land (the store died after it) …
    expect((await storage.openDatabase(unitDatabaseName(UNIT_A)).get(person._id)) as { _rev: string }).toMatchObject({
      _rev: '1-abc'
    });
    // … and the audit names it: an entry written before the write, not completed.
    const entry = (await entries()).find((e) => e.writing?.some((w: { id: string }) => w.id === person._id));
    expect(entry).toMatchObject({ username: USERS.officerA, writing: [{ id: person._id, rev: '1-abc' }] });
    expect(['intent', 'failed']).toContain(entry!.status);
  });
});
