/**
 * A per-account budget of refused documents on the replication write endpoints (issue 9: a
 * read-write account sending batch after batch of forged documents, all refused, made the
 * server screen every batch, and honest tablets' syncs slowed threefold to eightfold).
 *
 * A token bucket per account holding LIMITS.refusedDocsBurst and refilling at
 * LIMITS.refusedDocsPerMinute: the rate bounds what screening refusals cost over time, the small
 * size bounds the burst (a flood's first batches are screened back to back). Each write pays, after screening, one token per document screening refused; the bucket may go
 * into debt by one batch at most, because a write is let in only while the bucket is above zero.
 * An account in debt gets 429 with Retry-After before its body is read or screened. A tablet's
 * refused documents are rare (a stale form version, a record it may no longer edit): it never
 * comes near the budget.
 */
import { LIMITS } from '../config.ts';

interface Bucket {
  tokens: number;
  at: number;
}

export class RefusalBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perMinute: number = LIMITS.refusedDocsPerMinute,
    private readonly burst: number = LIMITS.refusedDocsBurst
  ) {}

  private refilled(account: string, now: number): Bucket | undefined {
    const bucket = this.buckets.get(account);
    if (!bucket) return undefined;
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    // A full bucket is the same as none: forget it, so the map holds only recent refusers.
    if (bucket.tokens >= this.burst) {
      this.buckets.delete(account);
      return undefined;
    }
    return bucket;
  }

  /** 0 if the account may write now, else the seconds until its bucket is above zero again. */
  wait(account: string, now = Date.now()): number {
    const bucket = this.refilled(account, now);
    if (!bucket || bucket.tokens > 0) return 0;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute));
  }

  /** Charges the documents screening refused in one write. */
  charge(account: string, refused: number, now = Date.now()): void {
    if (refused <= 0) return;
    const bucket = this.refilled(account, now) ?? { tokens: this.burst, at: now };
    bucket.tokens -= refused;
    this.buckets.set(account, bucket);
  }
}
