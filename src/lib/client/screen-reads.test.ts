/** Screen reads at sign-out: answered while the account is signed in, quiet after, waited for (bounded). */
import { afterEach, describe, expect, it } from 'vitest';
import { endScreenReads, resumeScreenReads, screenRead, screenReadsEnded } from './screen-reads.ts';

const SETTLED = Symbol('settled');
/** What a promise did within a few turns of the event loop: its value, its error, or nothing. */
async function outcome<T>(p: Promise<T>): Promise<T | { error: unknown } | typeof SETTLED> {
  return Promise.race([
    p.then(
      (v) => v,
      (error: unknown) => ({ error })
    ),
    new Promise<typeof SETTLED>((r) => setTimeout(() => r(SETTLED), 20))
  ]);
}

afterEach(() => resumeScreenReads());

describe('a screen read while the account is signed in', () => {
  it('gives the answer, and a failure still reaches the screen', async () => {
    expect(await screenRead(async () => 'answer')).toBe('answer');
    await expect(screenRead(async () => Promise.reject(new Error('corrupt record')))).rejects.toThrow('corrupt record');
    expect(screenReadsEnded()).toBe(false);
  });
});

describe('a screen read when the account signs out', () => {
  it('still running at sign-out: sign-out waits for it, and its answer is not shown', async () => {
    let finish!: (v: string) => void;
    const read = screenRead(() => new Promise<string>((r) => (finish = r)));
    let ended = false;
    const ending = endScreenReads(5_000).then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(ended).toBe(false); // the database is not closed under it
    finish('previous account');
    await ending;
    expect(await outcome(read)).toBe(SETTLED);
  });

  it('failing because its database closed: no error reaches anyone', async () => {
    let fail!: (e: Error) => void;
    const read = screenRead(() => new Promise<string>((_, r) => (fail = r)));
    const ending = endScreenReads(5_000);
    fail(new Error("Failed to execute 'transaction' on 'IDBDatabase': The database connection is closing"));
    await ending;
    expect(await outcome(read)).toBe(SETTLED);
  });

  it('started after sign-out (no account signed in): never runs, never fails', async () => {
    await endScreenReads();
    expect(screenReadsEnded()).toBe(true);
    let ran = false;
    const read = screenRead(async () => {
      ran = true;
      throw new Error('no account signed in: no replica to open');
    });
    expect(await outcome(read)).toBe(SETTLED);
    expect(ran).toBe(false);
  });

  it('stuck: sign-out goes on after the bound', async () => {
    void screenRead(() => new Promise<string>(() => undefined));
    const started = Date.now();
    await endScreenReads(50);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('after the next sign-in, reads answer again', async () => {
    await endScreenReads(50);
    resumeScreenReads();
    expect(await screenRead(async () => 'next account')).toBe('next account');
  });
});
