/**
 * At most N requests of one key (an account, or a client address before sign-in) run at once;
 * the next ones wait in a bounded queue for a bounded time, and beyond that are answered at once
 * with 503 and Retry-After (issue 9: one account sending hundreds of heavy requests in parallel
 * must not take every turn of the single JavaScript thread from everybody else's tablets).
 *
 * Waiting happens before the request's body is read, so a queued request costs a socket and a
 * few hundred bytes, not its body. Per process: each instance bounds what reaches it
 * (docs/scaling.md).
 */
import type { EventEmitter } from 'node:events';
import type { FastifyReply } from 'fastify';

export interface ConcurrencyLimits {
  /** Requests of one key running at once. */
  running: number;
  /** Requests of one key waiting for a turn; more are refused at once. */
  queued: number;
  /** Longest wait for a turn before the request is refused. */
  waitMs: number;
}

/** The request's connection (its ServerResponse): listened to for the client leaving. */
export type Connection = Pick<EventEmitter, 'once' | 'off'> & { readonly closed?: boolean; readonly destroyed?: boolean };

/** A turn's end: call once the answer is sent (or the client went away); calling again does nothing. */
export type Release = () => void;

interface Waiter {
  grant: () => void;
}

export class KeyedConcurrency {
  private readonly running = new Map<string, number>();
  private readonly queues = new Map<string, Waiter[]>();

  constructor(readonly limits: ConcurrencyLimits) {}

  /**
   * A turn for `key`: at once when fewer than `running` are in flight, else after waiting in
   * line; null when the line is full, the wait ran out or `connection` closed meanwhile (the
   * client left). The connection is listened to only while waiting: the usual case, a free turn,
   * costs a counter and no listener or abort signal.
   */
  acquire(key: string, connection?: Connection): Promise<Release | null> {
    // Gone already (the client left while the request was being authenticated, store reads on
    // CouchDB): its 'close' is past, so a listener added now would never run, and a turn given
    // now would never come back. Found by the proxy fault test on CouchDB: 8 such turns and the
    // account waited 30 s for every request after.
    if (connection?.closed || connection?.destroyed) return Promise.resolve(null);
    if ((this.running.get(key) ?? 0) < this.limits.running) return Promise.resolve(this.start(key));
    const queue = this.queues.get(key) ?? [];
    if (queue.length >= this.limits.queued) return Promise.resolve(null);
    this.queues.set(key, queue);
    return new Promise((resolve) => {
      const leave = () => {
        clearTimeout(timer);
        connection?.off('close', onGone);
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        if (queue.length === 0 && this.queues.get(key) === queue) this.queues.delete(key);
      };
      const onGone = () => {
        leave();
        resolve(null);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve(this.start(key));
        }
      };
      const timer = setTimeout(onGone, this.limits.waitMs);
      connection?.once('close', onGone);
      queue.push(waiter);
    });
  }

  /**
   * For a route's onRequest hook: takes a turn for `key` before the body is read and gives it
   * back when the exchange ends; false (nothing taken) when there is none.
   */
  async takeTurn(key: string, reply: FastifyReply): Promise<boolean> {
    const release = await this.acquire(key, reply.raw);
    if (!release) return false;
    reply.raw.once('close', release);
    return true;
  }

  /** Requests of `key` running now and waiting now (for tests and diagnostics). */
  load(key: string): { running: number; queued: number } {
    return { running: this.running.get(key) ?? 0, queued: this.queues.get(key)?.length ?? 0 };
  }

  private start(key: string): Release {
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
      // The turn passes to the first in line, which counts itself in again.
      this.queues.get(key)?.[0]?.grant();
    };
  }
}
