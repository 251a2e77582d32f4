/**
 * What runs once the app knows who is using it: the tablet's own data is brought up to the app's
 * schema version, then the projection follows the unit's replica, sync starts once the server
 * confirmed the session is this account's, connectivity is watched. Switching units (or accounts)
 * stops the previous unit's work first.
 */
import { onQuotaFailure } from './device-storage.svelte.ts';
import { migrateUnitOnStart } from './migrate-local.ts';
import { MIGRATION_FAILED, migrationNotice, migrationProblems } from './migration-notice.svelte.ts';
import { followReplica } from './projection.ts';
import { loadPouch, whenReopened } from './replica.ts';
import {
  session,
  accountRefusalUnderWay,
  accountRefusedByServer,
  canRecordFollowUp,
  ensureServerSession,
  installUnitStop,
  revalidateSession
} from './session.svelte.ts';
import { resetSync, startSync, sync, syncRunning, syncSettled, watchConnectivity } from './sync.svelte.ts';
import { waitAtMost } from './wait-at-most.ts';

let following: { unitId: string; stop: () => Promise<void> | void } | null = null;

/** Starts run one after another, so a quick unit switch cannot interleave two of them. */
let starting: Promise<void> = Promise.resolve();

/**
 * Starts loading the replica's code (PouchDB) while the sign-in is being checked: the unit's first
 * sync needs it right after, and on a slow link waiting for it then adds a download to the path.
 */
export function prepareUnitStart(): void {
  void loadPouch().catch(() => undefined); // a failure shows again, and is reported, when the unit starts
}

export function startUnit(unitId: string): Promise<void> {
  const next = starting.catch(() => undefined).then(() => startUnitNow(unitId));
  starting = next;
  return next;
}

async function startUnitNow(unitId: string): Promise<void> {
  if (following?.unitId !== unitId) {
    void following?.stop();
    // Before the projection reads the replica and before sync pushes anything (docs/schema-versions.md).
    await migrateLocalData(unitId);
    const f = await followReplica(unitId);
    following = { unitId, stop: f.stop };
  }
  watchConnectivity(() => {
    const unit = session.current?.activeUnitId;
    if (unit && sync.phase !== 'needs-login') void startUnit(unit);
  });
  if (!(await ensureServerSession({ fromUnitStart: true }))) {
    // The server refused the account: its session is ending, and stops this unit once this start is done.
    if (accountRefusalUnderWay()) return;
    // Offline, or the server has not confirmed this account yet: the unit's status shows, the
    // outbox waits; `online` (or a new sign-in) tries again.
    await startSync(unitId, { offlineOnly: true });
    if (session.needsLogin) sync.phase = 'needs-login';
    return;
  }
  // Volunteers push too: their follow-up reports (the server refuses anything else from them).
  const readOnly = !canRecordFollowUp();
  // Sign-in starts the unit and the app shell opening right after asks again: a replication
  // already under way is kept (a restart would repeat its first round trips).
  if (syncRunning(unitId, readOnly)) {
    void revalidateSession();
    return;
  }
  await startSync(unitId, {
    readOnly,
    // Heard inside the replication's own error handling: not waited for there (the end stops the
    // replication and waits for its bookkeeping).
    onAccountDisabled: () => void accountRefusedByServer(),
    onNeedsLogin: () => {
      session.needsLogin = true;
    }
  });
  void revalidateSession();
}

/**
 * A migration that fails never stops the start: what it did not reach is as it was (each upgrade
 * is one new revision on top, the marker is written last), the server accepts the previous
 * version, and the next start tries again. The officer is told in both languages.
 */
async function migrateLocalData(unitId: string): Promise<void> {
  try {
    const result = await migrateUnitOnStart(unitId);
    migrationNotice.problem = result.problems.length > 0 ? migrationProblems(result.problems.length) : null;
  } catch (e) {
    // The message only: an error from the stores may quote a document.
    console.error('local data migration failed:', e instanceof Error ? e.name : 'unknown error');
    migrationNotice.problem = MIGRATION_FAILED;
  }
}

/**
 * A write aborted by a full disk closes PouchDB's IndexedDB connection for good, and with it the
 * projection's changes feed. The projection follows the replica again once something (a save,
 * sync when space is back) has opened a fresh instance, or the lists would stop updating.
 */
onQuotaFailure((unitId) => {
  if (following?.unitId !== unitId) return;
  void following.stop();
  const waiting: { unitId: string; stop: () => Promise<void> | void } = { unitId, stop: () => {} };
  following = waiting;
  void whenReopened(unitId)
    .then(() => (following === waiting ? followReplica(unitId) : undefined))
    .then(
      (f) => {
        if (!f) return;
        if (following === waiting) waiting.stop = f.stop;
        else void f.stop();
      },
      (e) => console.error('projection restart failed', e)
    );
});

/** How long signing out waits for the unit's work to stop before it closes the databases anyway. */
const STOP_SETTLE_MS = 3_000;

/**
 * Stops at once, and again after a start still under way (signing out mid-start). Resolves once
 * the projection's last batch is done, a start under way has stopped too and the replication's
 * bookkeeping writes have finished (sync.svelte.ts `syncSettled`), or after
 * STOP_SETTLE_MS: signing out waits for this before closing the databases, and is never held up
 * by a start waiting on a slow server.
 */
export function stopUnit(): Promise<void> {
  const stopNow = () => {
    const stopping = following?.stop();
    following = null;
    resetSync();
    return stopping;
  };
  const stopping = stopNow();
  starting = starting.catch(() => undefined).then(stopNow);
  return waitAtMost(Promise.all([stopping, starting.catch(() => undefined)]).then(syncSettled), STOP_SETTLE_MS);
}

installUnitStop(stopUnit);
