/**
 * The ends of a local session the officer did not fully choose, on a tablet whose unit is running
 * (projection following the replica, live sync with a stub server's replica): the server refusing
 * the account (at the session check of a start, or heard while syncing), a sign-out whose removal
 * of the data fails part-way, and a lost device's wipe that fails. Each stops the unit before any
 * database is closed or deleted, and the sign-in screen is told what happened.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryPouch } from './test-support.ts';
import { minimalPerson, UNIT } from '../domain/test-fixtures.ts';
import { startUnit, stopUnit } from './app-start.ts';
import { localDb } from './local-db.ts';
import { replicaFor, useRemoteFactory } from './replica.ts';
import {
  accountRefusalUnderWay,
  accountRefusedByServer,
  accounts,
  deviceDb,
  endLocalSession,
  lastNotice,
  loadSession,
  NOTICE,
  session,
  signIn
} from './session.svelte.ts';
import {
  ACCOUNT_DISABLED_NOTICE,
  DEVICE_WIPED_NOTICE,
  REMOVAL_UNFINISHED_NOTICE,
  WIPE_UNFINISHED_NOTICE
} from './session-notices.ts';
import { signOut, wipeDevice } from './sign-out.ts';
import { sync, syncRunning } from './sync.svelte.ts';
import type { KnownAccount } from './device-db.ts';

const PASSWORD = 'Demo-Pass-2569!';
const OFFICER = 'field.officer';
const answer = {
  username: OFFICER,
  displayName: 'เจ้าหน้าที่ภาคสนาม',
  role: 'officer',
  units: [{ id: UNIT, name: { th: 'หน่วยทดสอบ', en: 'Test unit' }, kind: 'probation-office' }],
  mustChangePassword: false,
  sessionExpiresAt: '2026-12-01T00:00:00Z',
  idleLockSeconds: 300
};

/** What the stub server answers, per endpoint (no route: no signal). */
let routes: Record<string, () => Response> = {};
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const DISABLED = () => json(403, { error: 'account_disabled', message: 'บัญชีถูกระงับ' });

beforeAll(() => {
  Object.assign(globalThis, {
    navigator: { onLine: true },
    window: { addEventListener() {} },
    fetch: async (input: string, init: RequestInit = {}) => {
      const route = routes[`${init.method ?? 'GET'} ${input}`];
      if (!route) throw new TypeError('fetch failed');
      return route();
    }
  });
});

let server: PouchDB.Database;
beforeEach(async () => {
  routes = { 'POST /api/session': () => json(200, answer), 'DELETE /api/session': () => new Response(null, { status: 204 }) };
  server = new MemoryPouch(`server-${Math.random()}`);
  useRemoteFactory(async () => server);
  await loadSession();
  await stopUnit();
  await endLocalSession();
  await deviceDb.accounts.clear();
  await deviceDb.settings.delete(NOTICE);
  session.notice = null;
});
afterEach(() => vi.restoreAllMocks());

/** Signed in online, the unit started: the projection follows the replica, sync is live. */
async function runningUnit(): Promise<KnownAccount> {
  await signIn(OFFICER, PASSWORD);
  await startUnit(UNIT);
  expect(syncRunning(UNIT, false)).toBe(true);
  await expect.poll(() => sync.phase, { timeout: 10_000 }).toBe('up-to-date');
  return (await accounts.get(OFFICER))!;
}

/** What is still running, and what is open, at one moment of the end. */
function snapshot() {
  return {
    syncRunning: syncRunning(UNIT, false),
    syncUnit: sync.unitId,
    screensClosed: session.closing,
    openDb: localDb.name
  };
}

/** The moment the local session record is deleted (endLocalSession, just before the databases close). */
function snapshotAtSessionDelete(): Array<ReturnType<typeof snapshot>> {
  const seen: Array<ReturnType<typeof snapshot>> = [];
  const remove = deviceDb.settings.delete.bind(deviceDb.settings);
  vi.spyOn(deviceDb.settings, 'delete').mockImplementation((key) => {
    if (key === 'current-session') seen.push(snapshot());
    return remove(key);
  });
  return seen;
}

