/**
 * The CARE 03 and CARE 04 workbooks of a prison CARE centre (the CARE reports table of the CARE
 * manual: "Export ข้อมูลเป็นไฟล์ xlsx … และส่งอีเมล์ก่อนวันที่ 5 ของเดือนถัดไป"): one row per
 * visit of the chosen month(s), in the order of the visits, as .xlsx (streamed) or CSV with a BOM.
 *
 * The manual names the lists — "แบบสรุปบัญชีรายชื่อผู้เข้ารับบริการในศูนย์ประสานงานและส่งเสริม
 * การมีงานทำ (CARE 03 / CARE 04)" — and shows the forms only as pictures; the columns below are
 * what its record screens ask (who, the date, the services, the result, the officer), worded as
 * the form asks them, and stay provisional like CARE 02 until the official workbook is supplied.
 * Dates are Buddhist Era (d/m/yyyy). Rows come from the unit's reporting projection.
 */
import { z } from 'zod';
import { MONTH } from '../../src/lib/domain/care02.ts';
import { BE_OFFSET } from '../../src/lib/domain/dates.ts';
import { RELATIONSHIPS, TITLES } from '../../src/lib/domain/options.ts';
import { CLIENT_STATUSES, SERVICE_KINDS } from '../../src/lib/domain/services/care-visits.ts';
import type { ExportColumn, ExportTable } from './export.ts';
import type { PersonLabel } from './projection.ts';
import type { VisitEntry } from './review-index.ts';

export const CARE_VISIT_REPORTS = ['care03', 'care04'] as const;
export type CareVisitReport = (typeof CARE_VISIT_REPORTS)[number];

/** The longest span one workbook covers: a year of months. */
export const MAX_EXPORT_MONTHS = 12;

export const CARE_VISIT_TITLES: Record<CareVisitReport, { th: string; en: string }> = {
  care03: {
    th: 'CARE 03 แบบสรุปบัญชีรายชื่อผู้เข้ารับบริการในศูนย์ประสานงานและส่งเสริมการมีงานทำ (ผู้ต้องขัง/ผู้พ้นโทษ)',
    en: 'CARE 03 list of prisoners and released people who used the CARE centre'
  },
  care04: {
    th: 'CARE 04 แบบสรุปบัญชีรายชื่อผู้เข้ารับบริการในศูนย์ประสานงานและส่งเสริมการมีงานทำ (ญาติ)',
    en: 'CARE 04 list of relatives who used the CARE centre'
  }
};

const SERVICES_COLUMN: ExportColumn = { key: 'services', th: 'บริการที่ได้รับ', en: 'Services', width: 50 };
const RESULT_COLUMN: ExportColumn = { key: 'result', th: 'ผลการให้บริการ', en: 'Result', width: 50 };
const OFFICER_COLUMN: ExportColumn = { key: 'servedBy', th: 'เจ้าหน้าที่ผู้ให้บริการ', en: 'Served by', width: 24 };

export const CARE_VISIT_COLUMNS: Record<CareVisitReport, readonly ExportColumn[]> = {
  care03: [
    { key: 'no', th: 'ลำดับ', en: 'No.', width: 7 },
    { key: 'visitDate', th: 'วันที่มารับบริการ', en: 'Visit date (BE)', width: 14 },
    { key: 'prisonerId', th: 'เลขประจำตัวผู้ต้องขัง', en: 'Prisoner ID', width: 16 },
    { key: 'name', th: 'ชื่อ – นามสกุล', en: 'Name', width: 30 },
    { key: 'status', th: 'สถานะ (ผู้ต้องขัง/ผู้พ้นโทษ)', en: 'Prisoner / released', width: 14 },
    SERVICES_COLUMN,
    RESULT_COLUMN,
    OFFICER_COLUMN
  ],
  care04: [
    { key: 'no', th: 'ลำดับ', en: 'No.', width: 7 },
    { key: 'visitDate', th: 'วันที่มารับบริการ', en: 'Visit date (BE)', width: 14 },
    { key: 'relativeName', th: 'ชื่อ – นามสกุล ญาติ', en: "Relative's name", width: 30 },
    { key: 'relationship', th: 'ความสัมพันธ์กับผู้ต้องขัง', en: 'Relationship', width: 16 },
    { key: 'phone', th: 'หมายเลขโทรศัพท์', en: 'Phone', width: 14 },
    { key: 'prisonerId', th: 'เลขประจำตัวผู้ต้องขัง', en: 'Prisoner ID', width: 16 },
    { key: 'name', th: 'ชื่อ – นามสกุล ผู้ต้องขัง', en: "Prisoner's name", width: 30 },
    SERVICES_COLUMN,
    RESULT_COLUMN,
    OFFICER_COLUMN
  ]
};

