import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashQueue, hashQueue, QueueFull } from '../../sync-server/auth/hash-queue.ts';
import { DEFAULT_THROTTLE, LoginThrottle } from '../../sync-server/auth/throttle.ts';
import { call } from '../helpers/admin-api.ts';
import { basicAuth, login, PASSWORD, startTestServer, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';

const signIn = (server: TestServer, username: string, password: string, headers: Record<string, string> = {}) =>
  call(server, 'POST', '/api/session', null, { username, password }, headers);

describe('the sign-in race: reserve before hashing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ throttle: { ...DEFAULT_THROTTLE, perIp: { max: 10_000, windowMs: 60_000 } } });
    await login(server, 'warm.up', 'Wrong-Pass-2569!'); // the dummy hash for unknown names, made once
  });
  afterAll(async () => server.stop());

  it('300 guesses sent at once: at most 5 passwords are checked, the rest refused with 429 without hashing', async () => {
    const before = hashQueue.started;
    const guesses = Array.from({ length: 300 }, (_, i) => (i === 150 ? PASSWORD : `Guess-${i}-Pass!`));
    const answers = await Promise.all(guesses.map((password) => signIn(server, USERS.officerA, password)));
    const checks = hashQueue.started - before;
    const statuses = answers.map((a) => a.status);
    expect(checks).toBeLessThanOrEqual(DEFAULT_THROTTLE.perAccount.freeFailures);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(300 - DEFAULT_THROTTLE.perAccount.freeFailures);
    expect(statuses.filter((s) => s === 401 || s === 200).length).toBe(checks);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('300 Basic requests at once with the right password: all answered, one password check, none later', async () => {
    const before = hashQueue.started;
    const answers = await Promise.all(
      Array.from({ length: 300 }, () =>
        call(server, 'GET', `/sync/${UNIT_A}/`, null, undefined, { Authorization: basicAuth(USERS.supervisor) })
      )
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(hashQueue.started - before).toBe(1);
    await call(server, 'GET', `/sync/${UNIT_A}/`, null, undefined, { Authorization: basicAuth(USERS.supervisor) });
    expect(hashQueue.started - before).toBe(1);
  });

  it('300 Basic requests at once with wrong passwords: at most 5 checked', async () => {
    const before = hashQueue.started;
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        call(server, 'GET', `/sync/${UNIT_A}/`, null, undefined, { Authorization: basicAuth(USERS.officerB, `Guess-${i}-Pass!`) })
      )
    );
    expect(hashQueue.started - before).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(295);
  });
});

describe('per-account backoff: strangers cannot lock the owner out', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ throttle: { ...DEFAULT_THROTTLE, perIp: { max: 10_000, windowMs: 60_000 } } });
  });
  afterAll(async () => server.stop());

  it("the owner's tablet (a device that signed in before) still signs in while strangers get 429; a new device waits", async () => {
    const tablet = crypto.randomUUID();
    expect((await signIn(server, USERS.officerA, PASSWORD, { 'X-Device-Id': tablet })).status).toBe(200);
    for (let i = 0; i < 8; i++) await signIn(server, USERS.officerA, `Guess-${i}-Pass!`, { 'X-Device-Id': crypto.randomUUID() });
    const stranger = await signIn(server, USERS.officerA, PASSWORD);
    expect(stranger.status).toBe(429);
    expect(stranger.body.message).toMatch(/กรุณารอ.*try again/);
    expect((await signIn(server, USERS.officerA, PASSWORD, { 'X-Device-Id': crypto.randomUUID() })).status).toBe(429);
    expect((await signIn(server, USERS.officerA, PASSWORD, { 'X-Device-Id': tablet })).status).toBe(200);
    // Five failures are free; then 30 s (doubling with each further failure, at most 15 minutes).
    // Refused attempts are not failures: hammering does not lengthen the owner's wait.
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(Number(stranger.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  });

  it('an administrator unlocks the account for everyone', async () => {
    const admin = (await login(server, USERS.admin)).cookie;
    expect(
      (
        await call(server, 'POST', `/api/admin/accounts/${USERS.officerA}/unlock`, admin, {
          why: 'โทรยืนยันตัวตน / identity checked by phone'
        })
      ).status
    ).toBe(200);
    expect((await signIn(server, USERS.officerA, PASSWORD)).status).toBe(200);
  });

  it('audits failures and the lock-out without the password', async () => {
    const admin = (await login(server, USERS.admin)).cookie;
    const rows = (await call(server, 'GET', `/api/admin/audit?target=user:${USERS.officerA}`, admin)).body.rows;
    expect(rows.filter((r: { action: string }) => r.action === 'sign-in-failed').length).toBeGreaterThanOrEqual(5);
    expect(rows.some((r: { action: string }) => r.action === 'lockout')).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/Guess-|Test-Pass/);
  });
});

