/**
 * The one gate every synced document passes: on the tablet before it is written, and on the
 * sync-server for every document in _bulk_docs. A refusal carries a code from the catalogue
 * (refusal-codes.ts) and the field it concerns, beside a reason a person can read (kept as it was
 * for server answers).
 */
import type { ZodError } from 'zod';
import {
  episodeSchema,
  followUpSchema,
  nonComplianceSchema,
  photoSchema,
  type EpisodeDoc,
  type FollowUpDoc,
  type NonComplianceDoc,
  type PhotoDoc
} from './followup-schemas.ts';
import { care01Schema, personSchema, type Care01Doc, type PersonDoc } from './schemas.ts';
import { care03Schema, care04Schema, type Care03Doc, type Care04Doc } from './services/care-visits.ts';
import { consentSchema, type ConsentDoc } from './services/consent.ts';
import { referralSchema, type ReferralDoc } from './services/referral.ts';
import { assistanceRequestSchema, type AssistanceRequestDoc } from './services/assistance-request.ts';
import { requestAttachmentSchema, type RequestAttachmentDoc } from './services/request-attachment.ts';
import { handoverRequestDocSchema, type HandoverRequestDoc } from './services/handover.ts';
import { refusalOfZodError, type RefusalCode } from './refusal-codes.ts';
import { upgradeDoc, VERSION_POLICY, type VersionPolicy } from './schema-versions.ts';

/** Every document type that syncs, by its `type` field. */
export const SCHEMAS = {
  person: personSchema,
  care01: care01Schema,
  episode: episodeSchema,
  followup: followUpSchema,
  photo: photoSchema,
  noncompliance: nonComplianceSchema,
  care03: care03Schema,
  care04: care04Schema,
  consent: consentSchema,
  referral: referralSchema,
  request: assistanceRequestSchema,
  attachment: requestAttachmentSchema,
  handoverrequest: handoverRequestDocSchema
} as const;

export type SyncedDoc =
  | PersonDoc
  | Care01Doc
  | EpisodeDoc
  | FollowUpDoc
  | PhotoDoc
  | NonComplianceDoc
  | Care03Doc
  | Care04Doc
  | ConsentDoc
  | ReferralDoc
  | AssistanceRequestDoc
  | RequestAttachmentDoc
  | HandoverRequestDoc;
export type DocType = SyncedDoc['type'];

/** A single document larger than this cannot be a form; refuse before parsing deeper. */
export const MAX_DOC_BYTES = 1_000_000;

export type DocCheck = { ok: true; doc: SyncedDoc } | { ok: false; reason: string; code: RefusalCode; field: string };

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * `maxBytes`: the server may set a lower per-document cap than MAX_DOC_BYTES (its LIMITS.docBytes).
 * A document of an older accepted schema version is checked as upgraded (schema-versions.ts);
 * the caller stores it as it came.
 */
export function checkDoc(
  doc: unknown,
  unitId: string,
  maxBytes = MAX_DOC_BYTES,
  versions: VersionPolicy = VERSION_POLICY
): DocCheck {
  const refuse = (code: RefusalCode, reason: string, field = ''): DocCheck => ({ ok: false, reason, code, field });
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return refuse('not-an-object', 'a document must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (JSON.stringify(doc).length > maxBytes)
    return refuse('document-too-large', `เอกสารใหญ่เกิน ${maxBytes} ไบต์ / document larger than ${maxBytes} bytes`);
  if (d._deleted === true)
    return refuse('deletion-refused', 'ระเบียนลบไม่ได้ / records cannot be deleted: no data is ever removed from a unit');
  if ('_attachments' in d) return refuse('attachments-refused', 'attachments are not accepted', '_attachments');
  const type = d.type;
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type))
    return refuse('unknown-type', `unknown document type ${JSON.stringify(String(type)).slice(0, 40)}`, 'type');
  if (d.unitId !== unitId)
    return refuse('other-unit', `เอกสารนี้เป็นของหน่วยงานอื่น / document belongs to another unit, not ${unitId}`, 'unitId');
  let candidate: unknown = doc;
  if (typeof d.schemaVersion === 'number' && d.schemaVersion !== versions.current) {
    const upgraded = upgradeDoc(d, versions);
    if (!upgraded.ok) return refuse('schema-version', upgraded.reason, 'schemaVersion');
    candidate = upgraded.doc;
  }
  const result = SCHEMAS[type as keyof typeof SCHEMAS].safeParse(candidate);
  if (!result.success) {
    const { code, field } = refusalOfZodError(result.error);
    return refuse(code, describeZodError(result.error), field);
  }
  return { ok: true, doc: result.data };
}

