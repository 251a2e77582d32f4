import { describe, expect, it } from 'vitest';
import {
  bucketFor,
  buildWorklist,
  countByBucket,
  type WorklistEpisode,
  type WorklistInput,
  type WorklistPerson
} from './worklist.ts';
import type { CountableFollowUp } from './supervision.ts';
import type { NonComplianceEvent } from './non-compliance.ts';
import { officialHolidays } from './holidays-th.ts';
import { episode, followUp, nonCompliance, personId } from './rules-test-helpers.ts';

describe('bucketFor (today = Wednesday 2026-11-25, week ends Sunday 2026-11-29)', () => {
  it.each([
    ['2026-11-24', 'overdue'],
    ['2026-11-25', 'today'],
    ['2026-11-26', 'this-week'],
    ['2026-11-29', 'this-week'], // the coming Sunday
    ['2026-11-30', 'later'] // next Monday
  ])('due %s → %s', (dueBy, bucket) => {
    expect(bucketFor(dueBy, '2026-11-25')).toBe(bucket);
  });

  it.each([
    ['2026-11-28', 'overdue'],
    ['2026-11-29', 'today'],
    ['2026-11-30', 'later'] // today is Sunday: the week ends today
  ])('on Sunday 2026-11-29, due %s → %s', (dueBy, bucket) => {
    expect(bucketFor(dueBy, '2026-11-29')).toBe(bucket);
  });

  it.each([
    ['2026-12-06', 'this-week'],
    ['2026-12-07', 'later']
  ])('on Monday 2026-11-30, due %s → %s', (dueBy, bucket) => {
    expect(bucketFor(dueBy, '2026-11-30')).toBe(bucket);
  });
});

