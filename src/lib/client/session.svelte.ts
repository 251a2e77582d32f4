/**
 * Who is using the tablet. After one online login the session is kept on the device so the app
 * opens with no network; the server's cookie is what sync needs, and if it has expired the
 * officer keeps working offline and is asked to log in again only to sync.
 */
import { localDb, getSetting, setSetting } from './local-db.ts';
import * as api from './api.ts';
import type { SessionInfo, UnitInfo } from './api.ts';

interface StoredSession extends SessionInfo {
  activeUnitId: string;
  loggedInAt: string;
}

export const session = $state<{
  loaded: boolean;
  current: StoredSession | null;
  /** The server said the cookie is no longer valid: sync waits for a new login. */
  needsLogin: boolean;
}>({ loaded: false, current: null, needsLogin: false });

const KEY = 'session';

export async function loadSession(): Promise<StoredSession | null> {
  session.current = (await getSetting<StoredSession>(KEY)) ?? null;
  session.loaded = true;
  return session.current;
}

export async function signIn(username: string, password: string): Promise<void> {
  const info = await api.login(username, password);
  const previous = session.current;
  const activeUnitId =
    previous && info.units.some((u) => u.id === previous.activeUnitId) ? previous.activeUnitId : (info.units[0]?.id ?? '');
  const stored: StoredSession = { ...info, activeUnitId, loggedInAt: new Date().toISOString() };
  await setSetting(KEY, $state.snapshot(stored));
  session.current = stored;
  session.needsLogin = false;
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } catch {
    /* offline: the cookie expires on its own; the device forgets the session now */
  }
  await localDb.settings.delete(KEY);
  session.current = null;
}

/** Refresh the user's units and role when online; a 401 means log in again to sync. */
export async function revalidateSession(): Promise<void> {
  if (!session.current || !navigator.onLine) return;
  try {
    const info = await api.me();
    const stored = { ...session.current, ...info };
    if (!info.units.some((u) => u.id === stored.activeUnitId)) stored.activeUnitId = info.units[0]?.id ?? '';
    await setSetting(KEY, $state.snapshot(stored));
    session.current = stored;
    session.needsLogin = false;
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) session.needsLogin = true;
  }
}

export async function setActiveUnit(unitId: string): Promise<void> {
  if (!session.current) return;
  session.current.activeUnitId = unitId;
  await setSetting(KEY, $state.snapshot(session.current));
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
