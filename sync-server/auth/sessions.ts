/**
 * Cookie sessions. The browser holds a random 32-byte token; the `system` database holds only
 * its SHA-256, so a copy of the database does not let anyone sign in.
 *
 * Lifetimes: a session ends after 12 hours without use (a tablet left in a car overnight
 * needs its password again in the morning) and 7 days after sign-in in any case (a lost
 * device stops syncing within a working week even while someone keeps using it). The PWA
 * keeps working offline after either: only syncing needs a fresh sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isConflict, isNotFound, type DocumentStore } from '../storage/port.ts';

export const SESSION_COOKIE = 'care_session';
export const IDLE_TIMEOUT_MS = 12 * 60 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 60 * 60_000;
/** Extend the idle deadline at most this often, so ordinary requests are not all writes. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

interface SessionDoc {
  _id: string;
  _rev?: string;
  type: 'session';
  username: string;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const sessionDocId = (token: string) => `session:${tokenHash(token)}`;
/** Tokens are 43 base64url characters; anything else is not worth a database look-up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(system: DocumentStore, username: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const doc: SessionDoc = {
    _id: sessionDocId(token),
    type: 'session',
    username,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    idleExpiresAt: new Date(now.getTime() + IDLE_TIMEOUT_MS).toISOString(),
    absoluteExpiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString()
  };
  await system.put({ ...doc });
  return token;
}

const expired = (doc: SessionDoc, now: Date) =>
  now.toISOString() >= doc.idleExpiresAt || now.toISOString() >= doc.absoluteExpiresAt;

/** The user name of a live session, or null. Slides the idle deadline forward. */
export async function resolveSession(system: DocumentStore, token: string, now = new Date()): Promise<string | null> {
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
  if (now.getTime() - Date.parse(doc.lastSeenAt) > TOUCH_INTERVAL_MS) {
    const touched = { ...doc, lastSeenAt: now.toISOString(), idleExpiresAt: new Date(now.getTime() + IDLE_TIMEOUT_MS).toISOString() };
    // Two parallel requests may both touch; losing that race changes nothing.
    await system.put(touched).catch((e) => {
      if (!isConflict(e)) throw e;
    });
  }
  return doc.username;
}

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
export function sessionCookieOptions(settings: CookieSettings) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    secure: settings.secure,
    maxAge: ABSOLUTE_TIMEOUT_MS / 1000
  };
}
