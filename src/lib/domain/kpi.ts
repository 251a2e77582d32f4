/**
 * The probation KPIs of the Department of Probation's FY2565 KPI handbook (รายละเอียดตัวชี้วัด
 * ประจำปีงบประมาณ พ.ศ. 2565), computed from the records for one fiscal year at 6 or 12 months
 * cumulative: numerator, denominator, %, the 1–5 score by the thresholds, and the target — with
 * every case behind the numbers (counted, not counted, or excluded with the rule that excluded it).
 *
 * Pure: no I/O. Each rule is the shared one (supervision.ts, post-supervision.ts, non-compliance.ts);
 * this file only decides who is in each KPI's window and what is "as of" the reporting day.
 *
 * Decisions where the handbook is open (docs/reports.md repeats them for supervisors):
 * - "New case of the window" (คดีรับใหม่) = the day the office received the case (`caseReceivedOn`),
 *   else the supervision start, inside the KPI's window; windows are parameters (defaults: the
 *   handbook's FY2565 dates moved to the requested year).
 * - 6-month report = as of the last day of the 6th month (31 March); the windows are cut there and
 *   nothing recorded after that day counts. A non-compliance event whose deadline is still ahead on
 *   that day is left out ("not yet due"), as the handbook's 31 August window end does for 12 months.
 * - Scores: the detail page's thresholds for levels 3–5; levels 1–2 from the summary table (where
 *   the detail page only describes process steps). A % under the level-1 threshold scores 0.
 * - Adults (KPI supervision visits): 18 or older on the supervision start; no date of birth on
 *   record → counted as an adult (CARE serves adult prisons).
 * - Supervision length counts its first and last day (1–30 January is 30 days).
 */
import { assertIsoDate, addMonths, addDays, daysBetween, fiscalYearRange, minDate, type Holidays } from './calendar.ts';
import { ageOn } from './dates.ts';
import type { EpisodeDoc } from './followup-schemas.ts';
import { episodeOfEvent, evaluateNonCompliance, type NonComplianceEvent } from './non-compliance.ts';
import type { HelpAction, HelpNeed, Sex } from './options.ts';
import { evaluatePostSupervision } from './post-supervision.ts';
import { evaluateSupervision, type BilingualText, type CountableFollowUp } from './supervision.ts';

export const KPI_IDS = ['supervision-visits', 'vocational-help', 'post-supervision', 'non-compliance'] as const;
export type KpiId = (typeof KPI_IDS)[number];
export type KpiPeriod = 6 | 12;

export type KpiEpisode = Pick<
  EpisodeDoc,
  | '_id'
  | 'personId'
  | 'releaseType'
  | 'releaseDate'
  | 'supervisionStart'
  | 'supervisionEnd'
  | 'classificationLevel'
  | 'caseReceivedOn'
  | 'conditionsAcknowledged'
  | 'electronicMonitoring'
>;

/** A follow-up as the KPIs read it: the counting fields plus what it found about work and income. */
export type KpiFollowUp = CountableFollowUp & { employed?: boolean; monthlyIncome?: number };

/** Everything the KPIs need about one person, and nothing else (no names, no national ID). */
export interface KpiPersonRecord {
  personId: string;
  unitId: string;
  sex?: Sex;
  dateOfBirth?: string;
  /** A woman whose role is homemaker caring for the family (not a field of today's records). */
  homemaker?: boolean;
  episodes: KpiEpisode[];
  followUps: KpiFollowUp[];
  nonCompliance: NonComplianceEvent[];
  /** Vocational help given or arranged, with the day it was recorded. */
  vocationalHelp: Array<{ on: string; kind: VocationalHelpKind }>;
  /** Help needs recorded at classification / interview (an occupational need puts the person in scope). */
  needs: HelpNeed[];
}

/**
 * Kinds of vocational help the handbook counts (ช่วยเหลือด้านอาชีพ): advice, aptitude testing,
 * vocational training, job placement, setting up an occupation, capital, skill certification,
 * "Returning Good People to Society" or company employment. From the records: training
 * completed, and the CARE 01 help items of those kinds.
 */
export type VocationalHelpKind = 'training' | Extract<HelpAction, 'capital' | 'job-info' | 'employment-project'>;
export const VOCATIONAL_HELP_ACTIONS: ReadonlySet<HelpAction> = new Set(['capital', 'job-info', 'employment-project']);
/** Needs that count as "classified with an occupational need". */
export const OCCUPATIONAL_NEEDS: ReadonlySet<HelpNeed> = new Set(['capital', 'job-info']);

