/**
 * The supervisor's review queue, read from the sync-server (online, desktop): the records of each
 * unit in scope that wait for review, one record read-only, and the decision (reviewed, or sent
 * back with a comment). The server writes the decision into the unit, so it reaches the tablets.
 */
import { jsonRequest as request } from './json-request.ts';
import type { BilingualText } from '../domain/supervision.ts';
import type { ReviewableType, ReviewState } from '../domain/review.ts';

export interface PastReview {
  state: ReviewState;
  comment: string;
  reviewedBy: string;
  at: string;
  /** The record revision the review saw. */
  rev: string;
}

export interface QueueEntry {
  id: string;
  rev: string;
  type: ReviewableType;
  personId: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
  lastReview: PastReview | null;
}

/** As of when the server read the unit's records (its reporting projection). */
export interface ReadAsOf {
  projection: { caughtUpAt: string | null };
  /** The server could not read to the end in time: the answer is as of `caughtUpAt`. */
  stale: boolean;
}

export interface ReviewQueue {
  units: Array<{ unitId: string; name: BilingualText; total: number; entries: QueueEntry[] } & ReadAsOf>;
}

export interface ReviewRecord {
  unitId: string;
  record: Record<string, unknown> & { _id: string; _rev: string; type: ReviewableType };
  person: { _id: string; title?: string; titleOther?: string; firstName?: string; lastName?: string; prisonerId?: string } | null;
  reviews: PastReview[];
}

export const reviewQueue = (unit?: string) =>
  request<ReviewQueue>('GET', `/api/review/queue${unit ? `?unit=${encodeURIComponent(unit)}` : ''}`);

export const reviewRecord = (unit: string, id: string) =>
  request<ReviewRecord>('GET', `/api/review/${encodeURIComponent(unit)}/${encodeURIComponent(id)}`);

export const decide = (unit: string, id: string, decision: { rev: string; state: ReviewState; comment: string }) =>
  request<{ id: string; state: ReviewState }>(
    'POST',
    `/api/review/${encodeURIComponent(unit)}/${encodeURIComponent(id)}`,
    decision
  );
