/**
 * A request for assistance (คำร้องขอรับการสงเคราะห์, docs/domain/assistance-requests.md, from the Department of
 * Probation circulars on the online assistance-request system): the record, its state machine,
 * who may take each step, and the time limit of each step.
 *
 * The request keeps its whole history: every step is an entry stamped with the state it led to,
 * who took it, in which duty, and when. Entries are only ever added (the server refuses a
 * revision that changes or drops one, and an added entry whose duty the writer does not hold).
 *
 * Steps of the circular's process chart, as states (each allowed only to the duty of that step):
 *   1 applicant / officer      → submitted (online, or in person taken by the case officer)
 *   2 strategy group staff     submitted → accepted                          ("รับคำร้อง")
 *   3 probation officer        accepted | documents-requested → documents-complete (opinion written)
 *                              accepted → documents-requested                ("ขอเอกสารเพิ่มเติม")
 *                              documents-requested → cancelled (documents-not-provided)
 *   4 finance officer          documents-complete → finance-checked          (presented to the director)
 *                              documents-complete → documents-requested      (back to the officer)
 *                              documents-complete → cancelled (insufficient-budget, "งบประมาณไม่เพียงพอ")
 *   5 director                 finance-checked → approved | rejected
 *   6 strategy group staff     approved → paid
 * In step 3 the circular has the staff record the officer's cancel opinion; here the officer's
 * opinion is the transition and the staff see it on their list (the record is the same entry).
 */
import { z } from 'zod';
import { addWorkingDays, type Holidays } from '../calendar.ts';
import { options } from '../options.ts';
import { docMeta, isoDateTime, PERSON_ID, requiredText, text, uniqueArray, username, UUID } from '../schemas.ts';
import { addOfficeMinutes, bangkokDate } from './office-time.ts';

export const REQUEST_ID = new RegExp(`^request:${UUID}$`);

export const ASSISTANCE_KINDS = options([
  { value: 'food', th: 'ค่าอาหาร', en: 'Food' },
  { value: 'fare', th: 'ค่าพาหนะ', en: 'Travel fare' },
  { value: 'living', th: 'ค่าเลี้ยงชีพ', en: 'Living costs' },
  { value: 'medical', th: 'ค่ารักษาพยาบาล', en: 'Medical costs' },
  { value: 'job-application', th: 'ค่าสมัครงาน', en: 'Job-application costs' },
  { value: 'education', th: 'ค่าใช้จ่ายในการศึกษา', en: 'Education costs' },
  { value: 'occupation-capital', th: 'ทุนประกอบอาชีพ', en: 'Equipment / capital for an occupation' },
  { value: 'housing', th: 'ที่พักอาศัย', en: 'Housing' }
] as const);
export type AssistanceKind = (typeof ASSISTANCE_KINDS.values)[number];

/** The circular's 6-day kinds ("ทุนประกอบอาชีพ / ที่พักอาศัย"); every other kind has 25 minutes. */
export const LONG_CHECK_KINDS: readonly AssistanceKind[] = ['occupation-capital', 'housing'];

export const REQUEST_DUTIES = options([
  { value: 'intake', th: 'เจ้าหน้าที่กลุ่มยุทธศาสตร์', en: 'Strategy group staff' },
  { value: 'case-officer', th: 'พนักงานคุมประพฤติ', en: 'Probation officer' },
  { value: 'finance', th: 'เจ้าหน้าที่การเงิน', en: 'Finance officer' },
  { value: 'director', th: 'ผู้อำนวยการ', en: 'Director' }
] as const);
export type RequestDuty = (typeof REQUEST_DUTIES.values)[number];

export const REQUEST_STATES = options([
  { value: 'submitted', th: 'ยื่นคำร้อง', en: 'Submitted' },
  { value: 'accepted', th: 'รับคำร้องแล้ว', en: 'Accepted' },
  { value: 'documents-requested', th: 'ขอเอกสารเพิ่มเติม', en: 'More documents requested' },
  { value: 'documents-complete', th: 'เอกสารครบถ้วน', en: 'Documents complete' },
  { value: 'finance-checked', th: 'การเงินตรวจสอบแล้ว', en: 'Finance checked' },
  { value: 'approved', th: 'อนุมัติ', en: 'Approved' },
  { value: 'rejected', th: 'ไม่อนุมัติ', en: 'Rejected' },
  { value: 'cancelled', th: 'ยกเลิกคำร้อง', en: 'Cancelled' },
  { value: 'paid', th: 'จ่ายเงินสงเคราะห์แล้ว', en: 'Paid' }
] as const);
export type RequestState = (typeof REQUEST_STATES.values)[number];

