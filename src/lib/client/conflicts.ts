/**
 * Conflicting versions of a record on this device, and their merge.
 *
 * Interviews and follow-ups are written once, so only a person's details and an episode can be
 * edited on two tablets at the same time. PouchDB then keeps both versions (one "winning", the
 * others in `_conflicts`); nothing is dropped. Here we notice them (after every pull and by a scan
 * at start-up), list them in the Dexie `conflicts` table, and, once the officer has chosen field
 * by field, write the merged document on the winning branch and delete the losing versions.
 *
 * History: the server schema is strict and has no place for rejected values, so what the officer
 * did not keep stays on this device, in the conflict's Dexie row (`history`), readable on the
 * merge screen. The losing revisions also stay in the server's revision tree (deleted, not purged).
 */
import { checkDoc } from '../domain/index.ts';
import { getSetting, localDb, setSetting, type ConflictRow } from './local-db.ts';
import { Outbox } from './outbox.ts';
import { replicaFor } from './replica.ts';

/** Types whose documents are edited after creation, so can conflict. */
export const CONFLICTING_TYPES = new Set(['person', 'episode']);

/** Bookkeeping fields: never offered for a choice. */
export const META_FIELDS = new Set([
  '_id',
  '_rev',
  '_revisions',
  '_conflicts',
  'type',
  'unitId',
  'schemaVersion',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy'
]);

export interface ResolvedConflict {
  resolvedAt: string;
  resolvedBy: string;
  keptRev: string;
  /** The merged revision written by the resolution. */
  mergedRev: string;
  /** Every version (winning one included) with its values that differ from the merge. */
  losing: Array<{ rev: string; updatedBy: string; updatedAt: string; values: Record<string, unknown> }>;
}

/** A conflict row with what this device learnt while resolving it. */
export interface StoredConflict extends ConflictRow {
  history?: ResolvedConflict[];
}

export function isOpen(row: StoredConflict): boolean {
  return row.conflictRevs.length > 0;
}

/** Dexie's row type is the shared ConflictRow; the history rides along in the same row. */
const putRow = (row: StoredConflict) => localDb.conflicts.put(row as ConflictRow);

function titleOf(doc: Record<string, unknown>): string {
  if (doc.type === 'person') return `${doc.firstName ?? ''} ${doc.lastName ?? ''}`.trim() || String(doc.prisonerId ?? doc._id);
  return String(doc._id);
}

const WRITTEN_KEY = (unitId: string) => `written-revs:${unitId}`;
const WRITTEN_MAX = 500;

/**
 * Revisions this device wrote and the server confirmed: how the merge screen knows which
 * version is "mine" once the outbox entry is gone. Only conflict-prone types, the last 500.
 */
export async function rememberWrittenRevs(unitId: string, docs: { _id: string; _rev?: string }[]): Promise<void> {
  const mine = docs.filter((d) => d._rev && CONFLICTING_TYPES.has(d._id.split(':')[0]));
  if (!mine.length) return;
  await localDb.transaction('rw', localDb.settings, async () => {
    const list = ((await localDb.settings.get(WRITTEN_KEY(unitId)))?.value as string[] | undefined) ?? [];
    for (const d of mine) list.push(`${d._id} ${d._rev}`);
    await localDb.settings.put({ key: WRITTEN_KEY(unitId), value: list.slice(-WRITTEN_MAX) });
  });
}

/** Revisions of this document written on this device (confirmed or still in the outbox). */
export async function revsWrittenHere(unitId: string, docId: string): Promise<Set<string>> {
  const list = ((await localDb.settings.get(WRITTEN_KEY(unitId)))?.value as string[] | undefined) ?? [];
  const revs = new Set(list.filter((l) => l.startsWith(docId + ' ')).map((l) => l.slice(docId.length + 1)));
  const pending = await localDb.outbox.get(docId);
  if (pending?.unitId === unitId) revs.add(pending.rev);
  return revs;
}

type WinningDoc = Record<string, unknown> & { _id: string; _conflicts?: string[] };

/**
 * Records (or clears) the conflict state of documents from their winning revisions. The known
 * rows are read in one go and only changes are written: a start-up scan of 10,000 people that
 * have no conflict costs one read, not 10,000.
 */
