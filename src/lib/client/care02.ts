/**
 * CARE 02 from the sync-server (online): a prison CARE centre's month derived from its records,
 * the submissions so far, and submitting (a correction carries its reason).
 */
import { jsonRequest as request } from './json-request.ts';
import type { Care02Numbers, Care02Submission } from '../domain/care02.ts';

export type { Care02Submission };

export interface Care02Month {
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