describe('buildWorklist: a small caseload on Wednesday 2026-11-25', () => {
  const ids = Object.fromEntries('ABCDEFGHIJKLM'.split('').map((letter, i) => [letter, personId(i + 1)])) as Record<
    string,
    string
  >;
  const names: Record<string, string> = {
    A: 'สมชาย ใจดี',
    B: 'สมหญิง รักไทย',
    C: 'ประยุทธ มั่นคง',
    D: 'วิไล ศรีสุข',
    E: 'มานะ ขยัน',
    F: 'ชูใจ ไม่มา',
    G: 'ปิติ ผิดนัด',
    H: 'สุดา พ้นคุม',
    I: 'อำนาจ พ้นคุม',
    J: 'เก่า มาก',
    K: 'ติดตาม แล้ว',
    L: 'ทำ ทันเวลา',
    M: 'ยัง ไม่จำแนก'
  };
  const persons: WorklistPerson[] = Object.keys(ids).map((k) => ({ id: ids[k], name: names[k] }));
  const ep = (key: string, n: number, overrides: Partial<WorklistEpisode>) =>
    episode({ _id: `episode:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, personId: ids[key], ...overrides });
  const episodes: WorklistEpisode[] = [
    ep('A', 1, { classificationLevel: 'strict', supervisionStart: '2026-05-01', supervisionEnd: '2027-05-01' }), // half-period 2026-10-30
    ep('B', 2, { classificationLevel: 'moderate', supervisionStart: '2025-11-25', supervisionEnd: '2026-11-25' }),
    ep('C', 3, { classificationLevel: 'lenient', supervisionStart: '2025-12-01', supervisionEnd: '2026-11-29' }),
    ep('D', 4, { classificationLevel: 'lenient', supervisionStart: '2025-12-01', supervisionEnd: '2026-11-30' }),
    ep('E', 5, { classificationLevel: 'moderate', supervisionStart: '2026-01-01', supervisionEnd: '2026-12-31' }),
    ep('F', 6, {
      classificationLevel: 'strict',
      supervisionStart: '2026-01-01',
      supervisionEnd: '2026-12-31',
      conditionsAcknowledged: false
    }),
    ep('G', 7, { classificationLevel: 'lenient', supervisionStart: '2026-01-01', supervisionEnd: '2026-12-31' }),
    ep('H', 8, { classificationLevel: 'lenient', supervisionStart: '2024-10-01', supervisionEnd: '2025-09-30' }), // FY2568
    ep('I', 9, { classificationLevel: 'lenient', supervisionStart: '2025-07-01', supervisionEnd: '2026-06-30' }), // FY2569
    ep('J', 10, { classificationLevel: 'lenient', supervisionStart: '2023-10-01', supervisionEnd: '2024-09-30' }), // FY2567
    ep('K', 11, { classificationLevel: 'lenient', supervisionStart: '2025-07-01', supervisionEnd: '2026-06-30' }),
    ep('L', 12, {
      releaseType: 'parole',
      releaseDate: '2026-11-09',
      classificationLevel: 'lenient',
      supervisionStart: '2026-11-10',
      supervisionEnd: '2026-12-05'
    }), // 25 days
    ep('M', 13, { classificationLevel: undefined, supervisionStart: '2026-01-01', supervisionEnd: '2026-12-31' }),
    // Someone outside this officer's caseload (not in `persons`): never listed.
    episode({ _id: 'episode:00000000-0000-4000-8000-000000000099', personId: personId(99), classificationLevel: 'lenient' })
  ];
  const followUps: CountableFollowUp[] = [
    followUp('2026-06-01', { personId: ids.E, visitor: 'probation-officer' }),
    followUp('2026-06-01', { personId: ids.G }),
    followUp('2026-11-01', { personId: ids.K, visitor: 'probation-officer', method: 'phone' }),
    followUp('2026-11-15', { personId: ids.L }),
    followUp('2025-06-01', { personId: ids.H }) // during supervision: not a post-supervision follow-up
  ];
  const events: NonComplianceEvent[] = [
    nonCompliance('2026-11-20', { personId: ids.G }), // deadline 2026-12-15
    nonCompliance('2026-11-10', { personId: ids.L, actions: [{ kind: 'warning', on: '2026-11-12' }] }), // done
    // Parole with 25 days of supervision: excluded, whether linked to the episode or found by date.
    nonCompliance('2026-11-12', { personId: ids.L, kind: 'conditions-not-acknowledged' }),
    nonCompliance('2026-11-13', { personId: ids.L, episodeId: 'episode:00000000-0000-4000-8000-000000000012' })
  ];
  const input: WorklistInput = {
    persons,
    episodes,
    followUps,
    nonCompliance: events,
    today: '2026-11-25',
    holidays: officialHolidays
  };

  it('lists who is due, sorted overdue first then by due date', () => {
    const rows = buildWorklist(input);
    expect(rows.map((r) => [names[Object.keys(ids).find((k) => ids[k] === r.personId)!], r.kind, r.dueBy, r.bucket])).toEqual([
      ['สุดา พ้นคุม', 'post-supervision', '2026-09-30', 'overdue'],
      ['สมชาย ใจดี', 'supervision', '2026-10-30', 'overdue'],
      ['สมหญิง รักไทย', 'supervision', '2026-11-25', 'today'],
      ['ประยุทธ มั่นคง', 'supervision', '2026-11-29', 'this-week'],
      ['วิไล ศรีสุข', 'supervision', '2026-11-30', 'later'],
      ['ปิติ ผิดนัด', 'non-compliance', '2026-12-15', 'later'],
      ['อำนาจ พ้นคุม', 'post-supervision', '2027-09-30', 'later']
    ]);
    expect(rows.every((r) => r.name === names[Object.keys(ids).find((k) => ids[k] === r.personId)!])).toBe(true);
  });

  it('says why each row is there', () => {
    const rows = buildWorklist(input);
    const strict = rows.find((r) => r.personId === ids.A)!;
    // A's half-period ended on 30 Oct 2026 with no visit: the standard was missed on that date.
    expect(strict.reason.th).toBe(
      'สอดส่องตามมาตรฐาน (เข้มงวด): ไม่ครบตามมาตรฐาน (เข้มงวด) เมื่อครบกำหนด 30 ต.ค. 2569: นับได้ 0 ครั้ง · ยังควรออกสอดส่อง: การสอดส่องจากนี้บันทึกได้แต่ไม่นับตามมาตรฐาน'
    );
    expect(strict.reason.en).toMatch(/^Supervision visits \(Strict\): Standard \(Strict\) missed on 30 Oct 2026/);
    const dueStrict = buildWorklist({ ...input, today: '2026-10-01' }).find((r) => r.personId === ids.A)!;
    expect(dueStrict.reason.en).toMatch(
      /^Supervision visits \(Strict\): 3 more visits by volunteers \/ community justice network \/ experienced partners/
    );
    expect(rows.find((r) => r.personId === ids.G)!.reason.en).toMatch(/^Missed a reporting appointment/);
    expect(rows.find((r) => r.personId === ids.I)!.reason.en).toContain('FY2570');
  });

  it('carries the event id on non-compliance rows, so the row opens that event', () => {
    const first = 'noncompliance:00000000-0000-4000-8000-0000000000a1';
    const second = 'noncompliance:00000000-0000-4000-8000-0000000000a2';
    // Two missed appointments on the same day: same person, kind and due date, told apart by id.
    const rows = buildWorklist({
      ...input,
      nonCompliance: [
        ...events,
        nonCompliance('2026-11-20', { _id: first, personId: ids.G }),
        nonCompliance('2026-11-20', { _id: second, personId: ids.G })
      ]
    });
    const nc = rows.filter((r) => r.kind === 'non-compliance');
    expect(nc.map((r) => [r.personId, r.dueBy, r.nonComplianceId])).toEqual([
      [ids.G, '2026-12-15', undefined], // the event without an id (as in the other tests)
      [ids.G, '2026-12-15', first],
      [ids.G, '2026-12-15', second]
    ]);
    expect(rows.filter((r) => r.kind !== 'non-compliance').every((r) => !('nonComplianceId' in r))).toBe(true);
  });

  it('after a late officer visit, a missed strict standard leaves the worklist ("ก่อนครึ่งหนึ่งของระยะเวลาการคุมความประพฤติ" cannot be met any more)', () => {
    const late = followUp('2026-11-20', { personId: ids.A, visitor: 'probation-officer' });
    const rows = buildWorklist({ ...input, followUps: [...followUps, late] });
    expect(rows.some((r) => r.personId === ids.A)).toBe(false);
  });

  it('flags a non-compliance deadline counted beyond the holiday calendar', () => {
    const rows = buildWorklist({
      ...input,
      today: '2028-09-26',
      nonCompliance: [nonCompliance('2028-09-25', { personId: ids.G })]
    });
    const row = rows.find((r) => r.kind === 'non-compliance')!;
    expect(row.calendarWarning?.uncoveredFiscalYears).toEqual([2572]);
    expect(rows.filter((r) => r.kind !== 'non-compliance').every((r) => r.calendarWarning === undefined)).toBe(true);
  });

  it('leaves out met, excluded, unclassified, finished and out-of-caseload people', () => {
    const listed = new Set(buildWorklist(input).map((r) => r.personId));
    for (const key of ['E', 'F', 'J', 'K', 'L', 'M']) expect(listed.has(ids[key]), key).toBe(false);
    expect(listed.has(personId(99))).toBe(false);
  });

  it('moves rows between buckets as days pass', () => {
    const nextMonday = buildWorklist({ ...input, today: '2026-11-30' });
    expect(nextMonday.find((r) => r.personId === ids.D)?.bucket).toBe('today');
    // C's supervision ended on Sunday 2026-11-29 (FY2570): the supervision row is gone and the
    // post-supervision follow-up is due by the end of FY2571.
    expect(nextMonday.filter((r) => r.personId === ids.C).map((r) => [r.kind, r.dueBy, r.bucket])).toEqual([
      ['post-supervision', '2028-09-30', 'later']
    ]);
  });

  it('refuses a bad "today"', () => {
    expect(() => buildWorklist({ ...input, today: '25/11/2026' })).toThrow(RangeError);
  });
});

describe('buildWorklist: 5,000 people', () => {
  // today = Wednesday 2027-03-10; the week ends Sunday 2027-03-14.
  // Five groups of 1,000 people (i % 5), each with a known outcome:
  //   0 strict, officer visit → met (no supervision row); every second one (i % 10 = 0) also missed
  //     an appointment on 2027-03-01 → non-compliance row due 2027-03-22 (later)
  //   1 strict, 2 volunteer visits → due by the half-period 2027-07-01 (later)
  //   2 moderate ending today, 1 volunteer visit → today
  //   3 lenient ending Friday 2027-03-12, only a phone call in a normal situation → this-week
  //   4 strict 2026-09-01 … 2027-09-01, half-period 2027-03-02 passed with only a community
  //     leader's visit (not counted for strict) → overdue
  const N = 5000;
  function caseload(): WorklistInput {
    const persons: WorklistPerson[] = [];
    const episodes: WorklistEpisode[] = [];
    const followUps: CountableFollowUp[] = [];
    const events: NonComplianceEvent[] = [];
    for (let i = 0; i < N; i++) {
      const id = personId(i);
      persons.push({ id, name: `ผู้ถูกคุม ${i}` });
      const base = { _id: `episode:00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, personId: id };
      const f = (visitDate: string, o: Partial<CountableFollowUp> = {}) =>
        followUps.push(followUp(visitDate, { personId: id, ...o }));
      switch (i % 5) {
        case 0:
          episodes.push(episode({ ...base, classificationLevel: 'strict' }));
          f('2027-02-01', { visitor: 'probation-officer' });
          f('2027-02-02', { visitor: 'probation-officer', method: 'phone' });
          if (i % 10 === 0) events.push(nonCompliance('2027-03-01', { personId: id }));
          break;
        case 1:
          episodes.push(episode({ ...base, classificationLevel: 'strict' }));
          f('2027-02-01');
          f('2027-02-15');
          break;
        case 2:
          episodes.push(
            episode({ ...base, classificationLevel: 'moderate', supervisionStart: '2026-03-10', supervisionEnd: '2027-03-10' })
          );
          f('2026-06-01');
          break;
        case 3:
          episodes.push(
            episode({ ...base, classificationLevel: 'lenient', supervisionStart: '2026-03-12', supervisionEnd: '2027-03-12' })
          );
          f('2026-06-01', { method: 'phone' });
          break;
        case 4:
          episodes.push(
            episode({ ...base, classificationLevel: 'strict', supervisionStart: '2026-09-01', supervisionEnd: '2027-09-01' })
          );
          f('2027-02-01', { visitor: 'community-leader' });
          break;
      }
    }
    // Interleave follow-ups of different people, as they come out of a database.
    followUps.reverse();
    return { persons, episodes, followUps, nonCompliance: events, today: '2027-03-10', holidays: officialHolidays };
  }

  /** Wraps an array so that every element read is counted (to prove each input is read once). */
  function counted<T>(items: T[]): { items: T[]; reads: () => number } {
    let reads = 0;
    const proxy = new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      }
    });
    return { items: proxy, reads: () => reads };
  }

  it('returns the expected rows per bucket and kind, in order', () => {
    const input = caseload();
    const followUps = counted([...input.followUps]);
    const episodes = counted([...input.episodes]);
    const events = counted([...input.nonCompliance]);
    const rows = buildWorklist({ ...input, followUps: followUps.items, episodes: episodes.items, nonCompliance: events.items });

    // Each input array is read exactly once (indexed by person), never scanned per person.
    expect(followUps.reads()).toBe(input.followUps.length);
    expect(episodes.reads()).toBe(input.episodes.length);
    expect(events.reads()).toBe(input.nonCompliance.length);
    expect(rows).toHaveLength(4500);
    expect(countByBucket(rows)).toEqual({ overdue: 1000, today: 1000, 'this-week': 1000, later: 1500 });
    expect(rows.filter((r) => r.kind === 'non-compliance')).toHaveLength(500);
    expect(rows.filter((r) => r.kind === 'supervision')).toHaveLength(4000);
    expect(rows.filter((r) => r.kind === 'post-supervision')).toHaveLength(0);
    expect(new Set(rows.filter((r) => r.bucket === 'overdue').map((r) => r.dueBy))).toEqual(new Set(['2027-03-02']));
    expect(new Set(rows.filter((r) => r.kind === 'non-compliance').map((r) => r.dueBy))).toEqual(new Set(['2027-03-22']));
    const order = { overdue: 0, today: 1, 'this-week': 2, later: 3 };
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      expect(order[a.bucket] < order[b.bucket] || (a.bucket === b.bucket && a.dueBy <= b.dueBy)).toBe(true);
    }
  });
});

