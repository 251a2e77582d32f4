/**
 * The search index of a unit's people for a screen: every row read once (when `wanted` turns
 * true), indexed (search.ts), and rebuilt when sync changes the rows. Held as raw state: 20,000
 * rows behind Svelte's deep proxies would make every index lookup pay for the proxy.
 */
import { liveQuery } from 'dexie';
import { localDb, type PersonRow } from './local-db.ts';
import { PeopleIndex } from './search.ts';

export function peopleSearchIndex(unitId: () => string, wanted: () => boolean) {
  let current = $state.raw<PeopleIndex | null>(null);
  $effect(() => {
    const u = unitId();
    if (!wanted() || !u) return;
    const sub = liveQuery(() =>
      localDb.people.where('[unitId+updatedAt]').between([u, ''], [u, '\uffff']).reverse().toArray()
    ).subscribe({
      next: (rows: PersonRow[]) => {
        const index = new PeopleIndex(rows);
        // Searches now, while the tablet is idle: the officer's first keystroke then runs
        // compiled code (the first call of a cold function was the slowest keystroke measured).
        // A digit and a letter of a real name: the ID and the name paths, and two-word queries.
        index.search('0', 1);
        index.search(`${rows[0]?.searchText.slice(0, 1) ?? 'ก'} 0`, 50);
        current = index;
      },
      error: (e) => console.error('people index failed', e)
    });
    return () => sub.unsubscribe();
  });
  return {
    get index() {
      return current;
    }
  };
}
