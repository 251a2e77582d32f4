/**
 * Who is using the tablet. Each account signs in online once, which stores a local verifier of
 * its password; after that it can sign in, and unlock the idle lock, with no signal. Signing in
 * points the app at that account's own databases (accounts.ts). Sync runs only once the server
 * has confirmed that its session cookie is this account's (`ensureServerSession`), so one
 * account's work is never pushed under another's session.
 */
import { tick } from 'svelte';
import * as api from './api.ts';
import type { UnitInfo } from './api.ts';
import { AccountStore, normalizeSessionInfo, type NormalizedSession } from './accounts.ts';
import { setDeviceId } from './device.ts';
import { setSignedInHint } from './device-peek.ts';
import { DeviceDb, type CurrentSession, type KnownAccount } from './device-db.ts';
import { useLocalDb } from './local-db.ts';
import { destroyReplica, listReplicas, useReplicaPrefix } from './replica.ts';
import { draftsWritten } from './drafts.ts';
import { ACCOUNT_DISABLED_NOTICE, DEVICE_WIPED_NOTICE, WIPE_UNFINISHED_NOTICE, type SessionNotice } from './session-notices.ts';
import { endScreenReads, resumeScreenReads } from './screen-reads.ts';
import { waitAtMost } from './wait-at-most.ts';
import { makeVerifier } from './verifier.ts';

export interface StoredSession {
  user: { username: string; displayName: string; role: string };
  units: UnitInfo[];
  activeUnitId: string;
  loggedInAt: string;
  mustChangePassword: boolean;
  idleLockSeconds: number;
}

export const session = $state<{
  loaded: boolean;
  current: StoredSession | null;
  /** The server said the cookie is no longer valid: sync waits for a new login. */
  needsLogin: boolean;
  /** The server confirmed in this page that its session is the signed-in account's. */
  serverConfirmed: boolean;
  /** The idle lock is on. */
  locked: boolean;
  failedUnlocks: number;
  /** Why the last local session ended, for the sign-in screen (also stored under NOTICE). */
  notice: { th: string; en: string } | null;
  /** The session is ending: the screens are taken down before its databases close (`closeScreens`). */
  closing: boolean;
}>({
  loaded: false,
  current: null,
  needsLogin: false,
  serverConfirmed: false,
  locked: false,
  failedUnlocks: 0,
  notice: null,
  closing: false
});

export const deviceDb = new DeviceDb();
export const accounts = new AccountStore(deviceDb, { destroy: destroyReplica, list: listReplicas });

const CURRENT = 'current-session';
/** Why the last local session ended, for the sign-in screen (device lost, account disabled …). */
export const NOTICE = 'sign-in-notice';

/**
 * The password of an offline sign-in, held in memory only (never stored) until the server
 * session is renewed with it when the signal returns; then forgotten.
 */
let renewWith: string | null = null;

/** Sign-in refused: the wipe the server ordered for this lost device has not finished yet. */
export class WipeUnfinishedError extends Error {
  constructor() {
    super('the ordered wipe of this device has not finished');
  }
}

/** Sign-in failed on the device (no signal). */
export class OfflineSignInError extends Error {
  constructor(readonly reason: 'never-online' | 'wrong-password') {
    super(reason);
  }
}

async function currentRecord(): Promise<CurrentSession | undefined> {
  return deviceDb.get<CurrentSession>(CURRENT);
}

async function saveCurrent(patch: Partial<CurrentSession>): Promise<void> {
  const cur = await currentRecord();
  if (cur) await deviceDb.set(CURRENT, { ...cur, ...patch });
}

function toStored(account: KnownAccount, cur: CurrentSession): StoredSession {
  return {
    user: { username: account.username, displayName: account.displayName, role: account.role },
    units: account.units,
    activeUnitId: cur.activeUnitId,
    loggedInAt: cur.signedInAt,
    mustChangePassword: cur.mustChangePassword,
    idleLockSeconds: account.idleLockSeconds
  };
}

/** Points the data layer at the account's databases and shows the account as signed in. */
async function activate(account: KnownAccount, cur: CurrentSession): Promise<void> {
  useLocalDb(account.dbName);
  await useReplicaPrefix(account.replicaPrefix);
  resumeScreenReads();
  session.closing = false;
  session.current = toStored(account, cur);
  session.locked = cur.locked;
  session.failedUnlocks = cur.failedUnlocks;
  session.needsLogin = false;
}

let loading: Promise<StoredSession | null> | null = null;

/** Reads the local session once per page (the layout and the sign-in screen both ask). */
export function loadSession(): Promise<StoredSession | null> {
  loading ??= loadSessionNow();
  return loading;
}

async function loadSessionNow(): Promise<StoredSession | null> {
  setDeviceId(await deviceDb.deviceId());
  // Before anything reads an account: a lost device's data is never opened again.
  const wiped = await finishOrderedWipe();
  if (wiped) await accounts.migrateLegacy();
  const cur = wiped ? await currentRecord() : undefined;
  const account = cur ? await accounts.get(cur.username) : undefined;
  if (cur && account) await activate(account, cur);
  else session.current = null;
  setSignedInHint(session.current !== null);
  session.serverConfirmed = false;
  session.loaded = true;
  return session.current;
}