/** The handbook's income line: "รายได้ต่ำกว่า 6,000 บาท" — strictly under 6,000 THB a month. */
export const VOCATIONAL_INCOME_LIMIT_THB = 6000;
/** "ระยะเวลาการคุมความประพฤติไม่ถึง 180 วัน" — shorter supervisions are outside the target. */
export const VOCATIONAL_MIN_SUPERVISION_DAYS = 180;
export const ADULT_AGE = 18;

export interface KpiDefinition {
  id: KpiId;
  title: BilingualText;
  /** % for levels 1…5. */
  thresholds: readonly [number, number, number, number, number];
  /** The target % (usually level 3). */
  target: number;
  /** Electronic-monitoring cases are reported separately (KPI supervision visits only). */
  splitsElectronicMonitoring: boolean;
}

export const KPI_DEFINITIONS: Record<KpiId, KpiDefinition> = {
  'supervision-visits': {
    id: 'supervision-visits',
    title: {
      th: 'ร้อยละของผู้ถูกคุมความประพฤติที่ได้รับการสอดส่อง ติดตาม เป็นไปตามมาตรฐานที่กำหนด',
      en: 'Supervision visits to the standard of the level'
    },
    thresholds: [46, 48, 50, 52, 54],
    target: 50,
    splitsElectronicMonitoring: true
  },
  'vocational-help': {
    id: 'vocational-help',
    title: { th: 'ร้อยละของผู้กระทำผิดได้รับการช่วยเหลือด้านอาชีพ', en: 'Offenders who received vocational help' },
    thresholds: [91, 93, 95, 97, 99],
    target: 95,
    splitsElectronicMonitoring: false
  },
  'post-supervision': {
    id: 'post-supervision',
    title: { th: 'ผู้พ้นจากการคุมความประพฤติได้รับการติดตาม', en: 'People past supervision followed up' },
    thresholds: [60, 65, 70, 75, 80],
    target: 80,
    splitsElectronicMonitoring: false
  },
  'non-compliance': {
    id: 'non-compliance',
    title: {
      th: 'ร้อยละของคดีที่ไม่ปฏิบัติตามเงื่อนไขแล้วมีการดำเนินการภายในระยะเวลาที่กำหนด (15 วัน/30 วันทำการ)',
      en: 'Non-compliance acted on within 15 / 30 working days'
    },
    thresholds: [96, 97, 98, 99, 100],
    target: 98,
    splitsElectronicMonitoring: false
  }
};

export interface KpiWindow {
  from: string;
  to: string;
}

export interface KpiParams {
  /** Fiscal year in the Buddhist Era (2565 = 1 Oct 2021 … 30 Sep 2022). */
  fiscalYear: number;
  period: KpiPeriod;
  /** Windows of new cases per KPI; defaults from `defaultWindows`. */
  windows?: Partial<Record<KpiId, KpiWindow>>;
  holidays: Holidays;
}

/** The handbook's FY2565 windows moved to `fiscalYear`: visits to 15 Aug, vocational help and non-compliance to 31 Aug. */
export function defaultWindows(fiscalYear: number): Record<KpiId, KpiWindow> {
  const { start, end } = fiscalYearRange(fiscalYear);
  const previous = fiscalYearRange(fiscalYear - 1);
  const year = end.slice(0, 4);
  return {
    'supervision-visits': { from: start, to: `${year}-08-15` },
    'vocational-help': { from: start, to: `${year}-08-31` },
    'post-supervision': { from: previous.start, to: previous.end },
    'non-compliance': { from: start, to: `${year}-08-31` }
  };
}

/** The reporting day: end of the 6th month (31 March) or of the fiscal year. */
export function reportDay(fiscalYear: number, period: KpiPeriod): string {
  const { start, end } = fiscalYearRange(fiscalYear);
  return period === 12 ? end : addDays(addMonths(start, 6), -1);
}

export type KpiOutcome = 'met' | 'not-met' | 'excluded';
export type KpiGroup = 'electronic-monitoring' | 'no-electronic-monitoring';

/** One case behind a KPI number: a person's episode, or one non-compliance event. */
export interface KpiRow {
  personId: string;
  unitId: string;
  /** The episode or non-compliance event the row is about. */
  caseId: string;
  outcome: KpiOutcome;
  /** Why excluded, or what the rule found. */
  reason: BilingualText;
  /** Machine code of the exclusion rule. */
  rule?: string;
  group?: KpiGroup;
  /** The day that put the case in the window (case received, supervision end, non-compliance day). */
  caseDay?: string;
}

export interface KpiCounts {
  numerator: number;
  denominator: number;
  /** null when nobody is in the denominator. */
  percent: number | null;
  /** 0–5 by the thresholds; null when nobody is in the denominator. */
  score: number | null;
}

