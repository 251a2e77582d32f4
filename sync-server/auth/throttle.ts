/**
 * Sign-in throttling: how many password checks an account, a device and a client address get.
 *
 * - Reserve before hashing. An attempt is counted as a failure the moment it is let through,
 *   before scrypt runs, and refunded if the password was right. JavaScript runs `reserve` to
 *   the end before any other request's, so 300 guesses sent at once get `freeFailures` checks
 *   between them and the rest are refused without hashing.
 * - Exponential backoff per account instead of a fixed lock-out: after `freeFailures` failures
 *   each further attempt waits base × 2^(failures − free), capped. A stranger can slow an
 *   account's sign-ins from unknown devices, but:
 * - A device that signed in successfully to this account before (its X-Device-Id is on the
 *   account's device record, devices.ts) has its own counter with a smaller base and cap, and
 *   skips the per-address limit: the owner's tablet still signs in while strangers are locked
 *   out, and an attacker cannot use it without knowing that device's random id.
 * - Per client address (resolved through TRUSTED_PROXIES: the right-most address not of a
 *   trusted proxy, so a forged X-Forwarded-For neither evades it nor blames someone else),
 *   a sliding window bounds a spray across many accounts.
 *
 * In memory, per process, on purpose: it only has to slow guessing, and a restart that forgets
 * it gives an attacker nothing waiting would not. With several instances behind a balancer
 * each keeps its own counts, so an attacker gets at most (instances × free) checks per backoff
 * step; the backoff still grows on every instance (docs in sync-server/README.md).
 */

export interface BackoffRule {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The first wait; doubles with each further failure. */
  baseMs: number;
  maxMs: number;
}

export interface ThrottleLimits {
  /** Attempts from devices not known to the account. */
  perAccount: BackoffRule;
  /** Attempts from a device that signed in to the account before. */
  perKnownDevice: BackoffRule;
  perIp: { max: number; windowMs: number };
  /** Failures are forgotten this long after the last one. */
  forgetAfterMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = {
  perAccount: { freeFailures: 5, baseMs: 30_000, maxMs: 15 * 60_000 },
  perKnownDevice: { freeFailures: 5, baseMs: 5_000, maxMs: 2 * 60_000 },
  perIp: { max: 30, windowMs: 15 * 60_000 },
  forgetAfterMs: 24 * 60 * 60_000
};

/** Forget the oldest keys beyond this, so a spray of user names cannot exhaust memory. */
const MAX_KEYS = 50_000;

export type Reservation = { allowed: true; ticket: Ticket } | { allowed: false; retryAfterSeconds: number };

export interface Ticket {
  account: string;
  accountKey: string;
  ip: string | null;
  ipTime: number | null;
}

interface Backoff {
  failures: number;
  lastAt: number;
}

/** Keys kept in least-recently-touched order, dropped from the front beyond MAX_KEYS. */
class BoundedMap<V> extends Map<string, V> {
  touch(key: string, value: V): void {
    this.delete(key);
    this.set(key, value);
    if (this.size > MAX_KEYS) this.delete(this.keys().next().value as string);
  }
}

export class LoginThrottle {
  private readonly backoffs = new BoundedMap<Backoff>();
  private readonly ipFailures = new BoundedMap<number[]>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now
  ) {}

  private waitMs(key: string, rule: BackoffRule, now: number): number {
    const state = this.backoffs.get(key);
    if (!state) return 0;
    if (now - state.lastAt > this.limits.forgetAfterMs) {
      this.backoffs.delete(key);
      return 0;
    }
    if (state.failures < rule.freeFailures) return 0;
    const delay = Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(30, state.failures - rule.freeFailures));
    return Math.max(0, state.lastAt + delay - now);
  }

  private recentIp(ip: string, now: number): number[] {
    const times = (this.ipFailures.get(ip) ?? []).filter((t) => t > now - this.limits.perIp.windowMs);
    if (times.length === 0) this.ipFailures.delete(ip);
    return times;
  }

  /**
   * Lets one password check through, counting it as a failure until `succeeded` refunds it, or
   * refuses with the seconds to wait. `knownDevice`: the device id when it signed in to this
   * account before.
   */
  reserve(account: string, ip: string, knownDevice: string | null = null): Reservation {
    const now = this.now();
    const rule = knownDevice ? this.limits.perKnownDevice : this.limits.perAccount;
    const accountKey = knownDevice ? `device:${account}:${knownDevice}` : `account:${account}`;
    let wait = this.waitMs(accountKey, rule, now);
    const ipTimes = knownDevice ? [] : this.recentIp(ip, now);
    if (!knownDevice && ipTimes.length >= this.limits.perIp.max)
      wait = Math.max(wait, ipTimes[ipTimes.length - this.limits.perIp.max] + this.limits.perIp.windowMs - now);
    if (wait > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    const state = this.backoffs.get(accountKey) ?? { failures: 0, lastAt: now };
    this.backoffs.touch(accountKey, { failures: state.failures + 1, lastAt: now });
    if (!knownDevice) this.ipFailures.touch(ip, [...ipTimes, now].slice(-this.limits.perIp.max));
    return { allowed: true, ticket: { account, accountKey, ip: knownDevice ? null : ip, ipTime: knownDevice ? null : now } };
  }

  /** The password was right: that path's failures are cleared and the address gets its attempt back. */
  succeeded(ticket: Ticket): void {
    this.backoffs.delete(ticket.accountKey);
    if (ticket.ip === null) return;
    const times = this.ipFailures.get(ticket.ip);
    const index = times?.lastIndexOf(ticket.ipTime!) ?? -1;
    if (times && index >= 0) times.splice(index, 1);
  }

  /** The check never ran (the hash queue was full): the attempt is given back. */
  cancel(ticket: Ticket): void {
    const state = this.backoffs.get(ticket.accountKey);
    if (state && state.failures > 1) state.failures--;
    else this.backoffs.delete(ticket.accountKey);
    if (ticket.ip === null) return;
    const times = this.ipFailures.get(ticket.ip);
    const index = times?.lastIndexOf(ticket.ipTime!) ?? -1;
    if (times && index >= 0) times.splice(index, 1);
  }

  /** True when the failure just counted made the next attempt wait (audited as a lock-out). */
  startedWaiting(ticket: Ticket): boolean {
    const rule = ticket.accountKey.startsWith('device:') ? this.limits.perKnownDevice : this.limits.perAccount;
    return (this.backoffs.get(ticket.accountKey)?.failures ?? 0) === rule.freeFailures;
  }

  /** An administrator's unlock: every counter of the account, from any device. */
  unlock(account: string): void {
    for (const key of [...this.backoffs.keys()])
      if (key === `account:${account}` || key.startsWith(`device:${account}:`)) this.backoffs.delete(key);
  }

  /** Seconds a stranger would wait to try this account now (admin screens). */
  lockedForSeconds(account: string): number {
    return Math.ceil(this.waitMs(`account:${account}`, this.limits.perAccount, this.now()) / 1000);
  }
}

export function throttledMessage(retryAfterSeconds: number): string {
  if (retryAfterSeconds < 60)
    return `เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ ${retryAfterSeconds} วินาทีแล้วลองใหม่ / Too many sign-in attempts: try again in ${retryAfterSeconds} second(s).`;
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอประมาณ ${minutes} นาทีแล้วลองใหม่ / Too many sign-in attempts: try again in about ${minutes} minute(s).`;
}
