import { describe, expect, it } from 'vitest';
import { evaluateSupervision, halfPeriodReading, supervisionDeadline, type CountableFollowUp } from './supervision.ts';
import type { ClassificationLevel } from './options.ts';
import { EPISODE, OTHER_EPISODE, OTHER_PERSON, episode, followUp } from './rules-test-helpers.ts';

// 2027-01-01 … 2027-12-31: a 365-day period (first and last day counted); the strict deadline is
// day ⌊365/2⌋ = 182 of it, 2027-07-01 (the middle day, 2 July, is already in the second half).
const STRICT_DEADLINE = '2027-07-01';
const DAY_AFTER_STRICT_DEADLINE = '2027-07-02';
const END = '2027-12-31';
const EARLY = '2027-03-01';
const ON = '2027-04-01'; // evaluation day inside the window

const volunteer = (d: string) => followUp(d, { visitor: 'volunteer' });
const network = (d: string) => followUp(d, { visitor: 'community-network', method: 'workplace-visit' });
const leader = (d: string) => followUp(d, { visitor: 'community-leader', method: 'other-visit' });
const officer = (d: string) => followUp(d, { visitor: 'probation-officer' });
const officerPhone = (d: string, abnormal?: boolean) =>
  followUp(d, {
    visitor: 'probation-officer',
    method: 'phone',
    ...(abnormal === undefined ? {} : { abnormalSituation: abnormal })
  });
const letter = (d: string) => followUp(d, { visitor: 'probation-officer', method: 'letter', abnormalSituation: true });
const partner = (d: string) => followUp(d, { visitor: 'experienced-partner' });
const electronic = (d: string) => followUp(d, { visitor: 'volunteer', method: 'electronic', abnormalSituation: true });

describe('supervisionDeadline: "ก่อนครึ่งหนึ่งของระยะเวลาการคุมความประพฤติ" — day ⌊L/2⌋ of an L-day period counting first and last day', () => {
  it.each([
    ['strict', '2027-01-01', '2027-01-30', '2027-01-15'], // 30 days → day 15 (the seed's "1–30 January is 30 days")
    ['strict', '2027-01-01', '2027-12-31', '2027-07-01'], // 365 → day 182
    ['strict', '2027-01-01', '2027-01-04', '2027-01-02'], // 4 → day 2
    ['strict', '2027-01-01', '2027-01-03', '2027-01-01'], // 3 → day 1 (the middle day is shared)
    ['strict', '2027-01-01', '2027-01-02', '2027-01-01'], // 2 → day 1
    ['strict', '2026-09-01', '2027-09-01', '2027-03-02'], // 366 → day 183
    ['strict', '2028-01-01', '2028-12-31', '2028-07-01'], // leap year: 366 → day 183
    ['moderate', '2027-01-01', '2027-12-31', '2027-12-31'],
    ['lenient', '2027-01-01', '2027-12-31', '2027-12-31']
  ] as const)('%s %s … %s → %s', (level, start, end, expected) => {
    expect(supervisionDeadline(episode({ classificationLevel: level, supervisionStart: start, supervisionEnd: end }))).toBe(
      expected
    );
  });
});

type Case = [description: string, level: ClassificationLevel, followUps: CountableFollowUp[], on: string, status: string];

