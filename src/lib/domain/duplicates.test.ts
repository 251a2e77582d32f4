import { describe, expect, it } from 'vitest';
import {
  DuplicateIndex,
  duplicatePairs,
  findPossibleDuplicates,
  matchReasons,
  mergeRedirects,
  planMerge,
  planUnmerge,
  recordIdsOf,
  resolvePersonId,
  type MatchablePerson
} from './duplicates.ts';
import { personSchema } from './schemas.ts';
import { fullPerson, VALID_NATIONAL_ID } from './test-fixtures.ts';
import { withCheckDigit } from './national-id.ts';

const id = (n: number) => `person:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = (n: number, o: Partial<MatchablePerson> = {}): MatchablePerson => ({
  _id: id(n),
  prisonerId: `BK-2569-${String(n).padStart(5, '0')}`,
  firstName: `ชื่อ${n}`,
  lastName: `สกุล${n}`,
  nationalId: { status: 'number', number: withCheckDigit(String(110370234500 + n)), source: 'typed' },
  dateOfBirth: '1990-01-01',
  ...o
});

describe('matchReasons: "หนึ่งคน หนึ่งระเบียน" — same prisoner ID, same national ID, or same name and date of birth', () => {
  it('the same prisoner ID, written with other dashes, spaces or case', () => {
    expect(matchReasons(person(1), person(2, { prisonerId: 'bk 2569 00001' }))).toEqual(['prisoner-id']);
  });

  it('the same national ID, even when one was typed in Thai digits', () => {
    const thai = [...VALID_NATIONAL_ID].map((d) => String.fromCharCode(0x0e50 + Number(d))).join('');
    expect(
      matchReasons(
        person(1, { nationalId: { status: 'number', number: VALID_NATIONAL_ID, source: 'typed' } }),
        person(2, { nationalId: { status: 'number', number: thai, source: 'typed' } })
      )
    ).toEqual(['national-id']);
  });

  it('the same name and date of birth (spaces collapsed)', () => {
    expect(
      matchReasons(person(1, { firstName: 'สมชาย', lastName: 'ใจดี' }), person(2, { firstName: ' สมชาย ', lastName: 'ใจดี' }))
    ).toEqual(['name-and-birth-date']);
  });

  it('a name alone, or "no number" on both, is not a match', () => {
    expect(
      matchReasons(
        person(1, { firstName: 'สมชาย', lastName: 'ใจดี' }),
        person(2, { firstName: 'สมชาย', lastName: 'ใจดี', dateOfBirth: '1991-01-01' })
      )
    ).toEqual([]);
    const none = { status: 'none', reason: 'no-civil-registration' } as const;
    expect(matchReasons(person(1, { nationalId: none }), person(2, { nationalId: none }))).toEqual([]);
  });

  it('all three at once', () => {
    expect(matchReasons(person(1), { ...person(1), _id: id(9) })).toEqual(['prisoner-id', 'national-id', 'name-and-birth-date']);
  });
});

describe('findPossibleDuplicates: the warning while typing a new person', () => {
  const unit = [person(1), person(2), person(3, { mergedInto: id(1) })];

  it('finds the existing record from a half-typed form, and never the record itself', () => {
    const typing = { _id: id(50), prisonerId: 'BK-2569-00002' };
    expect(findPossibleDuplicates(typing, unit).map((d) => [d.person._id, d.reasons])).toEqual([[id(2), ['prisoner-id']]]);
    expect(findPossibleDuplicates(person(2), unit)).toEqual([]);
  });

  it('a retired (merged) record is never offered', () => {
    expect(findPossibleDuplicates({ _id: id(50), prisonerId: person(3).prisonerId }, unit)).toEqual([]);
  });

  it('orders the strongest match first', () => {
    const index = new DuplicateIndex([person(1), person(2, { firstName: 'ชื่อ7', lastName: 'สกุล7', dateOfBirth: '1990-01-01' })]);
    const typing = { ...person(7), _id: id(70), prisonerId: person(1).prisonerId, nationalId: person(1).nationalId };
    expect(index.matches(typing).map((d) => d.person._id)).toEqual([id(1), id(2)]);
  });
});

describe('duplicatePairs: possible duplicates found after a sync (two tablets created the same person offline)', () => {
  it('lists each pair once', () => {
    const a = person(1);
    const b = { ...person(1), _id: id(2) };
    expect(duplicatePairs([a, b, person(3)]).map((p) => [p.a._id, p.b._id, p.reasons.length])).toEqual([[id(1), id(2), 3]]);
  });

  it('finds the one pair among 20,000 people (indexed, not pair by pair)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => person(i + 1));
    many.push({ ...person(77), _id: id(99_999) });
    expect(duplicatePairs(many)).toHaveLength(1);
  });
});

describe('merging two records of one person: recorded and reversible', () => {
  const AT = '2026-11-28T03:00:00.000Z';
  const kept = fullPerson({ _id: id(1) });
  const retired = fullPerson({ _id: id(2) });

  it('writes two person revisions that validate: mergedInto on the retired one, an entry on the kept one', () => {
    const plan = planMerge(kept, retired, { username: 'somchai.k', at: AT });
    if (!plan.ok) throw new Error(plan.problem);
    expect(plan.retired).toMatchObject({ mergedInto: id(1), mergedAt: AT, mergedBy: 'somchai.k', firstName: retired.firstName });
    expect(plan.kept.merges).toEqual([{ personId: id(2), at: AT, by: 'somchai.k' }]);
    expect(personSchema.safeParse(plan.retired).success).toBe(true);
    expect(personSchema.safeParse(plan.kept).success).toBe(true);
  });

  it('is undone by two more revisions, the history keeping both steps', () => {
    const merged = planMerge(kept, retired, { username: 'somchai.k', at: AT });
    if (!merged.ok) throw new Error(merged.problem);
    const undone = planUnmerge(merged.kept, merged.retired, { username: 'wilai.s', at: '2026-11-29T03:00:00.000Z' });
    if (!undone.ok) throw new Error(undone.problem);
    expect(undone.retired.mergedInto).toBeUndefined();
    expect(undone.retired.mergedAt).toBeUndefined();
    expect(undone.kept.merges).toEqual([
      { personId: id(2), at: AT, by: 'somchai.k', undoneAt: '2026-11-29T03:00:00.000Z', undoneBy: 'wilai.s' }
    ]);
    expect(personSchema.safeParse(undone.retired).success).toBe(true);
  });

  it('refuses merging a record with itself, twice, or into a retired record', () => {
    const author = { username: 'somchai.k', at: AT };
    expect(planMerge(kept, kept, author)).toEqual({ ok: false, problem: 'same-record' });
    expect(planMerge(kept, { ...retired, mergedInto: id(3) }, author)).toEqual({ ok: false, problem: 'already-merged' });
    expect(planMerge({ ...kept, mergedInto: id(3) }, retired, author)).toEqual({ ok: false, problem: 'kept-is-retired' });
    expect(planUnmerge(kept, retired, author)).toEqual({ ok: false, problem: 'not-merged' });
  });
});

describe('mergeRedirects: every document of a retired record shows under the kept one', () => {
  it('follows chains to the live record', () => {
    const r = mergeRedirects([{ _id: id(1) }, { _id: id(2), mergedInto: id(1) }, { _id: id(3), mergedInto: id(2) }]);
    expect(resolvePersonId(id(3), r)).toBe(id(1));
    expect(resolvePersonId(id(2), r)).toBe(id(1));
    expect(resolvePersonId(id(1), r)).toBe(id(1));
  });

  it('leaves a loop, or a record merged into one not on the device, where it is', () => {
    const r = mergeRedirects([
      { _id: id(1), mergedInto: id(2) },
      { _id: id(2), mergedInto: id(1) },
      { _id: id(3), mergedInto: id(9) }
    ]);
    expect(r.size).toBe(0);
  });
});

describe('recordIdsOf: the kept record shows the documents of the records merged into it', () => {
  it('lists merges not undone', () => {
    const kept = {
      _id: id(1),
      merges: [
        { personId: id(2), at: '2026-11-28T03:00:00.000Z', by: 'somchai.k' },
        {
          personId: id(3),
          at: '2026-11-28T03:00:00.000Z',
          by: 'somchai.k',
          undoneAt: '2026-11-29T03:00:00.000Z',
          undoneBy: 'somchai.k'
        }
      ]
    };
    expect(recordIdsOf(kept)).toEqual([id(1), id(2)]);
    expect(recordIdsOf({ _id: id(5) })).toEqual([id(5)]);
  });
});
