/**
 * A supervisor's review of a unit's records: which records wait for review (created or changed
 * since the last review of them), and the `review` document the server writes when a supervisor
 * marks a record reviewed or sends it back with a comment the officer sees on the tablet.
 *
 * Review documents are written only by the sync-server on a supervisor's request, never through
 * replication: the type is deliberately not in validate-doc.ts SCHEMAS, so a pushed `review`
 * is refused as an unknown type and no tablet can forge or overwrite a supervisor's decision.
 * Each decision is a new document (history kept); the newest one per record counts.
 */
import { z } from 'zod';
import { isoDateTime, SCHEMA_VERSION, UNIT_ID, username, UUID } from './schemas.ts';

/** The records a supervisor reviews (issue: CARE 01, follow-ups, CARE 03/04, non-compliance). */
export const REVIEWABLE_TYPES = ['care01', 'followup', 'care03', 'care04', 'noncompliance'] as const;
export type ReviewableType = (typeof REVIEWABLE_TYPES)[number];

export const REVIEWABLE_LABELS: Record<ReviewableType, { th: string; en: string }> = {
  care01: { th: 'แบบสัมภาษณ์ CARE 01', en: 'CARE 01 interview' },
  followup: { th: 'รายงานการติดตาม', en: 'Follow-up report' },
  care03: { th: 'CARE 03 ผู้ต้องขัง/ผู้พ้นโทษ', en: 'CARE 03 visit' },
  care04: { th: 'CARE 04 ญาติ', en: 'CARE 04 relative visit' },
  noncompliance: { th: 'การไม่ปฏิบัติตามเงื่อนไข', en: 'Non-compliance' }
};

export const REVIEW_STATES = ['reviewed', 'returned'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_ID = new RegExp(`^review:${UUID}$`);
const TARGET_ID = new RegExp(`^(${REVIEWABLE_TYPES.join('|')}):${UUID}$`);
export const MAX_REVIEW_COMMENT = 1000;

export const isReviewableId = (id: string): boolean => TARGET_ID.test(id);

export const reviewSchema = z
  .strictObject({
    _id: z.string().regex(REVIEW_ID),
    _rev: z
      .string()
      .regex(/^\d+-[0-9a-f]{1,64}$/)
      .optional(),
    type: z.literal('review'),
    unitId: z.string().regex(UNIT_ID),
    schemaVersion: z.literal(SCHEMA_VERSION),
    targetId: z.string().regex(TARGET_ID, { message: 'targetId: ระเบียนที่ตรวจไม่ได้ / targetId: not a reviewable record' }),
    targetRev: z.string().regex(/^\d+-[0-9a-f]{1,64}$/, { message: 'targetRev: ไม่ใช่รุ่นของระเบียน / targetRev: not a revision' }),
    /** The person the record is about, so the tablet's person page finds it without the record. */
    personId: z
      .string()
      .regex(new RegExp(`^person:${UUID}$`))
      .optional(),
    state: z.enum(REVIEW_STATES, { message: 'state: reviewed หรือ returned / state: reviewed or returned' }),
    comment: z
      .string()
      .trim()
      .max(MAX_REVIEW_COMMENT, {
        message: `comment: ยาวเกิน ${MAX_REVIEW_COMMENT} ตัวอักษร / comment: longer than ${MAX_REVIEW_COMMENT} characters`
      }),
    reviewedBy: username,
    at: isoDateTime
  })
  .refine((r) => r.state !== 'returned' || r.comment.length > 0, {
    message: 'comment: ส่งกลับต้องมีความเห็น / comment: a record sent back needs a comment',
    path: ['comment']
  });
export type ReviewDoc = z.infer<typeof reviewSchema>;

/** What the queue needs of a record. */
export interface ReviewableRecord {
  _id: string;
  _rev: string;
  type: ReviewableType;
  personId?: string;
  updatedAt?: string;
  updatedBy?: string;
}

/** The newest review of each record (by `at`, then id, so every reader picks the same one). */
export function latestReviews(reviews: Iterable<Pick<ReviewDoc, '_id' | 'targetId' | 'at'>>) {
  const latest = new Map<string, Pick<ReviewDoc, '_id' | 'targetId' | 'at'>>();
  for (const r of reviews) {
    const had = latest.get(r.targetId);
    if (!had || r.at > had.at || (r.at === had.at && r._id > had._id)) latest.set(r.targetId, r);
  }
  return latest;
}

export interface QueueEntry<R extends ReviewableRecord, V> {
  record: R;
  /** The last review of an older revision (e.g. sent back, then corrected), if any. */
  lastReview: V | null;
}

/**
 * Records waiting for review: never reviewed, or changed since (their current revision is not the
 * one the newest review saw). A record sent back leaves the queue until the officer saves a
 * correction; the new revision then brings it back, with the send-back shown beside it.
 */
export function reviewQueue<R extends ReviewableRecord, V extends Pick<ReviewDoc, '_id' | 'targetId' | 'targetRev' | 'at'>>(
  records: Iterable<R>,
  reviews: Iterable<V>
): Array<QueueEntry<R, V>> {
  const latest = latestReviews(reviews) as Map<string, V>;
  const queue: Array<QueueEntry<R, V>> = [];
  for (const record of records) {
    const last = latest.get(record._id) ?? null;
    if (last && last.targetRev === record._rev) continue;
    queue.push({ record, lastReview: last });
  }
  // Oldest change first: the supervisor works through the backlog in the order it arrived.
  return queue.sort(
    (a, b) => (a.record.updatedAt ?? '').localeCompare(b.record.updatedAt ?? '') || a.record._id.localeCompare(b.record._id)
  );
}

/** The comments a person's records were sent back with and not yet answered by a new revision. */
export function openReturns<V extends Pick<ReviewDoc, '_id' | 'targetId' | 'targetRev' | 'at' | 'state'>>(
  reviews: Iterable<V>,
  currentRev: (targetId: string) => string | undefined
): V[] {
  return [...(latestReviews(reviews) as Map<string, V>).values()].filter(
    (r) => r.state === 'returned' && currentRev(r.targetId) === r.targetRev
  );
}