/**
 * Conflict resolution on a tablet deletes the revisions the officer did not keep: PouchDB writes
 * a tombstone `{_id, _rev, _deleted: true}` on each losing branch and replicates it. Such a
 * tombstone is the only deletion a unit accepts, and only when it ends a conflict branch:
 * - it carries nothing but `_id`, `_rev`, `_revisions` and `_deleted` (no data can hide in it);
 * - its id is one of the synced document types;
 * - it arrives as a replicated revision (with its `_revisions` history, new_edits=false);
 * - and after it is stored the document still has a live revision that is not one of the
 *   tombstone's ancestors (`conflictDeletionProblem`, which needs the server's leaves).
 * So a document as a whole can never be deleted, only one of its competing versions.
 */
export type TombstoneCheck =
  | { ok: true; id: string; rev: string; /** the tombstone's ancestors, newest first */ ancestors: string[] }
  | { ok: false; reason: string };

const TOMBSTONE_KEYS = new Set(['_id', '_rev', '_revisions', '_deleted']);
const DELETION_REFUSED = 'ระเบียนลบไม่ได้ / records cannot be deleted: no data is ever removed from a unit';

export function isTombstone(doc: unknown): boolean {
  return doc !== null && typeof doc === 'object' && (doc as { _deleted?: unknown })._deleted === true;
}

export function checkTombstone(doc: unknown): TombstoneCheck {
  if (!isTombstone(doc)) return { ok: false, reason: 'not a deletion' };
  const d = doc as Record<string, unknown>;
  if (Object.keys(d).some((k) => !TOMBSTONE_KEYS.has(k)))
    return { ok: false, reason: `${DELETION_REFUSED} (a deletion of a conflicting version carries no fields)` };
  const id = d._id;
  const type = typeof id === 'string' ? id.split(':')[0] : '';
  if (typeof id !== 'string' || !Object.hasOwn(SCHEMAS, type) || !/^[a-z0-9]+:[0-9a-f-]{36}$/.test(id))
    return { ok: false, reason: DELETION_REFUSED };
  const rev = d._rev;
  const revisions = d._revisions as { start?: unknown; ids?: unknown } | undefined;
  if (typeof rev !== 'string' || !/^\d+-[0-9a-f]{1,64}$/.test(rev) || !revisions)
    return { ok: false, reason: `${DELETION_REFUSED} (only a replicated deletion of a conflicting version is accepted)` };
  const { start, ids } = revisions;
  const generation = Number(rev.split('-')[0]);
  if (
    start !== generation ||
    !Array.isArray(ids) ||
    ids.length < 2 ||
    ids.length > 1000 ||
    !ids.every((x) => typeof x === 'string' && /^[0-9a-f]{1,64}$/.test(x)) ||
    `${start}-${ids[0]}` !== rev
  )
    return { ok: false, reason: '_revisions does not match _rev' };
  const ancestors = (ids as string[]).slice(1).map((hash, i) => `${generation - 1 - i}-${hash}`);
  return { ok: true, id, rev, ancestors };
}

/**
 * The server's half of the rule: `liveLeaves` are the document's current non-deleted leaf
 * revisions (plus any live revision of it stored earlier in the same request). The deletion is
 * allowed only if one of them is not on the tombstone's own branch, i.e. survives it.
 */
export function conflictDeletionProblem(tombstone: { ancestors: string[] }, liveLeaves: string[]): string | null {
  const onItsBranch = new Set(tombstone.ancestors);
  if (liveLeaves.some((rev) => !onItsBranch.has(rev))) return null;
  return `${DELETION_REFUSED} (only a conflicting version may be deleted, and this is the document's last version)`;
}
