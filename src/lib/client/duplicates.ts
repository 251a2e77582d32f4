/**
 * One person, one record on the tablet: possible duplicates of a person being typed, checked
 * offline against the unit's local replica; duplicate pairs after a sync; merging and un-merging
 * two records (docs/domain/duplicates.md). The rules are the domain's (duplicates.ts); this module
 * only reads the replica and writes the person revisions a merge plan asks for.
 */
import { DuplicateIndex, duplicatePairs, planMerge, planUnmerge, type MatchReason } from '../domain/duplicates.ts';
import type { PersonDoc } from '../domain/schemas.ts';
import { getDoc, SaveError } from './records.ts';
import { savePersonDoc } from './followup-records.ts';
import { replicaFor } from './replica.ts';

interface Author {
  unitId: string;
  username: string;
}

/** The unit's person documents on this tablet (the replica is the record of truth, offline too). */
export async function unitPeople(unitId: string): Promise<PersonDoc[]> {
  const db = await replicaFor(unitId);
  const res = await db.allDocs({ startkey: 'person:', endkey: 'person:\ufff0', include_docs: true });
  return res.rows.flatMap((r) =>
    r.doc && (r.doc as { type?: unknown }).type === 'person' ? [r.doc as unknown as PersonDoc] : []
  );
}

/** Built once when a person form opens; `matches` is then cheap enough to run on every keystroke. */
export async function duplicateIndexFor(unitId: string): Promise<DuplicateIndex<PersonDoc>> {
  return new DuplicateIndex(await unitPeople(unitId));
}

/** Records of the unit that may be one person (e.g. created on two tablets offline, met after sync). */
export async function possibleDuplicatePairs(unitId: string): Promise<{ a: PersonDoc; b: PersonDoc; reasons: MatchReason[] }[]> {
  return duplicatePairs(await unitPeople(unitId));
}

async function bothPeople(unitId: string, keptId: string, retiredId: string): Promise<[PersonDoc, PersonDoc]> {
  const [kept, retired] = await Promise.all([getDoc<PersonDoc>(unitId, keptId), getDoc<PersonDoc>(unitId, retiredId)]);
  if (!kept || !retired) throw new SaveError('ไม่พบระเบียนในเครื่อง / The record is not on this tablet', 'invalid');
  return [kept, retired];
}

/**
 * Merges `retiredId` into `keptId`: the retired record first (so a half-done merge, if the tablet
 * dies between the two writes, already shows everything under the kept record), then the entry on
 * the kept record. Both go through the outbox like any save.
 */
export async function mergePeople(author: Author, keptId: string, retiredId: string): Promise<void> {
  const [kept, retired] = await bothPeople(author.unitId, keptId, retiredId);
  const plan = planMerge(kept, retired, { username: author.username, at: new Date().toISOString() });
  if (!plan.ok) throw new SaveError(plan.problem, 'invalid');
  await savePersonDoc(author, plan.retired);
  await savePersonDoc(author, plan.kept);
}

/** Undoes the merge of `retiredId` into `keptId`; the history keeps the merge and its undoing. */
export async function unmergePeople(author: Author, keptId: string, retiredId: string): Promise<void> {
  const [kept, retired] = await bothPeople(author.unitId, keptId, retiredId);
  const plan = planUnmerge(kept, retired, { username: author.username, at: new Date().toISOString() });
  if (!plan.ok) throw new SaveError(plan.problem, 'invalid');
  await savePersonDoc(author, plan.retired);
  await savePersonDoc(author, plan.kept);
}