export const CANCEL_REASONS = options([
  { value: 'documents-not-provided', th: 'ผู้ยื่นคำร้องไม่ยื่นเอกสารเพิ่มเติม', en: 'The applicant did not provide the documents' },
  { value: 'insufficient-budget', th: 'งบประมาณไม่เพียงพอ', en: 'Insufficient budget' }
] as const);
export type CancelReason = (typeof CANCEL_REASONS.values)[number];

export const REQUEST_CHANNELS = options([
  { value: 'online', th: 'ยื่นคำร้องผ่านระบบ', en: 'Online' },
  { value: 'in-person', th: 'ยื่นคำร้องด้วยตนเอง', en: 'In person at the office' }
] as const);

interface Transition {
  from: RequestState | null;
  to: RequestState;
  duty: RequestDuty;
  /** A cancellation names its reason; no other step has one. */
  reason?: CancelReason;
}

/** Every allowed step. Anything not listed is refused. */
export const REQUEST_TRANSITIONS: readonly Transition[] = [
  { from: null, to: 'submitted', duty: 'intake' },
  { from: null, to: 'submitted', duty: 'case-officer' },
  { from: 'submitted', to: 'accepted', duty: 'intake' },
  { from: 'accepted', to: 'documents-complete', duty: 'case-officer' },
  { from: 'accepted', to: 'documents-requested', duty: 'case-officer' },
  { from: 'documents-requested', to: 'documents-complete', duty: 'case-officer' },
  { from: 'documents-requested', to: 'cancelled', duty: 'case-officer', reason: 'documents-not-provided' },
  { from: 'documents-complete', to: 'finance-checked', duty: 'finance' },
  { from: 'documents-complete', to: 'documents-requested', duty: 'finance' },
  { from: 'documents-complete', to: 'cancelled', duty: 'finance', reason: 'insufficient-budget' },
  { from: 'finance-checked', to: 'approved', duty: 'director' },
  { from: 'finance-checked', to: 'rejected', duty: 'director' },
  { from: 'approved', to: 'paid', duty: 'intake' }
];

export const TERMINAL_STATES: readonly RequestState[] = ['rejected', 'cancelled', 'paid'];

export const requestEntrySchema = z.strictObject({
  state: z.enum(REQUEST_STATES.values),
  at: isoDateTime,
  by: username,
  duty: z.enum(REQUEST_DUTIES.values),
  reason: z.enum(CANCEL_REASONS.values).optional(),
  /** The officer's opinion, the director's grounds, what documents are missing … */
  note: text(2000).optional()
});
export type RequestEntry = z.infer<typeof requestEntrySchema>;

const label = (s: RequestState | null) =>
  s === null ? 'ยังไม่มีคำร้อง / no request yet' : `${REQUEST_STATES.label(s, 'th')} / ${s}`;

/** Why `duty` may not move a request from `from` to `to` (with `reason`), or null when it may. */
export function transitionProblem(
  from: RequestState | null,
  to: RequestState,
  duty: RequestDuty,
  reason?: CancelReason
): string | null {
  const steps = REQUEST_TRANSITIONS.filter((t) => t.from === from && t.to === to);
  if (steps.length === 0)
    return `เปลี่ยนจาก "${label(from)}" เป็น "${label(to)}" ไม่ได้ / a request cannot go from ${from ?? 'nothing'} to ${to}`;
  const step = steps.find((t) => t.duty === duty);
  if (!step) {
    const who = steps.map((t) => `${REQUEST_DUTIES.label(t.duty, 'th')} / ${REQUEST_DUTIES.label(t.duty, 'en')}`).join(', ');
    return `ขั้นตอนนี้เป็นหน้าที่ของ ${who} เท่านั้น / only ${steps.map((t) => t.duty).join(' or ')} may take this step, not ${duty}`;
  }
  if (step.reason !== reason)
    return step.reason
      ? `ต้องระบุเหตุผลการยกเลิก "${CANCEL_REASONS.label(step.reason, 'th')}" / this cancellation needs the reason ${step.reason}`
      : 'ขั้นตอนนี้ไม่มีเหตุผลการยกเลิก / only a cancellation has a reason';
  return null;
}

/** The steps `duties` may take from `state` (what the screen offers). */
export function allowedSteps(state: RequestState | null, duties: readonly RequestDuty[]): readonly Transition[] {
  return REQUEST_TRANSITIONS.filter((t) => t.from === state && duties.includes(t.duty));
}

