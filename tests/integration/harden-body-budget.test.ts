/**
 * Issue 9 (found by bench step 6): big bodies sent back to back, each refused, still kept the
 * server's thread busy parsing them. A per-account budget of body bytes per minute
 * (sync/body-budget.ts) answers 429 before the body is read once it is spent. The bucket itself
 * here; its effect over HTTP is measured by bench step 6.
 */
import { describe, expect, it } from 'vitest';
import { BodyBudget } from '../../sync-server/sync/body-budget.ts';

describe('per-account body byte budget', () => {
  it('pays bodies from a full bucket, then asks to wait, and refills at the per-minute rate', () => {
    const budget = new BodyBudget(60_000); // 60 kB per minute = 1 byte per ms
    expect(budget.take('officer.a', 50_000, 0)).toBe(0);
    expect(budget.take('officer.a', 20_000, 0)).toBe(10); // 10 kB short: 10 s
    expect(budget.take('officer.b', 20_000, 0)).toBe(0); // another account has its own bucket
    expect(budget.take('officer.a', 20_000, 10_000)).toBe(0);
    const big = new BodyBudget(60_000);
    expect(big.take('x', 1_000_000, 0)).toBe(0); // larger than the bucket: costs all of it, once
    expect(big.take('x', 1_000_000, 0)).toBe(60); // and then a full refill
  });
});
