/**
 * The audit trail of writes to unit data: who wrote to which unit, when, how many documents
 * were stored and which were refused and why. Document ids are `<type>:<uuid>`, so an entry
 * names no person; an id that does not have that form is not copied (it could be anything a
 * client typed) and is recorded as "(malformed id)".
 *
 * Reads (pulls, document GETs) are not audited one by one: a tablet pulls its whole unit on
 * every sync, so per-document read entries would be noise; access to a unit is governed by
 * the account's unit list, which is itself managed and reviewable.
 */
import { randomBytes } from 'node:crypto';
import type { DocumentStore } from './storage/port.ts';

const SAFE_ID = /^(?:[a-z0-9]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|_design\/[A-Za-z0-9_-]{1,64}|_local\/[A-Za-z0-9._-]{1,64})$/;

export interface WriteAudit {
  username: string;
  unitId: string;
  endpoint: '_bulk_docs' | 'put';
  newEdits: boolean;
  accepted: number;
  refused: Array<{ id: string | undefined; reason: string }>;
}

export async function recordWrite(audit: DocumentStore, entry: WriteAudit, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await audit.put({
    // Time first so entries list in order; random suffix so two in the same millisecond differ.
    _id: `write:${at}:${randomBytes(6).toString('hex')}`,
    type: 'audit-write',
    at,
    username: entry.username,
    unitId: entry.unitId,
    endpoint: entry.endpoint,
    newEdits: entry.newEdits,
    accepted: entry.accepted,
    refused: entry.refused.map((r) => ({
      id: r.id !== undefined && SAFE_ID.test(r.id) ? r.id : '(malformed id)',
      reason: r.reason.slice(0, 300)
    }))
  });
}
