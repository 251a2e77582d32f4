/**
 * The unit's PouchDB replica in IndexedDB: the record of truth on the device, one per account and
 * unit (the signed-in account's name prefix, accounts.ts). Loaded lazily so PouchDB never runs
 * during SSR or in the login screen's first paint.
 */
import { deviceFetch } from './device.ts';
import { fetchWithStallGuard } from './stall-guard.ts';

type PouchStatic = PouchDB.Static;
export type Replica = PouchDB.Database;

let PouchPromise: Promise<PouchStatic> | undefined;
const open = new Map<string, Replica>();
const reopenWaiters = new Map<string, Array<() => void>>();
/** The signed-in account's replica names start with this; null before anyone signed in. */
let prefix: string | null = null;

export function loadPouch(): Promise<PouchStatic> {
  PouchPromise ??= import('pouchdb-browser').then((m) => m.default);
  return PouchPromise;
}

/** Lets tests use another PouchDB build (pouchdb-node with the memory adapter). */
export function usePouch(pouch: PouchStatic): void {
  PouchPromise = Promise.resolve(pouch);
}

/** Switches to another account's replicas: the previous account's instances are closed. */
export async function useReplicaPrefix(next: string | null): Promise<void> {
  if (next === prefix) return;
  prefix = next;
  const closing = [...open.values()];
  open.clear();
  await Promise.all(closing.map((db) => db.close().catch(() => undefined)));
}

export async function replicaFor(unitId: string): Promise<Replica> {
  const existing = open.get(unitId);
  if (existing) return existing;
  if (prefix === null) throw new Error('no account signed in: no replica to open');
  const name = prefix + unitId;
  const PouchDB = await loadPouch();
  // Raced by an account switch while loading: never hand out the previous account's replica.
  if (name !== prefix + unitId) return replicaFor(unitId);
  const again = open.get(unitId);
  if (again) return again;
  // auto_compaction keeps only leaf revisions' bodies: old signatures don't pile up on the tablet.
  // deterministic_revs off: a new revision id is random instead of the MD5 of the whole document,
  // which with two signatures was a tenth of a save on a slow tablet. Content-derived ids only
  // help when two writers make byte-identical revisions, and ours do not: every save stamps
  // updatedAt/updatedBy (records.ts withMeta, the conflict merge too); two tablets closing the same
  // losing branch of a conflict leave two tombstones instead of one, and deleted leaves are no
  // conflict. Replicated revisions keep the ids they came with.
  const db = new PouchDB(name, { auto_compaction: true, deterministic_revs: false });
  open.set(unitId, db);
  const waiters = reopenWaiters.get(unitId) ?? [];
  reopenWaiters.delete(unitId);
  for (const w of waiters) w();
  return db;
}

/** Tests replicate with an in-memory "server" instead of the sync-server over HTTP. */
let remoteFactory: ((unitId: string) => Promise<Replica>) | null = null;
export function useRemoteFactory(factory: ((unitId: string) => Promise<Replica>) | null): void {
  remoteFactory = factory;
}

export async function remoteFor(unitId: string): Promise<Replica> {
  if (remoteFactory) return remoteFactory(unitId);
  const PouchDB = await loadPouch();
  // skip_setup: the server owns unit databases; the client must never try to create one.
  // Every replication request carries the device id, and a 410 device_lost answer wipes the tablet;
  // one that stops receiving is abandoned and retried (stall-guard.ts).
  return new PouchDB(`${location.origin}/sync/${encodeURIComponent(unitId)}`, {
    skip_setup: true,
    fetch: (url: string | Request, opts?: RequestInit) =>
      deviceFetch(url, opts, (input, init) => fetchWithStallGuard(input, init, PouchDB.fetch as typeof fetch))
  } as PouchDB.Configuration.RemoteDatabaseConfiguration);
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

/** Replica names on this device starting with `start` (IndexedDB's list; empty where unknown). */
export async function listReplicas(start: string): Promise<string[]> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return [];
  const all = await indexedDB.databases();
  const pouchPrefix = '_pouch_';
  return all
    .map((d) => d.name ?? '')
    .filter((n) => n.startsWith(pouchPrefix + start))
    .map((n) => n.slice(pouchPrefix.length));
}

/** Deletes a replica (closing an open instance of it first). */
export async function destroyReplica(name: string): Promise<void> {
  for (const [unitId, db] of open) {
    if (db.name !== name) continue;
    open.delete(unitId);
    await db.close().catch(() => undefined);
  }
  const PouchDB = await loadPouch();
  await new PouchDB(name).destroy();
}
