/**
 * How the tablet starts a unit's replication: asked twice (sign-in, then the app shell opening),
 * it keeps the replication already under way instead of cancelling it and repeating its first
 * round trips; the pull reads in batches of PULL_BATCH_SIZE documents, the push keeps its own.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPouch, useFreshAccount } from './test-support.ts';
import { minimalPerson, UNIT } from '../domain/test-fixtures.ts';
import { replicaFor, useRemoteFactory } from './replica.ts';
import { PULL_BATCH_SIZE, resetSync, startSync, stopSync, sync, syncRunning, watchConnectivity } from './sync.svelte.ts';

const listeners = new Map<string, () => void>();
let server: PouchDB.Database;
/** Every replication PouchDB starts asks the remote for its changes; the `limit` of each call. */
let changeLimits: number[] = [];
let remotesOpened = 0;

beforeAll(() => {
  Object.assign(globalThis, {
    navigator: { onLine: true },
    window: { addEventListener: (type: string, listener: () => void) => listeners.set(type, listener) }
  });
  useRemoteFactory(async () => {
    remotesOpened++;
    return server;
  });
});

async function freshServer(people: number) {
  await useFreshAccount('start');
  resetSync();
  changeLimits = [];
  remotesOpened = 0;
  server = new MemoryPouch(`server-${Math.random()}`);
  const changes = server.changes.bind(server);
  server.changes = ((opts?: { limit?: number }) => {
    if (typeof opts?.limit === 'number') changeLimits.push(opts.limit);
    return changes(opts as PouchDB.Core.ChangesOptions);
  }) as typeof server.changes;
  const uuid = (i: number) => `${String(i).padStart(8, '0')}-1111-4111-8111-111111111111`;
  await server.bulkDocs(
    Array.from({ length: people }, (_, i) => minimalPerson({ _id: `person:${uuid(i)}`, unitId: UNIT, firstName: 'สมชาย' }))
  );
}

afterEach(() => resetSync());

describe('starting a unit’s replication', () => {
  it('a second start of the running unit keeps its replication; another unit, mode or a stop does not', async () => {
    await freshServer(3);
    await startSync(UNIT, { readOnly: false });
    expect(remotesOpened).toBe(1);
    expect(syncRunning(UNIT, false)).toBe(true);
    expect(syncRunning(UNIT, true)).toBe(false);
    expect(syncRunning('other-unit', false)).toBe(false);
    await expect.poll(() => sync.phase, { timeout: 10_000 }).toBe('up-to-date');
    expect(syncRunning(UNIT, false)).toBe(true);
    stopSync();
    expect(syncRunning(UNIT, false)).toBe(false);
  });

  it('a replication that failed, or a signal that came back, is started again', async () => {
    await freshServer(1);
    watchConnectivity(() => {});
    await startSync(UNIT, { readOnly: false });
    await expect.poll(() => sync.phase, { timeout: 10_000 }).toBe('up-to-date');
    listeners.get('online')!();
    expect(syncRunning(UNIT, false)).toBe(false);
    await startSync(UNIT, { readOnly: false });
    expect(syncRunning(UNIT, false)).toBe(true);
    sync.phase = 'error';
    expect(syncRunning(UNIT, false)).toBe(false);
  });

  it(`pulls ${PULL_BATCH_SIZE} documents per batch, and every one arrives`, async () => {
    await freshServer(PULL_BATCH_SIZE + 20);
    await startSync(UNIT, { readOnly: true });
    await expect.poll(() => sync.phase, { timeout: 20_000 }).toBe('up-to-date');
    expect(changeLimits.length).toBeGreaterThan(0);
    expect(new Set(changeLimits)).toEqual(new Set([PULL_BATCH_SIZE]));
    expect((await (await replicaFor(UNIT)).info()).doc_count).toBe(PULL_BATCH_SIZE + 20);
  });
});
