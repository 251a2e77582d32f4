/**
 * Writing records to the unit's replica. Every document is checked with the same shared gate
 * the server uses before it is written, so the tablet never holds a record the server would refuse
 * for its shape. A save is listed in the outbox until the server confirms it.
 */
import { checkDoc, SCHEMA_VERSION, type Care01Doc, type DocCheck, type PersonDoc, type SyncedDoc } from '../domain/index.ts';
import type { InterviewFields, PersonFields } from '../domain/form-state.ts';
import { personRecordOf } from '../domain/followup-form.ts';
import { mergeFieldsOf } from '../domain/duplicates.ts';
import { isQuotaError, noteQuotaFailure, QUOTA_MESSAGE } from './device-storage.svelte.ts';
import { localDb } from './local-db.ts';
import { Outbox } from './outbox.ts';
import { replicaFor } from './replica.ts';
import { readableDoc } from './version-policy.ts';

export class SaveError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'conflict' | 'storage'
  ) {
    super(message);
  }
}

interface Author {
  unitId: string;
  username: string;
}

function withMeta<T extends object>(
  fields: T,
  type: SyncedDoc['type'],
  id: string,
  author: Author,
  existing: { _rev?: string; createdAt: string; createdBy: string } | undefined
) {
  const now = new Date().toISOString();
  return {
    ...fields,
    _id: id,
    ...(existing?._rev ? { _rev: existing._rev } : {}),
    type,
    unitId: author.unitId,
    schemaVersion: SCHEMA_VERSION,
    createdAt: existing?.createdAt ?? now,
    createdBy: existing?.createdBy ?? author.username,
    updatedAt: now,
    updatedBy: author.username
  };
}

/** The fields of a document without its bookkeeping, for "did anything change?" checks. */
function contentOf(doc: object): string {
  const { _rev, _revisions, updatedAt, updatedBy, createdAt, createdBy, ...rest } = doc as Record<string, unknown>;
  void _rev;
  void _revisions;
  void updatedAt;
  void updatedBy;
  void createdAt;
  void createdBy;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

export async function getDoc<T extends SyncedDoc>(unitId: string, id: string): Promise<T | undefined> {
  const db = await replicaFor(unitId);
  try {
    // Read as this build reads documents (upgraded to the current schema version); one it cannot
    // upgrade is handed over as stored.
    const stored = await db.get(id);
    return (readableDoc<T>(stored) ?? stored) as unknown as T;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

/** PouchDB's answer to a write, as a SaveError in the officer's words. */
function saveErrorOf(unitId: string, e: unknown): SaveError {
  const status = (e as { status?: number }).status;
  if (status === 409)
    return new SaveError(
      'ระเบียนนี้ถูกแก้ไขจากอุปกรณ์อื่นระหว่างที่คุณแก้ไข ข้อมูลของคุณยังอยู่ในฉบับร่าง / This record was changed on another device while you edited; your entries are kept in the draft',
      'conflict'
    );
  if (isQuotaError(e)) {
    noteQuotaFailure(unitId);
    return new SaveError(`${QUOTA_MESSAGE.th} / ${QUOTA_MESSAGE.en}`, 'storage');
  }
  return new SaveError(`บันทึกลงเครื่องไม่สำเร็จ / Could not save on this device: ${(e as Error).message}`, 'storage');
}

/**
 * Writes a document that passed the shared gate and lists it in the outbox. A full device is
 * reported (the storage warning shows it) and nothing half-written is left behind: PouchDB's
 * write is one IndexedDB transaction, and the outbox entry is written only after it committed.
 */
async function writeGated(unitId: string, doc: SyncedDoc): Promise<string> {
  const db = await replicaFor(unitId);
  try {
    const res = await db.put(doc as PouchDB.Core.PutDocument<object>);
    await new Outbox(localDb).add(unitId, doc._id, res.rev);
    return res.rev;
  } catch (e) {
    throw saveErrorOf(unitId, e);
  }
}

/** Writes one document through the shared gate and lists it in the outbox. */
export async function putChecked(unitId: string, doc: SyncedDoc): Promise<string> {
  const check = checkDoc(doc, unitId);
  if (!check.ok) throw new SaveError(check.reason, 'invalid');
  return writeGated(unitId, doc);
}

/**
 * A document a form is about to save, already through the shared gate: the form shows the gate's
 * verdict as field problems, and the write that follows does not check the same document again
 * (on a throttled tablet the schema check of a CARE 01 with its signatures is a good part of a
 * save). Only `PreparedWrite.of` makes one, so a document cannot reach `writePrepared` unchecked;
 * the document must not be changed after it was prepared.
 */
export class PreparedWrite<T extends SyncedDoc> {
  private constructor(
    readonly unitId: string,
    readonly doc: T,
    readonly check: DocCheck,
    /** The stored revision it replaces, when there is one. */
    readonly existing: T | undefined,
    /** False when it holds what is stored already (only bookkeeping differs): nothing is written. */
    readonly changed: boolean
  ) {}

  /** Checks `doc` with the shared gate and compares it with the stored revision. */
  static of<T extends SyncedDoc>(unitId: string, doc: T, existing: T | undefined): PreparedWrite<T> {
    const changed = !existing || contentOf(existing) !== contentOf(doc);
    return new PreparedWrite(unitId, doc, checkDoc(doc, unitId), existing, changed);
  }
}

/** Writes a prepared document if it changes anything; returns the stored document. */
export async function writePrepared<T extends SyncedDoc>(prepared: PreparedWrite<T>): Promise<T> {
  if (!prepared.changed) return prepared.existing!;
  if (!prepared.check.ok) throw new SaveError(prepared.check.reason, 'invalid');
  const rev = await writeGated(prepared.unitId, prepared.doc);
  return { ...prepared.doc, _rev: rev };
}

/** The person document a save of the identity form writes (what the form does not hold is kept). */
export function personDocOf(author: Author, id: string, fields: PersonFields, existing?: PersonDoc): PersonDoc {
  // The identity form (CARE 01) does not carry the follow-up details or the assigned volunteers:
  // they are kept as stored, never dropped by an identity edit.
  const kept = existing
    ? {
        ...personRecordOf(existing),
        ...(existing.assignedVolunteers ? { assignedVolunteers: existing.assignedVolunteers } : {}),
        ...mergeFieldsOf(existing)
      }
    : {};
  return withMeta({ ...kept, ...fields }, 'person', id, author, existing) as PersonDoc;
}

export function interviewDocOf(
  author: Author,
  id: string,
  personId: string,
  fields: InterviewFields,
  existing?: Care01Doc
): Care01Doc {
  return withMeta({ ...fields, personId }, 'care01', id, author, existing) as Care01Doc;
}

/** Saves the person if new or changed; returns the stored document. */
export async function savePerson(author: Author, id: string, fields: PersonFields, existing?: PersonDoc): Promise<PersonDoc> {
  return writePrepared(PreparedWrite.of(author.unitId, personDocOf(author, id, fields, existing), existing));
}

export async function saveInterview(
  author: Author,
  id: string,
  personId: string,
  fields: InterviewFields,
  existing?: Care01Doc
): Promise<Care01Doc> {
  return writePrepared(PreparedWrite.of(author.unitId, interviewDocOf(author, id, personId, fields, existing), existing));
}

export { withMeta };
