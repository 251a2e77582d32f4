/**
 * A small pool of worker threads that run the CPU-only part of screening a `_bulk_docs` batch
 * (JSON parse + the shared document check, screen-worker.ts), so the request thread stores one
 * batch while the next one is being checked. Measured on bench step 4 (10,000 CARE 01 in
 * batches of 100): the shared check was the largest cost on the request thread after the store.
 *
 * Hand-written rather than piscina or tinypool: they run a task in whichever worker is free and
 * recycle workers on their own schedule, while here a crash must fail exactly the batch that
 * was on the worker (its request answers 5xx, nothing is stored) and nothing else, and the
 * queue must be bounded with a refusal the client understands (503 + Retry-After). That is
 * ~100 lines; a library would still need all of it around it.
 *
 * Workers start on the first batch, not with the server (most test servers never push), and
 * end with it. One batch per worker at a time; at most `maxQueued` batches wait for a worker.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScreenAnswer, ScreenTask, Verdicts } from './screen-docs.ts';

/** Thrown when `maxQueued` batches already wait: the route answers 503 with Retry-After. */
export class ScreenQueueFull extends Error {}
/** The worker checking this batch ended (a crash), or the pool closed: the route answers 500, nothing was stored. */
export class ScreenWorkerFailed extends Error {}
/** The check threw inside the worker: the route checks the batch on its own thread instead, as without workers. */
export class ScreenCheckThrew extends Error {}

/**
 * The decoded text of each `_bulk_docs` body, kept by the JSON body parser (app.ts) for the
 * workers, which parse it themselves: handing them the parsed documents would cost the request
 * thread a structured clone of every one. Weak: it goes with the request.
 */
const bodyTexts = new WeakMap<object, string>();
export const BULK_DOCS_ROUTE = '/sync/:unit/_bulk_docs';
export const keepBodyText = (request: object, text: string) => void bodyTexts.set(request, text);
export const bodyTextOf = (request: object): string | undefined => bodyTexts.get(request);

/** Default size: a thread beside the request thread when the machine has a core for it. */
export const defaultScreenWorkers = () => Math.max(0, Math.min(2, availableParallelism() - 1));

interface Pending {
  task: ScreenTask;
  resolve: (verdicts: Verdicts) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

/**
 * The worker's module: under tsx (npm start, tests) the TypeScript source, in a compiled server
 * `screen-worker.js` beside this module. Null when a build left it out: the server then checks
 * batches on the request thread rather than answer every push with a failed worker.
 */
export function screenWorkerEntry(): URL | null {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './screen-worker.ts' : './screen-worker.js', import.meta.url);
  return existsSync(fileURLToPath(entry)) ? entry : null;
}

/** Under tsx the worker registers tsx before importing its TypeScript module. */
function startWorker(): Worker {
  // Checked when the pool was made; gone since, the worker fails to start and its batch gets 500.
  const entry = screenWorkerEntry() ?? new URL('./screen-worker.js', import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true });
}

export class ScreenPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    readonly maxQueued: number
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new Error('a screening pool needs at least one worker');
  }

  /** The verdicts for the batch in `text` (a `_bulk_docs` body whose `docs` is an array). */
  screen(text: string, unitId: string, newEdits: boolean): Promise<Verdicts> {
    if (this.closed) return Promise.reject(new ScreenWorkerFailed('screening pool closed'));
    if (this.queue.length >= this.maxQueued) return Promise.reject(new ScreenQueueFull('screening queue full'));
    return new Promise<Verdicts>((resolve, reject) => {
      this.queue.push({ task: { id: this.nextId++, text, unitId, newEdits }, resolve, reject });
      this.dispatch();
    });
  }

  /** Batches waiting for a worker, and workers running (for tests and diagnostics). */
  stats() {
    return { queued: this.queue.length, workers: this.slots.length, busy: this.slots.filter((s) => s.busy).length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(new ScreenWorkerFailed('screening pool closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      slot.worker.postMessage(pending.task);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(), busy: null };
    this.slots.push(slot);
    slot.worker.on('message', (answer: ScreenAnswer) => {
      const pending = slot.busy;
      if (!pending || pending.task.id !== answer.id) return;
      slot.busy = null;
      if (answer.ok) pending.resolve(answer.verdicts);
      else pending.reject(new ScreenCheckThrew(answer.error));
      this.dispatch();
    });
    // 'error' (an uncaught exception, which ends the thread) is followed by 'exit'.
    slot.worker.on('error', () => undefined);
    slot.worker.on('exit', () => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.busy?.reject(new ScreenWorkerFailed('screening worker ended'));
      slot.busy = null;
      // A replacement starts for whatever waits.
      if (!this.closed) this.dispatch();
    });
    return slot;
  }
}
