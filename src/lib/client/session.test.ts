/**
 * The local session on one tablet, with the server's answers played by a stub `fetch`: online
 * and offline sign-in, the renewal of the server session when the signal returns (and what the
 * tablet does when the server no longer accepts the account), and the idle lock's five tries.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import './test-support.ts';
import { DraftWriter, loadDraft } from './drafts.ts';
import { localDb } from './local-db.ts';
import { unlock } from './idle-lock.svelte.ts';
import {
  accounts,
  deviceDb,
  endLocalSession,
  ensureServerSession,
  loadSession,
  NOTICE,
  OfflineSignInError,
  session,
  setLocked,
  signIn
} from './session.svelte.ts';
import { accountKey } from './verifier.ts';

const PASSWORD = 'Demo-Pass-2569!';
const unit = {
  id: 'lampang-probation',
  name: { th: 'สำนักงานคุมประพฤติลำปาง', en: 'Lampang probation office' },
  kind: 'probation-office'
};
const answer = (username: string, extra: Record<string, unknown> = {}) => ({
  username,
  displayName: username === 'field.officer' ? 'เจ้าหน้าที่ภาคสนาม' : 'อาสาสมัคร',
  role: username === 'field.officer' ? 'officer' : 'volunteer',
  units: [unit],
  mustChangePassword: false,
  sessionExpiresAt: '2026-12-01T00:00:00Z',
  idleLockSeconds: 120,
  ...extra
});

/** What the stub server answers next, per endpoint; every request is recorded. */
let routes: Record<string, () => Response> = {};
let requests: Array<{ method: string; path: string; deviceId: string | null; body?: string }> = [];
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(async () => {
  routes = {};
  requests = [];
  Object.assign(globalThis, {
    navigator: { onLine: true },
    fetch: async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      requests.push({
        method,
        path: String(input),
        deviceId: new Headers(init.headers).get('x-device-id'),
        body: init.body as string | undefined
      });
      const route = routes[`${method} ${input}`];
      if (!route) throw new TypeError('fetch failed'); // no signal
      return route();
    }
  });
  await endLocalSession();
  await deviceDb.accounts.clear();
  await deviceDb.settings.delete(NOTICE);
  await loadSession();
});

const online = (method: string, path: string, respond: () => Response) => (routes[`${method} ${path}`] = respond);

