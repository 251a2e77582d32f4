/**
 * Where a record stands, for the officer: only on this tablet (waiting for the server), refused
 * by the server (with its reason), in conflict with another tablet's version, or synced.
 * Read from the Dexie outbox and conflicts tables, so it is live through liveQuery.
 */
import { localDb, type OutboxEntry } from './local-db.ts';
import { isOpen, type StoredConflict } from './conflicts.ts';

export type RecordState = 'local' | 'refused' | 'conflict' | 'synced';

export interface RecordStatus {
  state: RecordState;
  reason?: string;
  savedAt?: string;
}

export async function recordStatus(docId: string): Promise<RecordStatus> {
  const [entry, conflict] = await Promise.all([localDb.outbox.get(docId), localDb.conflicts.get(docId)]);
  if (conflict && isOpen(conflict as StoredConflict)) return { state: 'conflict' };
  if (entry?.status === 'refused') return { state: 'refused', reason: entry.reason, savedAt: entry.savedAt };
  if (entry) return { state: 'local', savedAt: entry.savedAt };
  return { state: 'synced' };
}

/** Statuses of many records at once (lists): ids with no entry are synced. */
export async function recordStatuses(docIds: string[]): Promise<Map<string, RecordStatus>> {
  const [entries, conflicts] = await Promise.all([localDb.outbox.bulkGet(docIds), localDb.conflicts.bulkGet(docIds)]);
  const out = new Map<string, RecordStatus>();
  docIds.forEach((id, i) => {
    const e = entries[i];
    const c = conflicts[i] as StoredConflict | undefined;
    if (c && isOpen(c)) out.set(id, { state: 'conflict' });
    else if (e?.status === 'refused') out.set(id, { state: 'refused', reason: e.reason, savedAt: e.savedAt });
    else if (e) out.set(id, { state: 'local', savedAt: e.savedAt });
    else out.set(id, { state: 'synced' });
  });
  return out;
}

export const STATE_LABELS: Record<RecordState, { th: string; en: string }> = {
  local: { th: 'อยู่ในเครื่องนี้เท่านั้น รอส่ง', en: 'Only on this tablet, waiting to sync' },
  refused: { th: 'เซิร์ฟเวอร์ไม่รับ', en: 'Refused by the server' },
  conflict: { th: 'มีข้อมูลขัดแย้ง ต้องรวม', en: 'Conflicting versions: merge needed' },
  synced: { th: 'ซิงก์แล้ว', en: 'Synced' }
};

/** The screen a record is shown on, from its id (and its person for follow-up documents). */
export async function hrefForDoc(unitId: string, docId: string): Promise<string | null> {
  const [type, uuid] = docId.split(':');
  if (type === 'person') return `/people/${uuid}`;
  if (type === 'care01') return `/care01/${uuid}`;
  try {
    const { replicaFor } = await import('./replica.ts');
    const doc = (await (await replicaFor(unitId)).get(docId)) as { personId?: string };
    return doc.personId ? `/people/${doc.personId.slice('person:'.length)}` : null;
  } catch {
    return null;
  }
}

export type { OutboxEntry };
