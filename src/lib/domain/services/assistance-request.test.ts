import { describe, expect, it } from 'vitest';
import { officialHolidays } from '../holidays-th.ts';
import {
  allowedSteps,
  assistanceRequestSchema,
  REQUEST_DUTIES,
  REQUEST_STATES,
  accountDutiesProblem,
  accountDutiesSchema,
  recordDue,
  requestDue,
  requestDutiesOf,
  requestRevisionProblem,
  transitionProblem,
  type AssistanceKind,
  type RequestDuty,
  type RequestEntry,
  type RequestState
} from './assistance-request.ts';

/**
 * The allowed steps, written out from the circular's process chart (not read from the table under
 * test): [from, to, duty, reason?]. Every other (from, to, duty) combination must be refused.
 */
const CHART: Array<[RequestState | null, RequestState, RequestDuty, string?]> = [
  [null, 'submitted', 'intake'], // ยื่นคำร้องผ่านระบบ : เจ้าหน้าที่กลุ่มยุทธศาสตร์รับคำร้องในระบบ
  [null, 'submitted', 'case-officer'], // ยื่นคำร้องด้วยตนเอง : พลป.เจ้าของสำนวน … รับคำร้อง
  ['submitted', 'accepted', 'intake'],
  ['accepted', 'documents-complete', 'case-officer'], // กรณีเอกสารครบถ้วน
  ['accepted', 'documents-requested', 'case-officer'], // ประสานขอเอกสารเพิ่มเติมจากผู้ยื่นคำร้อง
  ['documents-requested', 'documents-complete', 'case-officer'],
  ['documents-requested', 'cancelled', 'case-officer', 'documents-not-provided'], // ผู้ยื่นคำร้องไม่ยื่นเอกสารเพิ่มเติม
  ['documents-complete', 'finance-checked', 'finance'], // นำเสนอต่อผู้อำนวยการ
  ['documents-complete', 'documents-requested', 'finance'], // เอกสารไม่ครบถ้วน ให้ส่งเรื่องกลับ
  ['documents-complete', 'cancelled', 'finance', 'insufficient-budget'], // งบประมาณไม่เพียงพอ
  ['finance-checked', 'approved', 'director'],
  ['finance-checked', 'rejected', 'director'],
  ['approved', 'paid', 'intake']
];

const FROM: Array<RequestState | null> = [null, ...REQUEST_STATES.values];

describe('request state machine: every step, every duty (กระบวนการยื่นคำร้องขอรับการสงเคราะห์)', () => {
  const cases = FROM.flatMap((from) =>
    REQUEST_STATES.values.flatMap((to) => REQUEST_DUTIES.values.map((duty) => [from, to, duty] as const))
  );
  it.each(cases)('%s → %s by %s', (from, to, duty) => {
    const allowed = CHART.find(([f, t, d]) => f === from && t === to && d === duty);
    const problem = transitionProblem(from, to, duty, allowed?.[3] as never);
    if (allowed) expect(problem).toBeNull();
    else expect(problem).toMatch(/ไม่ได้|เท่านั้น/);
  });

  it('"ผู้อำนวยการพิจารณาว่าควรอนุมัติหรือไม่อนุมัติ": the finance officer cannot approve, and says whose step it is', () => {
    expect(transitionProblem('finance-checked', 'approved', 'finance')).toBe(
      'ขั้นตอนนี้เป็นหน้าที่ของ ผู้อำนวยการ / Director เท่านั้น / only director may take this step, not finance'
    );
  });

  it('"ระบุว่างบประมาณไม่เพียงพอ": a finance cancellation needs the reason insufficient budget', () => {
    expect(transitionProblem('documents-complete', 'cancelled', 'finance')).toMatch(/insufficient-budget/);
    expect(transitionProblem('documents-complete', 'cancelled', 'finance', 'documents-not-provided')).toMatch(
      /insufficient-budget/
    );
    expect(transitionProblem('documents-complete', 'cancelled', 'finance', 'insufficient-budget')).toBeNull();
  });

  it('a step that is not a cancellation carries no reason', () => {
    expect(transitionProblem('submitted', 'accepted', 'intake', 'insufficient-budget')).toMatch(/only a cancellation/);
  });

  it('paid, rejected and cancelled are final', () => {
    for (const s of ['paid', 'rejected', 'cancelled'] as const) expect(allowedSteps(s, REQUEST_DUTIES.values)).toEqual([]);
  });

  it('offers each duty only its own steps', () => {
    expect(allowedSteps('documents-complete', ['case-officer'])).toEqual([]);
    expect(allowedSteps('documents-complete', ['finance']).map((s) => s.to)).toEqual([
      'finance-checked',
      'documents-requested',
      'cancelled'
    ]);
  });
});

