/**
 * The audit trail of everything that is not a replication write (audit.ts has those): sign-ins
 * and their failures, lock-outs, password and account changes, administration, and every read of
 * personal data (replication pulls, record views, report drill-downs, exports).
 *
 * An entry says who did what to which unit or account, and how many people or documents it
 * touched, and names documents only by id (`<type>:<uuid>`): never a name, a national ID or
 * any other content, so the audit itself holds no personal data.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isConflict, type DocumentStore, type StoredDoc } from './storage/port.ts';
import { putGrouped } from './grouped-writes.ts';

export type AuditAction =
  | 'sign-in'
  | 'sign-in-failed'
  | 'lockout'
  | 'sign-out'
  | 'password-change'
  | 'password-reset'
  | 'account-create'
  | 'account-change'
  | 'account-disable'
  | 'account-unlock'
  | 'session-revoke'
  | 'device-lost'
  | 'unit-create'
  | 'unit-change'
  | 'unit-close'
  | 'read-pull'
  | 'read-record'
  | 'read-report'
  | 'export'
  | (string & {});

export interface AuditEvent {
  action: AuditAction;
  /** The account that acted; null for a failed sign-in of an unknown name. */
  actor: string | null;
  /** The unit whose data was read or changed, when there is one. */
  unitId?: string;
  /** The account, unit or report acted on (an id, never personal content). */
  target?: string;
  /** How many documents or people were read or changed. */
  count?: number;
  /** Document ids involved (bounded: the first 200 are kept, `idsTruncated` says how many more). */
  ids?: string[];
  /** The reason an administrator gave, or a short machine reason (`wrong-password`). */
  why?: string;
  /** The client address as resolved through the trusted proxies. */
  ip?: string;
}

const MAX_IDS = 200;
const MAX_TEXT = 300;

export async function recordEvent(audit: DocumentStore, event: AuditEvent, now = new Date()): Promise<void> {
  // Time first so entries list in order; random suffix so two in the same millisecond differ.
  await putGrouped(audit, auditEntry(event, now, randomBytes(6).toString('hex')));
}

/**
 * Records an event that must be audited once although the work it reports may be carried out
 * again (a retried hand-over, or two server instances carrying out the same request): the entry's
 * id comes from `key` and the moment of the work, so a repeat is refused by the store. Returns
 * false when the entry was already there.
 */
export async function recordEventOnce(audit: DocumentStore, event: AuditEvent, at: Date, key: string): Promise<boolean> {
  try {
    await putGrouped(audit, auditEntry(event, at, createHash('sha256').update(key).digest('hex').slice(0, 12)));
    return true;
  } catch (e) {
    if (isConflict(e)) return false;
    throw e;
  }
}

function auditEntry(event: AuditEvent, now: Date, suffix: string): StoredDoc {
  const at = now.toISOString();
  const ids = event.ids ?? [];
  return {
    _id: `event:${at}:${suffix}`,
    type: 'audit-event',
    at,
    action: String(event.action).slice(0, 64),
    actor: event.actor,
    ...(event.unitId !== undefined && { unitId: event.unitId.slice(0, 64) }),
    ...(event.target !== undefined && { target: event.target.slice(0, 200) }),
    ...(event.count !== undefined && { count: event.count }),
    ...(ids.length > 0 && { ids: ids.slice(0, MAX_IDS), idsTruncated: Math.max(0, ids.length - MAX_IDS) }),
    ...(event.why !== undefined && { why: event.why.slice(0, MAX_TEXT) }),
    ...(event.ip !== undefined && { ip: event.ip.slice(0, 64) })
  };
}
