import { describe, expect, it } from 'vitest';
import {
  countRows,
  defaultWindows,
  nonComplianceKpi,
  postSupervisionKpi,
  reportDay,
  scoreFor,
  supervisionVisitsKpi,
  vocationalHelpKpi,
  type KpiEpisode,
  type KpiFollowUp,
  type KpiParams,
  type KpiPersonRecord
} from './kpi.ts';
import { EPISODE, PERSON } from './rules-test-helpers.ts';

// FY2565 = 2021-10-01 … 2022-09-30, the handbook's own year.
const FY = 2565;
const P12: KpiParams = { fiscalYear: FY, period: 12, holidays: new Set<string>() };
const P6: KpiParams = { ...P12, period: 6 };

function ep(o: Partial<KpiEpisode> = {}): KpiEpisode {
  return {
    _id: EPISODE,
    personId: PERSON,
    releaseType: 'parole',
    releaseDate: '2021-11-30',
    supervisionStart: '2021-12-01',
    supervisionEnd: '2022-11-30',
    classificationLevel: 'lenient',
    caseReceivedOn: '2021-12-01',
    conditionsAcknowledged: true,
    electronicMonitoring: false,
    ...o
  };
}
function fu(visitDate: string, o: Partial<KpiFollowUp> = {}): KpiFollowUp {
  return { personId: PERSON, visitDate, method: 'home-visit', visitor: 'volunteer', ...o };
}
function person(o: Partial<KpiPersonRecord> = {}): KpiPersonRecord {
  return {
    personId: PERSON,
    unitId: 'u',
    episodes: [ep()],
    followUps: [],
    nonCompliance: [],
    vocationalHelp: [],
    needs: [],
    ...o
  };
}

describe('windows, report day and score', () => {
  it('"ราย 6 เดือน/ราย 12 เดือน (สะสม)": 6 months ends 31 March, 12 months on 30 September', () => {
    expect(reportDay(FY, 6)).toBe('2022-03-31');
    expect(reportDay(FY, 12)).toBe('2022-09-30');
  });
  it('"คดีรับใหม่ … ตั้งแต่วันที่ 1 ตุลาคม 2564 - 15 สิงหาคม 2565": the handbook windows for FY2565', () => {
    const w = defaultWindows(FY);
    expect(w['supervision-visits']).toEqual({ from: '2021-10-01', to: '2022-08-15' });
    expect(w['vocational-help']).toEqual({ from: '2021-10-01', to: '2022-08-31' });
    expect(w['non-compliance']).toEqual({ from: '2021-10-01', to: '2022-08-31' });
    expect(w['post-supervision']).toEqual({ from: '2020-10-01', to: '2021-09-30' });
  });
  it('"ระดับที่ 3 … ร้อยละ 50 (3 คะแนน)": score by thresholds, exactly on a threshold reaches it', () => {
    const t = [46, 48, 50, 52, 54];
    expect(scoreFor(45.99, t)).toBe(0);
    expect(scoreFor(46, t)).toBe(1);
    expect(scoreFor(50, t)).toBe(3);
    expect(scoreFor(53.99, t)).toBe(4);
    expect(scoreFor(100, t)).toBe(5);
  });
  it('nobody in the denominator: no % and no score (not 0 %)', () => {
    expect(countRows([], [1, 2, 3, 4, 5])).toEqual({ numerator: 0, denominator: 0, percent: null, score: null });
  });
  it('bad parameters are refused with the field named', () => {
    expect(() => supervisionVisitsKpi([], { ...P12, fiscalYear: 2022 })).toThrow(/fiscal year/);
    expect(() => supervisionVisitsKpi([], { ...P12, period: 3 as 6 })).toThrow(/period/);
    expect(() =>
      supervisionVisitsKpi([], { ...P12, windows: { 'supervision-visits': { from: '2022-02-01', to: '2022-01-01' } } })
    ).toThrow(/window/);
  });
});