async function recordStates(unitId: string, docs: WinningDoc[]): Promise<void> {
  if (!docs.length) return;
  const existingRows = (await localDb.conflicts.bulkGet(docs.map((d) => d._id))) as Array<StoredConflict | undefined>;
  for (const [i, doc] of docs.entries()) {
    const existing = existingRows[i];
    const conflictRevs = doc._conflicts ?? [];
    if (!conflictRevs.length) {
      // Resolved here or on another tablet: keep the row only for its history.
      if (existing && isOpen(existing)) {
        if (existing.history?.length) await putRow({ ...existing, conflictRevs: [] });
        else await localDb.conflicts.delete(doc._id);
      }
      continue;
    }
    const same = existing && existing.conflictRevs.join() === [...conflictRevs].sort().join();
    if (same) continue;
    await putRow({
      ...(existing ?? {}),
      docId: doc._id,
      unitId,
      type: String(doc.type),
      title: titleOf(doc),
      conflictRevs: [...conflictRevs].sort(),
      detectedAt: new Date().toISOString()
    });
  }
}

/** After a pull: checks the documents that came in (one read of the replica for all of them). */
export async function checkForConflicts(unitId: string, docIds: string[]): Promise<void> {
  const ids = [...new Set(docIds)].filter((id) => CONFLICTING_TYPES.has(id.split(':')[0]));
  if (!ids.length) return;
  const db = await replicaFor(unitId);
  const res = await db.allDocs({ keys: ids, include_docs: true, conflicts: true });
  const docs = res.rows.flatMap((r) => ('doc' in r && r.doc ? [r.doc as unknown as WinningDoc] : []));
  await recordStates(unitId, docs);
}

const SCAN_BATCH = 200;

const scanSeqKey = (unitId: string) => `conflict-scan-seq:${unitId}`;

/**
 * Start-up: conflicts that came in before a crash (between a pull and its check) or under an
 * older app. Only what changed in the replica since the last scan is read; the first scan (or
 * one after the replica was rebuilt) reads every person and episode.
 */
export async function scanForConflicts(unitId: string): Promise<void> {
  const db = await replicaFor(unitId);
  const { update_seq } = await db.info();
  const since = await getSetting<number | string>(scanSeqKey(unitId));
  if (since !== undefined && Number(since) <= Number(update_seq)) return scanChangesSince(unitId, db, since);
  // Taken before reading, so a change written during the full scan is read by the next one.
  await scanEverything(unitId, db);
  await setSetting(scanSeqKey(unitId), update_seq);
}

/**
 * The changes since the bookmark, in batches, moving the bookmark after each: a scan cut short
 * (the officer opened another page) goes on from there next time. Only ids are read from the
 * feed, then the people and episodes among them, never interviews and their signatures.
 */
async function scanChangesSince(unitId: string, db: PouchDB.Database, since: number | string): Promise<void> {
  for (;;) {
    const res = await db.changes({ since, limit: SCAN_BATCH });
    if (res.results.length === 0) return;
    await checkForConflicts(
      unitId,
      res.results.filter((r) => !r.deleted).map((r) => r.id)
    );
    since = res.last_seq;
    await setSetting(scanSeqKey(unitId), since);
  }
}

/** Every person and episode (ids are prefixed by type: interviews and their signatures are never read). */
async function scanEverything(unitId: string, db: PouchDB.Database): Promise<void> {
  const seen = new Set<string>();
  for (const type of CONFLICTING_TYPES) {
    let startkey = `${type}:`;
    let skip = 0;
    for (;;) {
      const res = await db.allDocs({
        conflicts: true,
        include_docs: true,
        limit: SCAN_BATCH,
        startkey,
        endkey: `${type}:\ufff0`,
        skip
      });
      const docs = res.rows.flatMap((row) => (row.doc ? [row.doc as unknown as WinningDoc] : []));
      for (const doc of docs) seen.add(doc._id);
      await recordStates(unitId, docs);
      if (res.rows.length < SCAN_BATCH) break;
      startkey = res.rows[res.rows.length - 1].id;
      skip = 1;
    }
  }
  // Rows of documents that no longer conflict and were not seen (another unit's rows are kept).
  const rows = (await localDb.conflicts.where('unitId').equals(unitId).toArray()) as StoredConflict[];
  for (const r of rows) {
    if (!isOpen(r) || seen.has(r.docId)) continue;
    if (r.history?.length) await putRow({ ...r, conflictRevs: [] });
    else await localDb.conflicts.delete(r.docId);
  }
}

export interface ConflictVersions {
  docId: string;
  /** The winning revision first, then the others; `mine` marks versions written here. */
  versions: Array<{ rev: string; doc: Record<string, unknown>; winning: boolean; mine: boolean }>;
}