const T0 = '2026-12-01T03:00:00.000Z'; // Tue 1 Dec 2026, 10:00 Bangkok

function entry(
  state: RequestState,
  duty: RequestDuty,
  by: string,
  minutesAfter: number,
  extra: Partial<RequestEntry> = {}
): RequestEntry {
  return { state, duty, by, at: new Date(Date.parse(T0) + minutesAfter * 60_000).toISOString(), ...extra };
}

function requestDoc(history: RequestEntry[], kind: AssistanceKind = 'fare') {
  return {
    _id: 'request:00000000-0000-4000-8000-0000000000a1',
    type: 'request',
    unitId: 'lampang-probation',
    schemaVersion: 1,
    createdAt: T0,
    createdBy: 'field.officer',
    updatedAt: T0,
    updatedBy: 'field.officer',
    personId: 'person:00000000-0000-4000-8000-000000000001',
    kind,
    channel: 'in-person',
    details: 'ค่าพาหนะกลับภูมิลำเนา',
    history
  };
}

const PAID: RequestEntry[] = [
  entry('submitted', 'case-officer', 'field.officer', 0),
  entry('accepted', 'intake', 'strategy.staff', 10),
  entry('documents-requested', 'case-officer', 'field.officer', 20, { note: 'สำเนาบัตรประชาชน' }),
  entry('documents-complete', 'case-officer', 'field.officer', 60, { note: 'เห็นควรช่วยเหลือ' }),
  entry('finance-checked', 'finance', 'finance.officer', 70),
  entry('approved', 'director', 'director', 80),
  entry('paid', 'intake', 'strategy.staff', 90)
];

describe('the request document', () => {
  it('accepts a request that went through every step to "จ่ายเงินสงเคราะห์"', () => {
    expect(assistanceRequestSchema.safeParse(requestDoc(PAID)).success).toBe(true);
  });

  it('refuses a history that skips "ผู้อำนวยการพิจารณา" (finance checked straight to paid)', () => {
    const skipped = [...PAID.slice(0, 5), entry('paid', 'intake', 'strategy.staff', 90)];
    const r = assistanceRequestSchema.safeParse(requestDoc(skipped));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['history', 5, 'state']);
  });

  it('refuses a step timed before the one before it', () => {
    const r = assistanceRequestSchema.safeParse(requestDoc([PAID[0], entry('accepted', 'intake', 'strategy.staff', -5)]));
    expect(r.error?.issues[0].message).toMatch(/before the one before it/);
  });

  it('"ให้ทำความเข้าใจยกเลิกคำร้อง โดยระบุว่างบประมาณไม่เพียงพอ": cancelled for insufficient budget', () => {
    const cancelled = [
      ...PAID.slice(0, 4),
      entry('cancelled', 'finance', 'finance.officer', 70, { reason: 'insufficient-budget' })
    ];
    expect(assistanceRequestSchema.safeParse(requestDoc(cancelled)).success).toBe(true);
  });
});