describe('KPI "ผู้ถูกคุมความประพฤติที่ได้รับการสอดส่อง ติดตาม เป็นไปตามมาตรฐาน"', () => {
  it('"คดีรับใหม่ … 1 ตุลาคม 2564 - 15 สิงหาคม 2565": first and last day in, the day after out', () => {
    const people = ['2021-10-01', '2022-08-15', '2022-08-16', '2021-09-30'].map((d, i) =>
      person({ personId: `p${i}`, episodes: [ep({ _id: `e${i}`, personId: `p${i}`, caseReceivedOn: d, supervisionStart: d })] })
    );
    const r = supervisionVisitsKpi(people, P12);
    expect(r.rows.map((x) => x.caseId).sort()).toEqual(['e0', 'e1']);
  });
  it('met / not met by the shared standard; % and score', () => {
    const met = person({
      personId: 'a',
      episodes: [ep({ _id: 'ea', personId: 'a' })],
      followUps: [fu('2022-01-10', { personId: 'a' })]
    });
    const notMet = person({ personId: 'b', episodes: [ep({ _id: 'eb', personId: 'b' })] });
    const r = supervisionVisitsKpi([met, notMet], P12);
    expect([r.numerator, r.denominator, r.percent, r.score]).toEqual([1, 2, 50, 3]);
  });
  it('"ยกเว้นคดีที่ไม่มารับทราบเงื่อนไข": excluded and listed with the rule', () => {
    const r = supervisionVisitsKpi([person({ episodes: [ep({ conditionsAcknowledged: false })] })], P12);
    expect(r.denominator).toBe(0);
    expect(r.rows[0]).toMatchObject({ outcome: 'excluded', rule: 'not-acknowledged' });
  });
  it('"ผู้ถูกคุมความประพฤติที่เป็นผู้ใหญ่": under 18 on the start day is excluded; 18 on that day counts', () => {
    const young = person({ personId: 'y', dateOfBirth: '2003-12-02', episodes: [ep({ _id: 'ey', personId: 'y' })] });
    const adult = person({ personId: 'z', dateOfBirth: '2003-12-01', episodes: [ep({ _id: 'ez', personId: 'z' })] });
    const r = supervisionVisitsKpi([young, adult], P12);
    expect(r.rows.find((x) => x.caseId === 'ey')).toMatchObject({ outcome: 'excluded', rule: 'juvenile' });
    expect(r.rows.find((x) => x.caseId === 'ez')?.outcome).toBe('not-met');
  });
  it('"แยกกลุ่ม…ที่ใช้อุปกรณ์อิเล็กทรอนิกส์ติดตามตัว": electronic monitoring reported separately', () => {
    const em = person({
      personId: 'm',
      episodes: [ep({ _id: 'em', personId: 'm', electronicMonitoring: true })],
      followUps: [fu('2022-02-01', { personId: 'm' })]
    });
    const plain = person({ personId: 'n', episodes: [ep({ _id: 'en', personId: 'n' })] });
    const r = supervisionVisitsKpi([em, plain], P12);
    expect(r.groups?.['electronic-monitoring']).toMatchObject({ numerator: 1, denominator: 1, percent: 100 });
    expect(r.groups?.['no-electronic-monitoring']).toMatchObject({ numerator: 0, denominator: 1, percent: 0 });
  });
  it('"ราย 6 เดือน (สะสม)": a visit after 31 March does not count in the 6-month report, and cases from April are not in it', () => {
    const late = person({
      personId: 'l',
      episodes: [ep({ _id: 'el', personId: 'l' })],
      followUps: [fu('2022-04-01', { personId: 'l' })]
    });
    const april = person({
      personId: 'q',
      episodes: [ep({ _id: 'eq', personId: 'q', caseReceivedOn: '2022-04-01', supervisionStart: '2022-04-01' })]
    });
    const r6 = supervisionVisitsKpi([late, april], P6);
    expect(r6.rows.map((x) => [x.caseId, x.outcome])).toEqual([['el', 'not-met']]);
    const r12 = supervisionVisitsKpi([late, april], P12);
    expect(r12.rows.find((x) => x.caseId === 'el')?.outcome).toBe('met');
  });
});

