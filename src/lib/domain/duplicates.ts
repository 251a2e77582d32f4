/**
 * One person, one record (docs/domain/duplicates.md): finding records that may be the same person,
 * and merging two records of one person in a way that is recorded, reversible and syncs without
 * conflicts.
 *
 * Matching — a pair is a possible duplicate when any of these agree:
 * - the prisoner ID (รหัสผู้ต้องขัง), compared without case, spaces or dashes;
 * - the 13-digit national ID (numbers only: "no number" never matches);
 * - first name + last name (spaces collapsed, Thai digits and case folded) AND date of birth.
 * A name alone is not enough (common Thai names repeat); a retired record never matches.
 *
 * Merging — interviews, follow-ups and non-compliance events are append-only (their `personId`
 * cannot change once stored), so a merge does not rewrite them. It writes two person revisions:
 * the retired record gets `mergedInto` (the kept record's id) and the kept one gets an entry in
 * `merges`. Every reader resolves a person id through `mergeRedirects`, so every interview,
 * follow-up, episode and event of the retired record shows and counts under the kept one. Undoing
 * writes two revisions again (the retired record loses `mergedInto`; the entry gets `undoneAt`),
 * and the history keeps both. Other tablets receive ordinary person revisions: nothing conflicts
 * unless someone edits the same person at the same time, which the conflict screen already handles.
 */
import { normaliseNationalId, thaiDigitsToArabic } from './national-id.ts';
import type { PersonDoc } from './schemas.ts';

export type MatchReason = 'prisoner-id' | 'national-id' | 'name-and-birth-date';

export type MatchablePerson = Pick<PersonDoc, '_id' | 'prisonerId' | 'nationalId' | 'firstName' | 'lastName'> &
  Partial<Pick<PersonDoc, 'dateOfBirth' | 'mergedInto'>>;

export interface PossibleDuplicate<P extends MatchablePerson = MatchablePerson> {
  person: P;
  reasons: MatchReason[];
}

export const MATCH_REASON_WORDS: Record<MatchReason, { th: string; en: string }> = {
  'prisoner-id': { th: 'รหัสผู้ต้องขังเดียวกัน', en: 'same prisoner ID' },
  'national-id': { th: 'เลขประจำตัวประชาชนเดียวกัน', en: 'same national ID' },
  'name-and-birth-date': { th: 'ชื่อ นามสกุล และวันเกิดเดียวกัน', en: 'same name and date of birth' }
};

export function prisonerIdKey(prisonerId: string | undefined): string {
  return thaiDigitsToArabic(prisonerId ?? '')
    .replace(/[\s\-_/.]/g, '')
    .toLowerCase();
}

export function nameKey(firstName: string | undefined, lastName: string | undefined): string {
  const part = (s: string | undefined) =>
    thaiDigitsToArabic((s ?? '').normalize('NFC'))
      .trim()
      .replace(/\s+/g, ' ')
      .toLowerCase();
  const first = part(firstName);
  const last = part(lastName);
  return first && last ? `${first}|${last}` : '';
}

/** The keys a person can be matched on ('' keys never match). */
function keysOf(p: Partial<MatchablePerson>): Record<MatchReason, string> {
  const id = p.nationalId?.status === 'number' ? normaliseNationalId(p.nationalId.number) : '';
  const name = nameKey(p.firstName, p.lastName);
  return {
    'prisoner-id': prisonerIdKey(p.prisonerId),
    'national-id': id,
    'name-and-birth-date': name && p.dateOfBirth ? `${name}|${p.dateOfBirth}` : ''
  };
}

const REASONS: readonly MatchReason[] = ['prisoner-id', 'national-id', 'name-and-birth-date'];

/** Why two records may be the same person ([] when nothing agrees). */
export function matchReasons(a: Partial<MatchablePerson>, b: Partial<MatchablePerson>): MatchReason[] {
  const ka = keysOf(a);
  const kb = keysOf(b);
  return REASONS.filter((r) => ka[r] !== '' && ka[r] === kb[r]);
}