export interface KpiResult extends KpiCounts {
  id: KpiId;
  definition: KpiDefinition;
  fiscalYear: number;
  period: KpiPeriod;
  asOf: string;
  window: KpiWindow;
  excluded: number;
  /** Per group when the KPI splits electronic monitoring. */
  groups?: Record<KpiGroup, KpiCounts>;
  rows: KpiRow[];
}

export function scoreFor(percent: number, thresholds: readonly number[]): number {
  let score = 0;
  thresholds.forEach((t, i) => {
    if (percent >= t) score = i + 1;
  });
  return score;
}

/** Numerator, denominator, % (two decimals) and score of a set of rows. */
export function countRows(rows: readonly KpiRow[], thresholds: readonly number[]): KpiCounts {
  let numerator = 0;
  let denominator = 0;
  for (const r of rows) {
    if (r.outcome === 'excluded') continue;
    denominator++;
    if (r.outcome === 'met') numerator++;
  }
  return countsFrom(numerator, denominator, thresholds);
}

/** % (two decimals) and score of `numerator` out of `denominator` (a region sums its units' counts). */
export function countsFrom(numerator: number, denominator: number, thresholds: readonly number[]): KpiCounts {
  if (denominator === 0) return { numerator, denominator, percent: null, score: null };
  const percent = Math.round((numerator / denominator) * 10_000) / 100;
  return { numerator, denominator, percent, score: scoreFor(percent, thresholds) };
}

function checkParams(p: KpiParams): void {
  fiscalYearRange(p.fiscalYear);
  if (p.period !== 6 && p.period !== 12) throw new RangeError('period must be 6 or 12 (months cumulative)');
  for (const w of Object.values(p.windows ?? {})) {
    if (!w) continue;
    assertIsoDate(w.from, 'window start');
    assertIsoDate(w.to, 'window end');
    if (w.to < w.from) throw new RangeError('a window must end on or after its start');
  }
}

/** The case-receipt day of an episode ("new case"), else the supervision start. */
export function newCaseDay(e: KpiEpisode): string | undefined {
  return e.caseReceivedOn ?? e.supervisionStart;
}

/** Supervision length counting the first and the last day. */
export function supervisionLengthDays(e: Pick<KpiEpisode, 'supervisionStart' | 'supervisionEnd'>): number | undefined {
  if (!e.supervisionStart || !e.supervisionEnd) return undefined;
  return daysBetween(e.supervisionStart, e.supervisionEnd) + 1;
}

const asOfOnly = <T extends { visitDate: string }>(items: readonly T[], asOf: string) => items.filter((f) => f.visitDate <= asOf);

const EXCLUDE = {
  notAcknowledged: { th: 'ไม่มารับทราบเงื่อนไข', en: 'Never acknowledged the conditions' },
  juvenile: { th: 'ไม่ใช่ผู้ใหญ่ (อายุต่ำกว่า 18 ปีเมื่อเริ่มคุมความประพฤติ)', en: 'Not an adult (under 18 when supervision started)' },
  short: { th: 'ระยะเวลาคุมความประพฤติไม่ถึง 180 วัน', en: 'Supervision shorter than 180 days' },
  homemaker: { th: 'ผู้หญิงซึ่งทำหน้าที่แม่บ้านดูแลครอบครัว', en: 'Woman whose role is homemaker caring for the family' },
  brokeConditions: { th: 'ไม่มารายงานตัว หรือผิดเงื่อนไขการคุมความประพฤติ', en: 'Did not report or broke the conditions' },
  hasJob: { th: 'มีงานทำและไม่ได้จำแนกว่ามีความต้องการด้านอาชีพ', en: 'Has a job and no occupational need classified' },
  income: { th: 'มีรายได้ตั้งแต่ 6,000 บาทต่อเดือน', en: 'Earns 6,000 THB a month or more' },
  noWorkInfo: { th: 'ไม่มีข้อมูลการทำงาน/รายได้ในรายงานการติดตาม', en: 'No work / income recorded in any follow-up' },
  notYetDue: { th: 'ยังไม่ครบกำหนดดำเนินการ ณ วันรายงาน', en: 'Deadline not yet reached on the report day' }
} satisfies Record<string, BilingualText>;

function windowFor(id: KpiId, p: KpiParams, asOf: string): KpiWindow {
  const w = p.windows?.[id] ?? defaultWindows(p.fiscalYear)[id];
  // Post-supervision's window is the previous fiscal year: always complete on the report day.
  return id === 'post-supervision' ? w : { from: w.from, to: minDate(w.to, asOf) };
}

