/**
 * Sync that could not reach the server while the browser says it is online: no `online` event
 * will come, so the start is tried again on a doubling, bounded pause; offline, it waits for the
 * event instead; any later start or stop cancels the pending try.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useFreshAccount } from './test-support.ts';
import { RECHECK_FIRST_MS, resetSync, startSync, stopSync, sync, watchConnectivity } from './sync.svelte.ts';

const UNIT = 'lampang-probation';
const listeners = new Map<string, () => void>();
const browser = { onLine: true };
/** Times (ms from the first start) at which the app asked to start again. */
let tries: number[] = [];
let t0 = 0;

vi.stubGlobal('navigator', browser);
vi.stubGlobal('window', { addEventListener: (type: string, listener: () => void) => listeners.set(type, listener) });

beforeEach(async () => {
  await useFreshAccount('recheck');
  resetSync();
  browser.onLine = true;
  tries = [];
  // As app-start does: the server is still out of reach, so the start ends offline again.
  watchConnectivity(() => {
    tries.push(Date.now() - t0);
    void startSync(UNIT, { offlineOnly: true });
  });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  t0 = Date.now();
});

afterEach(() => {
  resetSync();
  vi.useRealTimers();
});

describe('sync start retried while the server is out of reach', () => {
  it('the browser says online: tries again after 5 s, then a doubling pause of at most a minute', async () => {
    await startSync(UNIT, { offlineOnly: true });
    expect(sync.phase).toBe('offline');
    expect(tries).toEqual([]);
    for (let i = 0; i < 7; i++) await vi.advanceTimersByTimeAsync(60_000);
    expect(tries.slice(0, 6)).toEqual([5_000, 15_000, 35_000, 75_000, 135_000, 195_000]);
    expect(RECHECK_FIRST_MS).toBe(5_000);
  });

  it('the browser says offline: no polling, the `online` event starts at once', async () => {
    browser.onLine = false;
    await startSync(UNIT, { offlineOnly: true });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(tries).toEqual([]);
    browser.onLine = true;
    listeners.get('online')!();
    expect(tries).toEqual([10 * 60_000]);
  });

  it('the `online` event starts the pause short again', async () => {
    await startSync(UNIT, { offlineOnly: true });
    await vi.advanceTimersByTimeAsync(30_000); // tries at 5 s and 15 s; the next pause is 20 s
    expect(tries).toEqual([5_000, 15_000]);
    listeners.get('online')!();
    await vi.advanceTimersByTimeAsync(5_000);
    // The try due at 35 s was replaced by the event's start, whose next try is 5 s later.
    expect(tries).toEqual([5_000, 15_000, 30_000, 35_000]);
  });

  it('a stop (signal lost, sign-out) or another start cancels the pending try', async () => {
    await startSync(UNIT, { offlineOnly: true });
    stopSync();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(tries).toEqual([]);
    // Two starts in a row leave one pending try, not two.
    await startSync(UNIT, { offlineOnly: true });
    await startSync(UNIT, { offlineOnly: true });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(tries).toEqual([10 * 60_000 + 20_000]);
  });
});