describe('who may add a step (the server check of a new revision)', () => {
  const staff = { username: 'strategy.staff', duties: ['case-officer', 'intake'] as RequestDuty[] };
  const officer = { username: 'field.officer', duties: ['case-officer'] as RequestDuty[] };
  const stored = requestDoc(PAID.slice(0, 1));

  it('"เจ้าหน้าที่กลุ่มยุทธศาสตร์รับคำร้องในระบบ": the strategy staff accepts', () => {
    expect(requestRevisionProblem(stored, requestDoc(PAID.slice(0, 2)), staff)).toBeNull();
  });

  it('an officer without the strategy duty cannot record the acceptance, even under the staff name', () => {
    expect(requestRevisionProblem(stored, requestDoc(PAID.slice(0, 2)), officer)).toMatch(/own user name/);
    const asOfficer = [PAID[0], entry('accepted', 'intake', 'field.officer', 10)];
    expect(requestRevisionProblem(stored, requestDoc(asOfficer), officer)).toMatch(/does not hold the duty intake/);
  });

  it('recorded steps cannot be changed or dropped', () => {
    const two = requestDoc(PAID.slice(0, 2));
    expect(requestRevisionProblem(two, requestDoc(PAID.slice(0, 1)), staff)).toMatch(/cannot be changed or removed/);
    const altered = [{ ...PAID[0], note: 'แก้ไข' }, PAID[1]];
    expect(requestRevisionProblem(two, requestDoc(altered), staff)).toMatch(/cannot be changed or removed/);
  });

  it('duties come from the account: officers are case officers, supervisors directors, extra duties only for officers', () => {
    expect(requestDutiesOf({ role: 'officer' })).toEqual(['case-officer']);
    expect(requestDutiesOf({ role: 'officer', duties: ['finance', 'director'] })).toEqual(['case-officer', 'finance']);
    expect(requestDutiesOf({ role: 'supervisor', duties: ['finance'] })).toEqual(['director']);
    expect(requestDutiesOf({ role: 'volunteer', duties: ['intake'] })).toEqual([]);
    expect(requestDutiesOf({ role: 'admin' })).toEqual([]);
  });
});

describe('time limits ("ระยะเวลาดำเนินการ")', () => {
  const holidays = officialHolidays;
  const at = (iso: string) => new Date(iso).toISOString();

  it('"๒๕ นาที" counts office minutes: submitted Fri 4 Dec 16:20, Mon 7 Dec is a holiday → due Tue 8 Dec 08:45', () => {
    const doc = requestDoc([{ state: 'submitted', duty: 'intake', by: 'strategy.staff', at: at('2026-12-04T16:20:00+07:00') }]);
    const due = requestDue(doc, at('2026-12-08T08:40:00+07:00'), holidays);
    expect(due).toMatchObject({
      holder: 'intake',
      limit: { minutes: 25 },
      dueAt: at('2026-12-08T08:45:00+07:00'),
      overdue: false
    });
    expect(requestDue(doc, at('2026-12-08T08:46:00+07:00'), holidays)?.overdue).toBe(true);
  });

  it('without the holiday the same request is due Monday 08:45', () => {
    const doc = requestDoc([{ state: 'submitted', duty: 'intake', by: 'strategy.staff', at: at('2026-12-04T16:20:00+07:00') }]);
    expect(requestDue(doc, T0, [])?.dueAt).toBe(at('2026-12-07T08:45:00+07:00'));
  });

  it('a request arriving at night starts its clock when the office opens', () => {
    const doc = requestDoc([
      { state: 'submitted', duty: 'case-officer', by: 'field.officer', at: at('2026-12-01T22:00:00+07:00') }
    ]);
    expect(requestDue(doc, T0, holidays)?.dueAt).toBe(at('2026-12-02T08:55:00+07:00'));
  });

  it('"๖ วัน (ทุนประกอบอาชีพ / ที่พักอาศัย)": 6 working days, skipping 7 and 10 Dec 2026 → end of 15 Dec', () => {
    const history = [
      { state: 'submitted', duty: 'case-officer', by: 'field.officer', at: at('2026-12-03T09:00:00+07:00') },
      { state: 'accepted', duty: 'intake', by: 'strategy.staff', at: at('2026-12-03T10:00:00+07:00') }
    ] as RequestEntry[];
    const doc = requestDoc(history, 'occupation-capital');
    const due = requestDue(doc, at('2026-12-15T16:00:00+07:00'), holidays);
    expect(due).toMatchObject({
      holder: 'case-officer',
      limit: { workingDays: 6 },
      dueAt: at('2026-12-15T23:59:59.999+07:00'),
      overdue: false
    });
    expect(requestDue(doc, at('2026-12-16T08:00:00+07:00'), holidays)?.overdue).toBe(true);
  });

  it('the short kinds get 25 minutes at the officer\'s check ("คำอาหาร / คำพาหะ …")', () => {
    const doc = requestDoc(PAID.slice(0, 2), 'food');
    expect(requestDue(doc, T0, holidays)).toMatchObject({
      holder: 'case-officer',
      limit: { minutes: 25 },
      dueAt: '2026-12-01T03:35:00.000Z'
    });
  });

  it('no limit while the applicant brings documents, nor once paid', () => {
    expect(requestDue(requestDoc(PAID.slice(0, 3)), T0, holidays)).toBeNull();
    expect(requestDue(requestDoc(PAID), T0, holidays)).toBeNull();
  });
});

