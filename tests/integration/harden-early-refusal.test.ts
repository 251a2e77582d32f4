/**
 * Issue 9 (honest tablets while an attacker works): each limit that keeps one client from taking
 * the server's turns from everybody else, against a real HTTP server over a real store:
 *
 * - an id-list body (`_bulk_get`, `_revs_diff`, `_changes`) declared too large is refused from
 *   its Content-Length, before a byte of it is sent;
 * - a huge body of JSON values is refused while it is still arriving, once it holds too many;
 * - an account's requests take turns (at most N running, the rest wait, then 503 Retry-After);
 * - sign-ins from one address take turns (the rest 429 Retry-After).
 *
 * Each case sends what would otherwise leave the server waiting for a body it will never get,
 * or answering at once, so without the limit the test fails.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyedConcurrency } from '../../sync-server/concurrency.ts';
import { buildServer } from '../../sync-server/app.ts';
import { LIMITS } from '../../sync-server/config.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import { login, RELAXED_THROTTLE, seedAccounts, tempDir, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/** A raw HTTP/1.1 exchange: sends `head` (and `body`, if any) and waits for the answer or `timeoutMs`. */
function rawRequest(url: string, head: string, body = '', timeoutMs = 5_000): Promise<RawAnswer | 'no answer'> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let received = '';
    const done = (answer: RawAnswer | 'no answer') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done('no answer'), timeoutMs);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1'); // one character per byte, so lengths are byte counts
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headers = received.slice(0, end);
      const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
      if (received.length - end - 4 < length) return;
      done({
        status: Number(headers.split(' ')[1]),
        headers,
        body: Buffer.from(received.slice(end + 4), 'latin1').toString('utf8')
      });
    });
    socket.on('close', () => done('no answer'));
    socket.write(head);
    if (body.length) socket.write(body);
  });
}

/** A request whose body never comes: it holds its turn (taken before the body is read). */
function heldRequest(url: string, cookie: string): net.Socket {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.write(
    `POST /sync/${UNIT_A}/_revs_diff HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`
  );
  return socket;
}

describe('early refusals and turns per account', () => {
  let app: FastifyInstance;
  let url: string;
  let officer: string;
  let supervisor: string;
  const RUNNING = 3;
  const QUEUED = 2;

  beforeAll(async () => {
    const storage = new EmbeddedStorage(tempDir('early-refusal'));
    await seedAccounts(storage);
    app = await buildServer({
      storage,
      log: false,
      throttle: RELAXED_THROTTLE,
      concurrency: {
        perAccount: { running: RUNNING, queued: QUEUED, waitMs: 3_000 },
        signInsPerAddress: { running: 2, queued: 0, waitMs: 1_000 }
      }
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    officer = (await login({ url } as TestServer, USERS.officerA)).cookie;
    supervisor = (await login({ url } as TestServer, USERS.supervisor)).cookie;
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (cookie: string, path = '') =>
    fetch(`${url}/sync/${UNIT_A}/${path}`, { headers: { cookie }, signal: AbortSignal.timeout(10_000) });

  it('refuses a _bulk_get declared larger than any list of ids from its Content-Length, before reading it', async () => {
    const declared = LIMITS.idListBodyBytes + 1;
    const answer = await rawRequest(
      url,
      `POST /sync/${UNIT_A}/_bulk_get?revs=true HTTP/1.1\r\nHost: x\r\nCookie: ${supervisor}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`
    );
    expect(answer).not.toBe('no answer');
    const { status, headers, body } = answer as RawAnswer;
    expect(status).toBe(413);
    expect(headers.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(body).reason).toContain(`ไม่เกิน ${LIMITS.idsPerRequest}`);
  });

  it('refuses a body of too many JSON values while it arrives, without waiting for the rest', async () => {
    // 18 MB declared, 2 MB of zeros sent (over a million values), the rest never: only a
    // refusal made while receiving can answer.
    const sent = `{"docs":[${'0,'.repeat(1_000_000)}`;
    const answer = await rawRequest(
      url,
      `POST /sync/${UNIT_A}/_bulk_docs HTTP/1.1\r\nHost: x\r\nCookie: ${officer}\r\nContent-Type: application/json\r\nContent-Length: ${18 * 1024 * 1024}\r\n\r\n`,
      sent,
      10_000
    );
    expect(answer).not.toBe('no answer');
    expect((answer as RawAnswer).status).toBe(413);
    expect(JSON.parse((answer as RawAnswer).body).reason).toContain(String(LIMITS.jsonValuesPerRequest));
  });

  it("makes an account's requests take turns: the next waits, another account does not, the queue is bounded", async () => {
    const held = Array.from({ length: RUNNING }, () => heldRequest(url, officer));
    try {
      await new Promise((r) => setTimeout(r, 300)); // the held requests have taken their turns
      // The officer's next request waits for a turn …
      let answered = false;
      const waiting = get(officer).then((r) => {
        answered = true;
        return r;
      });
      // … while the supervisor's is answered at once.
      expect((await get(supervisor)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      // One more waits (QUEUED = 2); the one after that is refused at once with Retry-After.
      const second = get(officer);
      await new Promise((r) => setTimeout(r, 100));
      const refused = await get(officer);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect((await refused.json()).reason).toContain('too many requests in progress');
      // A held request ends (its client went away): its turn passes to the first in line.
      held.shift()!.destroy();
      expect((await waiting).status).toBe(200);
      held.shift()!.destroy();
      expect((await second).status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('gives no turn to a request whose client left before it asked for one (it would never come back)', async () => {
    // As when a tablet's connection is cut while its request is authenticated (store reads on
    // CouchDB), before the turn is taken: the response's 'close' has already been emitted.
    const turns = new KeyedConcurrency({ running: 1, queued: 1, waitMs: 1_000 });
    const gone = Object.assign(new EventEmitter(), { closed: true, destroyed: true });
    expect(await turns.acquire('officer.a', gone)).toBeNull();
    expect(turns.load('officer.a')).toEqual({ running: 0, queued: 0 });
    // The account's next request, still connected, gets its turn at once.
    const release = await turns.acquire('officer.a', Object.assign(new EventEmitter(), { closed: false }));
    expect(release).toBeTypeOf('function');
    expect(turns.load('officer.a')).toEqual({ running: 1, queued: 0 });
    release!();
    expect(turns.load('officer.a')).toEqual({ running: 0, queued: 0 });
  });

  it('gives up a wait for a turn after waitMs with 503', { timeout: 15_000 }, async () => {
    const held = Array.from({ length: RUNNING }, () => heldRequest(url, officer));
    try {
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      const answer = await get(officer);
      expect(answer.status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('lets sign-ins from one address take turns: a burst beyond them is refused with 429 at once', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: USERS.officerB, password: `wrong-${i}` }),
          signal: AbortSignal.timeout(20_000)
        })
      )
    );
    const statuses = attempts.map((r) => r.status);
    const busy = attempts.filter((r) => r.status === 429 && r.headers.get('retry-after') === '2');
    expect(busy.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const messages = await Promise.all(busy.map(async (r) => (await r.json()).message as string));
    expect(messages.some((m) => m.includes('Too many sign-ins from this address at once'))).toBe(true);
  });
});
