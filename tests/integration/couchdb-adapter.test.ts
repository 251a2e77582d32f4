/**
 * The CouchDB adapter itself (always on the couchdb store, whatever STORAGE says): what it
 * creates, what it sends CouchDB, and how it fails. The shared suites (replication, refused
 * documents, access, restart, hostile input, faults) run through it in integration-couchdb.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchStorage } from '../../sync-server/storage/couchdb.ts';
import { isStoreError, type StoredDoc } from '../../sync-server/storage/port.ts';
import { prepareStorage, unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  basicAuth,
  makePerson,
  seqPosition,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('CouchDB storage adapter', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ storage: 'couchdb', longpollMaxMs: 1_500 });
  });
  afterAll(async () => server.stop());

  const couch = () => server.couch!;
  const admin = () => ({
    Authorization: `Basic ${Buffer.from(`${couch().admin.username}:${couch().admin.password}`).toString('base64')}`
  });

  it('gives up on a CouchDB that took the request and never answers: 503 store_timeout, in bounded time', async () => {
    // A store that accepts connections and reads requests but never answers (stuck node, dead balancer).
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => void held.add(socket.on('data', () => undefined)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const store = new CouchStorage(`http://u:p@127.0.0.1:${port}`, { requestTimeoutMs: 300 }).openDatabase('system');
      const started = Date.now();
      const failure = await store.get('anything').then(
        () => null,
        (e: unknown) => e
      );
      expect(isStoreError(failure) && { status: failure.status, error: failure.error }).toEqual({
        status: 503,
        error: 'store_timeout'
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(String((failure as Error).message)).not.toContain('u:p');
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    expect(() => new CouchStorage('http://127.0.0.1:1', { requestTimeoutMs: 0 })).toThrow(/timeout/);
  });

  it('asks CouchDB once for identical reads in progress, and anew once settled or after a write', async () => {
    const db = couch().storage().openDatabase(unitDatabaseName(UNIT_A));
    const person = makePerson(UNIT_A) as StoredDoc;
    const [row] = await db.bulkDocs([person], { new_edits: true });
    const asked = (what: string) => couch().requests.filter((r) => r.includes(what)).length;

    const bulkGetsBefore = asked('/_bulk_get');
    const ask = () => db.bulkGet({ docs: [{ id: person._id, rev: (row as { rev: string }).rev }] }, { revs: true, latest: true });
    const [a, b, c] = await Promise.all([ask(), ask(), ask()]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(asked('/_bulk_get') - bulkGetsBefore).toBe(1);
    expect(Object.isFrozen(a.results[0])).toBe(true);
    expect(await ask()).not.toBe(a); // settled: not kept

    const feed = () => db.changes({ since: 0, limit: 100, style: 'all_docs', feed: 'normal' });
    const feedsBefore = asked('/_changes');
    const [f1, f2] = await Promise.all([feed(), feed()]);
    expect(f2).toBe(f1);
    expect(asked('/_changes') - feedsBefore).toBe(1);
    // A read asked after a write through this process is its own, and includes it.
    const reading = feed();
    const second = makePerson(UNIT_A) as StoredDoc;
    await db.bulkDocs([second], { new_edits: true });
    const after = await feed();
    expect(after).not.toBe(await reading);
    expect(after.results.map((r) => r.id)).toContain(second._id);
  });

  it('reports couchdb in /api/health', async () => {
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ status: 'ok', storage: 'couchdb' });
  });

  it('keeps the databases in CouchDB under the embedded adapter’s names', async () => {
    const names = await (await fetch(`${couch().plainUrl}/_all_dbs`, { headers: admin() })).json();
    const expected = ['system', 'audit', unitDatabaseName(UNIT_A), unitDatabaseName(UNIT_B)].map((n) => couch().prefix + n);
    expect(names).toEqual(expect.arrayContaining(expected));
    // Starting again on the same CouchDB leaves them as they are (412 is "exists").
    const storage = couch().storage();
    await prepareStorage(storage);
    await storage.createDatabase('system');
    expect(await storage.databaseExists('system')).toBe(true);
    expect(await storage.databaseExists('no-such-db')).toBe(false);
  });

  it('keeps deployments with different COUCHDB_PREFIX apart on one CouchDB', async () => {
    const otherPrefix = `${couch().prefix}other_`;
    const other = new CouchStorage(couch().url, { prefix: otherPrefix });
    try {
      await prepareStorage(other);
      expect(await other.databaseExists(unitDatabaseName(UNIT_A))).toBe(false);
      expect((await other.openDatabase('system').allDocs({})).rows).toEqual([]);
      expect((await couch().storage().openDatabase('system').allDocs({})).rows.length).toBeGreaterThan(0);
      const names: string[] = await (await fetch(`${couch().plainUrl}/_all_dbs`, { headers: admin() })).json();
      expect(names).toEqual(expect.arrayContaining([`${otherPrefix}system`, `${otherPrefix}audit`]));
    } finally {
      for (const name of [`${otherPrefix}system`, `${otherPrefix}audit`])
        await fetch(`${couch().plainUrl}/${name}`, { method: 'DELETE', headers: admin() });
    }
    expect(() => new CouchStorage(couch().url, { prefix: 'Bad/Prefix' })).toThrow(/COUCHDB_PREFIX/);
  });

  it('hands sequences to CouchDB exactly as the client sent them', async () => {
    const opaque = '7-g1AAAAFTeJzLYWBg4MhgTmEQTEnKTM9PKQ';
    couch().requests.length = 0;
    await fetch(`${server.url}/sync/${UNIT_A}/_changes?since=${encodeURIComponent(opaque)}&limit=5`, {
      headers: { Authorization: basicAuth(USERS.officerA) }
    });
    const sent = couch().requests.filter((r) => r.includes('/_changes'));
    expect(sent).toHaveLength(1);
    expect(new URL(sent[0].split(' ')[1], 'http://x').searchParams.get('since')).toBe(opaque);
  });

  it('waits with CouchDB’s own longpoll feed, and wakes on a write made through another handle', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const { update_seq } = await (await fetch(`${server.url}/sync/${UNIT_A}/`, { headers })).json();
    couch().requests.length = 0;
    const started = Date.now();
    const waiting = fetch(`${server.url}/sync/${UNIT_A}/_changes?feed=longpoll&since=${encodeURIComponent(String(update_seq))}`, {
      headers
    });
    await new Promise((r) => setTimeout(r, 300));
    const person = makePerson(UNIT_A);
    // Another sync-server instance would write through its own adapter: the same CouchDB.
    await couch().storage().openDatabase(unitDatabaseName(UNIT_A)).bulkDocs([person], { new_edits: true });
    const answer = await (await waiting).json();
    expect(answer.results.map((r: { id: string }) => r.id)).toEqual([person._id]);
    expect(Date.now() - started).toBeLessThan(1_500);
    const poll = couch().requests.find((r) => r.includes('feed=longpoll'));
    expect(poll).toMatch(/timeout=\d+/);
  });

  it('answers an empty longpoll at the cap with the since it was given', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const { update_seq } = await (await fetch(`${server.url}/sync/${UNIT_A}/`, { headers })).json();
    const started = Date.now();
    const answer = await (
      await fetch(`${server.url}/sync/${UNIT_A}/_changes?feed=longpoll&since=${encodeURIComponent(String(update_seq))}`, {
        headers
      })
    ).json();
    const waited = Date.now() - started;
    expect(answer.results).toEqual([]);
    // The same position; CouchDB 3 may spell it differently in _changes than in GET /db.
    expect(seqPosition(answer.last_seq)).toBe(seqPosition(update_seq));
    const after = await (
      await fetch(`${server.url}/sync/${UNIT_A}/_changes?since=${encodeURIComponent(String(answer.last_seq))}`, { headers })
    ).json();
    expect(after.results).toEqual([]);
    // CouchDB answers at its timeout; the stand-in ignores it and the adapter ends the wait itself.
    expect(waited).toBeGreaterThanOrEqual(1_400);
    expect(waited).toBeLessThan(5_000);
  });

  it('fails clearly with wrong credentials or no CouchDB, without showing the password', async () => {
    const wrong = couch().url.replace(`:${encodeURIComponent(couch().admin.password)}@`, ':wrong-password@');
    expect(wrong).not.toBe(couch().url);
    const refused = await prepareStorage(new CouchStorage(wrong, { prefix: couch().prefix })).then(
      () => null,
      (e: unknown) => e
    );
    expect(isStoreError(refused) && refused.status).toBe(401);

    const nowhere = await prepareStorage(new CouchStorage('http://admin:secret-pw@127.0.0.1:9/')).then(
      () => null,
      (e: unknown) => e
    );
    expect(isStoreError(nowhere) && nowhere.status).toBe(503);
    expect(String((nowhere as Error).message)).not.toContain('secret-pw');
  });
});