function unitFor(account: KnownAccount): string {
  return account.activeUnitId && account.units.some((u) => u.id === account.activeUnitId)
    ? account.activeUnitId
    : (account.units[0]?.id ?? '');
}

async function begin(account: KnownAccount, mustChangePassword: boolean): Promise<void> {
  const cur: CurrentSession = {
    username: account.username,
    activeUnitId: unitFor(account),
    signedInAt: new Date().toISOString(),
    locked: false,
    failedUnlocks: 0,
    mustChangePassword
  };
  await deviceDb.set(CURRENT, cur);
  setSignedInHint(true);
  await deviceDb.settings.delete(NOTICE);
  session.notice = null;
  await activate(account, cur);
}

const isNetworkFailure = (e: unknown) => !(e instanceof api.ApiError);

/**
 * Online: the server checks the password and a new local verifier is stored. With no signal
 * (or no answer), the local verifier of an account that signed in here before decides.
 */
export async function signIn(username: string, password: string): Promise<void> {
  username = username.trim();
  if (!(await finishOrderedWipe())) throw new WipeUnfinishedError();
  if (typeof navigator === 'undefined' || navigator.onLine) {
    let info: NormalizedSession | null = null;
    try {
      info = normalizeSessionInfo(await api.login(username, password));
    } catch (e) {
      if (!isNetworkFailure(e)) throw e;
    }
    if (info) {
      const account = await accounts.recordOnlineSignIn(info, password);
      renewWith = null;
      await begin(account, info.mustChangePassword);
      session.serverConfirmed = true;
      return;
    }
  }
  await signInOffline(username, password);
}

async function signInOffline(username: string, password: string): Promise<void> {
  const known = await accounts.get(username);
  if (!known?.verifier) throw new OfflineSignInError('never-online');
  const account = await accounts.verifyOffline(username, password);
  if (!account) throw new OfflineSignInError('wrong-password');
  renewWith = password;
  await begin(account, false);
  session.serverConfirmed = false;
}

/**
 * A wipe of this lost device that was ordered (sign-out.ts `wipeDevice`) and did not finish is
 * finished now, before any account opens: true once nothing of it is left to do. While it keeps
 * failing no session starts, and the sign-in screen says why.
 */
async function finishOrderedWipe(): Promise<boolean> {
  if (!(await accounts.wipeOrdered())) return true;
  try {
    await accounts.wipeAll();
    await keepNotice(DEVICE_WIPED_NOTICE);
    return true;
  } catch (e) {
    // The name only: an error from the stores may quote a document.
    console.error('device wipe failed again:', e instanceof Error ? e.name : 'unknown error');
    await keepNotice(WIPE_UNFINISHED_NOTICE);
    return false;
  } finally {
    setSignedInHint(false);
  }
}

async function keepNotice(notice: SessionNotice): Promise<void> {
  await deviceDb.set(NOTICE, notice);
  session.notice = notice;
}

/** Forgets the local session (the data stays); `notice` is shown on the sign-in screen. */
export async function endLocalSession(notice?: SessionNotice): Promise<void> {
  await closeScreens();
  renewWith = null;
  await deviceDb.settings.delete(CURRENT);
  setSignedInHint(false);
  if (notice) await keepNotice(notice);
  session.current = null;
  session.locked = false;
  session.failedUnlocks = 0;
  session.serverConfirmed = false;
  session.needsLogin = false;
  useLocalDb(null);
  await useReplicaPrefix(null);
  session.closing = false;
}

/**
 * The first step of every end of a session (signing out, the idle lock's fifth wrong try, the
 * account refused, the device wiped), before any database is closed or deleted: the screens are
 * taken down (AppShell draws none while `closing`), which stops their live queries and change
 * feeds, and the reads they had started and their last draft writes are let finish (bounded;
 * screen-reads.ts, drafts.ts). A database closed under a screen still reading fails that read
 * with an error nobody can catch. The caller stops the unit's sync and projection (app-start.ts
 * `stopUnit`) first.
 */
export async function closeScreens(): Promise<void> {
  session.closing = true;
  await tick();
  await Promise.all([endScreenReads(), waitAtMost(draftsWritten(), DRAFTS_SETTLE_MS)]);
}

/** How long signing out waits for the last draft writes of the forms it closed. */
const DRAFTS_SETTLE_MS = 2_000;

/** The notice of the last local session that ended for a reason, for the sign-in screen. */
export async function lastNotice(): Promise<{ th: string; en: string } | null> {
  return session.notice ?? (await deviceDb.get<{ th: string; en: string }>(NOTICE)) ?? null;
}

/**
 * How the unit's sync and projection are stopped before a session ends (app-start.ts installs its
 * `stopUnit`: that module imports this one, so this one cannot import it).
 */
let stopUnitWork: () => Promise<void> = async () => {};

export function installUnitStop(stop: () => Promise<void>): void {
  stopUnitWork = stop;
}

let refusing: Promise<void> | null = null;