/** Why the history is not a path of allowed steps in time order, or null. */
export function historyProblem(history: readonly RequestEntry[]): { index: number; reason: string } | null {
  for (let i = 0; i < history.length; i++) {
    const e = history[i];
    const from = i === 0 ? null : history[i - 1].state;
    const problem = transitionProblem(from, e.state, e.duty, e.reason);
    if (problem) return { index: i, reason: problem };
    if (i > 0 && Date.parse(e.at) < Date.parse(history[i - 1].at))
      return { index: i, reason: 'ขั้นตอนต้องไม่ลงเวลาก่อนขั้นตอนก่อนหน้า / a step cannot be timed before the one before it' };
  }
  return null;
}

export const assistanceRequestSchema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(REQUEST_ID, { message: 'request ids look like request:<uuid>' }),
    type: z.literal('request'),
    /** The applicant, a person of the unit. */
    personId: z.string().regex(PERSON_ID, { message: 'personId must be a person id' }),
    kind: z.enum(ASSISTANCE_KINDS.values),
    channel: z.enum(REQUEST_CHANNELS.values),
    /** Baht asked for. */
    amount: z.number().min(0).max(1_000_000, { message: 'จำนวนเงินเกิน 1,000,000 บาท / amount above 1,000,000 THB' }).optional(),
    details: requiredText(2000),
    history: z.array(requestEntrySchema).min(1).max(40)
  })
  .superRefine((r, ctx) => {
    const problem = historyProblem(r.history);
    if (problem) ctx.addIssue({ code: 'custom', path: ['history', problem.index, 'state'], message: problem.reason });
  });
export type AssistanceRequestDoc = z.infer<typeof assistanceRequestSchema>;

export const requestState = (r: Pick<AssistanceRequestDoc, 'history'>): RequestState => r.history[r.history.length - 1].state;

/** Who holds the request now: the duty of the next step ('applicant' while documents are awaited). */
export function requestHolder(state: RequestState): RequestDuty | 'applicant' | null {
  if (state === 'documents-requested') return 'applicant';
  const next = REQUEST_TRANSITIONS.find((t) => t.from === state);
  return next ? next.duty : null;
}

// --- time limits -----------------------------------------------------------------------------

export type StepLimit = { minutes: number } | { workingDays: number };

/**
 * The limit of the step waiting in `state` ("ระยะเวลาดำเนินการ" column of the chart): 25 office
 * minutes, except the document checks of occupation capital and housing, 6 working days. The
 * extracted chart puts "25 นาที (ค่าอาหาร / ค่าพาหนะ / …)" on the officer's row and "6 วัน (ทุน
 * ประกอบอาชีพ / ที่พักอาศัย)" on the finance row — one cell split across both checking rows — so both
 * checks (officer and finance) get 25 minutes for the short kinds and 6 working days for the two
 * long ones. Waiting for the applicant's documents and the payment have no limit in the circular.
 */
export function stepLimit(state: RequestState, kind: AssistanceKind): StepLimit | null {
  switch (state) {
    case 'submitted':
    case 'finance-checked':
      return { minutes: 25 };
    case 'accepted':
    case 'documents-complete':
      return LONG_CHECK_KINDS.includes(kind) ? { workingDays: 6 } : { minutes: 25 };
    default:
      return null;
  }
}

/**
 * The limit to record a decision in the system ("ระยะเวลาการบันทึกข้อมูล"): 1 working day from the
 * receipt (step 2), the cancel opinion (step 3) or the director's decision (step 5).
 */
export const RECORD_LIMIT_WORKING_DAYS = 1;

export type RecordDue = { holder: 'intake'; since: string; dueAt: string; overdue: boolean } | null;

/**
 * When the receipt of a request must be recorded by the strategy-group staff ("1 วัน นับแต่ได้รับ
 * คำร้อง", step 2): a request filed online or taken in person by the officer waits in "submitted"
 * until the staff accept it in the system, at the latest by the end of the first working day
 * after the Bangkok day it arrived (holidays skipped). The other two recording limits — the cancel
 * opinion (step 3) and the director's decision (step 5) — are met by construction here: the
 * officer and the director record their decision in the system as they take it, stamped by the
 * server, so there is no later recording to be late with.
 */
export function recordDue(
  r: { history: readonly Pick<RequestEntry, 'state' | 'at'>[] },
  now: string,
  holidays: Holidays
): RecordDue {
  const last = r.history[r.history.length - 1];
  if (last.state !== 'submitted') return null;
  const day = addWorkingDays(bangkokDate(last.at), RECORD_LIMIT_WORKING_DAYS, holidays);
  const dueAt = new Date(Date.parse(`${day}T23:59:59.999+07:00`)).toISOString();
  return { holder: 'intake', since: last.at, dueAt, overdue: Date.parse(now) > Date.parse(dueAt) };
}

