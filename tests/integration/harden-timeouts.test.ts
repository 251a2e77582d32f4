/**
 * Issue 9, item 3: slow, drip-fed requests time out (an unauthenticated login body quickly, any
 * request body and any request's headers within the receive limit), so a few hundred of them
 * cannot hold the server's sockets for ever; a longpoll, which waits on the response and not on
 * the body, still answers normally. Raw sockets, so the drip is byte by byte.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';

const API_BODY_MS = 1_500;
const RECEIVE_MS = 3_000;

/** Opens a socket, writes `head`, then drips `drip` one byte every `everyMs`; resolves when the server ends it. */
function drip(url: string, head: string, dripText: string, everyMs: number): Promise<{ closedAfterMs: number; answer: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    let i = 0;
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head);
      const timer = setInterval(() => {
        if (socket.destroyed || i >= dripText.length) return clearInterval(timer);
        socket.write(dripText[i++]);
      }, everyMs);
      socket.on('close', () => clearInterval(timer));
    });
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ closedAfterMs: Date.now() - started, answer }));
  });
}

describe('request time limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      longpollMaxMs: 5_000,
      timeouts: { apiBodyMs: API_BODY_MS, requestMs: RECEIVE_MS, headersMs: RECEIVE_MS, checkIntervalMs: 250 }
    });
  });
  afterAll(async () => server.stop());

  it(
    'ends a drip-fed, unauthenticated POST /api/session quickly, with a 408 and security headers',
    { timeout: 30_000 },
    async () => {
      const body = JSON.stringify({ username: 'someone', password: 'x'.repeat(40) });
      const head = `POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      const { closedAfterMs, answer } = await drip(server.url, head, body, 200);
      // Before: open past 110 s. The whole body would take 200 ms × ~60 bytes = 12 s.
      expect(closedAfterMs).toBeLessThan(API_BODY_MS + 2_500);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff');
    }
  );

  it('leaves requests that finished in time alone (no late timer fires after the answer)', { timeout: 30_000 }, async () => {
    expect((await login(server, USERS.officerA)).status).toBe(200);
    expect((await fetch(`${server.url}/api/session`)).status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, API_BODY_MS + 700));
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('ends a drip-fed replication body within the receive limit', { timeout: 30_000 }, async () => {
    const cookie = (await login(server, USERS.officerA)).cookie;
    const body = JSON.stringify({ docs: [], pad: 'x'.repeat(200) });
    const head = `POST /sync/${UNIT_A}/_bulk_docs HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { closedAfterMs } = await drip(server.url, head, body, 100);
    expect(closedAfterMs).toBeLessThan(RECEIVE_MS + 2_500);
  });

  it('ends drip-fed headers within the header limit', { timeout: 30_000 }, async () => {
    const { closedAfterMs } = await drip(server.url, 'GET /api/health HTTP/1.1\r\n', `X-Slow: ${'y'.repeat(400)}\r\n\r\n`, 50);
    expect(closedAfterMs).toBeLessThan(RECEIVE_MS + 2_500);
  });

  it('still holds a longpoll open longer than the receive limit and answers it', { timeout: 30_000 }, async () => {
    const cookie = (await login(server, USERS.officerA)).cookie;
    const info = await (await fetch(`${server.url}/sync/${UNIT_A}/`, { headers: { Cookie: cookie } })).json();
    const started = Date.now();
    const response = await fetch(
      `${server.url}/sync/${UNIT_A}/_changes?feed=longpoll&since=${encodeURIComponent(String(info.update_seq))}&timeout=4500`,
      {
        headers: { Cookie: cookie }
      }
    );
    expect(response.status).toBe(200);
    expect((await response.json()).results).toEqual([]);
    expect(Date.now() - started).toBeGreaterThan(RECEIVE_MS);
  });
});