describe('KPI "ผู้กระทำผิดได้รับการช่วยเหลือด้านอาชีพ"', () => {
  const jobless = (income?: number) => [
    fu('2021-12-10', { employed: false, ...(income !== undefined && { monthlyIncome: income }) })
  ];
  const help = [{ on: '2022-01-05', kind: 'training' as const }];
  it('"ยังไม่มีงานทำ … รายได้ต่ำกว่า 6,000 บาท": 5,999 THB is in, 6,000 THB is out', () => {
    expect(vocationalHelpKpi([person({ followUps: jobless(5999), vocationalHelp: help })], P12).rows[0].outcome).toBe('met');
    expect(vocationalHelpKpi([person({ followUps: jobless(6000), vocationalHelp: help })], P12).rows[0]).toMatchObject({
      outcome: 'excluded',
      rule: 'income-6000'
    });
  });
  it('no job and no income recorded: income is none, in scope; not helped → not met', () => {
    expect(vocationalHelpKpi([person({ followUps: jobless() })], P12).rows[0].outcome).toBe('not-met');
  });
  it('"จำแนกแล้วมีปัญหาและความต้องการด้านอาชีพ": employed with an occupational need and low income is in scope; without it out', () => {
    const employed = [fu('2021-12-10', { employed: true, monthlyIncome: 4000 })];
    expect(
      vocationalHelpKpi([person({ followUps: employed, needs: ['job-info'], vocationalHelp: help })], P12).rows[0].outcome
    ).toBe('met');
    expect(vocationalHelpKpi([person({ followUps: employed })], P12).rows[0]).toMatchObject({
      outcome: 'excluded',
      rule: 'has-job'
    });
  });
  it('"ระยะเวลาการคุมความประพฤติไม่ถึง 180 วัน": 179 days excluded, 180 days (first and last day counted) in', () => {
    const short = ep({ supervisionStart: '2021-12-01', supervisionEnd: '2022-05-28' }); // 179 days
    const enough = ep({ supervisionStart: '2021-12-01', supervisionEnd: '2022-05-29' }); // 180 days
    expect(vocationalHelpKpi([person({ episodes: [short], followUps: jobless(0) })], P12).rows[0]).toMatchObject({
      rule: 'under-180-days'
    });
    expect(vocationalHelpKpi([person({ episodes: [enough], followUps: jobless(0) })], P12).rows[0].outcome).toBe('not-met');
  });
  it('"ผู้หญิง ซึ่งทำหน้าที่เป็นแม่บ้านดูแลครอบครัว": excluded; a man marked homemaker is not', () => {
    expect(vocationalHelpKpi([person({ sex: 'female', homemaker: true, followUps: jobless(0) })], P12).rows[0]).toMatchObject({
      rule: 'homemaker'
    });
    expect(vocationalHelpKpi([person({ sex: 'male', homemaker: true, followUps: jobless(0) })], P12).rows[0].outcome).toBe(
      'not-met'
    );
  });
  it('"ไม่มารับทราบเงื่อนไข" and "ไม่มารายงานตัว หรือผิดเงื่อนไข" are excluded', () => {
    expect(
      vocationalHelpKpi([person({ episodes: [ep({ conditionsAcknowledged: false })], followUps: jobless(0) })], P12).rows[0]
    ).toMatchObject({ rule: 'not-acknowledged' });
    const missed = {
      personId: PERSON,
      episodeId: EPISODE,
      kind: 'missed-appointment' as const,
      occurredOn: '2022-02-01',
      actions: []
    };
    expect(vocationalHelpKpi([person({ nonCompliance: [missed], followUps: jobless(0) })], P12).rows[0]).toMatchObject({
      rule: 'broke-conditions'
    });
  });
  it('"คดีรับใหม่ … ถึงวันที่ 31 สิงหาคม 2565": 31 August in, 1 September out', () => {
    const on = (d: string) =>
      person({
        episodes: [ep({ caseReceivedOn: d, supervisionStart: d, supervisionEnd: '2023-08-31' })],
        followUps: [fu('2022-09-05', { employed: false })]
      });
    expect(vocationalHelpKpi([on('2022-08-31')], P12).rows).toHaveLength(1);
    expect(vocationalHelpKpi([on('2022-09-01')], P12).rows).toHaveLength(0);
  });
});

describe('KPI "ผู้พ้นจากการคุมความประพฤติได้รับการติดตาม"', () => {
  it('"พ้นจากการคุมความประพฤติ ในปีงบประมาณ พ.ศ. 2564": supervision ended 1 Oct 2563 … 30 Sep 2564, followed up in 2565', () => {
    const ended = (id: string, end: string, visits: KpiFollowUp[]) =>
      person({
        personId: id,
        episodes: [ep({ _id: `e-${id}`, personId: id, supervisionStart: '2020-01-01', supervisionEnd: end })],
        followUps: visits.map((v) => ({ ...v, personId: id }))
      });
    const r = postSupervisionKpi(
      [
        ended('first', '2020-10-01', [fu('2021-10-01')]),
        ended('last', '2021-09-30', [fu('2021-09-30')]), // visit in FY2564 does not count
        ended('before', '2020-09-30', [fu('2021-11-01')]),
        ended('after', '2021-10-01', [])
      ],
      P12
    );
    expect(r.rows.map((x) => [x.personId, x.outcome])).toEqual([
      ['first', 'met'],
      ['last', 'not-met']
    ]);
    expect(r.percent).toBe(50);
    expect(r.score).toBe(0);
  });
  it('"พนักงานคุมประพฤติติดตาม โดยการใช้จดหมาย โทรศัพท์": an officer phone call counts, a volunteer phone call does not', () => {
    const mk = (visitor: KpiFollowUp['visitor']) =>
      person({
        episodes: [ep({ supervisionStart: '2020-01-01', supervisionEnd: '2021-06-30' })],
        followUps: [fu('2022-01-01', { method: 'phone', visitor })]
      });
    expect(postSupervisionKpi([mk('probation-officer')], P12).rows[0].outcome).toBe('met');
    expect(postSupervisionKpi([mk('volunteer')], P12).rows[0].outcome).toBe('not-met');
  });
});

