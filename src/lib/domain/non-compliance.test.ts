import { describe, expect, it } from 'vitest';
import {
  deadlineCountdown,
  describeDeadlineRule,
  episodeOfEvent,
  evaluateNonCompliance,
  isExcludedFromNonComplianceTarget,
  nonComplianceDeadline
} from './non-compliance.ts';
import { officialHolidays, type HolidayCalendar } from './holidays-th.ts';
import { addDays } from './calendar.ts';
import { EPISODE, episode, nonCompliance, OTHER_EPISODE } from './rules-test-helpers.ts';

const longSupervision = episode({ releaseType: 'parole', supervisionStart: '2027-01-01', supervisionEnd: '2027-12-31' });

/** An administrator-edited calendar with a two-week special closure (1–12 Feb 2027). */
const withClosure: HolidayCalendar = [
  ...officialHolidays,
  ...Array.from({ length: 12 }, (_, i) => ({ date: addDays('2027-02-01', i), th: 'วันหยุดพิเศษ', en: 'Special closure' }))
];

describe('nonComplianceDeadline', () => {
  it.each([
    // [kind, occurredOn, calendar, workingDayDeadline, monthCap, deadline]
    ['missed-appointment', '2027-04-01', 'official', '2027-04-28', '2027-05-01', '2027-04-28'], // spans Chakri + Songkran
    ['missed-appointment', '2027-04-01', 'none', '2027-04-22', '2027-05-01', '2027-04-22'],
    ['missed-appointment', '2026-11-20', 'official', '2026-12-15', '2026-12-20', '2026-12-15'], // spans 7 Dec substitute and 10 Dec
    ['missed-appointment', '2026-12-24', 'official', '2027-01-18', '2027-01-24', '2027-01-18'], // spans New Year
    ['missed-appointment', '2027-01-31', 'closure', '2027-03-08', '2027-02-28', '2027-02-28'], // closure + Makha substitute (22 Feb): the month cap wins, clamped to 28 Feb
    // No day to acknowledge on record: the month counts from the case receipt (and says so).
    ['conditions-not-acknowledged', '2027-03-01', 'official', '2027-04-16', '2027-04-01', '2027-04-01'],
    ['conditions-not-acknowledged', '2027-01-31', 'none', '2027-03-12', '2027-02-28', '2027-02-28']
  ] as const)(
    '%s on %s (%s holidays): %s working-day deadline, %s cap → %s',
    (kind, occurredOn, which, workingDayDeadline, monthCap, deadline) => {
      const calendar = which === 'official' ? officialHolidays : which === 'closure' ? withClosure : [];
      const d = nonComplianceDeadline({ kind, occurredOn }, calendar);
      expect({ deadline: d.deadline, workingDayDeadline: d.workingDayDeadline, monthCap: d.monthCap }).toEqual({
        deadline,
        workingDayDeadline,
        monthCap
      });
      expect(d.governs).toBe(
        deadline === (monthCap as string) && deadline !== (workingDayDeadline as string) ? 'month-cap' : 'working-days'
      );
      expect(d.monthCapFrom).toBe(kind === 'missed-appointment' ? 'non-compliance' : 'case-received');
    }
  );

  it('"ต้องไม่เกิน ๑ เดือน นับแต่วันที่ผู้ถูกคุมความประพฤติไม่ปฏิบัติตามเงื่อนไข": the month counts from the day the person was due to acknowledge, not the case receipt', () => {
    // Case received 1 Mar 2027; the person was told to come by 15 Mar and never came.
    const d = nonComplianceDeadline(
      { kind: 'conditions-not-acknowledged', occurredOn: '2027-03-01', acknowledgeBy: '2027-03-15' },
      officialHolidays
    );
    expect(d.monthCap).toBe('2027-04-15');
    expect(d.monthCapFrom).toBe('non-compliance');
    // "๓๐ วันทำการ นับแต่วันที่สำนักงานคุมประพฤติรับคดี" still counts from the receipt: 16 Apr (Songkran skipped) — the month ends first.
    expect(d.workingDayDeadline).toBe('2027-04-16');
    expect(d.deadline).toBe('2027-04-15');
    expect(d.governs).toBe('month-cap');
  });

  it('"๓๐ วันทำการ นับแต่วันที่สำนักงานคุมประพฤติรับคดี" governs when the person was due to come weeks after the receipt', () => {
    const d = nonComplianceDeadline(
      { kind: 'conditions-not-acknowledged', occurredOn: '2027-03-01', acknowledgeBy: '2027-03-29' },
      officialHolidays
    );
    expect(d.monthCap).toBe('2027-04-29');
    expect(d.deadline).toBe('2027-04-16');
    expect(d.governs).toBe('working-days');
  });

  it('a day to acknowledge on a missed appointment is ignored (the appointment is the non-compliance)', () => {
    const d = nonComplianceDeadline(
      { kind: 'missed-appointment', occurredOn: '2027-04-01', acknowledgeBy: '2027-04-20' },
      officialHolidays
    );
    expect(d.monthCap).toBe('2027-05-01');
  });
});