/** Every live version of a conflicting document, or null when there is no conflict any more. */
export async function loadConflict(unitId: string, docId: string): Promise<ConflictVersions | null> {
  const db = await replicaFor(unitId);
  const winner = (await db.get(docId, { conflicts: true })) as unknown as Record<string, unknown> & {
    _rev: string;
    _conflicts?: string[];
  };
  const others = winner._conflicts ?? [];
  if (!others.length) {
    await recordStates(unitId, [{ ...winner, _id: docId }]);
    return null;
  }
  const mineRevs = await revsWrittenHere(unitId, docId);
  const versions: ConflictVersions['versions'] = [
    { rev: winner._rev, doc: winner, winning: true, mine: mineRevs.has(winner._rev) }
  ];
  for (const rev of others) {
    const doc = (await db.get(docId, { rev })) as unknown as Record<string, unknown>;
    versions.push({ rev, doc, winning: false, mine: mineRevs.has(rev) });
  }
  return { docId, versions };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields (outside bookkeeping) whose values differ between versions. */
export function differingFields(versions: Array<{ doc: Record<string, unknown> }>): string[] {
  const keys = new Set<string>();
  for (const v of versions) for (const k of Object.keys(v.doc)) if (!META_FIELDS.has(k)) keys.add(k);
  return [...keys].filter((k) => versions.some((v) => !same(v.doc[k], versions[0].doc[k])));
}

/** Two texts in one field: each once, in the order given. */
export function bothTexts(values: unknown[]): string {
  const texts = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return [...new Set(texts)].join(' / ');
}

export class ResolveError extends Error {}

/**
 * Writes the merged document on the winning branch and deletes the other versions, exactly
 * those the officer saw (`expectedRevs`); if another version arrived meanwhile nothing is written.
 * `choices`: field → the value chosen (undefined = the field is left out).
 */
export async function resolveConflict(
  author: { unitId: string; username: string },
  docId: string,
  expectedRevs: string[],
  choices: Record<string, unknown>
): Promise<string> {
  const { unitId, username } = author;
  const current = await loadConflict(unitId, docId);
  if (!current) throw new ResolveError('ไม่มีข้อมูลขัดแย้งแล้ว / there is no conflict any more');
  const revs = current.versions.map((v) => v.rev);
  if (revs.slice().sort().join() !== expectedRevs.slice().sort().join())
    throw new ResolveError(
      'มีฉบับใหม่เข้ามาระหว่างที่คุณเลือก กรุณาตรวจอีกครั้ง / another version arrived while you chose: please check again'
    );

  const winner = current.versions[0];
  const merged: Record<string, unknown> = { ...winner.doc };
  delete merged._conflicts;
  delete merged._revisions;
  for (const [field, value] of Object.entries(choices)) {
    if (META_FIELDS.has(field)) continue;
    if (value === undefined) delete merged[field];
    else merged[field] = value;
  }
  merged.updatedAt = new Date().toISOString();
  merged.updatedBy = username;
  const check = checkDoc(merged, unitId);
  if (!check.ok) throw new ResolveError(check.reason);

  const db = await replicaFor(unitId);
  // The merged version first: if this fails, no version has been deleted.
  let mergedRev: string;
  try {
    mergedRev = (await db.put(merged as PouchDB.Core.PutDocument<object>)).rev;
  } catch (e) {
    if ((e as { status?: number }).status === 409)
      throw new ResolveError('ระเบียนเปลี่ยนระหว่างที่คุณเลือก กรุณาตรวจอีกครั้ง / the record changed while you chose: please check again');
    throw new ResolveError(`บันทึกลงเครื่องไม่สำเร็จ / could not save on this device: ${(e as Error).message}`);
  }
  const losers = current.versions.slice(1);
  const history: ResolvedConflict = {
    resolvedAt: new Date().toISOString(),
    resolvedBy: username,
    keptRev: winner.rev,
    mergedRev,
    // Every version, the winning one included: a value the officer replaced is history too.
    losing: current.versions
      .map((v) => ({
        rev: v.rev,
        updatedBy: String(v.doc.updatedBy ?? ''),
        updatedAt: String(v.doc.updatedAt ?? ''),
        values: Object.fromEntries(differingFields([{ doc: merged }, v]).map((f) => [f, v.doc[f]]))
      }))
      .filter((v) => Object.keys(v.values).length > 0)
  };
  // The history is written before anything is deleted, so the losing values are never only on a branch.
  const row = (await localDb.conflicts.get(docId)) as StoredConflict | undefined;
  await putRow({
    ...(row ?? { docId, unitId, type: String(merged.type), title: titleOf(merged), detectedAt: history.resolvedAt }),
    conflictRevs: [],
    history: [...(row?.history ?? []), history]
  });
  await new Outbox(localDb).add(unitId, docId, mergedRev, history.resolvedAt);
  const removed = await db.bulkDocs(losers.map((v) => ({ _id: docId, _rev: v.rev, _deleted: true })));
  const failed = removed.filter((r) => 'error' in r && r.error);
  if (failed.length)
    throw new ResolveError('บันทึกฉบับที่รวมแล้ว แต่ลบฉบับเก่าไม่สำเร็จ / merged version saved, but the old versions could not be removed');
  return mergedRev;
}

export type { ConflictRow };