describe('signing in on a shared tablet', () => {
  it('online: the account gets its own databases and a verifier; the password is stored nowhere', async () => {
    online('POST', '/api/session', () => json(200, answer('field.officer')));
    await signIn('field.officer', PASSWORD);
    expect(session.current?.user).toEqual({ username: 'field.officer', displayName: 'เจ้าหน้าที่ภาคสนาม', role: 'officer' });
    expect(session.current?.idleLockSeconds).toBe(120);
    expect(session.serverConfirmed).toBe(true);
    expect(localDb.name).toBe(`care-field-${await accountKey('field.officer')}`);
    const stored = JSON.stringify([await deviceDb.accounts.toArray(), await deviceDb.settings.toArray()]);
    expect(stored).not.toContain(PASSWORD);
    // Every request carries the device id, a v4 UUID.
    expect(requests[0].deviceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('"การเข้าสู่ระบบครั้งแรกต้องมีสัญญาณ": with no signal only an account that signed in here before gets in, with its own password', async () => {
    (globalThis.navigator as { onLine: boolean }).onLine = false;
    await expect(signIn('field.officer', PASSWORD)).rejects.toMatchObject({ reason: 'never-online' });
    (globalThis.navigator as { onLine: boolean }).onLine = true;
    online('POST', '/api/session', () => json(200, answer('field.officer')));
    await signIn('field.officer', PASSWORD);
    await endLocalSession();
    routes = {};
    (globalThis.navigator as { onLine: boolean }).onLine = false;
    const wrong = await signIn('field.officer', 'Demo-Pass-2570!').catch((e) => e);
    expect(wrong).toBeInstanceOf(OfflineSignInError);
    expect(wrong.reason).toBe('wrong-password');
    expect(session.current).toBeNull();
    await signIn('field.officer', PASSWORD);
    expect(session.current?.user.username).toBe('field.officer');
    expect(session.serverConfirmed).toBe(false);
  });

  it('online but no answer (a dead zone that reports a connection): falls back to the local verifier', async () => {
    online('POST', '/api/session', () => json(200, answer('field.officer')));
    await signIn('field.officer', PASSWORD);
    await endLocalSession();
    routes = {};
    await signIn('field.officer', PASSWORD);
    expect(session.current?.user.username).toBe('field.officer');
    expect(session.serverConfirmed).toBe(false);
  });

  it('a wrong password the server refuses is never checked against the old verifier', async () => {
    online('POST', '/api/session', () => json(200, answer('field.officer')));
    await signIn('field.officer', PASSWORD);
    await endLocalSession();
    online('POST', '/api/session', () => json(401, { error: 'invalid_credentials', message: 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง' }));
    await expect(signIn('field.officer', PASSWORD)).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(session.current).toBeNull();
  });
});

describe('ending the session under an open form', () => {
  it('keeps the last keystrokes: the draft write under way lands before the database closes', async () => {
    online('POST', '/api/session', () => json(200, answer('field.officer')));
    await signIn('field.officer', PASSWORD);
    const writer = new DraftWriter('care01:open-form');
    for (let i = 1; i <= 5; i++) writer.save({ unitId: unit.id, title: `พิมพ์ ${i}`, href: '/care01/open-form', data: { n: i } });
    await endLocalSession(); // no wait for the form: as when the idle lock's fifth wrong try ends it
    await signIn('field.officer', PASSWORD);
    expect(await loadDraft('care01:open-form')).toMatchObject({ title: 'พิมพ์ 5', data: { n: 5 } });
  });
});

describe('the server session after an offline sign-in', () => {
  async function offlineSignedIn() {
    online('POST', '/api/session', () => json(200, answer('field.officer')));
    await signIn('field.officer', PASSWORD);
    await endLocalSession();
    routes = {};
    (globalThis.navigator as { onLine: boolean }).onLine = false;
    await signIn('field.officer', PASSWORD);
    expect(await ensureServerSession()).toBe(false); // still no signal: sync waits
    (globalThis.navigator as { onLine: boolean }).onLine = true;
    requests = [];
  }

  it('is renewed with the same password when the signal returns, then sync may start', async () => {
    await offlineSignedIn();
    online('POST', '/api/session', () => json(200, answer('field.officer', { idleLockSeconds: 600 })));
    expect(await ensureServerSession()).toBe(true);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/session']);
    expect(JSON.parse(requests[0].body!)).toEqual({ username: 'field.officer', password: PASSWORD });
    expect(session.current?.idleLockSeconds).toBe(600);
    // Renewed once: the next check asks nothing.
    expect(await ensureServerSession()).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('ends the local session and asks for an online sign-in when the password was changed elsewhere', async () => {
    await offlineSignedIn();
    online('POST', '/api/session', () => json(401, { error: 'invalid_credentials', message: 'x' }));
    expect(await ensureServerSession()).toBe(false);
    expect(session.current).toBeNull();
    expect(await deviceDb.get(NOTICE)).toMatchObject({ th: expect.stringContaining('ถูกระงับหรือรหัสผ่านถูกเปลี่ยน') });
    // The old password no longer opens the tablet offline; the data stays.
    (globalThis.navigator as { onLine: boolean }).onLine = false;
    await expect(signIn('field.officer', PASSWORD)).rejects.toMatchObject({ reason: 'never-online' });
    expect(await accounts.get('field.officer')).toMatchObject({ dbName: `care-field-${await accountKey('field.officer')}` });
  });

  it('ends the local session when the server says the account is disabled', async () => {
    await offlineSignedIn();
    online('POST', '/api/session', () => json(403, { error: 'account_disabled', message: 'บัญชีถูกระงับ' }));
    expect(await ensureServerSession()).toBe(false);
    expect(session.current).toBeNull();
  });
});

describe('a cookie of another account', () => {
  it('is never used for this account: after a reload sync waits for its own sign-in', async () => {
    online('POST', '/api/session', () => json(200, answer('field.officer')));
    await signIn('field.officer', PASSWORD);
    await endLocalSession();
    // The volunteer signs in online on the same tablet: the browser's cookie is now theirs.
    online('POST', '/api/session', () => json(200, answer('volunteer')));
    await signIn('volunteer', PASSWORD);
    await endLocalSession();
    // The officer signs in with no answer from the server, and the page is reloaded.
    routes = {};
    await signIn('field.officer', PASSWORD);
    vi.resetModules();
    const reloaded = await import('./session.svelte.ts');
    await reloaded.loadSession();
    expect(reloaded.session.current?.user.username).toBe('field.officer');
    online('GET', '/api/me', () => json(200, answer('volunteer')));
    requests = [];
    expect(await reloaded.ensureServerSession()).toBe(false);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/me']);
    expect(reloaded.session.needsLogin).toBe(true);
    expect(reloaded.session.serverConfirmed).toBe(false);
  });
});

describe('the idle lock', () => {
  it(
    '"ใส่ผิด 5 ครั้งติดต่อกัน": opens with the password or the PIN, and five wrong tries in a row end the local session',
    { timeout: 30_000 },
    async () => {
      online('POST', '/api/session', () => json(200, answer('field.officer')));
      await signIn('field.officer', PASSWORD);
      await accounts.setPin('field.officer', '246810');
      await setLocked(true);
      expect((await deviceDb.get<{ locked: boolean }>('current-session'))?.locked).toBe(true);
      expect(await unlock('000000')).toEqual({ result: 'wrong', triesLeft: 4 });
      expect(await unlock('246810')).toMatchObject({ result: 'unlocked' });
      expect(session.locked).toBe(false);
      expect(session.failedUnlocks).toBe(0);
      await setLocked(true);
      for (let i = 4; i >= 1; i--) expect(await unlock('wrong')).toEqual({ result: 'wrong', triesLeft: i });
      expect(await unlock('wrong')).toEqual({ result: 'ended', triesLeft: 0 });
      expect(session.current).toBeNull();
      expect(await deviceDb.get('current-session')).toBeUndefined();
      // The account and its data stay: it signs in again.
      expect(await accounts.get('field.officer')).toBeDefined();
    }
  );
});
