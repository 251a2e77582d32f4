/**
 * Replication requests that stop moving are abandoned. A tablet's connection can die without the
 * browser noticing (a mobile link that drops at a prison gate, a NAT that forgets the connection):
 * the request then waits for ever, PouchDB's replication with it, and nothing the officer saves
 * leaves the tablet until the page is reloaded. Here a request that receives nothing for
 * `idleMs` — no answer, or no more of its body — fails like a lost connection, and the sync's
 * own retry starts it again. Idle time, not total time: a big pull on a slow link keeps going as
 * long as bytes arrive. A longpoll is given its server-side wait on top.
 */

/** No byte for this long: the connection is taken for dead. */
export const STALL_MS = 45_000;
/** The server answers a longpoll after at most this long (sync-server LIMITS.longpollMaxMs), with no byte before. */
export const LONGPOLL_WAIT_MS = 25_000;

/**
 * The bound in use: STALL_MS, or a shorter one a browser test installs before the app starts
 * (tests/e2e/sync-stall.test.ts) — waiting 45 s per stalled request would make that test slow.
 */
export function stallWindowMs(): number {
  const forTest = (globalThis as { __CARE_FIELD_TEST_STALL_MS__?: unknown }).__CARE_FIELD_TEST_STALL_MS__;
  return typeof forTest === 'number' && forTest > 0 ? forTest : STALL_MS;
}

/** What the sync reads as "no connection" (sync.svelte.ts treats a TypeError as a network failure). */
export class StalledRequest extends TypeError {
  constructor(idleMs: number) {
    super(`network stalled: nothing received for ${Math.round(idleMs / 1000)} s`);
    this.name = 'TypeError';
  }
}

const isLongpoll = (input: RequestInfo | URL) =>
  /[?&]feed=longpoll(&|$)/.test(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/**
 * `base` with the stall bound: resolves with the whole answer (its body read here, each chunk
 * restarting the clock), or rejects with StalledRequest. The caller's own abort still works.
 */
export async function fetchWithStallGuard(
  input: RequestInfo | URL,
  init: RequestInit = {},
  base: typeof fetch = fetch,
  idleMs = stallWindowMs(),
  longpollWaitMs = LONGPOLL_WAIT_MS
): Promise<Response> {
  const stop = new AbortController();
  const callerSignal = init.signal;
  const onCallerAbort = () => stop.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  // Every wait below races this: a fetch or a body that ignores the abort still lets go.
  let giveUp: (e: Error) => void = () => {};
  const stalled = new Promise<never>((_, reject) => (giveUp = reject));
  stalled.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restartClock = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      giveUp(new StalledRequest(idleMs));
      stop.abort();
    }, ms);
  };
  restartClock(isLongpoll(input) ? idleMs + longpollWaitMs : idleMs);
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const response = await Promise.race([base(input, { ...init, signal: stop.signal }), stalled]);
    restartClock(idleMs);
    const chunks: Uint8Array[] = [];
    if (response.body) {
      reader = response.body.getReader();
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), stalled]);
        if (done) break;
        chunks.push(value);
        restartClock(idleMs);
      }
    }
    // A null body status (204, 304) must be rebuilt without one.
    const body = [101, 204, 205, 304].includes(response.status) ? null : new Blob(chunks as BlobPart[]);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch (e) {
    // Frees the connection of an abandoned body (the abort alone does not reach every stream).
    if (e instanceof StalledRequest) void reader?.cancel().catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