/** The server's refusal of the account is being acted on: a start under way stops short. */
export const accountRefusalUnderWay = (): boolean => refusing !== null;

/**
 * The server no longer accepts this account (disabled, or the password was changed elsewhere):
 * the verifiers go, so only an online sign-in opens it again, and the local session ends as every
 * end does (`closeScreens`): the unit's sync and projection stop (bounded), the screens close,
 * then the databases. Asked again while under way (sync and the session check can both hear the
 * refusal), it answers with the end already under way.
 */
export function accountRefusedByServer(): Promise<void> {
  refusing ??= endRefusedSession().finally(() => (refusing = null));
  return refusing;
}

async function endRefusedSession(): Promise<void> {
  session.needsLogin = true; // sync started from here on waits for a sign-in
  const username = session.current?.user.username;
  if (username) await deviceDb.accounts.update(username, { verifier: undefined, pinVerifier: undefined });
  await stopUnitWork();
  await closeScreens();
  await endLocalSession(ACCOUNT_DISABLED_NOTICE);
  session.needsLogin = true;
}

async function applyServerInfo(info: NormalizedSession): Promise<void> {
  const account = await accounts.refresh(info);
  if (!account || !session.current) return;
  const cur = await currentRecord();
  if (!cur) return;
  if (!account.units.some((u) => u.id === cur.activeUnitId)) cur.activeUnitId = account.units[0]?.id ?? '';
  cur.mustChangePassword = info.mustChangePassword;
  await deviceDb.set(CURRENT, cur);
  session.current = toStored(account, cur);
}

/**
 * True once the server's session is the signed-in account's: renewed with the password of an
 * offline sign-in, or confirmed by `/api/me`. False offline, or when a new sign-in is needed.
 * When the server refuses the account the session ends (`accountRefusedByServer`); the unit's
 * start passes `fromUnitStart`, and does not wait for that end: the end stops the unit, which
 * waits for the start under way, so a start waiting for it would wait for itself.
 */
export async function ensureServerSession(options: { fromUnitStart?: boolean } = {}): Promise<boolean> {
  const username = session.current?.user.username;
  if (!username) return false;
  if (session.serverConfirmed) return true;
  if (typeof navigator !== 'undefined' && !navigator.onLine) return false;
  try {
    const info = normalizeSessionInfo(renewWith !== null ? await api.login(username, renewWith) : await api.me());
    if (session.current?.user.username !== username) return false;
    if (info.user.username !== username) {
      // The cookie is another account's (signed in here before): sync waits for this one's.
      session.needsLogin = true;
      return false;
    }
    renewWith = null;
    await applyServerInfo(info);
    session.serverConfirmed = true;
    session.needsLogin = false;
    return true;
  } catch (e) {
    if (!(e instanceof api.ApiError)) return false;
    if (e.code === 'account_disabled' || (renewWith !== null && e.status === 401)) {
      const ending = accountRefusedByServer();
      if (!options.fromUnitStart) await ending;
    } else if (e.status === 401) session.needsLogin = true;
    return false;
  }
}

/** Refresh the user's units and role when online; a 401 means log in again to sync. */
export async function revalidateSession(): Promise<void> {
  if (!session.current || (typeof navigator !== 'undefined' && !navigator.onLine)) return;
  if (!session.serverConfirmed) {
    await ensureServerSession();
    return;
  }
  try {
    await applyServerInfo(normalizeSessionInfo(await api.me()));
  } catch (e) {
    if (e instanceof api.ApiError && e.code === 'account_disabled') await accountRefusedByServer();
    else if (e instanceof api.ApiError && e.status === 401) {
      session.needsLogin = true;
      session.serverConfirmed = false;
    }
  }
}

export async function setActiveUnit(unitId: string): Promise<void> {
  if (!session.current) return;
  session.current.activeUnitId = unitId;
  await saveCurrent({ activeUnitId: unitId });
  await deviceDb.accounts.update(session.current.user.username, { activeUnitId: unitId });
}

export async function setLocked(locked: boolean, failedUnlocks = 0): Promise<void> {
  session.locked = locked;
  session.failedUnlocks = failedUnlocks;
  await saveCurrent({ locked, failedUnlocks });
}

export async function passwordChanged(password: string): Promise<void> {
  const username = session.current?.user.username;
  if (!username || !session.current) return;
  const account = await accounts.get(username);
  if (account) await deviceDb.accounts.put({ ...account, verifier: await makeVerifier(password) });
  session.current.mustChangePassword = false;
  await saveCurrent({ mustChangePassword: false });
}

export function activeUnit(): UnitInfo | undefined {
  return session.current?.units.find((u) => u.id === session.current?.activeUnitId);
}

export function canWrite(): boolean {
  return session.current?.user.role === 'officer';
}

/** Officers and probation volunteers record follow-up reports; volunteers nothing else. */
export function canRecordFollowUp(): boolean {
  const role = session.current?.user.role;
  return role === 'officer' || role === 'volunteer';
}

export function isVolunteer(): boolean {
  return session.current?.user.role === 'volunteer';
}
