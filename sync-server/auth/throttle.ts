/**
 * Failed-login throttling: a sliding window of failure times per user name and per client
 * address. In memory on purpose (the one piece of server state): it only has to slow down
 * guessing, and a restart that forgets it costs an attacker nothing they could not get by
 * waiting. With several instances each keeps its own count, which still bounds guessing.
 */

export interface ThrottleLimits {
  perUsername: { max: number; windowMs: number };
  perIp: { max: number; windowMs: number };
}

export const DEFAULT_THROTTLE: ThrottleLimits = {
  perUsername: { max: 5, windowMs: 15 * 60_000 },
  perIp: { max: 20, windowMs: 15 * 60_000 }
};

/** Forget the oldest keys beyond this, so a spray of user names cannot exhaust memory. */
const MAX_KEYS = 50_000;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

class SlidingWindow {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number
  ) {}

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Seconds until the next attempt may be made, or 0 when one may be made now. */
  waitSeconds(key: string, now: number): number {
    const times = this.recent(key, now);
    if (times.length < this.max) return 0;
    // The window frees a slot when the oldest of the last `max` failures leaves it.
    const oldest = times[times.length - this.max];
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  record(key: string, now: number): void {
    const times = this.recent(key, now);
    times.push(now);
    this.failures.delete(key); // re-insert: Map order is then least recently failed first
    this.failures.set(key, times.slice(-this.max));
    if (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}

export class LoginThrottle {
  private readonly byUsername: SlidingWindow;
  private readonly byIp: SlidingWindow;
  private readonly now: () => number;

  constructor(limits: ThrottleLimits = DEFAULT_THROTTLE, now: () => number = Date.now) {
    this.byUsername = new SlidingWindow(limits.perUsername.max, limits.perUsername.windowMs);
    this.byIp = new SlidingWindow(limits.perIp.max, limits.perIp.windowMs);
    this.now = now;
  }

  check(username: string, ip: string): ThrottleDecision {
    const now = this.now();
    const wait = Math.max(this.byUsername.waitSeconds(username, now), this.byIp.waitSeconds(ip, now));
    return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
  }

  recordFailure(username: string, ip: string): void {
    const now = this.now();
    this.byUsername.record(username, now);
    this.byIp.record(ip, now);
  }

  /** After a successful login. The address keeps its count: one good account does not clear a spray. */
  recordSuccess(username: string): void {
    this.byUsername.reset(username);
  }
}

export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอประมาณ ${minutes} นาทีแล้วลองใหม่ / Too many failed sign-in attempts: try again in about ${minutes} minute(s).`;
}
