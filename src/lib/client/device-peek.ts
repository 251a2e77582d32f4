/**
 * What the sign-in screen and the first navigation need to know about this tablet before any of
 * the data layer is loaded: is someone signed in, have accounts signed in here before, is there a
 * notice for the sign-in screen, is there data from before accounts to adopt. Read with plain
 * IndexedDB (a few hundred bytes of code) from the device database Dexie keeps (device-db.ts), so
 * a first visit on a slow link downloads neither Dexie nor the domain code to show the login.
 */
const DEVICE_DB = 'care-field-device';
const LEGACY_DB = 'care-field';

export interface DevicePeek {
  signedIn: boolean;
  accounts: number;
  notice: { th: string; en: string } | null;
  /** Single-account data from before accounts may still need its owner (accounts.ts migrateLegacy). */
  legacyUnchecked: boolean;
  /** The server ordered this lost device wiped and the wipe has not finished (accounts.ts `orderWipe`). */
  wipeOrdered: boolean;
}

const NOTHING: DevicePeek = { signedIn: false, accounts: 0, notice: null, legacyUnchecked: false, wipeOrdered: false };

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Opens the device database only if it exists: creating it here would give it no tables. */
function openExisting(): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    const open = indexedDB.open(DEVICE_DB);
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(null);
    open.onblocked = () => resolve(null);
  });
}

async function legacyDataExists(): Promise<boolean> {
  if (typeof indexedDB.databases !== 'function') return true; // cannot tell: let the data layer look
  return (await indexedDB.databases()).some((d) => d.name === LEGACY_DB);
}

let first: Promise<DevicePeek> | null = null;

/**
 * A hint kept next to the session (session.svelte.ts): someone was signed in when the page last
 * looked. Read synchronously, so a warm start does not wait for IndexedDB before its first route;
 * the session read stays the authority (a stale hint only means the layout sends the officer to
 * sign-in a moment later, as it did before the peek existed).
 */
const SIGNED_IN_HINT = 'care-field-signed-in';

export function signedInHint(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_HINT) === '1';
  } catch {
    return false;
  }
}

export function setSignedInHint(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(SIGNED_IN_HINT, '1');
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // private mode or storage full: the peek still decides, only later
  }
}

/** Reads the device database now. Any failure answers "nothing known": the data layer then decides. */
export async function peekDevice(): Promise<DevicePeek> {
  if (typeof indexedDB === 'undefined') return NOTHING;
  const db = await openExisting();
  if (!db) return { ...NOTHING, legacyUnchecked: await legacyDataExists().catch(() => false) };
  try {
    if (!db.objectStoreNames.contains('settings') || !db.objectStoreNames.contains('accounts'))
      return { ...NOTHING, legacyUnchecked: await legacyDataExists() };
    const tx = db.transaction(['settings', 'accounts']);
    const settings = tx.objectStore('settings');
    const [current, notice, legacyChecked, accounts, wipeOrdered] = await Promise.all([
      request(settings.get('current-session')),
      request(settings.get('sign-in-notice')),
      request(settings.get('legacy-checked')),
      request(tx.objectStore('accounts').count()),
      request(settings.get('wipe-ordered'))
    ]);
    return {
      signedIn: current !== undefined,
      accounts,
      notice: (notice?.value as DevicePeek['notice']) ?? null,
      legacyUnchecked: legacyChecked?.value !== true && (await legacyDataExists()),
      wipeOrdered: wipeOrdered?.value === true
    };
  } catch {
    return NOTHING;
  } finally {
    db.close();
  }
}

/** The peek made for the page's first navigation (one read, shared by the router and the layout). */
export function firstPeek(): Promise<DevicePeek> {
  first ??= peekDevice();
  return first;
}