describe('evaluateSupervision: each level and option', () => {
  it.each<Case>([
    // strict: ≥3 by volunteers / network / leader, or ≥1 officer visit, before half the period
    ['strict, nothing yet', 'strict', [], ON, 'due'],
    ['strict, 3 volunteer visits', 'strict', [volunteer(EARLY), volunteer('2027-03-02'), volunteer('2027-03-03')], ON, 'met'],
    [
      'strict "อาสาสมัครคุมประพฤติหรือเครือข่ายยุติธรรมชุมชนหรือภาคีเครือข่ายที่มีประสบการณ์": volunteer + network + experienced partner',
      'strict',
      [volunteer(EARLY), network(EARLY), partner(EARLY)],
      ON,
      'met'
    ],
    [
      'strict: a community leader (ผู้นำชุมชน) is not named, so volunteer + network + leader is short',
      'strict',
      [volunteer(EARLY), network(EARLY), leader(EARLY)],
      ON,
      'due'
    ],
    ['strict: 3 experienced-partner visits', 'strict', [partner(EARLY), partner(EARLY), partner(EARLY)], ON, 'met'],
    ['strict, only 2 volunteer visits', 'strict', [volunteer(EARLY), volunteer('2027-03-02')], ON, 'due'],
    ['strict, 1 officer visit', 'strict', [officer(EARLY)], ON, 'met'],
    ['strict, officer visit ON the deadline', 'strict', [officer(STRICT_DEADLINE)], STRICT_DEADLINE, 'met'],
    ['strict, officer visit the day before the deadline', 'strict', [officer('2027-06-30')], '2027-06-30', 'met'],
    [
      'strict, officer visit on the middle day (2 July, shared by both halves)',
      'strict',
      [officer(DAY_AFTER_STRICT_DEADLINE)],
      DAY_AFTER_STRICT_DEADLINE,
      'overdue'
    ],
    [
      'strict, 3 volunteer visits, one after the deadline',
      'strict',
      [volunteer(EARLY), volunteer(EARLY), volunteer('2027-07-03')],
      '2027-08-01',
      'overdue'
    ],
    ['strict, nothing, evaluated on the deadline', 'strict', [], STRICT_DEADLINE, 'due'],
    ['strict, nothing, evaluated the day after', 'strict', [], DAY_AFTER_STRICT_DEADLINE, 'overdue'],
    ['strict, 1 officer phone call (not a visit)', 'strict', [officerPhone(EARLY)], ON, 'due'],
    ['strict, 2 phone calls without abnormal situation', 'strict', [officerPhone(EARLY), officerPhone('2027-03-02')], ON, 'due'],
    [
      'strict, 2 phone calls with abnormalSituation false',
      'strict',
      [officerPhone(EARLY, false), officerPhone('2027-03-02', false)],
      ON,
      'due'
    ],
    [
      'strict "สื่ออิเล็กทรอนิกส์หรือเทคโนโลยีอื่น อย่างน้อย ๒ ครั้ง": phone + electronic media in an abnormal situation',
      'strict',
      [officerPhone(EARLY, true), electronic('2027-03-02')],
      ON,
      'met'
    ],
    [
      'strict: a letter is not "สื่ออิเล็กทรอนิกส์หรือเทคโนโลยีอื่น" (phone + letter is short)',
      'strict',
      [officerPhone(EARLY, true), letter('2027-03-02')],
      ON,
      'due'
    ],
    ['strict, 1 electronic follow-up in an abnormal situation', 'strict', [officerPhone(EARLY, true)], ON, 'due'],
    ['strict, visit before supervision started', 'strict', [officer('2026-12-31')], ON, 'due'],
    // moderate: ≥2 by volunteers / network / leader, or ≥1 officer visit, within the period
    ['moderate, nothing yet', 'moderate', [], ON, 'due'],
    ['moderate, 2 volunteer visits', 'moderate', [volunteer(EARLY), volunteer('2027-03-02')], ON, 'met'],
    ['moderate, leader + network', 'moderate', [leader(EARLY), network('2027-10-01')], '2027-10-01', 'met'],
    ['moderate, 1 volunteer visit', 'moderate', [volunteer(EARLY)], ON, 'due'],
    ['moderate, 1 officer visit late in the period', 'moderate', [officer('2027-12-30')], '2027-12-30', 'met'],
    ['moderate, 1 officer visit on the last day', 'moderate', [officer(END)], END, 'met'],
    ['moderate, officer visit after the end', 'moderate', [officer('2028-01-01')], '2028-01-01', 'overdue'],
    [
      'moderate, 2 electronic follow-ups (abnormal)',
      'moderate',
      [electronic(EARLY), officerPhone('2027-05-01', true)],
      '2027-05-01',
      'met'
    ],
    [
      'moderate: 2 letters are not electronic media (abnormal situation)',
      'moderate',
      [letter(EARLY), letter('2027-05-01')],
      '2027-05-01',
      'due'
    ],
    [
      'moderate "อาสาสมัครคุมประพฤติหรือเครือข่ายยุติธรรมชุมชนหรือผู้นำชุมชนในพื้นที่": 2 leader visits',
      'moderate',
      [leader(EARLY), leader('2027-05-01')],
      '2027-05-01',
      'met'
    ],
    [
      'moderate: experienced partners are named only for the strict level',
      'moderate',
      [partner(EARLY), partner('2027-05-01')],
      '2027-05-01',
      'due'
    ],
    ['moderate, 1 electronic follow-up (abnormal)', 'moderate', [electronic(EARLY)], ON, 'due'],
    ['moderate, nothing, the day after the end', 'moderate', [], '2028-01-01', 'overdue'],
    // lenient: 1 visit by anyone within the period
    ['lenient, nothing yet', 'lenient', [], ON, 'due'],
    ['lenient, 1 volunteer visit', 'lenient', [volunteer(EARLY)], ON, 'met'],
    ['lenient, 1 leader visit', 'lenient', [leader(EARLY)], ON, 'met'],
    ['lenient, 1 network visit', 'lenient', [network(EARLY)], ON, 'met'],
    ['lenient, 1 officer visit', 'lenient', [officer(EARLY)], ON, 'met'],
    ['lenient, 1 electronic follow-up (abnormal)', 'lenient', [electronic(EARLY)], ON, 'met'],
    ['lenient: 1 letter in an abnormal situation is not electronic media', 'lenient', [letter(EARLY)], ON, 'due'],
    ['lenient, 1 phone call without abnormal situation', 'lenient', [officerPhone(EARLY)], ON, 'due'],
    ['lenient, nothing, the day after the end', 'lenient', [], '2028-01-01', 'overdue']
  ])('%s → %s', (_description, level, followUps, on, status) => {
    const result = evaluateSupervision(episode({ classificationLevel: level }), followUps, on);
    expect(result.status).toBe(status);
    expect(result.level).toBe(level);
    expect(result.dueBy).toBe(level === 'strict' ? STRICT_DEADLINE : END);
  });
});

