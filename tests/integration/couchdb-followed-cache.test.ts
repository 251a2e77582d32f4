/**
 * The `system` read cache on CouchDB (sync-server/storage/couch-followed-cache.ts) across
 * instances, on a real CouchDB: sessions and accounts are read from the cache only while the
 * database's changes feed is followed, so a revocation made through another instance applies
 * within the feed's latency, and a lost feed sends every read to the store again.
 * Needs a real CouchDB (COUCHDB_TEST_URL): the stand-in's feed is not CouchDB's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../sync-server/app.ts';
import { FollowedCache } from '../../sync-server/storage/couch-followed-cache.ts';
import { CouchStorage } from '../../sync-server/storage/couchdb.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { call } from '../helpers/admin-api.ts';
import { realCouchUrl } from '../helpers/couchdb-target.ts';
import { eventually, login, RELAXED_THROTTLE, startTestServer, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';

const real = realCouchUrl();
if (!real) console.info('couchdb-followed-cache: skipped, no real CouchDB (set COUCHDB_TEST_URL to an admin URL)');

/** Generous: the feed normally delivers in tens of milliseconds; the measured figure is printed. */
const REVOCATION_BOUND_MS = 2_000;
const FEED = { heartbeatMs: 200, silenceMs: 800, retryMs: 200 };

/**
 * A pass-through to CouchDB that counts reads of session and account documents and can make
 * the continuous changes feeds fall silent (a stalled connection: open, no byte), as a balancer
 * or a CouchDB node under trouble can.
 */
async function startFeedStaller(upstream: URL) {
  let stalled = false;
  const accountReads: string[] = [];
  const feeds = new Set<{ answer: http.IncomingMessage | null; res: http.ServerResponse }>();
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && /\/(session|user)%3A/.test(url) && !url.includes('?')) accountReads.push(url);
    const isFeed = /\/_changes\?.*feed=continuous/.test(url);
    const feed = { answer: null as http.IncomingMessage | null, res };
    if (isFeed) {
      feeds.add(feed);
      res.once('close', () => feeds.delete(feed));
      if (stalled) return; // held open, never answered
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url,
        headers: { ...req.headers, host: upstream.host },
        agent: isFeed ? false : agent
      },
      (answer) => {
        feed.answer = answer;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (isFeed && stalled) return;
        answer.pipe(res);
      }
    );
    forwarded.on('error', () => res.destroy());
    res.once('close', () => forwarded.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    accountReads,
    stall() {
      stalled = true;
      for (const { answer } of feeds) answer?.unpipe();
    },
    resume() {
      stalled = false;
      for (const { res } of feeds) res.destroy(); // the instance reconnects
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    }
  };
}

