/**
 * The reads a screen makes of the signed-in account's data, and what becomes of them when that
 * account signs out (or the tablet is wiped). Signing out first stops the screens, then waits a
 * bounded moment for the reads they had started, and only then closes and deletes the databases
 * (session.svelte.ts `closeScreens`). A screen read that is still running then, or that starts
 * after, ends quietly: its promise never settles, so the screen that asked (gone by then) neither
 * shows another account's answer nor raises an error nobody can catch. Only screens use this:
 * sync, the projection and every write keep failing loudly.
 */
import { waitAtMost } from './wait-at-most.ts';

/** Counts sign-outs in this page: a read answers only within the session it started in. */
let generation = 0;
let closed = false;
const running = new Set<Promise<unknown>>();

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * Runs a screen's read. Its answer (or its failure) reaches the screen only while the account that
 * was signed in when it started still is; after a sign-out it never settles.
 */
export function screenRead<T>(read: () => Promise<T>): Promise<T> {
  if (closed) return never();
  const mine = generation;
  const current = () => mine === generation && !closed;
  let reading: Promise<T>;
  try {
    reading = read();
  } catch (e) {
    reading = Promise.reject(e);
  }
  running.add(reading);
  const done = () => running.delete(reading);
  reading.then(done, done);
  return reading.then(
    (value) => (current() ? value : never<T>()),
    (e: unknown) => (current() ? Promise.reject(e) : never<T>())
  );
}

/** How long signing out waits for screen reads already running; a stuck read never holds it up. */
export const SETTLE_MS = 2_000;

/**
 * The session is ending: no screen read starts any more, and those running are given up to
 * `settleMs` to finish before the databases under them are closed.
 */
export async function endScreenReads(settleMs = SETTLE_MS): Promise<void> {
  closed = true;
  generation++;
  if (running.size > 0) await waitAtMost(Promise.allSettled([...running]), settleMs);
}

/** True from the start of a sign-out until the next sign-in: a screen's failure then is the sign-out's. */
export const screenReadsEnded = (): boolean => closed;

/** An account signed in: its screens read again. */
export function resumeScreenReads(): void {
  closed = false;
}