describe('buildWorklist with merged records (one person, one record)', () => {
  it('a retired record has no rows; its supervision and visits count for the record kept', () => {
    const kept = personId(1);
    const retired = personId(2);
    const base: WorklistInput = {
      persons: [
        { id: kept, name: 'สมชาย ใจดี' },
        { id: retired, name: 'สมชาย ใจดี (ซ้ำ)' }
      ],
      // The strict supervision was recorded on the duplicate; the officer's visit on the kept record.
      episodes: [episode({ personId: retired, classificationLevel: 'strict' })],
      followUps: [followUp('2027-03-01', { personId: kept, visitor: 'probation-officer' })],
      nonCompliance: [nonCompliance('2027-03-01', { personId: retired })],
      today: '2027-03-10',
      holidays: officialHolidays
    };
    // Before the merge: the duplicate is due (the visit was filed under the other record).
    expect(buildWorklist(base).map((r) => [r.personId, r.kind])).toEqual([
      [retired, 'non-compliance'],
      [retired, 'supervision']
    ]);
    const merged = buildWorklist({ ...base, redirects: new Map([[retired, kept]]) });
    // After: the visit meets the standard of the kept record; the open event is the kept record's.
    expect(merged.map((r) => [r.personId, r.kind, r.name])).toEqual([[kept, 'non-compliance', 'สมชาย ใจดี']]);
  });
});
