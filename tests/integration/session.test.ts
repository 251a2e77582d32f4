import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../sync-server/auth/throttle.ts';
import { basicAuth, login, PASSWORD, startTestServer, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';

const json = { 'Content-Type': 'application/json' };

describe('sign-in API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.stop());

  it('answers health without credentials', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', storage: server.storageKind });
  });

  it('signs in, knows who is signed in, and signs out', async () => {
    const signedIn = await login(server, USERS.supervisor);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      username: 'supervisor',
      displayName: 'Supervisor',
      role: 'supervisor',
      units: [
        { id: UNIT_A, name: { th: 'ศูนย์ทดสอบ เอ', en: 'Test centre A' }, kind: 'prison-care' },
        { id: 'beta-probation', name: { th: 'สำนักงานทดสอบ บี', en: 'Test office B' }, kind: 'probation-office' }
      ],
      mustChangePassword: false,
      sessionExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      idleLockSeconds: 300,
      user: { username: 'supervisor', displayName: 'Supervisor', role: 'supervisor' }
    });
    expect(JSON.stringify(signedIn.body)).not.toContain('scrypt');

    // Cookie flags: the token is out of reach of scripts and of other sites.
    const flags = signedIn.setCookie.split(';').map((s) => s.trim());
    expect(flags[0]).toMatch(/^care_session=[A-Za-z0-9_-]{43}$/);
    expect(flags).toContain('HttpOnly');
    expect(flags).toContain('SameSite=Strict');
    expect(flags).toContain('Path=/');
    expect(flags).not.toContain('Secure'); // plain http and COOKIE_SECURE not set

    const me = await fetch(`${server.url}/api/me`, { headers: { Cookie: signedIn.cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ ...signedIn.body, sessionExpiresAt: expect.any(String) });

    const out = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: signedIn.cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^care_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/);

    // The stored session is gone, not just the browser's cookie.
    const after = await fetch(`${server.url}/api/me`, { headers: { Cookie: signedIn.cookie } });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: 'session_expired' });
  });

  it('user names are not case-sensitive', async () => {
    const signedIn = await login(server, 'Officer.A');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.username).toBe(USERS.officerA);
  });

  it('answers 401 without a session and with a made-up one', async () => {
    expect((await fetch(`${server.url}/api/me`)).status).toBe(401);
    const forged = await fetch(`${server.url}/api/me`, { headers: { Cookie: `care_session=${'A'.repeat(43)}` } });
    expect(forged.status).toBe(401);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await login(server, USERS.officerB, 'not-the-password');
    const unknown = await login(server, 'nobody.here', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_credentials');
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.message).toMatch(/รหัสผ่าน/);
    expect(wrong.setCookie).toBe('');
  });

  it('answers 400 for a malformed body', async () => {
    const missing = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'x' })
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'bad_request' });
    const broken = await fetch(`${server.url}/api/session`, { method: 'POST', headers: json, body: '{"username": "x", ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: 'bad_request' });
    const form = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'username=x&password=y'
    });
    expect(form.status).toBe(415);
  });

  it('sends the security headers on every kind of response', async () => {
    const responses = [
      await fetch(`${server.url}/api/health`),
      await fetch(`${server.url}/api/me`),
      await fetch(`${server.url}/sync/`),
      await fetch(`${server.url}/sync/${UNIT_A}/`),
      await fetch(`${server.url}/sync/${UNIT_A}/`, { headers: { Authorization: basicAuth(USERS.officerA) } }),
      await fetch(`${server.url}/api/no-such-thing`),
      await fetch(`${server.url}/some/app/route`)
    ];
    for (const r of responses) {
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('permissions-policy')).toContain('geolocation=(self)');
      expect(r.headers.get('permissions-policy')).toContain('camera=(self)');
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(r.headers.get('www-authenticate')).toBeNull();
    }
    for (const r of responses.slice(0, 6)) expect(r.headers.get('cache-control')).toBe('no-store');
    expect(responses[3].status).toBe(401);
    expect(responses[4].status).toBe(200);
  });
});

describe('Secure cookies', () => {
  it('marks the cookie Secure when COOKIE_SECURE is set', async () => {
    const server = await startTestServer({ cookieSecure: true });
    try {
      const signedIn = await login(server, USERS.officerA);
      expect(signedIn.setCookie.split(';').map((s) => s.trim())).toContain('Secure');
    } finally {
      await server.stop();
    }
  });
});

describe('login throttling', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      throttle: { ...DEFAULT_THROTTLE, perIp: { max: 20, windowMs: 15 * 60_000 } }
    });
  });
  afterAll(async () => server.stop());

  it('answers 429 with Retry-After after five failures for a user name, even to the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login(server, USERS.officerA, `wrong-${i}-password`)).status).toBe(401);
    const blocked = await login(server, USERS.officerA, 'wrong-again-password');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(blocked.body.error).toBe('too_many_attempts');
    expect(blocked.body.message).toMatch(/กรุณารอ/); // Thai
    expect(blocked.body.message).toMatch(/try again/); // and English
    const right = await login(server, USERS.officerA, PASSWORD);
    expect(right.status).toBe(429);
    expect(right.setCookie).toBe('');
  });

  it('resets the user-name count after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) expect((await login(server, USERS.officerB, `wrong-${i}-password`)).status).toBe(401);
    expect((await login(server, USERS.officerB)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(server, USERS.officerB, `wrong-${i}-password`)).status).toBe(401);
    expect((await login(server, USERS.officerB)).status).toBe(200);
  });

  it('counts HTTP Basic failures on the replication endpoints too', async () => {
    const url = `${server.url}/sync/${UNIT_A}/`;
    for (let i = 0; i < 5; i++) {
      const r = await fetch(url, { headers: { Authorization: basicAuth(USERS.supervisor, 'wrong-password') } });
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ error: 'unauthorized' });
    }
    const blocked = await fetch(url, { headers: { Authorization: basicAuth(USERS.supervisor) } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same count guards the sign-in form.
    expect((await login(server, USERS.supervisor)).status).toBe(429);
  });
});

describe('login throttling per client address', () => {
  it('limits failures from one address across user names', async () => {
    const server = await startTestServer({
      throttle: { ...DEFAULT_THROTTLE, perIp: { max: 3, windowMs: 15 * 60_000 } }
    });
    try {
      for (let i = 0; i < 3; i++) expect((await login(server, `someone${i}`, 'guess-guess-guess')).status).toBe(401);
      const blocked = await login(server, USERS.officerA, PASSWORD);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
