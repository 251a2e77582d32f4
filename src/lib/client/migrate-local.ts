/**
 * Brings a tablet's own unsynced work up to the app's schema version when the app updates
 * (docs/schema-versions.md), before sync starts, so nothing written under the old version is
 * lost or refused:
 * - drafts (form state that is not a document yet) are upgraded in place;
 * - documents in the unit's replica that are still waiting for the server (an outbox entry) get
 *   an upgraded revision on top of their unsynced one, and the outbox entry follows it;
 * - documents the server already holds are left as stored (their revision names that body):
 *   the server serves them upgraded on read and readers use `readUpgraded`.
 * Idempotent: a per-unit marker records the version migrated to; a second run does nothing, and
 * a run cut short repeats only what is left (an upgraded document is at the current version).
 *
 * Dependencies are passed in (`migrateLocal`), so the same code runs on the tablet's Dexie and
 * PouchDB stores (`migrateUnitOnStart`) and in node tests on pouchdb-node.
 */
import { readUpgraded, upgradeDoc, VERSION_POLICY, type Doc, type VersionPolicy } from '../domain/schema-versions.ts';
import { activeVersionPolicy } from './version-policy.ts';
import type { Draft, OutboxEntry } from './local-db.ts';

/** The replica calls used here (a PouchDB database has them). */
export interface ReplicaPort {
  get(id: string): Promise<Doc & { _id: string; _rev?: string }>;
  put(doc: Doc & { _id: string }): Promise<{ rev: string }>;
}

export interface MigrationDeps {
  unitId: string;
  replica: ReplicaPort;
  drafts: { list(unitId: string): Promise<Draft[]>; put(draft: Draft): Promise<void> };
  outbox: { list(unitId: string): Promise<OutboxEntry[]>; put(entry: OutboxEntry): Promise<void> };
  /** The schema version this unit's local data was last migrated to (undefined: never, i.e. version 1). */
  marker: { get(unitId: string): Promise<number | undefined>; set(unitId: string, version: number): Promise<void> };
  versions?: VersionPolicy;
}

export interface MigrationResult {
  from: number;
  to: number;
  documents: number;
  drafts: number;
  /** Unsynced documents that could not be upgraded (left as they are, with the reason). */
  problems: Array<{ id: string; reason: string }>;
}

/** Data written before schema versions were tracked on the tablet is version 1. */
const UNTRACKED_VERSION = 1;

export async function migrateLocal(deps: MigrationDeps): Promise<MigrationResult> {
  const versions = deps.versions ?? VERSION_POLICY;
  const stored = await deps.marker.get(deps.unitId);
  const from = stored ?? UNTRACKED_VERSION;
  const result: MigrationResult = { from, to: versions.current, documents: 0, drafts: 0, problems: [] };
  if (from >= versions.current) {
    // Nothing to do; the marker is written once so that the next version knows where this data starts.
    if (stored === undefined && from === versions.current) await deps.marker.set(deps.unitId, versions.current);
    return result;
  }

  // Unsynced documents: an upgraded revision on top, and the outbox entry moves to it.
  for (const entry of await deps.outbox.list(deps.unitId)) {
    let doc: Doc & { _id: string; _rev?: string };
    try {
      doc = await deps.replica.get(entry.docId);
    } catch {
      continue; // not in this replica (yet): nothing to upgrade
    }
    if (doc.schemaVersion === versions.current) continue;
    const upgraded = upgradeDoc(doc, versions);
    if (!upgraded.ok) {
      result.problems.push({ id: entry.docId, reason: upgraded.reason });
      continue;
    }
    const { rev } = await deps.replica.put({ ...upgraded.doc, _id: doc._id, _rev: doc._rev });
    await deps.outbox.put({ ...entry, rev, status: 'pending', reason: undefined });
    result.documents++;
  }

  // Drafts hold a form's fields under the version they were saved with (the marker's).
  for (const draft of await deps.drafts.list(deps.unitId)) {
    if (draft.data === null || typeof draft.data !== 'object') continue;
    const type = draft.key.split(':')[0];
    const before = draft.data as Doc;
    const asDoc: Doc = readUpgraded({ ...before, type, schemaVersion: from }, versions);
    if (asDoc.schemaVersion !== versions.current) continue;
    // Most drafts hold a form's state, not a document: a step that neither removed nor rewrote
    // one of the draft's fields did not recognise it, and would only add document fields to it.
    if (!Object.keys(before).some((k) => !(k in asDoc) || asDoc[k] !== before[k])) continue;
    const { type: _type, schemaVersion: _version, ...fields } = asDoc;
    await deps.drafts.put({ ...draft, data: fields });
    result.drafts++;
  }

  await deps.marker.set(deps.unitId, versions.current);
  return result;
}

/**
 * The tablet's binding: Dexie's drafts, outbox and settings, and the unit's PouchDB replica, opened
 * only when an unsynced document has to be upgraded (most starts read the marker and stop).
 */
export async function migrateUnitOnStart(unitId: string): Promise<MigrationResult> {
  const [{ localDb, getSetting, setSetting }, { replicaFor }] = await Promise.all([
    import('./local-db.ts'),
    import('./replica.ts')
  ]);
  return migrateLocal({
    unitId,
    replica: {
      get: async (id) => (await replicaFor(unitId)).get(id) as never,
      put: async (doc) => (await replicaFor(unitId)).put(doc as never)
    },
    drafts: {
      list: (u) => localDb.drafts.where('unitId').equals(u).toArray(),
      put: async (d) => void (await localDb.drafts.put(d))
    },
    outbox: {
      list: (u) => localDb.outbox.where('unitId').equals(u).toArray(),
      put: async (e) => void (await localDb.outbox.put(e))
    },
    marker: {
      get: (u) => getSetting<number>(`schemaVersion:${u}`),
      set: (u, v) => setSetting(`schemaVersion:${u}`, v)
    },
    versions: activeVersionPolicy()
  });
}