describe('the limit to record the receipt ("ระยะเวลาการบันทึกข้อมูล: 1 วัน นับแต่ได้รับคำร้อง")', () => {
  const at = (iso: string) => new Date(iso).toISOString();
  const submittedFri = requestDoc([
    { state: 'submitted', duty: 'case-officer', by: 'field.officer', at: at('2026-12-04T15:00:00+07:00') }
  ]);

  it('a request received Friday 4 Dec 2026 must be recorded by the end of the next working day; Mon 7 Dec is a holiday → Tue 8 Dec', () => {
    expect(recordDue(submittedFri, at('2026-12-08T16:00:00+07:00'), officialHolidays)).toMatchObject({
      holder: 'intake',
      dueAt: at('2026-12-08T23:59:59.999+07:00'),
      overdue: false
    });
    expect(recordDue(submittedFri, at('2026-12-09T08:00:00+07:00'), officialHolidays)?.overdue).toBe(true);
  });

  it('without the holiday it is due by the end of Monday', () => {
    expect(recordDue(submittedFri, T0, [])?.dueAt).toBe(at('2026-12-07T23:59:59.999+07:00'));
  });

  it('once the staff accepted it in the system there is nothing left to record', () => {
    expect(recordDue(requestDoc(PAID.slice(0, 2)), T0, officialHolidays)).toBeNull();
    expect(recordDue(requestDoc(PAID), T0, officialHolidays)).toBeNull();
  });
});

describe('duties listed on an account ("เจ้าหน้าที่กลุ่มยุทธศาสตร์", "เจ้าหน้าที่การเงิน")', () => {
  it('an officer account may list intake and finance, once each', () => {
    expect(accountDutiesSchema.safeParse(['intake', 'finance']).success).toBe(true);
    expect(accountDutiesSchema.safeParse(['intake', 'intake']).success).toBe(false);
    expect(accountDutiesSchema.safeParse(['director']).success).toBe(false);
    expect(accountDutiesProblem('officer', ['finance'])).toBeNull();
  });

  it('"กำหนดหน้าที่ในขั้นตอนคำร้องได้เฉพาะบัญชีเจ้าหน้าที่": other roles list none', () => {
    expect(accountDutiesProblem('supervisor', ['finance'])?.en).toMatch(/only on an officer account/);
    expect(accountDutiesProblem('volunteer', ['intake'])).not.toBeNull();
    expect(accountDutiesProblem('supervisor', [])).toBeNull();
  });
});