describe('KPI "ไม่ปฏิบัติตามเงื่อนไขแล้วมีการดำเนินการภายในระยะเวลาที่กำหนด"', () => {
  // 2022-01-03 is a Monday. 15 working days with no holidays: Mon 2022-01-24.
  const event = (occurredOn: string, actionOn?: string) => ({
    personId: PERSON,
    episodeId: EPISODE,
    kind: 'missed-appointment' as const,
    occurredOn,
    actions: actionOn ? [{ kind: 'warning' as const, on: actionOn }] : []
  });
  it('"ภายใน ระยะเวลา 15 วันทำการ": action on the 15th working day is on time, the next working day late', () => {
    const r = nonComplianceKpi(
      [person({ nonCompliance: [event('2022-01-03', '2022-01-24'), { ...event('2022-01-03', '2022-01-25'), _id: 'late' }] })],
      P12
    );
    expect(r.rows.map((x) => x.outcome)).toEqual(['met', 'not-met']);
    expect(r.percent).toBe(50);
  });
  it('a holiday moves the 15-working-day deadline one working day later', () => {
    const holidays = new Set(['2022-01-10']);
    const r = nonComplianceKpi([person({ nonCompliance: [event('2022-01-03', '2022-01-25')] })], { ...P12, holidays });
    expect(r.rows[0].outcome).toBe('met');
  });
  it('"ไม่มารับทราบเงื่อนไข … ภายใน ระยะเวลา 30 วัน" capped at "ไม่เกิน 1 เดือน": day 31 after the event is late', () => {
    const notAck = (on: string) => ({
      personId: PERSON,
      episodeId: EPISODE,
      kind: 'conditions-not-acknowledged' as const,
      occurredOn: '2022-01-03',
      actions: [{ kind: 'tracking' as const, on }]
    });
    expect(nonComplianceKpi([person({ nonCompliance: [notAck('2022-02-03')] })], P12).rows[0].outcome).toBe('met');
    expect(nonComplianceKpi([person({ nonCompliance: [notAck('2022-02-04')] })], P12).rows[0].outcome).toBe('not-met');
  });
  it('"พักการลงโทษ/ลดวันต้องโทษจำคุก ที่มีระยะเวลาคุมความประพฤติน้อยกว่า 30 วัน": excluded with the rule', () => {
    const short = ep({ releaseType: 'parole', supervisionStart: '2022-01-01', supervisionEnd: '2022-01-20' });
    const r = nonComplianceKpi([person({ episodes: [short], nonCompliance: [event('2022-01-03')] })], P12);
    expect(r.rows[0]).toMatchObject({ outcome: 'excluded', rule: 'parole-under-30-days' });
    expect(r.denominator).toBe(0);
  });
  it('6-month report: an event whose deadline is after 31 March is left out as not yet due; an action after 31 March does not count', () => {
    const r = nonComplianceKpi(
      [
        person({
          nonCompliance: [
            { ...event('2022-03-28'), _id: 'open' },
            { ...event('2022-03-01', '2022-04-01'), _id: 'after' }
          ]
        })
      ],
      P6
    );
    expect(r.rows.find((x) => x.caseId === 'open')).toMatchObject({ outcome: 'excluded', rule: 'not-yet-due' });
    expect(r.rows.find((x) => x.caseId === 'after')?.outcome).toBe('not-met');
  });
  it('"นับแต่วันที่ 1 ตุลาคม 2564 ถึงวันที่ 31 สิงหาคม 2565": an event on 1 September is not in the year\'s count', () => {
    const r = nonComplianceKpi(
      [person({ nonCompliance: [event('2022-08-31', '2022-09-01'), { ...event('2022-09-01', '2022-09-02'), _id: 'x' }] })],
      P12
    );
    expect(r.rows).toHaveLength(1);
  });
});