/** KPI supervision visits (สอดส่อง ติดตาม เป็นไปตามมาตรฐาน): adults, new cases of the window. */
export function supervisionVisitsKpi(people: readonly KpiPersonRecord[], p: KpiParams): KpiResult {
  checkParams(p);
  const asOf = reportDay(p.fiscalYear, p.period);
  const window = windowFor('supervision-visits', p, asOf);
  const rows: KpiRow[] = [];
  for (const person of people) {
    let followUps: KpiFollowUp[] | undefined; // filtered only for people with a case in the window
    for (const e of person.episodes) {
      const day = newCaseDay(e);
      if (!e.supervisionStart || !day || day < window.from || day > window.to) continue;
      followUps ??= asOfOnly(person.followUps, asOf);
      const base = { personId: person.personId, unitId: person.unitId, caseId: e._id, caseDay: day, group: emGroup(e) };
      if (person.dateOfBirth && ageOn(person.dateOfBirth, e.supervisionStart) < ADULT_AGE) {
        rows.push({ ...base, outcome: 'excluded', rule: 'juvenile', reason: EXCLUDE.juvenile });
        continue;
      }
      const result = evaluateSupervision(e, followUps, asOf);
      if (result.status === 'excluded')
        rows.push({ ...base, outcome: 'excluded', rule: 'not-acknowledged', reason: EXCLUDE.notAcknowledged });
      else rows.push({ ...base, outcome: result.status === 'met' ? 'met' : 'not-met', reason: result.need });
    }
  }
  const def = KPI_DEFINITIONS['supervision-visits'];
  const groups = {
    'electronic-monitoring': countRows(
      rows.filter((r) => r.group === 'electronic-monitoring'),
      def.thresholds
    ),
    'no-electronic-monitoring': countRows(
      rows.filter((r) => r.group === 'no-electronic-monitoring'),
      def.thresholds
    )
  };
  return result('supervision-visits', p, asOf, window, rows, groups);
}

const emGroup = (e: KpiEpisode): KpiGroup => (e.electronicMonitoring ? 'electronic-monitoring' : 'no-electronic-monitoring');

/**
 * KPI vocational help (ผู้กระทำผิดได้รับการช่วยเหลือด้านอาชีพ). In scope: new cases of the window
 * with no job (or an occupational need classified) AND under 6,000 THB a month, judged from the
 * first follow-up of the supervision that recorded work or income. Excluded in the handbook's order.
 * Counted: any vocational help recorded from the supervision start up to the report day.
 */
export function vocationalHelpKpi(people: readonly KpiPersonRecord[], p: KpiParams): KpiResult {
  checkParams(p);
  const asOf = reportDay(p.fiscalYear, p.period);
  const window = windowFor('vocational-help', p, asOf);
  const rows: KpiRow[] = [];
  for (const person of people) {
    for (const e of person.episodes) {
      const day = newCaseDay(e);
      if (!e.supervisionStart || !day || day < window.from || day > window.to) continue;
      const base = { personId: person.personId, unitId: person.unitId, caseId: e._id, caseDay: day };
      const exclude = (rule: string, reason: BilingualText) => rows.push({ ...base, outcome: 'excluded', rule, reason });
      if (!e.conditionsAcknowledged) {
        exclude('not-acknowledged', EXCLUDE.notAcknowledged);
        continue;
      }
      const broke = person.nonCompliance.some((n) => n.occurredOn <= asOf && episodeOfEvent(n, person.episodes) === e);
      if (broke) {
        exclude('broke-conditions', EXCLUDE.brokeConditions);
        continue;
      }
      if ((supervisionLengthDays(e) ?? 0) < VOCATIONAL_MIN_SUPERVISION_DAYS) {
        exclude('under-180-days', EXCLUDE.short);
        continue;
      }
      if (person.sex === 'female' && person.homemaker === true) {
        exclude('homemaker', EXCLUDE.homemaker);
        continue;
      }
      const work = person.followUps
        .filter(
          (f) =>
            f.visitDate >= e.supervisionStart! &&
            f.visitDate <= asOf &&
            (f.employed !== undefined || f.monthlyIncome !== undefined)
        )
        .sort((a, b) => (a.visitDate < b.visitDate ? -1 : a.visitDate > b.visitDate ? 1 : 0))[0];
      if (!work) {
        exclude('no-work-info', EXCLUDE.noWorkInfo);
        continue;
      }
      const occupationalNeed = person.needs.some((n) => OCCUPATIONAL_NEEDS.has(n));
      if (work.employed !== false && !occupationalNeed) {
        exclude('has-job', EXCLUDE.hasJob);
        continue;
      }
      // Without a job and no income recorded, the income is none.
      const income = work.monthlyIncome ?? (work.employed === false ? 0 : undefined);
      if (income === undefined) {
        exclude('no-work-info', EXCLUDE.noWorkInfo);
        continue;
      }
      if (income >= VOCATIONAL_INCOME_LIMIT_THB) {
        exclude('income-6000', EXCLUDE.income);
        continue;
      }
      const help = person.vocationalHelp.find((h) => h.on >= e.supervisionStart! && h.on <= asOf);
      rows.push(
        help
          ? { ...base, outcome: 'met', reason: { th: `ได้รับการช่วยเหลือด้านอาชีพ (${help.on})`, en: `Vocational help on ${help.on}` } }
          : { ...base, outcome: 'not-met', reason: { th: 'ยังไม่ได้รับการช่วยเหลือด้านอาชีพ', en: 'No vocational help recorded' } }
      );
    }
  }
  return result('vocational-help', p, asOf, window, rows);
}

