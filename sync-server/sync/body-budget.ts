/**
 * A per-account budget of request body bytes on the replication endpoints (issue 9: an officer
 * posting 18 MB bodies back to back kept the single JavaScript thread busy parsing them, and
 * honest tablets' syncs slowed tenfold — the bodies were refused, but only after parsing).
 *
 * A token bucket per account: it holds LIMITS.bodyBytesPerMinute and refills at that rate. A
 * request's declared Content-Length (or the body limit, when it declares none) is taken from it
 * before the body is read; when the bucket cannot pay, the answer is 429 with Retry-After and
 * the body is never parsed. A tablet's ordinary sync sends kilobytes; a first push of a large
 * backlog pays its way at the refill rate and PouchDB retries after the 429.
 */
import { LIMITS } from '../config.ts';

interface Bucket {
  bytes: number;
  at: number;
}

export class BodyBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly perMinute: number = LIMITS.bodyBytesPerMinute) {}

  /** Takes `bytes` from the account's bucket; 0 if paid, else the seconds until it could be. */
  take(account: string, bytes: number, now = Date.now()): number {
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(account) ?? { bytes: this.perMinute, at: now };
    bucket.bytes = Math.min(this.perMinute, bucket.bytes + (now - bucket.at) * rate);
    bucket.at = now;
    // Forget full buckets now and then, so the map holds only accounts active in the last minute.
    if (this.buckets.size > 10_000) for (const [name, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(name);
    // A body larger than a whole minute's budget costs the whole budget, or it could never pass.
    const cost = Math.min(bytes, this.perMinute);
    if (cost > bucket.bytes) {
      this.buckets.set(account, bucket);
      return Math.max(1, Math.ceil((cost - bucket.bytes) / rate / 1000));
    }
    bucket.bytes -= cost;
    this.buckets.set(account, bucket);
    return 0;
  }
}