describe('evaluateSupervision: what counts', () => {
  it('counts visits by officer / others and abnormal electronic follow-ups separately, and reports those outside the window', () => {
    const result = evaluateSupervision(
      episode({ classificationLevel: 'strict' }),
      [
        volunteer(EARLY),
        leader(EARLY),
        officerPhone(EARLY),
        officerPhone(EARLY, true),
        officer('2027-08-01'),
        volunteer('2026-12-01')
      ],
      ON
    );
    // The community leader's visit is recorded but not counted for the strict level.
    expect(result.counted).toEqual({
      officerVisits: 0,
      otherVisits: 1,
      notCountedVisits: 1,
      electronicFallback: 1,
      outsideWindow: 2
    });
    expect(result.status).toBe('due');
  });

  it("ignores other people's follow-ups and follow-ups of another episode", () => {
    const result = evaluateSupervision(
      episode({ classificationLevel: 'lenient' }),
      [followUp(EARLY, { personId: OTHER_PERSON }), followUp(EARLY, { episodeId: OTHER_EPISODE })],
      ON
    );
    expect(result.status).toBe('due');
    expect(result.counted.otherVisits).toBe(0);
  });

  it('counts a follow-up linked to this episode, and one not linked to any episode', () => {
    const linked = evaluateSupervision(
      episode({ classificationLevel: 'lenient' }),
      [followUp(EARLY, { episodeId: EPISODE })],
      ON
    );
    const unlinked = evaluateSupervision(episode({ classificationLevel: 'lenient' }), [followUp(EARLY)], ON);
    expect(linked.status).toBe('met');
    expect(unlinked.status).toBe('met');
  });
});

describe('evaluateSupervision: who is outside the rule', () => {
  it('excludes people who never acknowledged their conditions, even with visits', () => {
    const result = evaluateSupervision(episode({ conditionsAcknowledged: false }), [officer(EARLY)], ON);
    expect(result.status).toBe('excluded');
    expect(result.dueBy).toBeUndefined();
  });

  it('reports people not yet classified', () => {
    const result = evaluateSupervision(episode({ classificationLevel: undefined }), [], ON);
    expect(result.status).toBe('unclassified');
    expect(result.dueBy).toBeUndefined();
  });

  it('reports a release without supervision', () => {
    const result = evaluateSupervision(episode({ supervisionStart: undefined, supervisionEnd: undefined }), [officer(EARLY)], ON);
    expect(result.status).toBe('not-on-supervision');
  });
});

