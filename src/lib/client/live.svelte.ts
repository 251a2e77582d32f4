/**
 * Dexie liveQuery as Svelte 5 state: `deps` is read inside the effect (so changing a search term
 * re-runs the query), `query` runs inside liveQuery (so any write to the tables it read updates
 * the screen, including rows written by sync in the background).
 */
import { liveQuery } from 'dexie';

let markFirstData: (() => void) | null = null;
/**
 * Resolves once a screen drew the first data it read (one frame after the first query answered):
 * the app's start defers the unit's heavier work (PouchDB, projection catch-up, sync) until then,
 * so a warm start shows the list first (issue 11).
 */
export const firstDataDrawn = new Promise<void>((resolve) => {
  markFirstData = () => {
    markFirstData = null;
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(resolve, 0));
    else resolve();
  };
});

export function liveState<D, T>(deps: () => D, query: (d: D) => Promise<T>, initial: T) {
  const state = $state<{ value: T; ready: boolean }>({ value: initial, ready: false });
  $effect(() => {
    const d = deps();
    const sub = liveQuery(() => query(d)).subscribe({
      next: (v) => {
        state.value = v;
        state.ready = true;
        markFirstData?.();
      },
      error: (e) => console.error('liveQuery failed', e)
    });
    return () => sub.unsubscribe();
  });
  return state;
}
