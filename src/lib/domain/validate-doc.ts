/**
 * The one gate every synced document passes: on the tablet before it is written, and on the
 * sync-server for every document in _bulk_docs. Returns a reason a person can read.
 */
import type { ZodError } from 'zod';
import { episodeSchema, followUpSchema, nonComplianceSchema, photoSchema, type EpisodeDoc, type FollowUpDoc, type NonComplianceDoc, type PhotoDoc } from './followup-schemas.ts';
import { care01Schema, personSchema, type Care01Doc, type PersonDoc } from './schemas.ts';

/** Every document type that syncs, by its `type` field. */
export const SCHEMAS = {
  person: personSchema,
  care01: care01Schema,
  episode: episodeSchema,
  followup: followUpSchema,
  photo: photoSchema,
  noncompliance: nonComplianceSchema
} as const;

export type SyncedDoc = PersonDoc | Care01Doc | EpisodeDoc | FollowUpDoc | PhotoDoc | NonComplianceDoc;
export type DocType = SyncedDoc['type'];

/** A single document larger than this cannot be a form; refuse before parsing deeper. */
export const MAX_DOC_BYTES = 1_000_000;

export type DocCheck = { ok: true; doc: SyncedDoc } | { ok: false; reason: string };

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function checkDoc(doc: unknown, unitId: string): DocCheck {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'a document must be a JSON object' };
  const d = doc as Record<string, unknown>;
  if (JSON.stringify(doc).length > MAX_DOC_BYTES) return { ok: false, reason: `document larger than ${MAX_DOC_BYTES} bytes` };
  if (d._deleted === true)
    return { ok: false, reason: 'ระเบียนลบไม่ได้ / records cannot be deleted: no data is ever removed from a unit' };
  if ('_attachments' in d) return { ok: false, reason: 'attachments are not accepted' };
  const type = d.type;
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type))
    return { ok: false, reason: `unknown document type ${JSON.stringify(String(type)).slice(0, 40)}` };
  if (d.unitId !== unitId)
    return { ok: false, reason: `เอกสารนี้เป็นของหน่วยงานอื่น / document belongs to another unit, not ${unitId}` };
  const result = SCHEMAS[type as keyof typeof SCHEMAS].safeParse(doc);
  if (!result.success) return { ok: false, reason: describeZodError(result.error) };
  return { ok: true, doc: result.data };
}