describe.skipIf(!real)('the system read cache with two instances on one CouchDB', () => {
  let b: TestServer;
  let staller: Awaited<ReturnType<typeof startFeedStaller>>;
  let storageA: CouchStorage;
  let a: { url: string; close(): Promise<void> };
  let adminOnB: string;

  beforeAll(async () => {
    // B: an ordinary test server (it seeds the units and accounts); A: a second instance of the
    // same deployment (same CouchDB, same prefix) that reaches CouchDB through the staller.
    b = await startTestServer({ storage: 'couchdb' });
    staller = await startFeedStaller(new URL(real!));
    const upstream = new URL(real!);
    storageA = new CouchStorage(`http://${upstream.username}:${upstream.password}@${staller.host}`, {
      prefix: b.couch!.prefix,
      followed: { databases: ['system'], feed: FEED }
    });
    const app = await buildServer({ storage: storageA, buildDir: null, log: false, throttle: RELAXED_THROTTLE });
    await app.listen({ port: 0, host: '127.0.0.1' });
    a = {
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      close: async () => {
        await app.close();
        await storageA.close();
      }
    };
    adminOnB = (await login(b, USERS.admin)).cookie;
  });
  afterAll(async () => {
    await a?.close();
    await staller?.stop();
    await b?.stop();
  });

  const feedLive = () => storageA.followedCache('system')!.isLive;
  const syncInfo = (cookie: string) => fetch(`${a.url}/sync/${UNIT_A}/`, { headers: { Cookie: cookie } });
  const signIn = async (username: string) => {
    const response = await fetch(`${a.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: 'Test-Pass-2569!' })
    });
    expect(response.status).toBe(200);
    return (response.headers.get('set-cookie') ?? '').split(';')[0];
  };
  /** Asks A until it refuses; the milliseconds from `since` to the refusal. */
  async function untilRefused(cookie: string, since: number): Promise<{ ms: number; status: number }> {
    for (;;) {
      const response = await syncInfo(cookie);
      await response.arrayBuffer();
      if (response.status !== 200) return { ms: performance.now() - since, status: response.status };
      if (performance.now() - since > 10_000) throw new Error('instance A still answers the revoked session after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  it('answers repeated requests without reading the session and account again while the feed is live', async () => {
    await eventually(async () => feedLive(), 5_000);
    const cookie = await signIn(USERS.supervisor);
    expect((await syncInfo(cookie)).status).toBe(200);
    const before = staller.accountReads.length;
    for (let i = 0; i < 5; i++) expect((await syncInfo(cookie)).status).toBe(200);
    expect(staller.accountReads.length).toBe(before);
  });

  it('answers a session it has just stored itself without reading it, once its own write came back through the feed', async () => {
    await eventually(async () => feedLive(), 5_000);
    const cookie = await signIn(USERS.officerB);
    // The sign-in's own row on the feed arrives within milliseconds; it must not drop the entry.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sessionReads = () => staller.accountReads.filter((url) => url.includes('/session%3A')).length;
    const before = sessionReads();
    for (let i = 0; i < 3; i++) expect((await fetch(`${a.url}/api/me`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect(sessionReads()).toBe(before);
  });

  it('refuses at once a session ended through the other instance (the account disabled there)', async () => {
    await eventually(async () => feedLive(), 5_000);
    const cookie = await signIn(USERS.officerA);
    // Warm: the session and account are now in A's cache.
    for (let i = 0; i < 3; i++) expect((await syncInfo(cookie)).status).toBe(200);
    const disabled = await call(b, 'POST', `/api/admin/accounts/${USERS.officerA}/disable`, adminOnB, { why: 'ทดสอบการระงับ' });
    expect(disabled.status).toBe(200);
    const refused = await untilRefused(cookie, performance.now());
    expect([401, 403]).toContain(refused.status);
    console.info(`couchdb-followed-cache: disabled through B, refused by A after ${refused.ms.toFixed(1)} ms`);
    expect(refused.ms).toBeLessThan(REVOCATION_BOUND_MS);
    await call(b, 'POST', `/api/admin/accounts/${USERS.officerA}/enable`, adminOnB, { why: 'ทดสอบการระงับ' });
  });

  it('refuses at once a session signed out through the other instance', async () => {
    await eventually(async () => feedLive(), 5_000);
    const cookie = await signIn(USERS.officerB);
    for (let i = 0; i < 3; i++) expect((await fetch(`${a.url}/api/me`, { headers: { Cookie: cookie } })).status).toBe(200);
    const out = await fetch(`${b.url}/api/session`, { method: 'DELETE', headers: { Cookie: cookie } });
    expect(out.status).toBeLessThan(300);
    const since = performance.now();
    let status = 200;
    while (status === 200 && performance.now() - since < 10_000)
      status = (await fetch(`${a.url}/api/me`, { headers: { Cookie: cookie } })).status;
    const ms = performance.now() - since;
    console.info(`couchdb-followed-cache: signed out through B, refused by A after ${ms.toFixed(1)} ms`);
    expect(status).toBe(401);
    expect(ms).toBeLessThan(REVOCATION_BOUND_MS);
  });

  it('does not keep what a read brought back when the id changed while that read was on its way', async () => {
    const storage = b.couch!.storage();
    await storage.createDatabase('scratch');
    const db = storage.openDatabase('scratch');
    const cache = new FollowedCache(`${b.couch!.url}/${b.couch!.prefix}scratch`, FEED);
    try {
      await eventually(async () => cache.isLive, 5_000);
      const { rev } = await db.put({ _id: 'thing', v: 1 });
      const old = (await db.get('thing')) as StoredDoc;
      // A read that has left but not come back; meanwhile another instance changes the document.
      let answer!: (doc: StoredDoc) => void;
      const slow = cache.get('thing', () => new Promise<StoredDoc>((resolve) => (answer = resolve)));
      await db.put({ _id: 'thing', _rev: rev, v: 2 });
      await new Promise((resolve) => setTimeout(resolve, 300)); // the feed's row has arrived
      answer(old);
      expect((await slow).v).toBe(1); // that read's own answer, as it was
      let reads = 0;
      const next = await cache.get('thing', async () => {
        reads++;
        return (await db.get('thing')) as StoredDoc;
      });
      expect(reads).toBe(1);
      expect(next.v).toBe(2);
    } finally {
      cache.stop();
    }
  });

  it('reads the store again while the feed is silent, and uses the cache again once it is back', async () => {
    await eventually(async () => feedLive(), 5_000);
    const cookie = await signIn(USERS.supervisor);
    for (let i = 0; i < 3; i++) expect((await syncInfo(cookie)).status).toBe(200);
    staller.stall();
    const stalledAt = performance.now();
    await eventually(async () => !feedLive(), 5_000, 10);
    console.info(
      `couchdb-followed-cache: a silent feed was given up after ${(performance.now() - stalledAt).toFixed(0)} ms (silence bound ${FEED.silenceMs} ms)`
    );
    // The feed is down: a change now reaches A by no feed, yet A must not answer from its cache.
    const reads = staller.accountReads.length;
    expect((await syncInfo(cookie)).status).toBe(200);
    expect(staller.accountReads.length).toBeGreaterThan(reads);
    const disabled = await call(b, 'POST', `/api/admin/accounts/${USERS.supervisor}/disable`, adminOnB, { why: 'ทดสอบการระงับ' });
    expect(disabled.status).toBe(200);
    const refused = await syncInfo(cookie);
    expect([401, 403]).toContain(refused.status);
    await call(b, 'POST', `/api/admin/accounts/${USERS.supervisor}/enable`, adminOnB, { why: 'ทดสอบการระงับ' });
    // Back: the feed is reopened and reads are cached again.
    const connections = storageA.followedCache('system')!.connections;
    staller.resume();
    await eventually(async () => feedLive() && storageA.followedCache('system')!.connections > connections, 5_000, 10);
    const again = await signIn(USERS.supervisor);
    expect((await syncInfo(again)).status).toBe(200);
    const warm = staller.accountReads.length;
    expect((await syncInfo(again)).status).toBe(200);
    expect(staller.accountReads.length).toBe(warm);
  });
});
