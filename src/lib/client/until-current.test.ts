import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RETRY_WHILE_STALE_MS, anyStale, askUntilCurrent } from './until-current.ts';

const answer = (...stale: boolean[]) => ({ units: stale.map((s) => ({ stale: s })) });

describe('askUntilCurrent: a report asks again while a unit is still catching up', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks again every 2 s while stale and stops at the first current answer', async () => {
    const answers = [answer(true, false), answer(false, true), answer(false, false)];
    const ask = vi.fn(async () => answers.shift()!);
    const seen: boolean[] = [];
    askUntilCurrent(
      ask,
      anyStale,
      (a) => seen.push(anyStale(a)),
      () => expect.fail('no error')
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([true]);
    await vi.advanceTimersByTimeAsync(RETRY_WHILE_STALE_MS - 1);
    expect(ask).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([true, true]);
    await vi.advanceTimersByTimeAsync(RETRY_WHILE_STALE_MS);
    expect(seen).toEqual([true, true, false]);
    await vi.advanceTimersByTimeAsync(10 * RETRY_WHILE_STALE_MS);
    expect(ask).toHaveBeenCalledTimes(3);
  });

  it('reports nothing and asks no more once stopped (the screen left or asked something else)', async () => {
    let release: (a: ReturnType<typeof answer>) => void = () => undefined;
    const ask = vi.fn(() => new Promise<ReturnType<typeof answer>>((resolve) => (release = resolve)));
    const onAnswer = vi.fn();
    const stop = askUntilCurrent(ask, anyStale, onAnswer, () => undefined);
    stop();
    release(answer(true));
    await vi.advanceTimersByTimeAsync(5 * RETRY_WHILE_STALE_MS);
    expect(onAnswer).not.toHaveBeenCalled();
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('stops the retries of a stale answer when stopped between two asks', async () => {
    const ask = vi.fn(async () => answer(true));
    const stop = askUntilCurrent(
      ask,
      anyStale,
      () => undefined,
      () => undefined
    );
    await vi.advanceTimersByTimeAsync(0);
    stop();
    await vi.advanceTimersByTimeAsync(5 * RETRY_WHILE_STALE_MS);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('passes the error message on and does not ask again after an error', async () => {
    const ask = vi.fn(async () => {
      throw new Error('503 reports unavailable');
    });
    const errors: string[] = [];
    askUntilCurrent(
      ask,
      anyStale,
      () => expect.fail('no answer'),
      (m) => errors.push(m)
    );
    await vi.advanceTimersByTimeAsync(5 * RETRY_WHILE_STALE_MS);
    expect(errors).toEqual(['503 reports unavailable']);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('anyStale looks at every answer given (statistics and the map are asked together)', () => {
    expect(anyStale(answer(false), answer(false, false))).toBe(false);
    expect(anyStale(answer(false), answer(false, true))).toBe(true);
  });
});
