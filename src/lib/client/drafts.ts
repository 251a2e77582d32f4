/**
 * Never lose a keystroke: every change to an open form is written to IndexedDB at once.
 * One write is in flight at a time and only the newest state is written next, so fast typing
 * costs at most one pending write instead of a queue.
 */
import { localDb, type Draft } from './local-db.ts';

/** Draft writes under way in this page, whichever form started them (`draftsWritten`). */
const writing = new Set<Promise<void>>();

/**
 * Resolves when every draft write started so far is on disk (or failed): signing out waits for
 * this before closing the database, so the last keystrokes of a form open at sign-out are kept.
 */
export async function draftsWritten(): Promise<void> {
  while (writing.size > 0) await Promise.allSettled([...writing]);
}

export class DraftWriter {
  private inFlight: Promise<void> | null = null;
  private next: Draft | null = null;

  constructor(private readonly key: string) {}

  save(draft: Omit<Draft, 'key' | 'updatedAt'>): void {
    this.next = { ...draft, key: this.key, updatedAt: new Date().toISOString() };
    if (!this.inFlight) {
      const drain = this.drain();
      this.inFlight = drain;
      writing.add(drain);
      // A failed draft write is reported here; the form's own flush (before a save) sees it too.
      void drain.then(
        () => writing.delete(drain),
        (e: unknown) => {
          writing.delete(drain);
          console.error('draft write failed', e instanceof Error ? e.name : 'unknown error');
        }
      );
    }
  }

  /** Resolves when everything saved so far is on disk. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async drain(): Promise<void> {
    try {
      while (this.next) {
        const d = this.next;
        this.next = null;
        await localDb.drafts.put(d);
      }
    } finally {
      this.inFlight = null;
    }
  }

  async discard(): Promise<void> {
    this.next = null;
    await this.flush();
    await localDb.drafts.delete(this.key);
  }
}

export const loadDraft = (key: string) => localDb.drafts.get(key);
export const deleteDraft = (key: string) => localDb.drafts.delete(key);
