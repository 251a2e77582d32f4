/**
 * Password hashing runs in its own small queue. scrypt runs on libuv's thread pool, the pool
 * the embedded store's disk reads and writes use too: 300 sign-in attempts at once used to fill
 * it, and other users' syncs waited 27 s. At most `concurrency` hashes run at a time (2 of the
 * default 4 threads), and at most `maxWaiting` wait; beyond that the attempt is refused at once
 * (QueueFull: answered 429 with a short Retry-After), so a flood costs the attacker, not the pool.
 */
import fastq from 'fastq';

export class QueueFull extends Error {
  constructor() {
    super('password checks queue is full');
  }
}

export interface HashQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Checks started since the server started (tests count them). */
  readonly started: number;
  readonly waiting: number;
}

export function createHashQueue(concurrency = 2, maxWaiting = 64): HashQueue {
  let started = 0;
  const queue = fastq.promise(async (work: () => Promise<unknown>) => {
    started++;
    return work();
  }, concurrency);
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      if (queue.length() >= maxWaiting) return Promise.reject(new QueueFull());
      return queue.push(work) as Promise<T>;
    },
    get started() {
      return started;
    },
    get waiting() {
      return queue.length();
    }
  };
}

/** The process-wide queue: every scrypt of this server goes through it. */
export const hashQueue = createHashQueue();
