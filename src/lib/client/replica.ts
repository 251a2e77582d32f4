/**
 * The unit's PouchDB replica in IndexedDB: the record of truth on the device. Loaded lazily so
 * PouchDB never runs during SSR or in the login screen's first paint.
 */
type PouchStatic = PouchDB.Static;
export type Replica = PouchDB.Database;

let PouchPromise: Promise<PouchStatic> | undefined;
const open = new Map<string, Replica>();
const reopenWaiters = new Map<string, Array<() => void>>();

export function loadPouch(): Promise<PouchStatic> {
  PouchPromise ??= import('pouchdb-browser').then((m) => m.default);
  return PouchPromise;
}

export async function replicaFor(unitId: string): Promise<Replica> {
  const existing = open.get(unitId);
  if (existing) return existing;
  const PouchDB = await loadPouch();
  // auto_compaction keeps only leaf revisions' bodies: old signatures don't pile up on the tablet.
  const db = new PouchDB(`care-unit-${unitId}`, { auto_compaction: true });
  open.set(unitId, db);
  const waiters = reopenWaiters.get(unitId) ?? [];
  reopenWaiters.delete(unitId);
  for (const w of waiters) w();
  return db;
}

export async function remoteFor(unitId: string): Promise<Replica> {
  const PouchDB = await loadPouch();
  // skip_setup: the server owns unit databases; the client must never try to create one.
  return new PouchDB(`${location.origin}/sync/${encodeURIComponent(unitId)}`, { skip_setup: true });
}

/**
 * Drops a replica instance that can no longer be used: PouchDB's IndexedDB adapter closes its
 * connection for good when a write is aborted (e.g. the disk is full). The instance is closed
 * too, because the adapter caches connections by name: a new instance opened before the old
 * connection left that cache would inherit the closing connection. The next `replicaFor` then
 * opens a fresh one on the same data; nothing stored is affected.
 */
export async function forgetReplica(unitId: string): Promise<void> {
  const db = open.get(unitId);
  open.delete(unitId);
  await db?.close().catch(() => undefined);
}

/**
 * Resolves when a forgotten replica is opened again by whoever needs it first (a save, sync once
 * space is back). Followers wait for that rather than open it themselves while the disk is still
 * full, which would leave a broken instance in place.
 */
export function whenReopened(unitId: string): Promise<void> {
  return new Promise((resolve) => {
    reopenWaiters.set(unitId, [...(reopenWaiters.get(unitId) ?? []), resolve]);
  });
}
