/**
 * Saving the follow-up work's documents (follow-up report, episode, photo, the person's record
 * details) with the same rules as records.ts: the shared checkDoc gate before the write, then an
 * outbox entry until the server confirms the revision.
 */
import { type EpisodeDoc, type FollowUpDoc, type PersonDoc, type PhotoDoc } from '../domain/index.ts';
import type { EpisodeFields, FollowUpFields } from '../domain/followup-form.ts';
import { getDoc, putChecked, SaveError, withMeta } from './records.ts';

interface Author {
  unitId: string;
  username: string;
}

/**
 * Saves a new follow-up report. Reports are append-only: a second save of the same id is refused
 * (the first one stands), and `recordedAt` is this moment on this device.
 */
export async function saveFollowUp(author: Author, id: string, fields: Omit<FollowUpFields, 'recordedAt'>, now = new Date()): Promise<FollowUpDoc> {
  const existing = await getDoc<FollowUpDoc>(author.unitId, id);
  if (existing)
    throw new SaveError('รายงานนี้บันทึกไปแล้ว แก้ไขไม่ได้ / This report was already saved and cannot be changed', 'conflict');
  const recordedAt = now.toISOString();
  const doc = { ...withMeta({ ...fields, recordedAt }, 'followup', id, author, undefined), createdAt: recordedAt, updatedAt: recordedAt } as FollowUpDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

export async function saveEpisode(author: Author, id: string, fields: EpisodeFields, existing?: EpisodeDoc): Promise<EpisodeDoc> {
  const doc = withMeta(fields, 'episode', id, author, existing) as EpisodeDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
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
