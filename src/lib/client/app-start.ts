/**
 * What runs once the app knows who is using it: the projection follows the unit's replica,
 * sync starts, connectivity is watched. Switching units stops the previous unit's work first.
 */
import { onQuotaFailure } from './device-storage.svelte.ts';
import { followReplica } from './projection.ts';
import { whenReopened } from './replica.ts';
import { session, revalidateSession, canRecordFollowUp } from './session.svelte.ts';
import { startSync, stopSync, watchConnectivity } from './sync.svelte.ts';

let following: { unitId: string; stop: () => void } | null = null;

/** Starts run one after another, so a quick unit switch cannot interleave two of them. */
let starting: Promise<void> = Promise.resolve();

export function startUnit(unitId: string): Promise<void> {
  const next = starting.catch(() => undefined).then(() => startUnitNow(unitId));
  starting = next;
  return next;
}

async function startUnitNow(unitId: string): Promise<void> {
  if (following?.unitId !== unitId) {
    following?.stop();
    const f = await followReplica(unitId);
    following = { unitId, stop: f.stop };
  }
  watchConnectivity(() => session.current?.activeUnitId ?? null);
  await startSync(unitId, {
    // Volunteers push too: their follow-up reports (the server refuses anything else from them).
    readOnly: !canRecordFollowUp(),
    onNeedsLogin: () => {
      session.needsLogin = true;
    }
  });
  void revalidateSession();
}

/**
 * A write aborted by a full disk closes PouchDB's IndexedDB connection for good, and with it the
 * projection's changes feed. The projection follows the replica again once something (a save,
 * sync when space is back) has opened a fresh instance, or the lists would stop updating.
 */
onQuotaFailure((unitId) => {
  if (following?.unitId !== unitId) return;
  following.stop();
  const waiting = { unitId, stop: () => {} };
  following = waiting;
  void whenReopened(unitId)
    .then(() => (following === waiting ? followReplica(unitId) : undefined))
    .then(
      (f) => {
        if (!f) return;
        if (following === waiting) waiting.stop = f.stop;
        else f.stop();
      },
      (e) => console.error('projection restart failed', e)
    );
});

/** Stops at once, and again after a start still under way (signing out mid-start). */
export function stopUnit(): void {
  const stopNow = () => {
    following?.stop();
    following = null;
    stopSync();
  };
  stopNow();
  starting = starting.catch(() => undefined).then(stopNow);
}