describe('working days outside the years the holiday calendar covers', () => {
  it('a deadline counted in a fiscal year with no holidays on the calendar carries a warning', () => {
    // The shipped calendar covers FY2570–2571 (2026-10-01 … 2028-09-30).
    const d = nonComplianceDeadline({ kind: 'missed-appointment', occurredOn: '2028-09-25' }, officialHolidays);
    expect(d.calendarWarning?.uncoveredFiscalYears).toEqual([2572]);
    expect(d.calendarWarning?.th).toContain('ปฏิทินวันหยุดยังไม่มีปีงบประมาณ 2572');
    expect(
      evaluateNonCompliance(nonCompliance('2028-09-25'), longSupervision, '2028-09-26', officialHolidays).calendarWarning
        ?.uncoveredFiscalYears
    ).toEqual([2572]);
  });

  it('no warning inside the covered years', () => {
    expect(
      nonComplianceDeadline({ kind: 'missed-appointment', occurredOn: '2027-04-01' }, officialHolidays).calendarWarning
    ).toBeUndefined();
  });
});

describe('describeDeadlineRule: which rule governs, in words', () => {
  it('names the day each limit counts from and the one that applies', () => {
    const d = nonComplianceDeadline(
      { kind: 'conditions-not-acknowledged', occurredOn: '2027-03-01', acknowledgeBy: '2027-03-15' },
      officialHolidays
    );
    expect(describeDeadlineRule('conditions-not-acknowledged', d).en).toBe(
      '30 working days after the day the office received the case, and no later than 1 month after the day the person was due to acknowledge the conditions: the 1-month limit applies (it ends first)'
    );
    const m = nonComplianceDeadline({ kind: 'missed-appointment', occurredOn: '2027-04-01' }, officialHolidays);
    expect(describeDeadlineRule('missed-appointment', m).th).toBe(
      '15 วันทำการนับจากวันที่ไม่มารายงานตัวตามนัด และไม่เกิน 1 เดือนนับจากวันที่ไม่มารายงานตัว: ใช้ 15 วันทำการ (ถึงก่อน)'
    );
  });
});

describe('evaluateNonCompliance', () => {
  // Missed appointment 2027-04-01 → deadline 2027-04-28.
  const DEADLINE = '2027-04-28';
  it.each([
    ['no action, before the deadline', [], '2027-04-10', 'due'],
    ['no action, on the deadline', [], DEADLINE, 'due'],
    ['no action, the day after the deadline', [], '2027-04-29', 'overdue'],
    ['warning on the day of the missed appointment', [{ kind: 'warning', on: '2027-04-01' }], '2027-05-10', 'done'],
    ['record check on the deadline', [{ kind: 'record-check', on: DEADLINE }], '2027-05-10', 'done'],
    ['tracking the day after the deadline', [{ kind: 'tracking', on: '2027-04-29' }], '2027-05-10', 'done-late'],
    [
      'one late and one on-time action',
      [
        { kind: 'tracking', on: '2027-05-02' },
        { kind: 'warning', on: '2027-04-20' }
      ],
      '2027-05-10',
      'done'
    ],
    [
      'an action dated before the missed appointment (does not count)',
      [{ kind: 'warning', on: '2027-03-31' }],
      '2027-04-29',
      'overdue'
    ]
  ] as const)('%s → %s', (_description, actions, on, status) => {
    const result = evaluateNonCompliance(
      nonCompliance('2027-04-01', { actions: [...actions] }),
      longSupervision,
      on,
      officialHolidays
    );
    expect(result.status).toBe(status);
    expect(result.deadline).toBe(DEADLINE);
  });

  it('reports the first on-time action', () => {
    const result = evaluateNonCompliance(
      nonCompliance('2027-04-01', {
        actions: [
          { kind: 'tracking', on: '2027-04-20' },
          { kind: 'warning', on: '2027-04-05' }
        ]
      }),
      longSupervision,
      '2027-05-10',
      officialHolidays
    );
    expect(result.actedOn).toBe('2027-04-05');
  });

  it('the 1-month cap decides when it is earlier: action after the cap but within 30 working days is late', () => {
    const event = nonCompliance('2027-03-01', {
      kind: 'conditions-not-acknowledged',
      actions: [{ kind: 'warning', on: '2027-04-02' }]
    });
    const result = evaluateNonCompliance(event, longSupervision, '2027-04-10', officialHolidays);
    expect(result.deadline).toBe('2027-04-01');
    expect(result.status).toBe('done-late');
  });

  it('describes what to do while due', () => {
    const { need } = evaluateNonCompliance(nonCompliance('2027-04-01'), longSupervision, '2027-04-02', officialHolidays);
    expect(need.th).toBe('ไม่มารายงานตัวตามนัด: ตรวจสอบประวัติ ตักเตือน หรือติดตามตัว และบันทึกในระบบ');
    expect(need.en).toBe('Missed a reporting appointment: check the record, warn, or track the person, and record it');
  });
});