/**
 * The unit's people indexed once by every key, so checking a record being typed (on each
 * keystroke) or scanning the whole unit after a sync is a few map look-ups per person.
 */
export class DuplicateIndex<P extends MatchablePerson> {
  private readonly byKey = new Map<string, P[]>();
  /** Keys of the indexed records, so scanning the unit (duplicatePairs) works them out once. */
  private readonly keysByRecord = new WeakMap<object, Record<MatchReason, string>>();

  constructor(people: Iterable<P>) {
    for (const p of people) {
      if (p.mergedInto) continue; // a retired record is never offered again
      const keys = keysOf(p);
      this.keysByRecord.set(p, keys);
      for (const r of REASONS) if (keys[r]) this.add(`${r}:${keys[r]}`, p);
    }
  }

  private add(key: string, p: P) {
    const list = this.byKey.get(key);
    if (list) list.push(p);
    else this.byKey.set(key, [p]);
  }

  /** Other live records that may be the same person as `candidate` (which may be a half-typed form). */
  matches(candidate: Partial<MatchablePerson>): PossibleDuplicate<P>[] {
    const keys = this.keysByRecord.get(candidate) ?? keysOf(candidate);
    const found = new Map<string, PossibleDuplicate<P>>();
    for (const r of REASONS) {
      if (!keys[r]) continue;
      for (const p of this.byKey.get(`${r}:${keys[r]}`) ?? []) {
        if (p._id === candidate._id) continue;
        const entry = found.get(p._id);
        if (entry) entry.reasons.push(r);
        else found.set(p._id, { person: p, reasons: [r] });
      }
    }
    return [...found.values()].sort((a, b) => b.reasons.length - a.reasons.length || (a.person._id < b.person._id ? -1 : 1));
  }
}

/** Possible duplicates while typing a new or edited person, against the unit's records. */
export function findPossibleDuplicates<P extends MatchablePerson>(
  candidate: Partial<MatchablePerson>,
  people: Iterable<P>
): PossibleDuplicate<P>[] {
  return new DuplicateIndex(people).matches(candidate);
}

