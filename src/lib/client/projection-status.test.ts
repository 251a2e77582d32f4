/**
 * The projection says it has caught up only once the replica's changes are in the lists' tables,
 * and only for the account whose projection it is: the worklist waits for that before it calls
 * itself ready, so it never shows a list that misses a visit saved just before a reload.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshAccount } from './test-support.ts';
import { minimalPerson, PERSON_ID, UNIT } from '../domain/test-fixtures.ts';
import { localDb } from './local-db.ts';
import { followReplica } from './projection.ts';
import { projectionCaughtUp } from './projection-status.svelte.ts';
import { putChecked } from './records.ts';

describe('projection caught up', () => {
  it('is reported after the replica held at the start is in the projection, for that account only', async () => {
    await useFreshAccount('officer');
    await putChecked(UNIT, minimalPerson({ unitId: UNIT }));
    expect(projectionCaughtUp(UNIT)).toBe(false);
    const f = await followReplica(UNIT);
    // Whenever it is reported, the saved person is already in the projection.
    const seenWhenReported = new Promise<boolean>((resolve) => {
      const poll = () =>
        projectionCaughtUp(UNIT)
          ? void localDb.people.get(PERSON_ID).then((row) => resolve(row !== undefined))
          : setTimeout(poll, 1);
      poll();
    });
    await f.caughtUp;
    expect(projectionCaughtUp(UNIT)).toBe(true);
    expect(await seenWhenReported).toBe(true);
    f.stop();
    // Another account on the same tablet has its own projection, not caught up yet.
    await useFreshAccount('volunteer');
    expect(projectionCaughtUp(UNIT)).toBe(false);
    expect(projectionCaughtUp('another-unit')).toBe(false);
  });
});
