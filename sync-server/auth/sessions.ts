/**
 * Cookie sessions. The browser holds a random 32-byte token; the `system` database holds only
 * its SHA-256, so a copy of the database does not let anyone sign in.
 *
 * Lifetimes (settings, config.ts SESSION_IDLE_MINUTES / SESSION_MAX_HOURS): by default a
 * session ends after 12 hours without use (a tablet left in a car overnight needs its password
 * again in the morning) and 7 days after sign-in in any case (a lost device stops syncing
 * within a working week even while someone keeps using it). The PWA keeps working offline
 * after either: only syncing needs a fresh sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isConflict, isNotFound, type DocumentStore } from '../storage/port.ts';

export const SESSION_COOKIE = 'care_session';
export interface SessionSettings {
  idleMs: number;
  absoluteMs: number;
}
export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMs: 12 * 60 * 60_000, absoluteMs: 7 * 24 * 60 * 60_000 };
/** Extend the idle deadline at most this often (or a tenth of the idle time), so ordinary requests are not all writes. */
const touchInterval = (settings: SessionSettings) => Math.min(5 * 60_000, settings.idleMs / 10);

export interface SessionDoc {
  _id: string;
  _rev?: string;
  type: 'session';
  username: string;
  /** The tablet's X-Device-Id when it sent one (admins list and revoke sessions by device). */
  deviceId?: string;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const sessionDocId = (token: string) => `session:${tokenHash(token)}`;
/** Tokens are 43 base64url characters; anything else is not worth a database look-up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(
  system: DocumentStore,
  username: string,
  settings: SessionSettings = DEFAULT_SESSION_SETTINGS,
  deviceId?: string,
  now = new Date()
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const doc: SessionDoc = {
    _id: sessionDocId(token),
    type: 'session',
    username,
    ...(deviceId && { deviceId }),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    idleExpiresAt: new Date(now.getTime() + settings.idleMs).toISOString(),
    absoluteExpiresAt: new Date(now.getTime() + settings.absoluteMs).toISOString()
  };
  await system.put({ ...doc });
  return token;
}

/** When the session ends if nothing else happens: the earlier of its two deadlines. */
export const sessionExpiresAt = (doc: Pick<SessionDoc, 'idleExpiresAt' | 'absoluteExpiresAt'>) =>
  doc.idleExpiresAt < doc.absoluteExpiresAt ? doc.idleExpiresAt : doc.absoluteExpiresAt;

const expired = (doc: SessionDoc, now: Date) =>
  now.toISOString() >= doc.idleExpiresAt || now.toISOString() >= doc.absoluteExpiresAt;

/** A live session, or null. Slides the idle deadline forward. */
export async function resolveSession(
  system: DocumentStore,
  token: string,
  settings: SessionSettings = DEFAULT_SESSION_SETTINGS,
  now = new Date()
): Promise<SessionDoc | null> {
  if (!TOKEN.test(token)) return null;
  let doc: SessionDoc;
  try {
    doc = (await system.get(sessionDocId(token))) as unknown as SessionDoc;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
  if (doc.type !== 'session') return null;
  if (expired(doc, now)) {
    await system.remove(doc._id, doc._rev!).catch(() => undefined);
    return null;
  }
  if (now.getTime() - Date.parse(doc.lastSeenAt) > touchInterval(settings)) {
    const touched = {
      ...doc,
      lastSeenAt: now.toISOString(),
      idleExpiresAt: new Date(now.getTime() + settings.idleMs).toISOString()
    };
    // Two parallel requests may both touch; losing that race changes nothing.
    await system.put(touched).catch((e) => {
      if (!isConflict(e)) throw e;
    });
    return touched;
  }
  return doc;
}

/** Every stored session (expired ones included until the sweep), optionally of one account. */
export async function listSessions(system: DocumentStore, username?: string): Promise<SessionDoc[]> {
  const { rows } = await system.allDocs({ startkey: 'session:', endkey: 'session:\ufff0', include_docs: true });
  const sessions = rows.flatMap((r) =>
    r.doc && (r.doc as { type?: string }).type === 'session' ? [r.doc as unknown as SessionDoc] : []
  );
  return username === undefined ? sessions : sessions.filter((s) => s.username === username);
}

/** Ends sessions chosen by `which`; returns how many ended. */
export async function endSessionsWhere(system: DocumentStore, which: (s: SessionDoc) => boolean): Promise<number> {
  const doomed = (await listSessions(system)).filter(which);
  if (doomed.length === 0) return 0;
  const rows = await system.bulkDocs(
    doomed.map((s) => ({ _id: s._id, _rev: s._rev, _deleted: true })),
    { new_edits: true }
  );
  return rows.filter((row) => 'ok' in row).length;
}

/** The id admins see for a session (its stored id: a hash that cannot be used to sign in). */
export const isSessionId = (id: string) => /^session:[0-9a-f]{64}$/.test(id);
export const sessionIdOfToken = (token: string) => (TOKEN.test(token) ? sessionDocId(token) : null);

export async function endSession(system: DocumentStore, token: string): Promise<void> {
  if (!TOKEN.test(token)) return;
  try {
    const doc = (await system.get(sessionDocId(token))) as unknown as SessionDoc;
    await system.remove(doc._id, doc._rev!);
  } catch (e) {
    if (!isNotFound(e) && !isConflict(e)) throw e;
  }
}

/** Removes expired sessions; run at start-up and now and then. */
export async function sweepExpiredSessions(system: DocumentStore, now = new Date()): Promise<number> {
  const { rows } = await system.allDocs({ startkey: 'session:', endkey: 'session:\ufff0', include_docs: true });
  const stale = rows.filter((r) => r.doc && expired(r.doc as unknown as SessionDoc, now));
  if (stale.length === 0) return 0;
  await system.bulkDocs(
    stale.map((r) => ({ _id: r.doc!._id, _rev: r.doc!._rev, _deleted: true })),
    { new_edits: true }
  );
  return stale.length;
}

export interface CookieSettings {
  secure: boolean;
}

/**
 * HttpOnly: scripts (and so an XSS) cannot read the token. SameSite=Strict: no other site can
 * make the browser send it, which is the CSRF defence for the JSON and replication endpoints.
 * Max-Age matches the absolute lifetime so an installed PWA survives a restart of the browser.
 */
export function sessionCookieOptions(settings: CookieSettings, lifetime: SessionSettings = DEFAULT_SESSION_SETTINGS) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    secure: settings.secure,
    maxAge: Math.round(lifetime.absoluteMs / 1000)
  };
}
