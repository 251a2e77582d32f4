/**
 * What runs once the app knows who is using it: the projection follows the unit's replica,
 * sync starts, connectivity is watched. Switching units stops the previous unit's work first.
 */
import { followReplica } from './projection.ts';
import { session, revalidateSession, canRecordFollowUp } from './session.svelte.ts';
import { startSync, stopSync, watchConnectivity } from './sync.svelte.ts';

let following: { unitId: string; stop: () => void } | null = null;

export async function startUnit(unitId: string): Promise<void> {
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

export function stopUnit(): void {
  following?.stop();
  following = null;
  stopSync();
}
