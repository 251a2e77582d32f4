/**
 * A replication request that stops receiving fails like a lost connection (and the sync retries);
 * one that keeps receiving, however slowly, goes on. Real streams and timers, short bounds.
 */
import { describe, expect, it } from 'vitest';
import { fetchWithStallGuard, StalledRequest } from './stall-guard.ts';

const IDLE = 80;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An answer whose body arrives as `parts`, `gapMs` apart; `stallAfter` parts then nothing more. */
function dripping(parts: string[], gapMs: number, stallAfter = Infinity): typeof fetch {
  return async () => {
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let i = 0; i < parts.length; i++) {
          if (i >= stallAfter) return; // the connection went quiet: neither more data nor an end
          await pause(gapMs);
          controller.enqueue(new TextEncoder().encode(parts[i]));
        }
        controller.close();
      }
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

/** A request that is never answered; it ends only when aborted, as fetch does. */
const neverAnswered: typeof fetch = (_input, init) =>
  new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));

describe('replication requests that stop moving', () => {
  it('abandons a request with no answer as a network failure the sync retries', async () => {
    const started = Date.now();
    const failure = await fetchWithStallGuard('http://127.0.0.1/sync/u/_changes?since=0', {}, neverAnswered, IDLE, 0).catch(
      (e: unknown) => e
    );
    expect(failure).toBeInstanceOf(StalledRequest);
    expect((failure as Error).name).toBe('TypeError');
    expect((failure as Error).message).toMatch(/network stalled/);
    expect(Date.now() - started).toBeLessThan(IDLE * 10);
  });

  it('abandons an answer whose body stops arriving half way', async () => {
    const base = dripping(['{"results":', '[]', ',"last_seq":"1"}'], 10, 1);
    await expect(fetchWithStallGuard('http://127.0.0.1/sync/u/_bulk_get', {}, base, IDLE, 0)).rejects.toBeInstanceOf(
      StalledRequest
    );
  });

  it('lets a slow answer finish when every part comes within the bound (idle time, not total time)', async () => {
    const parts = ['{"results":[', '1,', '2,', '3,', '4', '],"last_seq":"9"}'];
    const started = Date.now();
    const response = await fetchWithStallGuard('http://127.0.0.1/sync/u/_changes', {}, dripping(parts, IDLE / 2), IDLE, 0);
    expect(Date.now() - started).toBeGreaterThan(IDLE * 2);
    expect(await response.json()).toEqual({ results: [1, 2, 3, 4], last_seq: '9' });
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('gives a longpoll its server-side wait on top of the bound', async () => {
    const lateAnswer: typeof fetch = async () => {
      await pause(IDLE * 2);
      return new Response('{"results":[],"last_seq":"5"}', { status: 200 });
    };
    const longpoll = 'http://127.0.0.1/sync/u/_changes?feed=longpoll&since=5';
    expect(await (await fetchWithStallGuard(longpoll, {}, lateAnswer, IDLE, IDLE * 3)).json()).toMatchObject({ last_seq: '5' });
    const plain = 'http://127.0.0.1/sync/u/_changes?since=5';
    await expect(fetchWithStallGuard(plain, {}, lateAnswer, IDLE, IDLE * 3)).rejects.toBeInstanceOf(StalledRequest);
  });

  it('keeps the caller’s own abort an abort, and an answer without a body without one', async () => {
    const caller = new AbortController();
    const pending = fetchWithStallGuard('http://127.0.0.1/x', { signal: caller.signal }, neverAnswered, IDLE * 10);
    caller.abort();
    const failure = await pending.catch((e: unknown) => e);
    expect(failure).not.toBeInstanceOf(StalledRequest);
    expect((failure as Error).name).toBe('AbortError');
    const empty = await fetchWithStallGuard('http://127.0.0.1/x', {}, async () => new Response(null, { status: 204 }), IDLE);
    expect(empty.status).toBe(204);
  });
});