/** Dexie's database delete fails (another tab holds it open, storage error) while `failing`. */
function failDatabaseDeletes(seen: Array<ReturnType<typeof snapshot>>, failing = () => true) {
  const remove = Dexie.delete.bind(Dexie);
  vi.spyOn(Dexie, 'delete').mockImplementation(async (name: string) => {
    seen.push(snapshot());
    if (failing()) throw new Error('delete blocked');
    return remove(name);
  });
}

/** A new page on the same tablet: fresh modules over the same (fake) IndexedDB. */
async function reload() {
  vi.resetModules();
  await import('./test-support.ts'); // the replicas stay on the memory adapter
  return import('./session.svelte.ts');
}

const stopped = (dbName: string) => ({ syncRunning: false, syncUnit: null, screensClosed: true, openDb: dbName });

describe('"บัญชีนี้ถูกระงับ": the server refuses the account', () => {
  it('at the session check of a start: the unit stops and the screens close before the databases; the start does not wait for the end it began', async () => {
    const account = await runningUnit();
    const atEnd = snapshotAtSessionDelete();
    // A reload: the server has not confirmed this page's session yet, and now refuses the account.
    session.serverConfirmed = false;
    routes['GET /api/me'] = DISABLED;
    const events: string[] = [];
    const ended = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (session.current !== null) return;
        clearInterval(poll);
        events.push('session ended');
        resolve();
      }, 5);
    });
    await startUnit(UNIT);
    events.push('start returned');
    await ended;
    // The end stops the unit, which waits for the start: a start waiting for the end would wait
    // for itself (until the stop's bound) and return only after the session had ended.
    expect(events).toEqual(['start returned', 'session ended']);
    expect(atEnd).toEqual([stopped(account.dbName)]);
    expect(await lastNotice()).toEqual(ACCOUNT_DISABLED_NOTICE);
    expect(session.needsLogin).toBe(true);
    // The data stays on the tablet; only an online sign-in opens the account again.
    const kept = await accounts.get(OFFICER);
    expect(kept).toMatchObject({ dbName: account.dbName, replicaPrefix: account.replicaPrefix });
    expect(kept?.verifier).toBeUndefined();
    expect(await Dexie.exists(account.dbName)).toBe(true);
  });

  it('heard by the replication (403 account_disabled on a push): the unit stops first, then the session ends', async () => {
    const account = await runningUnit();
    const atEnd = snapshotAtSessionDelete();
    // The server now refuses the account, as the sync-server answers a disabled account's push.
    const refusal = () =>
      Promise.reject(Object.assign(new Error('บัญชีถูกระงับ'), { status: 403, name: 'account_disabled', error: 'account_disabled' }));
    server.revsDiff = refusal as typeof server.revsDiff;
    server.bulkDocs = refusal as typeof server.bulkDocs;
    await (await replicaFor(UNIT)).put(minimalPerson({ unitId: UNIT }));
    await expect.poll(() => session.current, { timeout: 10_000 }).toBeNull();
    await expect.poll(() => accountRefusalUnderWay()).toBe(false);
    expect(atEnd).toEqual([stopped(account.dbName)]);
    expect(await lastNotice()).toEqual(ACCOUNT_DISABLED_NOTICE);
    // The record the server never took is still on the tablet.
    expect(await accounts.get(OFFICER)).toMatchObject({ dbName: account.dbName });
    expect(await Dexie.exists(account.dbName)).toBe(true);
  });

  it('heard twice at once (sync and the session check): one end, the unit stopped first', async () => {
    const account = await runningUnit();
    const atEnd = snapshotAtSessionDelete();
    const fromSync = accountRefusedByServer();
    expect(accountRefusalUnderWay()).toBe(true);
    await Promise.all([fromSync, accountRefusedByServer()]);
    expect(accountRefusalUnderWay()).toBe(false);
    expect(session.current).toBeNull();
    expect(atEnd).toEqual([stopped(account.dbName)]);
  });
});