describe('client address through TRUSTED_PROXIES', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The test client connects from 127.0.0.1, standing in for the reverse proxy.
    server = await startTestServer({
      trustedProxies: ['127.0.0.1'],
      throttle: { ...DEFAULT_THROTTLE, perIp: { max: 3, windowMs: 60_000 } }
    });
  });
  afterAll(async () => server.stop());

  const via = (forwardedFor: string) => ({ 'X-Forwarded-For': forwardedFor });

  it('a forged left-most X-Forwarded-For neither evades the limit nor locks out the address it names', async () => {
    // The attacker (6.6.6.6 as the proxy saw it) writes a new "client" in front each time.
    for (let i = 0; i < 3; i++)
      expect((await signIn(server, `nobody${i}`, 'Guess-Pass-1!', via(`10.9.${i}.1, 6.6.6.6`))).status).toBe(401);
    expect((await signIn(server, 'nobody9', 'Guess-Pass-1!', via('10.9.99.1, 6.6.6.6'))).status).toBe(429);
    // The victim whose address the attacker wrote in signs in.
    expect((await signIn(server, USERS.officerB, PASSWORD, via('10.9.0.1'))).status).toBe(200);
    const admin = (
      await call(server, 'POST', '/api/session', null, { username: USERS.admin, password: PASSWORD }, via('10.1.1.1'))
    ).headers
      .get('set-cookie')!
      .split(';')[0];
    const failed = (await call(server, 'GET', '/api/admin/audit?action=sign-in-failed', admin)).body.rows;
    expect(new Set(failed.map((r: { ip: string }) => r.ip))).toEqual(new Set(['6.6.6.6']));
  });
});

describe('session lifetimes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ sessions: { idleMs: 1_500, absoluteMs: 4_000 } });
  });
  afterAll(async () => server.stop());
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('ends a session after the idle time without use', async () => {
    const { cookie, body } = await login(server, USERS.officerA);
    expect(Date.parse(body.sessionExpiresAt) - Date.now()).toBeLessThanOrEqual(1_500);
    await sleep(1_700);
    const me = await call(server, 'GET', '/api/me', cookie);
    expect(me.status).toBe(401);
    expect(me.body.error).toBe('session_expired');
  });

  it('ends a session at its fixed lifetime even while it is used', async () => {
    const { cookie } = await login(server, USERS.officerA);
    const started = Date.now();
    while (Date.now() - started < 3_600) {
      expect((await call(server, 'GET', '/api/me', cookie)).status).toBe(200);
      await sleep(400);
    }
    await sleep(Math.max(0, 4_100 - (Date.now() - started)));
    expect((await call(server, 'GET', '/api/me', cookie)).status).toBe(401);
  });
});

describe('the backoff rule and the hash queue, on their own', () => {
  it('waits 30 s after five failures, doubling per further failure up to 15 min; success clears it', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(DEFAULT_THROTTLE, () => now);
    const fail = () => {
      const r = throttle.reserve('someone', '10.0.0.1');
      if (!r.allowed) return r.retryAfterSeconds;
      return 0;
    };
    for (let i = 0; i < 5; i++) expect(fail()).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const wait = fail();
      waits.push(wait);
      now += wait * 1000; // wait it out, then fail once more
      expect(fail()).toBe(0);
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    const ok = throttle.reserve('someone', '10.0.0.1');
    expect(ok.allowed).toBe(false);
    now += 900_000;
    const again = throttle.reserve('someone', '10.0.0.1');
    expect(again.allowed).toBe(true);
    if (again.allowed) throttle.succeeded(again.ticket);
    expect(throttle.lockedForSeconds('someone')).toBe(0);
    for (let i = 0; i < 5; i++) expect(fail()).toBe(0);
  });

  it('runs at most 2 hashes at once and refuses beyond the waiting bound', async () => {
    const queue = createHashQueue(2, 3);
    let running = 0;
    let most = 0;
    const work = () =>
      queue.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return true;
      });
    const results = await Promise.allSettled(Array.from({ length: 10 }, work));
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(5);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof QueueFull).length).toBe(5);
  });
});
