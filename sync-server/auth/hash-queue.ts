/**
 * Password hashing runs in its own small queue. At most `concurrency` hashes run at a time, in a
 * hashing process of its own at a low OS priority (hash-process.ts; before, scrypt ran on
 * libuv's pool next to the embedded store's disk reads and writes: 300 sign-in attempts at once
 * filled it, and other users' syncs waited 27 s), and at most `maxWaiting` wait; beyond that the
 * attempt is refused at once (QueueFull: answered 429 with a short Retry-After), so a flood
 * costs the attacker, not the server.
 */
import fastq from 'fastq';
import { HashProcess } from './hash-process.ts';

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

/** Hashes running at once (in the hashing process's own thread pool of 4). */
const HASHES_AT_ONCE = 2;

/** The process-wide queue: every scrypt of this server goes through it, to the hashing process. */
export const hashQueue = createHashQueue(HASHES_AT_ONCE);
export const hashProcess = new HashProcess();
