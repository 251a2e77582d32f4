import { describe, expect, it } from 'vitest';
import { openReturns, reviewQueue, reviewSchema, type ReviewableRecord } from './review.ts';

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rec = (n: number, rev: string, updatedAt: string): ReviewableRecord => ({
  _id: `followup:${U(n)}`,
  _rev: rev,
  type: 'followup',
  updatedAt
});
const review = (n: number, target: number, targetRev: string, at: string, state: 'reviewed' | 'returned' = 'reviewed') => ({
  _id: `review:${U(n)}`,
  targetId: `followup:${U(target)}`,
  targetRev,
  at,
  state
});

describe('review queue (issue 12: records created or changed since the supervisor last reviewed)', () => {
  it('lists never-reviewed and changed records, oldest change first, and leaves out records reviewed at their current revision', () => {
    const records = [
      rec(1, '1-a', '2026-01-03T00:00:00Z'),
      rec(2, '2-b', '2026-01-02T00:00:00Z'),
      rec(3, '1-c', '2026-01-01T00:00:00Z')
    ];
    const reviews = [review(10, 1, '1-a', '2026-01-04T00:00:00Z'), review(11, 2, '1-b', '2026-01-01T12:00:00Z')];
    const queue = reviewQueue(records, reviews);
    expect(queue.map((q) => q.record._id)).toEqual([`followup:${U(3)}`, `followup:${U(2)}`]);
    expect(queue[1].lastReview?._id).toBe(`review:${U(11)}`);
    expect(queue[0].lastReview).toBeNull();
  });

  it('the newest review counts: reviewed after an earlier send-back takes the record out of the queue', () => {
    const records = [rec(1, '2-a', '2026-01-03T00:00:00Z')];
    const reviews = [review(10, 1, '1-a', '2026-01-01T00:00:00Z', 'returned'), review(11, 1, '2-a', '2026-01-05T00:00:00Z')];
    expect(reviewQueue(records, reviews)).toEqual([]);
  });

  it('a send-back stays open on the tablet until the officer saves a new revision', () => {
    const reviews = [review(10, 1, '1-a', '2026-01-01T00:00:00Z', 'returned')];
    expect(openReturns(reviews, () => '1-a')).toHaveLength(1);
    expect(openReturns(reviews, () => '2-x')).toHaveLength(0);
  });

  it('ส่งกลับต้องมีความเห็น: a record sent back needs a comment, naming the field', () => {
    const doc = {
      _id: `review:${U(1)}`,
      type: 'review',
      unitId: 'alpha-prison',
      schemaVersion: 1,
      targetId: `care01:${U(2)}`,
      targetRev: '1-abc',
      state: 'returned',
      comment: '  ',
      reviewedBy: 'supervisor',
      at: '2026-01-01T00:00:00.000Z'
    };
    const bad = reviewSchema.safeParse(doc);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['comment']);
    expect(reviewSchema.safeParse({ ...doc, comment: 'แก้ที่อยู่' }).success).toBe(true);
    expect(reviewSchema.safeParse({ ...doc, targetId: `person:${U(2)}`, comment: 'x' }).success).toBe(false);
  });
});