/** Every pair of live records in the unit that may be one person (after a sync brought in another tablet's). */
export function duplicatePairs<P extends MatchablePerson>(people: readonly P[]): { a: P; b: P; reasons: MatchReason[] }[] {
  const index = new DuplicateIndex(people);
  const pairs: { a: P; b: P; reasons: MatchReason[] }[] = [];
  for (const p of people) {
    if (p.mergedInto) continue;
    for (const m of index.matches(p)) if (p._id < m.person._id) pairs.push({ a: p, b: m.person, reasons: m.reasons });
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// Merging

export interface MergeAuthor {
  username: string;
  /** ISO timestamp of the merge. */
  at: string;
}

export type MergeProblem = 'same-record' | 'already-merged' | 'kept-is-retired';

export const MERGE_PROBLEM_WORDS: Record<MergeProblem, { th: string; en: string }> = {
  'same-record': { th: 'เลือกระเบียนเดียวกันสองครั้ง', en: 'The same record was picked twice' },
  'already-merged': { th: 'ระเบียนนี้ถูกรวมไปแล้ว', en: 'This record was already merged into another' },
  'kept-is-retired': { th: 'ระเบียนที่เก็บไว้ถูกรวมเข้ากับระเบียนอื่นแล้ว', en: 'The record to keep was itself merged into another' }
};

type MergeablePerson = Pick<PersonDoc, '_id'> & Partial<Pick<PersonDoc, 'mergedInto' | 'mergedAt' | 'mergedBy' | 'merges'>>;

/**
 * The two person revisions that merge `retired` into `kept`, or the reason it cannot be done.
 * Nothing else is written (see the top of this file).
 */
export function planMerge<P extends MergeablePerson>(
  kept: P,
  retired: P,
  author: MergeAuthor
): { ok: true; kept: P; retired: P } | { ok: false; problem: MergeProblem } {
  if (kept._id === retired._id) return { ok: false, problem: 'same-record' };
  if (retired.mergedInto) return { ok: false, problem: 'already-merged' };
  if (kept.mergedInto) return { ok: false, problem: 'kept-is-retired' };
  return {
    ok: true,
    retired: { ...retired, mergedInto: kept._id, mergedAt: author.at, mergedBy: author.username },
    kept: { ...kept, merges: [...(kept.merges ?? []), { personId: retired._id, at: author.at, by: author.username }] }
  };
}

/** The two person revisions that undo the merge of `retired` into `kept`; the history keeps both steps. */
export function planUnmerge<P extends MergeablePerson>(
  kept: P,
  retired: P,
  author: MergeAuthor
): { ok: true; kept: P; retired: P } | { ok: false; problem: 'not-merged' } {
  if (retired.mergedInto !== kept._id) return { ok: false, problem: 'not-merged' };
  const { mergedInto: _into, mergedAt: _at, mergedBy: _by, ...rest } = retired;
  const merges = (kept.merges ?? []).map((m) =>
    m.personId === retired._id && m.undoneAt === undefined ? { ...m, undoneAt: author.at, undoneBy: author.username } : m
  );
  return { ok: true, retired: rest as P, kept: { ...kept, merges } };
}

/**
 * Where each retired record's data now belongs: retired id → the live record at the end of its
 * `mergedInto` chain (a chain A→B→C sends A to C). A chain that loops or points at a record not
 * on the device leaves that record where it is rather than guessing.
 */
export function mergeRedirects(
  people: Iterable<Pick<PersonDoc, '_id'> & Partial<Pick<PersonDoc, 'mergedInto'>>>
): Map<string, string> {
  const into = new Map<string, string>();
  const known = new Set<string>();
  for (const p of people) {
    known.add(p._id);
    if (p.mergedInto && p.mergedInto !== p._id) into.set(p._id, p.mergedInto);
  }
  const redirects = new Map<string, string>();
  for (const start of into.keys()) {
    const seen = new Set([start]);
    let at = into.get(start)!;
    while (into.has(at) && !seen.has(at)) {
      seen.add(at);
      at = into.get(at)!;
    }
    if (!seen.has(at) && known.has(at)) redirects.set(start, at);
  }
  return redirects;
}

/** The record a document's `personId` belongs to after merges. */
export function resolvePersonId(personId: string, redirects: ReadonlyMap<string, string>): string {
  return redirects.get(personId) ?? personId;
}

/** The merge fields of a stored person, to carry along when a form that does not edit them saves it. */
export function mergeFieldsOf(
  p: Partial<Pick<PersonDoc, 'mergedInto' | 'mergedAt' | 'mergedBy' | 'merges'>>
): Partial<Pick<PersonDoc, 'mergedInto' | 'mergedAt' | 'mergedBy' | 'merges'>> {
  const out: Partial<Pick<PersonDoc, 'mergedInto' | 'mergedAt' | 'mergedBy' | 'merges'>> = {};
  if (p.mergedInto !== undefined) out.mergedInto = p.mergedInto;
  if (p.mergedAt !== undefined) out.mergedAt = p.mergedAt;
  if (p.mergedBy !== undefined) out.mergedBy = p.mergedBy;
  if (p.merges !== undefined) out.merges = p.merges;
  return out;
}

/**
 * The person ids whose documents belong on `kept`'s page: its own and those of the records merged
 * into it and not un-merged (one level: a record merged into one that was merged later shows
 * under the latter's own page — `mergeRedirects` follows whole chains).
 */
export function recordIdsOf(kept: Pick<PersonDoc, '_id'> & Partial<Pick<PersonDoc, 'merges'>>): string[] {
  return [kept._id, ...(kept.merges ?? []).filter((m) => m.undoneAt === undefined).map((m) => m.personId)];
}
