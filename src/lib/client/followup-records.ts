/**
 * Saving the follow-up work's documents (follow-up report, episode, photo, the person's record
 * details) with the same rules as records.ts: the shared checkDoc gate before the write, then an
 * outbox entry until the server confirms the revision.
 */
import { type EpisodeDoc, type FollowUpDoc, type NonComplianceDoc, type PersonDoc, type PhotoDoc } from '../domain/index.ts';
import type { EpisodeFields, FollowUpFields } from '../domain/followup-form.ts';
import {
  nonComplianceChangeProblem,
  withAction,
  type NonComplianceActionRecord,
  type NonComplianceFields
} from '../domain/noncompliance-form.ts';
import { getDoc, putChecked, SaveError, withMeta } from './records.ts';

interface Author {
  unitId: string;
  username: string;
}

/**
 * Saves a new follow-up report. Reports are append-only: a second save of the same id is refused
 * (the first one stands), and `recordedAt` is this moment on this device.
 */
export async function saveFollowUp(
  author: Author,
  id: string,
  fields: Omit<FollowUpFields, 'recordedAt'>,
  now = new Date()
): Promise<FollowUpDoc> {
  const existing = await getDoc<FollowUpDoc>(author.unitId, id);
  if (existing)
    throw new SaveError('รายงานนี้บันทึกไปแล้ว แก้ไขไม่ได้ / This report was already saved and cannot be changed', 'conflict');
  const recordedAt = now.toISOString();
  const doc = {
    ...withMeta({ ...fields, recordedAt }, 'followup', id, author, undefined),
    createdAt: recordedAt,
    updatedAt: recordedAt
  } as FollowUpDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

export async function saveEpisode(author: Author, id: string, fields: EpisodeFields, existing?: EpisodeDoc): Promise<EpisodeDoc> {
  const doc = withMeta(fields, 'episode', id, author, existing) as EpisodeDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

/**
 * Saves a non-compliance event. Once saved the event is fixed and its actions are only appended:
 * a save that changes the event or an earlier action is refused here (the record is evidence of
 * what was done, and when).
 */
export async function saveNonCompliance(
  author: Author,
  id: string,
  fields: NonComplianceFields,
  existing?: NonComplianceDoc
): Promise<NonComplianceDoc> {
  const problem = existing ? nonComplianceChangeProblem(existing, fields) : null;
  if (problem) throw new SaveError(`${problem.th} / ${problem.en}`, 'invalid');
  const doc = withMeta(fields, 'noncompliance', id, author, existing) as NonComplianceDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

/**
 * Appends one action to the stored event. Reads the newest revision first, so an action another
 * tablet added (synced in while this screen was open) is kept rather than refused as a conflict.
 */
export async function addNonComplianceAction(
  author: Author,
  id: string,
  action: NonComplianceActionRecord
): Promise<NonComplianceDoc> {
  const existing = await getDoc<NonComplianceDoc>(author.unitId, id);
  if (!existing) throw new SaveError('ไม่พบบันทึกนี้ในเครื่อง / This record is not on this tablet', 'invalid');
  // The stored bookkeeping carried along is rewritten by withMeta (as savePersonDoc relies on too).
  return saveNonCompliance(author, id, withAction(existing, action), existing);
}

/** Writes the whole person document as given (the caller merged its changes into the stored one). */
export async function savePersonDoc(author: Author, person: PersonDoc): Promise<PersonDoc> {
  const { _id, ...fields } = person;
  const doc = withMeta(fields, 'person', _id, author, person) as PersonDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

export const photoIdOf = (personId: string) => `photo:${personId.slice('person:'.length)}`;

/** Sets (a data URL) or removes (null) the person's photo; the photo document is never deleted. */
export async function savePhoto(author: Author, personId: string, image: string | null): Promise<PhotoDoc> {
  const id = photoIdOf(personId);
  const existing = await getDoc<PhotoDoc>(author.unitId, id);
  const doc = withMeta({ personId, image }, 'photo', id, author, existing) as PhotoDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}