describe('"ออกจากระบบและลบข้อมูลของบัญชีนี้" that fails part-way', () => {
  it('ends the session, after the unit stopped, and tells the sign-in screen the data may still be here; removing again finishes it', async () => {
    const account = await runningUnit();
    const atDelete: Array<ReturnType<typeof snapshot>> = [];
    failDatabaseDeletes(atDelete);
    await signOut({ removeData: true });
    // The replicas went first; the Dexie delete failed: the databases were closed by then.
    expect(atDelete).toHaveLength(1);
    expect(atDelete[0]).toMatchObject({ syncRunning: false, syncUnit: null, screensClosed: true });
    expect(atDelete[0].openDb).not.toBe(account.dbName);
    expect(session.current).toBeNull();
    expect(await lastNotice()).toEqual(REMOVAL_UNFINISHED_NOTICE);
    expect(REMOVAL_UNFINISHED_NOTICE.th).toContain('อาจยังอยู่ในเครื่อง');
    expect(await Dexie.exists(account.dbName)).toBe(true);
    // The account is still known, so the officer can sign in and remove again, which finishes.
    expect(await accounts.get(OFFICER)).toBeDefined();
    vi.restoreAllMocks();
    await signIn(OFFICER, PASSWORD);
    expect(await lastNotice()).toBeNull();
    await signOut({ removeData: true });
    expect(await accounts.get(OFFICER)).toBeUndefined();
    expect(await Dexie.exists(account.dbName)).toBe(false);
    expect(await lastNotice()).toBeNull();
  });
});

describe('"เครื่องนี้ถูกแจ้งว่าสูญหาย": the wipe of a lost device', () => {
  it('that fails still ends the session with a notice, and is finished at the next start before any account opens', async () => {
    const account = await runningUnit();
    let failing = true;
    const atDelete: Array<ReturnType<typeof snapshot>> = [];
    failDatabaseDeletes(atDelete, () => failing);
    await wipeDevice();
    expect(atDelete[0]).toMatchObject({ syncRunning: false, syncUnit: null, screensClosed: true });
    expect(atDelete[0].openDb).not.toBe(account.dbName);
    expect(session.current).toBeNull();
    expect(session.closing).toBe(false);
    expect(await lastNotice()).toEqual(WIPE_UNFINISHED_NOTICE);
    expect(await accounts.wipeOrdered()).toBe(true);
    expect(await Dexie.exists(account.dbName)).toBe(true);

    // The next start, the delete still failing: no account opens, not even by signing in again.
    let reloaded = await reload();
    await deviceDb.set('current-session', {
      username: OFFICER,
      activeUnitId: UNIT,
      signedInAt: '',
      locked: false,
      failedUnlocks: 0,
      mustChangePassword: false
    });
    expect(await reloaded.loadSession()).toBeNull();
    expect(await reloaded.lastNotice()).toEqual(WIPE_UNFINISHED_NOTICE);
    await expect(reloaded.signIn(OFFICER, PASSWORD)).rejects.toBeInstanceOf(reloaded.WipeUnfinishedError);
    expect(reloaded.session.current).toBeNull();

    // The start after that, the delete working again: the wipe finishes before anything opens.
    failing = false;
    reloaded = await reload();
    expect(await reloaded.loadSession()).toBeNull();
    expect(await Dexie.exists(account.dbName)).toBe(false);
    expect(await reloaded.accounts.list()).toEqual([]);
    expect(await reloaded.accounts.wipeOrdered()).toBe(false);
    expect(await reloaded.lastNotice()).toEqual(DEVICE_WIPED_NOTICE);
  });

  it('runs at start only on the order: a start without one deletes nothing', async () => {
    const account = await runningUnit();
    await stopUnit();
    await endLocalSession();
    const reloaded = await reload();
    await reloaded.loadSession();
    expect(await reloaded.accounts.get(OFFICER)).toMatchObject({ dbName: account.dbName });
    expect(await Dexie.exists(account.dbName)).toBe(true);
    await reloaded.signIn(OFFICER, PASSWORD);
    expect(reloaded.session.current?.user.username).toBe(OFFICER);
    await reloaded.endLocalSession();
  });
});
