/**
 * Dexie liveQuery as Svelte 5 state: `deps` is read inside the effect (so changing a search term
 * re-runs the query), `query` runs inside liveQuery (so any write to the tables it read updates
 * the screen, including rows written by sync in the background).
 */
import { liveQuery } from 'dexie';
import { screenReadsEnded } from './screen-reads.ts';

export function liveState<D, T>(deps: () => D, query: (d: D) => Promise<T>, initial: T) {
  const state = $state<{ value: T; ready: boolean }>({ value: initial, ready: false });
  $effect(() => {
    const d = deps();
    const sub = liveQuery(() => query(d)).subscribe({
      next: (v) => {
        state.value = v;
        state.ready = true;
      },
      // A query still open while its account signs out fails on the closing database: nothing to report.
      error: (e) => {
        if (!screenReadsEnded()) console.error('liveQuery failed', e);
      }
    });
    return () => sub.unsubscribe();
  });
  return state;
}
