import { describe, expect, it } from 'vitest';
import { countsAsPostSupervisionFollowUp, evaluatePostSupervision } from './post-supervision.ts';
import type { CountableFollowUp } from './supervision.ts';
import { OTHER_EPISODE, OTHER_PERSON, episode, followUp } from './rules-test-helpers.ts';

// Supervision ended on 2027-09-30 (FY2570) → follow up at least once in FY2571 (2027-10-01 … 2028-09-30).
const ended = episode({ supervisionStart: '2026-10-01', supervisionEnd: '2027-09-30' });
const IN_WINDOW = '2028-01-15';

describe('countsAsPostSupervisionFollowUp: officer any method, others a visit only', () => {
  it.each([
    ['probation-officer', 'home-visit', true],
    ['probation-officer', 'workplace-visit', true],
    ['probation-officer', 'other-visit', true],
    ['probation-officer', 'phone', true],
    ['probation-officer', 'letter', true],
    ['probation-officer', 'electronic', true],
    ['volunteer', 'home-visit', true],
    ['community-network', 'workplace-visit', true],
    ['community-leader', 'other-visit', true],
    ['volunteer', 'phone', false],
    ['community-network', 'letter', false],
    ['community-leader', 'electronic', false]
  ] as const)('%s by %s → %s', (visitor, method, counts) => {
    expect(countsAsPostSupervisionFollowUp({ visitor, method })).toBe(counts);
  });
});

describe('evaluatePostSupervision', () => {
  type Case = [description: string, followUps: CountableFollowUp[], on: string, status: string];
  it.each<Case>([
    ['officer phone call in FY N+1', [followUp(IN_WINDOW, { visitor: 'probation-officer', method: 'phone' })], IN_WINDOW, 'met'],
    ['volunteer home visit in FY N+1', [followUp(IN_WINDOW)], IN_WINDOW, 'met'],
    ['volunteer phone call only', [followUp(IN_WINDOW, { method: 'phone' })], IN_WINDOW, 'due'],
    ['visit on the first day of FY N+1', [followUp('2027-10-01')], '2027-10-01', 'met'],
    ['visit on the last day of FY N+1', [followUp('2028-09-30')], '2028-09-30', 'met'],
    ['visit on the last day of supervision (FY N)', [followUp('2027-09-30')], '2027-10-01', 'due'],
    ['visit after FY N+1', [followUp('2028-10-01')], '2028-10-01', 'overdue'],
    ['nothing, last day of FY N+1', [], '2028-09-30', 'due'],
    ['nothing, first day of FY N+2', [], '2028-10-01', 'overdue'],
    ["another person's visit", [followUp(IN_WINDOW, { personId: OTHER_PERSON })], IN_WINDOW, 'due'],
    ["another episode's visit", [followUp(IN_WINDOW, { episodeId: OTHER_EPISODE })], IN_WINDOW, 'due']
  ])('%s → %s', (_description, followUps, on, status) => {
    const result = evaluatePostSupervision(ended, followUps, on);
    expect(result.status).toBe(status);
    expect(result.endedInFiscalYear).toBe(2570);
    expect(result.windowStart).toBe('2027-10-01');
    expect(result.dueBy).toBe('2028-09-30');
  });

  it.each([
    ['2027-09-30', 2570, '2027-10-01', '2028-09-30'], // ended on the last day of FY2570
    ['2027-10-01', 2571, '2028-10-01', '2029-09-30'], // ended on the first day of FY2571
    ['2027-03-31', 2570, '2027-10-01', '2028-09-30']
  ])('supervision ended %s (FY%i) → window %s … %s', (end, fy, windowStart, dueBy) => {
    const result = evaluatePostSupervision(episode({ supervisionStart: '2026-01-01', supervisionEnd: end }), [], '2029-12-31');
    expect(result).toMatchObject({ endedInFiscalYear: fy, windowStart, dueBy, status: 'overdue' });
  });

  it('is due (window not yet open) after supervision ended in FY N, and an early follow-up does not count', () => {
    const result = evaluatePostSupervision(
      episode({ supervisionStart: '2026-04-01', supervisionEnd: '2027-03-31' }),
      [followUp('2027-05-01')],
      '2027-05-01'
    );
    expect(result).toMatchObject({ status: 'due', windowStart: '2027-10-01', dueBy: '2028-09-30', counted: 0 });
  });

  it('does not apply while the person is still on supervision (including the last day) or never was', () => {
    expect(evaluatePostSupervision(ended, [], '2027-09-30').status).toBe('not-applicable');
    expect(evaluatePostSupervision(ended, [], '2027-01-01').status).toBe('not-applicable');
    expect(
      evaluatePostSupervision(episode({ supervisionStart: undefined, supervisionEnd: undefined }), [], '2030-01-01').status
    ).toBe('not-applicable');
  });

  it('applies to people who never acknowledged their conditions too (everyone past supervision)', () => {
    expect(evaluatePostSupervision({ ...ended, conditionsAcknowledged: false } as typeof ended, [], IN_WINDOW).status).toBe(
      'due'
    );
  });

  it('says what is needed, naming FY N+1', () => {
    const { need } = evaluatePostSupervision(ended, [], IN_WINDOW);
    expect(need.th).toContain('ปีงบประมาณ 2571');
    expect(need.en).toContain('FY2571');
  });
});

describe('bad input', () => {
  it('refuses an evaluation day that is not an ISO date', () => {
    expect(() => evaluatePostSupervision(ended, [], '2028-02-30')).toThrow(RangeError);
  });
});