describe('evaluateSupervision: what is still needed', () => {
  it('strict with 1 volunteer visit: 2 more by volunteers or 1 by an officer, before half the period', () => {
    const { need } = evaluateSupervision(episode(), [volunteer(EARLY)], ON);
    expect(need.th).toBe(
      'อีก 2 ครั้งโดยอาสาสมัคร/เครือข่ายยุติธรรมชุมชน/ภาคีเครือข่ายที่มีประสบการณ์ หรือ 1 ครั้งโดยพนักงานคุมประพฤติ ก่อนครึ่งหนึ่งของระยะเวลาคุมความประพฤติ (ภายในวันที่ 182 จาก 365 วัน นับวันแรกและวันสุดท้าย)'
    );
    expect(need.en).toBe(
      '2 more visits by volunteers / community justice network / experienced partners, or 1 by a probation officer, before half of the supervision period (by day 182 of 365, first and last day counted)'
    );
  });

  it('moderate with 1 visit: 1 more', () => {
    const { need } = evaluateSupervision(episode({ classificationLevel: 'moderate' }), [volunteer(EARLY)], ON);
    expect(need.en).toBe(
      '1 more visit by volunteers / community justice network / community leaders, or 1 by a probation officer'
    );
  });

  it('mentions the electronic option only once an abnormal situation is recorded', () => {
    const normal = evaluateSupervision(episode({ classificationLevel: 'moderate' }), [], ON);
    const abnormal = evaluateSupervision(episode({ classificationLevel: 'moderate' }), [officerPhone(EARLY, true)], ON);
    expect(normal.need.en).not.toContain('electronic');
    expect(abnormal.need.en).toContain('abnormal situation: or 1 more follow-up by electronic media or other technology');
    expect(abnormal.need.th).toContain('ติดตามทางสื่ออิเล็กทรอนิกส์หรือเทคโนโลยีอื่นอีก 1 ครั้ง');
  });

  it('lenient: one visit by a volunteer (or network / leader) or an officer', () => {
    const { need } = evaluateSupervision(episode({ classificationLevel: 'lenient' }), [], ON);
    expect(need.en).toBe(
      '1 more visit by a volunteer (or the community justice network / a community leader), or 1 by a probation officer'
    );
  });

  it("strict: says a community leader's visit was recorded but does not count", () => {
    const { need } = evaluateSupervision(episode(), [leader(EARLY)], ON);
    expect(need.en).toContain('(1 visit by visitors this level does not count)');
    expect(need.th).toContain('ไม่นับ');
  });

  it('met: says so with the level', () => {
    const { need } = evaluateSupervision(episode(), [officer(EARLY)], ON);
    expect(need).toEqual({ th: 'ครบตามมาตรฐาน (เข้มงวด)', en: 'Standard met (Strict)' });
  });
});

describe('after the strict deadline: the standard was missed on its date', () => {
  it('"พนักงานคุมประพฤติออกสอดส่องอย่างน้อย ๑ ครั้ง ก่อนครึ่งหนึ่ง…": a late officer visit does not meet it, and the words change', () => {
    const before = evaluateSupervision(episode(), [], DAY_AFTER_STRICT_DEADLINE);
    const after = evaluateSupervision(episode(), [officer('2027-08-01')], '2027-08-02');
    expect(before.status).toBe('overdue');
    expect(after.status).toBe('overdue');
    expect(before.lateVisits).toBe(0);
    expect(after.lateVisits).toBe(1);
    expect(before.need.en).toBe(
      'Standard (Strict) missed on 1 Jul 2027: 0 counted by then · still to be visited: visits from now on are recorded but no longer count toward the standard'
    );
    expect(after.need.en).toBe(
      'Standard (Strict) missed on 1 Jul 2027: 0 counted by then · 1 visit since: recorded as supervision, not counted toward the standard'
    );
    expect(after.need.th).toBe(
      'ไม่ครบตามมาตรฐาน (เข้มงวด) เมื่อครบกำหนด 1 ก.ค. 2570: นับได้ 0 ครั้ง · สอดส่องหลังกำหนด 1 ครั้ง บันทึกเป็นการสอดส่องแต่ไม่นับตามมาตรฐาน'
    );
  });

  it('shows what counted before the date', () => {
    const r = evaluateSupervision(episode(), [volunteer(EARLY), volunteer(EARLY)], '2027-08-02');
    expect(r.need.en).toContain('2 counted by then');
  });
});

describe('halfPeriodReading: the reading written on screen', () => {
  it('1–30 January (30 days, "นับวันแรกและวันสุดท้าย"): visits count up to day 15', () => {
    const r = halfPeriodReading(episode({ supervisionStart: '2027-01-01', supervisionEnd: '2027-01-30' }))!;
    expect(r.en).toBe(
      'half of the 30-day supervision period (first and last day counted): visits count up to day 15, 15 Jan 2027'
    );
    expect(r.th).toBe('ครึ่งหนึ่งของระยะเวลาคุมความประพฤติ 30 วัน (นับวันแรกและวันสุดท้าย): ต้องสอดส่องภายในวันที่ 15 คือ 15 ม.ค. 2570');
  });

  it('only for the strict level', () => {
    expect(halfPeriodReading(episode({ classificationLevel: 'moderate' }))).toBeUndefined();
  });
});

describe('bad input', () => {
  it('refuses an evaluation day that is not an ISO date', () => {
    expect(() => evaluateSupervision(episode(), [], '1/4/2027')).toThrow(RangeError);
  });
});
