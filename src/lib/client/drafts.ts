/**
 * Never lose a keystroke: every change to an open form is written to IndexedDB at once.
 * One write is in flight at a time and only the newest state is written next, so fast typing
 * costs at most one pending write instead of a queue.
 */
import { localDb, type Draft } from './local-db.ts';

export class DraftWriter {
  private inFlight: Promise<void> | null = null;
  private next: Draft | null = null;

  constructor(private readonly key: string) {}

  save(draft: Omit<Draft, 'key' | 'updatedAt'>): void {
    this.next = { ...draft, key: this.key, updatedAt: new Date().toISOString() };
    if (!this.inFlight) this.inFlight = this.drain();
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
