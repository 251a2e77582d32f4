/**
 * The audit trail of writes to unit data: who wrote to which unit, when the server received it,
 * which documents (id and revision) were stored and which were refused and why. Never content:
 * ids are `<type>:<uuid>`, so an entry names no person; an id that does not have that form is
 * not copied (it could be anything a client typed) and is recorded as "(malformed id)".
 *
 * No accepted write may lack its entry, so an entry is written in two steps (issue 9, item 7):
 * `beginWrite` stores the intent — the ids and revisions about to be written — BEFORE the store
 * write, and `completeWrite` marks it complete with what was stored. A process killed between
 * the two leaves an entry with `status: 'intent'`: the reviewer sees who tried to write which
 * revisions, and the unit database says whether they landed. A store write that throws marks
 * the entry `failed`.
 *
 * Sizes are bounded (config.ts LIMITS): accepted documents are all named (a batch holds at most
 * LIMITS.docsPerBulk); refused ones are counted per reason and only the first
 * LIMITS.auditRefusedListed are named, so a hostile batch cannot make a huge entry.
 *
 * Reads are audited as events (audit-events.ts), not here.
 */
import { randomBytes } from 'node:crypto';
import { LIMITS } from './config.ts';
import { putGrouped } from './grouped-writes.ts';
import type { DocumentStore, StoredDoc } from './storage/port.ts';

const SAFE_ID =
  /^(?:[a-z0-9]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|_design\/[A-Za-z0-9_-]{1,64}|_local\/[A-Za-z0-9._-]{1,64})$/;
const SAFE_REV = /^[1-9]\d{0,8}-[0-9a-f]{1,64}$/;

export interface DocRef {
  id: string | undefined;
  rev?: string;
}

export interface RefusedRef extends DocRef {
  reason: string;
}

export interface WriteIntent {
  username: string;
  unitId: string;
  endpoint: '_bulk_docs' | 'put';
  newEdits: boolean;
  /** When the server received the request (server clock), not anything the client said. */
  receivedAt: Date;
  /** Documents about to be written: with new_edits=false their own revisions, else the base revision. */
  writing: DocRef[];
  refused: RefusedRef[];
}

export interface WriteOutcome {
  /** Documents stored, with the revision the store gave them. */
  stored: DocRef[];
  /** Refused after screening (the store or the conflict-deletion rule said no). */
  refused: RefusedRef[];
}

/** The stored entry's handle, to complete it. */
export interface AuditHandle {
  id: string;
  /** null: nothing was to be written, so no intent was stored; completeWrite stores the entry. */
  rev: string | null;
  body: StoredDoc;
}

const safeId = (id: string | undefined) => (id !== undefined && SAFE_ID.test(id) ? id : '(malformed id)');
const safeRef = (r: DocRef) => ({ id: safeId(r.id), ...(r.rev !== undefined && SAFE_REV.test(r.rev) ? { rev: r.rev } : {}) });

/** Refusals as counts per reason plus the first few named: bounded however many there are. */
export function summariseRefusals(refused: RefusedRef[]) {
  const byReason = new Map<string, number>();
  for (const r of refused) {
    // Reasons are the server's own texts; a zod path can differ per document, so cap the key set.
    const reason = r.reason.slice(0, 300);
    if (byReason.has(reason) || byReason.size < LIMITS.auditReasons) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    else byReason.set('(other reasons)', (byReason.get('(other reasons)') ?? 0) + 1);
  }
  return {
    refusedCount: refused.length,
    refusedByReason: [...byReason.entries()].map(([reason, count]) => ({ reason, count })),
    refused: refused.slice(0, LIMITS.auditRefusedListed).map((r) => ({ ...safeRef(r), reason: r.reason.slice(0, 300) }))
  };
}

/** Step one, before the store write: the intent names every document about to be written. */
export async function beginWrite(audit: DocumentStore, intent: WriteIntent): Promise<AuditHandle> {
  const at = intent.receivedAt.toISOString();
  const body: StoredDoc = {
    // Time first so entries list in order; random suffix so two in the same millisecond differ.
    _id: `write:${at}:${randomBytes(6).toString('hex')}`,
    type: 'audit-write',
    status: 'intent',
    at,
    receivedAt: at,
    username: intent.username,
    unitId: intent.unitId,
    endpoint: intent.endpoint,
    newEdits: intent.newEdits,
    writing: intent.writing.map(safeRef),
    ...summariseRefusals(intent.refused)
  };
  // A batch refused as a whole writes nothing: one entry, at completion, is enough.
  if (intent.writing.length === 0) return { id: body._id, rev: null, body };
  const { rev } = await putGrouped(audit, body as StoredDoc);
  return { id: body._id, rev, body };
}

/** Step two, after the store write: what was stored (with its revisions) and what was refused. */
export async function completeWrite(
  audit: DocumentStore,
  handle: AuditHandle,
  outcome: WriteOutcome,
  now = new Date()
): Promise<void> {
  const { writing: _intended, ...rest } = handle.body;
  await putGrouped(audit, {
    ...rest,
    _id: handle.id,
    ...(handle.rev !== null ? { _rev: handle.rev } : {}),
    status: 'complete',
    completedAt: now.toISOString(),
    accepted: outcome.stored.length,
    stored: outcome.stored.map(safeRef),
    ...summariseRefusals(outcome.refused)
  });
}

/** The store write threw: the entry says so (what was intended stays listed). */
export async function failWrite(audit: DocumentStore, handle: AuditHandle, now = new Date()): Promise<void> {
  const rev = handle.rev !== null ? { _rev: handle.rev } : {};
  await putGrouped(audit, { ...handle.body, _id: handle.id, ...rev, status: 'failed', completedAt: now.toISOString() });
}