describe('exclusion "พักการลงโทษ/ลดวันต้องโทษจำคุก ที่มีระยะเวลาคุมความประพฤติน้อยกว่า 30 วัน" (first and last day counted)', () => {
  it.each([
    ['parole', '2027-01-01', '2027-01-29', true], // 29 days
    ['parole', '2027-01-01', '2027-01-30', false], // 1–30 January is 30 days: counted
    ['parole', '2027-01-01', '2027-01-31', false], // 31 days
    ['sentence-reduction', '2027-01-01', '2027-01-11', true],
    ['sentence-reduction', '2027-01-01', '2027-03-01', false],
    ['sentence-completed', '2027-01-01', '2027-01-11', false], // other release types are never excluded
    ['pardon', '2027-01-01', '2027-01-11', false]
  ] as const)('%s %s … %s excluded: %s', (releaseType, supervisionStart, supervisionEnd, excluded) => {
    const ep = episode({ releaseType, supervisionStart, supervisionEnd });
    expect(isExcludedFromNonComplianceTarget(ep)).toBe(excluded);
    expect(evaluateNonCompliance(nonCompliance('2027-01-05'), ep, '2027-06-01', officialHolidays).status).toBe(
      excluded ? 'excluded' : 'overdue'
    );
  });

  it('is not excluded without an episode or without a supervision period', () => {
    expect(isExcludedFromNonComplianceTarget(undefined)).toBe(false);
    expect(isExcludedFromNonComplianceTarget(episode({ supervisionStart: undefined, supervisionEnd: undefined }))).toBe(false);
  });
});

describe('episodeOfEvent', () => {
  const older = episode({ _id: EPISODE, releaseDate: '2026-01-10' });
  const newer = episode({ _id: OTHER_EPISODE, releaseDate: '2027-02-01' });

  it('takes the linked episode, whatever its date', () => {
    expect(episodeOfEvent(nonCompliance('2026-06-01', { episodeId: OTHER_EPISODE }), [older, newer])).toBe(newer);
  });

  it('without a link, takes the latest release on or before the event', () => {
    expect(episodeOfEvent(nonCompliance('2027-01-31'), [newer, older])).toBe(older);
    expect(episodeOfEvent(nonCompliance('2027-02-01'), [older, newer])).toBe(newer);
    expect(episodeOfEvent(nonCompliance('2026-01-09'), [older, newer])).toBeUndefined();
  });

  it('a link to an episode not on the device finds none (rather than guessing another)', () => {
    expect(
      episodeOfEvent(nonCompliance('2027-03-01', { episodeId: 'episode:00000000-0000-4000-8000-0000000000ff' }), [older, newer])
    ).toBeUndefined();
  });
});

describe('deadlineCountdown (deadline Wednesday 2027-04-28)', () => {
  it.each([
    ['2027-04-20', { workingDaysLeft: 6 }], // Tue: 21–23, 26–28
    ['2027-04-23', { workingDaysLeft: 3 }], // Fri: the weekend does not count
    ['2027-04-24', { workingDaysLeft: 3 }], // Sat
    ['2027-04-28', { workingDaysLeft: 0 }], // due today
    ['2027-04-29', { daysOverdue: 1 }],
    ['2027-05-03', { daysOverdue: 5 }] // overdue counts calendar days, weekend included
  ] as const)('on %s → %o', (today, expected) => {
    expect(deadlineCountdown('2027-04-28', today, officialHolidays)).toEqual(expected);
  });

  it('skips holidays in the days left (Songkran 13–15 April 2027)', () => {
    expect(deadlineCountdown('2027-04-16', '2027-04-09', officialHolidays)).toEqual({ workingDaysLeft: 2 }); // 12 and 16
    expect(deadlineCountdown('2027-04-16', '2027-04-09', [])).toEqual({ workingDaysLeft: 5 });
  });
});

describe('bad input', () => {
  it('refuses a non-compliance day that is not an ISO date', () => {
    expect(() => nonComplianceDeadline({ kind: 'missed-appointment', occurredOn: '01/04/2027' }, officialHolidays)).toThrow(
      RangeError
    );
  });

  it('refuses an evaluation day that is not an ISO date', () => {
    expect(() => evaluateNonCompliance(nonCompliance('2027-04-01'), undefined, 'today', officialHolidays)).toThrow(RangeError);
  });

  it('refuses a holiday calendar holding something that is not a date', () => {
    const broken = [{ date: '2027-04-31', th: 'ผิด', en: 'Wrong' }];
    expect(() => nonComplianceDeadline({ kind: 'missed-appointment', occurredOn: '2027-04-01' }, broken)).toThrow(RangeError);
  });
});