export type RequestDue = {
  holder: RequestDuty;
  state: RequestState;
  limit: StepLimit;
  since: string;
  dueAt: string;
  overdue: boolean;
} | null;

/**
 * When the step the request waits for is due, and whether it is overdue at `now`. A minute limit
 * is due at an instant (office minutes, office-time.ts); a working-day limit at the end of a
 * Bangkok day (returned as the instant that day ends).
 */
export function requestDue(
  r: { history: readonly Pick<RequestEntry, 'state' | 'at'>[]; kind: AssistanceKind },
  now: string,
  holidays: Holidays
): RequestDue {
  const last = r.history[r.history.length - 1];
  const limit = stepLimit(last.state, r.kind);
  const holder = requestHolder(last.state);
  if (!limit || holder === null || holder === 'applicant') return null;
  const dueAt =
    'minutes' in limit
      ? addOfficeMinutes(last.at, limit.minutes, holidays)
      : new Date(
          Date.parse(`${addWorkingDays(bangkokDate(last.at), limit.workingDays, holidays)}T23:59:59.999+07:00`)
        ).toISOString();
  return { holder, state: last.state, limit, since: last.at, dueAt, overdue: Date.parse(now) > Date.parse(dueAt) };
}

// --- duties of an account, and the server's check of a new revision ---------------------------

/**
 * The duties an administrator lists on an account (`duties` of the stored account): the request
 * steps of strategy-group staff and of finance officers. Case officers and directors hold theirs
 * by their role.
 */
export const ACCOUNT_DUTIES = ['intake', 'finance'] as const satisfies readonly RequestDuty[];
export type AccountDuty = (typeof ACCOUNT_DUTIES)[number];

export const accountDutiesSchema = uniqueArray(z.enum(ACCOUNT_DUTIES), ACCOUNT_DUTIES.length);

/** Why `duties` cannot be listed on an account of `role`, in Thai and English, or null. */
export function accountDutiesProblem(role: string, duties: readonly string[]): { th: string; en: string } | null {
  if (duties.length > 0 && role !== 'officer')
    return {
      th: 'กำหนดหน้าที่ในขั้นตอนคำร้องได้เฉพาะบัญชีเจ้าหน้าที่ (officer)',
      en: 'request duties can be listed only on an officer account'
    };
  return null;
}

/**
 * The duties an account holds in the request workflow. Officers are case officers and
 * supervisors (office directors) are directors by their role; strategy-group staff and finance
 * officers are officers whose account lists those duties. Volunteers and administrators hold none.
 */
export function requestDutiesOf(account: { role: string; duties?: readonly string[] }): RequestDuty[] {
  const base: RequestDuty[] = account.role === 'officer' ? ['case-officer'] : account.role === 'supervisor' ? ['director'] : [];
  if (account.role !== 'officer') return base;
  const extra = (account.duties ?? []).filter((d): d is AccountDuty => (ACCOUNT_DUTIES as readonly string[]).includes(d));
  return [...new Set([...base, ...extra])];
}

/**
 * Why `actor` may not store `next` over `stored` (undefined for a new request), or null. The
 * stored entries must stay as they were; every added entry must be the actor's own, in a duty
 * the actor holds (the step's order was already checked by the schema).
 */
export function requestRevisionProblem(
  stored: Pick<AssistanceRequestDoc, 'history' | 'personId' | 'kind'> | undefined,
  next: Pick<AssistanceRequestDoc, 'history' | 'personId' | 'kind'>,
  actor: { username: string; duties: readonly RequestDuty[] }
): string | null {
  const old = stored?.history ?? [];
  if (stored && (stored.personId !== next.personId || stored.kind !== next.kind))
    return "คำร้องที่บันทึกแล้วเปลี่ยนผู้ยื่นหรือประเภทไม่ได้ / a stored request's applicant and kind cannot change";
  if (next.history.length < old.length || old.some((e, i) => JSON.stringify(e) !== JSON.stringify(next.history[i])))
    return 'ขั้นตอนที่บันทึกแล้วแก้ไขหรือลบไม่ได้ / recorded steps of a request cannot be changed or removed';
  for (const e of next.history.slice(old.length)) {
    if (e.by !== actor.username)
      return `บันทึกขั้นตอนได้ในชื่อของท่านเท่านั้น / a step must be recorded under your own user name, not ${e.by}`;
    if (!actor.duties.includes(e.duty))
      return `ท่านไม่มีหน้าที่ "${REQUEST_DUTIES.label(e.duty, 'th')}" / your account does not hold the duty ${e.duty}`;
  }
  return null;
}