const monthField = (field: string) =>
  z.string({ message: `${field}: เดือนแบบ YYYY-MM / ${field}: a month as YYYY-MM` }).regex(MONTH, {
    message: `${field}: เดือนแบบ YYYY-MM / ${field}: a month as YYYY-MM`
  });

export const careVisitExportQuery = z.strictObject({
  report: z.enum(CARE_VISIT_REPORTS, { message: 'report: care03 หรือ care04 / report: care03 or care04' }),
  format: z.enum(['xlsx', 'csv'], { message: 'format: xlsx หรือ csv / format: xlsx or csv' }).default('xlsx'),
  /** The last month of the span (default: the month in the URL). */
  to: monthField('to').optional()
});

/** The first and last day of the months `from`..`to`; an error naming `to` when the span is wrong. */
export function exportSpan(from: string, to = from): { first: string; last: string } | { error: string } {
  const months = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const span = months(to) - months(from) + 1;
  if (span < 1) return { error: 'to: ต้องไม่ก่อนเดือนเริ่มต้น / to: must not be before the first month' };
  if (span > MAX_EXPORT_MONTHS)
    return {
      error: `to: ไม่เกิน ${MAX_EXPORT_MONTHS} เดือนต่อไฟล์ / to: at most ${MAX_EXPORT_MONTHS} months per file`
    };
  const [y, m] = to.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${from}-01`, last: `${to}-${String(lastDay).padStart(2, '0')}` };
}

/** 2026-11-05 → 5/11/2569 (Buddhist Era, as Thai workbooks write dates). */
export function beDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}/${m}/${y + BE_OFFSET}`;
}

const services = (v: VisitEntry) =>
  v.services
    .map((s) =>
      s === 'other' && v.serviceOther ? `${SERVICE_KINDS.label(s, 'th')} (${v.serviceOther})` : SERVICE_KINDS.label(s, 'th')
    )
    .join(', ');

const fullName = (label: PersonLabel | undefined) => (label ? `${label.title}${label.name}` : '');

/** The workbook of one report: its title line, columns and one row per visit, numbered from 1. */
export function careVisitTable(
  report: CareVisitReport,
  visits: readonly VisitEntry[],
  label: (personId: string) => PersonLabel | undefined,
  heading: string
): ExportTable {
  const rows = (function* () {
    let no = 0;
    for (const v of visits) {
      const person = label(v.personId);
      const common = {
        no: ++no,
        visitDate: beDate(v.visitDate),
        prisonerId: person?.prisonerId ?? '',
        name: fullName(person),
        services: services(v),
        result: v.result,
        servedBy: v.servedByName ?? v.servedBy
      };
      if (report === 'care03') yield { ...common, status: CLIENT_STATUSES.label(v.clientStatus, 'th') };
      else {
        const r = v.relative;
        yield {
          ...common,
          relativeName: r
            ? `${r.title && r.title !== 'other' ? TITLES.label(r.title, 'th') : ''}${r.firstName} ${r.lastName}`
            : '',
          relationship: r
            ? r.relationship === 'other' && r.relationshipOther
              ? r.relationshipOther
              : RELATIONSHIPS.label(r.relationship, 'th')
            : '',
          phone: r?.phone ?? ''
        };
      }
    }
  })();
  return { sheetName: report.toUpperCase(), title: heading, columns: CARE_VISIT_COLUMNS[report], rows };
}