/** KPI post-supervision follow-up: supervision ended in the previous fiscal year, followed up at least once. */
export function postSupervisionKpi(people: readonly KpiPersonRecord[], p: KpiParams): KpiResult {
  checkParams(p);
  const asOf = reportDay(p.fiscalYear, p.period);
  const window = windowFor('post-supervision', p, asOf);
  const rows: KpiRow[] = [];
  for (const person of people) {
    let followUps: KpiFollowUp[] | undefined;
    for (const e of person.episodes) {
      if (!e.supervisionEnd || e.supervisionEnd < window.from || e.supervisionEnd > window.to) continue;
      followUps ??= asOfOnly(person.followUps, asOf);
      const r = evaluatePostSupervision(e, followUps, asOf);
      rows.push({
        personId: person.personId,
        unitId: person.unitId,
        caseId: e._id,
        caseDay: e.supervisionEnd,
        outcome: r.status === 'met' ? 'met' : 'not-met',
        reason: r.need
      });
    }
  }
  return result('post-supervision', p, asOf, window, rows);
}

/** KPI non-compliance acted on in time: every event of the window, counted per occurrence. */
export function nonComplianceKpi(people: readonly KpiPersonRecord[], p: KpiParams): KpiResult {
  checkParams(p);
  const asOf = reportDay(p.fiscalYear, p.period);
  const window = windowFor('non-compliance', p, asOf);
  const rows: KpiRow[] = [];
  for (const person of people) {
    for (const n of person.nonCompliance) {
      if (n.occurredOn < window.from || n.occurredOn > window.to) continue;
      const known = { ...n, actions: n.actions.filter((a) => a.on <= asOf) };
      const r = evaluateNonCompliance(known, episodeOfEvent(n, person.episodes), asOf, p.holidays);
      const base = {
        personId: person.personId,
        unitId: person.unitId,
        caseId: n._id ?? `${person.personId}@${n.occurredOn}`,
        caseDay: n.occurredOn
      };
      if (r.status === 'excluded') rows.push({ ...base, outcome: 'excluded', rule: 'parole-under-30-days', reason: r.need });
      else if (r.status === 'due') rows.push({ ...base, outcome: 'excluded', rule: 'not-yet-due', reason: EXCLUDE.notYetDue });
      else rows.push({ ...base, outcome: r.status === 'done' ? 'met' : 'not-met', reason: r.need });
    }
  }
  return result('non-compliance', p, asOf, window, rows);
}

function result(
  id: KpiId,
  p: KpiParams,
  asOf: string,
  window: KpiWindow,
  rows: KpiRow[],
  groups?: Record<KpiGroup, KpiCounts>
): KpiResult {
  const definition = KPI_DEFINITIONS[id];
  return {
    id,
    definition,
    fiscalYear: p.fiscalYear,
    period: p.period,
    asOf,
    window,
    ...countRows(rows, definition.thresholds),
    excluded: rows.filter((r) => r.outcome === 'excluded').length,
    ...(groups && { groups }),
    rows
  };
}

export const KPI_FUNCTIONS: Record<KpiId, (people: readonly KpiPersonRecord[], p: KpiParams) => KpiResult> = {
  'supervision-visits': supervisionVisitsKpi,
  'vocational-help': vocationalHelpKpi,
  'post-supervision': postSupervisionKpi,
  'non-compliance': nonComplianceKpi
};

/** Every KPI for the same people and parameters. */
export function allKpis(people: readonly KpiPersonRecord[], p: KpiParams): KpiResult[] {
  return KPI_IDS.map((id) => KPI_FUNCTIONS[id](people, p));
}
