/**
 * CARE 02 from the sync-server (online): a prison CARE centre's month derived from its records,
 * the submissions so far, and submitting (a correction carries its reason).
 */
import { jsonRequest as request } from './json-request.ts';
import type { Care02Numbers, Care02Submission } from '../domain/care02.ts';
import type { ReadAsOf } from './review.ts';

export type { Care02Submission };

export interface Care02Month extends ReadAsOf {
  unitId: string;
  name: { th: string; en: string };
  month: string;
  deadline: string;
  derived: Care02Numbers;
  /** The fingerprint of `derived`: a submission says which numbers it saw. */
  basis: string;
  submissions: Care02Submission[];
  locked: boolean;
}

const path = (unit: string, month: string) => `/api/care02/${encodeURIComponent(unit)}/${encodeURIComponent(month)}`;

export const care02Month = (unit: string, month: string) => request<Care02Month>('GET', path(unit, month));

export const submitCare02 = (unit: string, month: string, basis: string, why?: string) =>
  request<Care02Submission>('POST', path(unit, month), why ? { basis, why } : { basis });

/** The CARE 03 or CARE 04 workbook of the months `from`..`to` (one row per visit). */
export const careVisitsExportUrl = (
  unit: string,
  report: 'care03' | 'care04',
  from: string,
  to: string,
  format: 'xlsx' | 'csv'
) =>
  `/api/care-visits/${encodeURIComponent(unit)}/${encodeURIComponent(from)}/export?${new URLSearchParams({
    report,
    format,
    ...(to !== from && { to })
  })}`;
