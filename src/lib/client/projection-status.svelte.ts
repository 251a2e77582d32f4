/**
 * Whether the device's projection has caught up with a unit's replica since the app started. A
 * list computed before that may miss what was saved just before the app was closed or reloaded
 * (the projection follows the replica a moment later), so such a list does not claim to be ready.
 */
import { SvelteSet } from 'svelte/reactivity';
import { localDb } from './local-db.ts';

/** `<account database>/<unit>`: another account's projection of the same unit is another one. */
const caughtUp = new SvelteSet<string>();
const keyOf = (dbName: string, unitId: string) => `${dbName}/${unitId}`;

/** Called by the projection once it has applied every change the replica held at its start. */
export function markProjectionCaughtUp(dbName: string, unitId: string): void {
  caughtUp.add(keyOf(dbName, unitId));
}

/** Reactive: true once the signed-in account's projection of `unitId` has caught up. */
export function projectionCaughtUp(unitId: string): boolean {
  return caughtUp.has(keyOf(localDb.name, unitId));
}
