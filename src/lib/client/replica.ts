/**
 * The unit's PouchDB replica in IndexedDB: the record of truth on the device. Loaded lazily so
 * PouchDB never runs during SSR or in the login screen's first paint.
 */
type PouchStatic = PouchDB.Static;
export type Replica = PouchDB.Database;

let PouchPromise: Promise<PouchStatic> | undefined;
const open = new Map<string, Replica>();

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
  return db;
}

export async function remoteFor(unitId: string): Promise<Replica> {
  const PouchDB = await loadPouch();
  // skip_setup: the server owns unit databases; the client must never try to create one.
  return new PouchDB(`${location.origin}/sync/${encodeURIComponent(unitId)}`, { skip_setup: true });
}

/**
 * Drops a replica instance that can no longer be used: PouchDB's IndexedDB adapter closes its
 * connection for good when a write is aborted (e.g. the disk is full). The next `replicaFor`
 * opens a fresh one on the same data; nothing stored is affected.
 */
export function forgetReplica(unitId: string): void {
  open.delete(unitId);
}
