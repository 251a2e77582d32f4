/**
 * CARE 02, "รายงานสถิติผู้เข้าใช้บริการศูนย์แคร์ประจำเดือน" (the CARE manual, CARE reports table
 * and the CARE 02 user guide): the monthly statistics of one CARE centre, derived here from the
 * centre's records instead of typed by hand — CARE 01 interviews of the month, and CARE 03 / 04
 * visits of the month per kind of service and per who was served (prisoners, released people,
 * relatives). Every box is a number: "ถ้าไม่มีผู้ใช้บริการในหัวข้อรายงานข้อใดให้ใส่เลข 0 ทุกครั้ง".
 *
 * The manual shows the official form only as pictures, so the boxes below are provisional (by
 * kind of service × who was served, with visit and people totals) until the form is supplied.
 * Deadline: "ทุกสิ้นเดือน หรือก่อน 16.30 น. ของวันที่ 1" of the next month, Thai time.
 */
import { z } from 'zod';
import { SERVICE_KINDS, type ServiceKind } from './services/care-visits.ts';

export const CARE02_GROUPS = ['prisoner', 'released', 'relative'] as const;
export type Care02Group = (typeof CARE02_GROUPS)[number];
export const CARE02_GROUP_LABELS: Record<Care02Group | 'total', { th: string; en: string }> = {
  prisoner: { th: 'ผู้ต้องขัง', en: 'Prisoners' },
  released: { th: 'ผู้พ้นโทษ', en: 'Released people' },
  relative: { th: 'ญาติ', en: 'Relatives' },
  total: { th: 'รวม', en: 'Total' }
};

export type Care02Row = Record<Care02Group | 'total', number>;

export interface Care02Numbers {
  /** CARE 01 interviews (screening before release) held in the month. */
  interviews: number;
  /** Visits to the centre (CARE 03 + CARE 04 records) by who was served. */
  visits: Care02Row;
  /** Different people served (a person who came twice counts once). */
  people: Care02Row;
  /** Visits in which each kind of service was given. */
  services: Record<ServiceKind, Care02Row>;
}

/** One submission of a month, as stored (with the numbers as they were then). */
export interface Care02Submission {
  unitId: string;
  month: string;
  /** 1 for the first submission, 2… for corrections. */
  version: number;
  numbers: Care02Numbers;
  submittedBy: string;
  at: string;
  /** Submitted after the deadline. */
  late: boolean;
  /** Corrections only: the reason given and the boxes that changed from the previous version. */
  why?: string;
  changes?: Array<{ box: string; from: number; to: number }>;
}

/** A month as `YYYY-MM` (Common Era, as stored); screens show it in the Buddhist Era. */
export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const monthSchema = z.string().regex(MONTH, { message: 'month: เดือนรูปแบบ YYYY-MM / month: YYYY-MM' });

export interface Care02Sources {
  care01: Iterable<{ interviewDate: string }>;
  care03: Iterable<{
    personId: string;
    visitDate: string;
    clientStatus: 'prisoner' | 'released';
    services: readonly ServiceKind[];
  }>;
  /** CARE 04: `personId` is the prisoner the relative came for; the relative is counted by name. */
  care04: Iterable<{
    personId: string;
    visitDate: string;
    services: readonly ServiceKind[];
    relative: { firstName: string; lastName: string };
  }>;
}

const zeroRow = (): Care02Row => ({ prisoner: 0, released: 0, relative: 0, total: 0 });

export function emptyCare02(): Care02Numbers {
  return {
    interviews: 0,
    visits: zeroRow(),
    people: zeroRow(),
    services: Object.fromEntries(SERVICE_KINDS.values.map((k) => [k, zeroRow()])) as Record<ServiceKind, Care02Row>
  };
}

/** The month's statistics: every box present, 0 where nobody used a service. */
export function care02Numbers(month: string, sources: Care02Sources): Care02Numbers {
  if (!MONTH.test(month)) throw new Error(`month must be YYYY-MM, got ${month}`);
  const inMonth = (day: string) => day.slice(0, 7) === month;
  const n = emptyCare02();
  for (const c of sources.care01) if (inMonth(c.interviewDate)) n.interviews++;
  const seen: Record<Care02Group, Set<string>> = { prisoner: new Set(), released: new Set(), relative: new Set() };
  const count = (group: Care02Group, who: string, services: readonly ServiceKind[]) => {
    n.visits[group]++;
    n.visits.total++;
    seen[group].add(who);
    for (const s of new Set(services)) {
      n.services[s][group]++;
      n.services[s].total++;
    }
  };
  for (const v of sources.care03) if (inMonth(v.visitDate)) count(v.clientStatus, v.personId, v.services);
  // A relative is one person per prisoner and name: the record holds no id of the relative.
  for (const v of sources.care04)
    if (inMonth(v.visitDate))
      count('relative', `${v.personId}|${v.relative.firstName.trim()} ${v.relative.lastName.trim()}`, v.services);
  for (const g of CARE02_GROUPS) n.people[g] = seen[g].size;
  n.people.total = n.people.prisoner + n.people.released + n.people.relative;
  return n;
}

/** 16:30 Thai time (UTC+7) on the 1st of the month after `month`, as an ISO instant. */
export function care02Deadline(month: string): string {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`month must be YYYY-MM, got ${month}`);
  const next = Date.UTC(Number(m[1]), Number(m[2]), 1, 16 - 7, 30);
  return new Date(next).toISOString();
}

/** Every box of the form as `path → number`, in form order (for diffs, exports and display). */
export function care02Boxes(n: Care02Numbers): Array<[string, number]> {
  const boxes: Array<[string, number]> = [['interviews', n.interviews]];
  for (const g of [...CARE02_GROUPS, 'total'] as const) boxes.push([`visits.${g}`, n.visits[g]]);
  for (const g of [...CARE02_GROUPS, 'total'] as const) boxes.push([`people.${g}`, n.people[g]]);
  for (const k of SERVICE_KINDS.values)
    for (const g of [...CARE02_GROUPS, 'total'] as const) boxes.push([`services.${k}.${g}`, n.services[k][g]]);
  return boxes;
}

/** What a re-submission changed: each box whose number differs, with both numbers. */
export function care02Changes(before: Care02Numbers, after: Care02Numbers): Array<{ box: string; from: number; to: number }> {
  const old = new Map(care02Boxes(before));
  return care02Boxes(after).flatMap(([box, to]) => (old.get(box) !== to ? [{ box, from: old.get(box) ?? 0, to }] : []));
}

/** A box path in Thai and English, e.g. `services.medical.relative` → การรักษาพยาบาล · ญาติ. */
export function care02BoxLabel(box: string): { th: string; en: string } {
  const [section, a, b] = box.split('.');
  if (section === 'interviews') return { th: 'สัมภาษณ์ CARE 01', en: 'CARE 01 interviews' };
  const group = (g: string) => CARE02_GROUP_LABELS[g as Care02Group | 'total'];
  if (section === 'visits') return { th: `จำนวนครั้งที่มารับบริการ · ${group(a).th}`, en: `Visits · ${group(a).en}` };
  if (section === 'people') return { th: `จำนวนผู้มารับบริการ (คน) · ${group(a).th}`, en: `People served · ${group(a).en}` };
  const kind = SERVICE_KINDS.list.find((o) => o.value === a);
  return { th: `${kind?.th ?? a} · ${group(b).th}`, en: `${kind?.en ?? a} · ${group(b).en}` };
}
