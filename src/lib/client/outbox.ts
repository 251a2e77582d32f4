/**
 * The outbox of one account's database: saves the server has not confirmed yet. An entry goes
 * only when the server accepted exactly the revision it lists; a refused one stays with the
 * server's reason. Takes its database as an argument, so sync writes to the account it started
 * for even when another account signs in meanwhile.
 */
import type { LocalDb, OutboxEntry } from './local-db.ts';

export class Outbox {
  constructor(readonly db: LocalDb) {}

  /**
   * A local save of `rev` waits for the server (a newer save of the same document replaces it).
   * In a transaction of its own: screens listing the outbox (the sync status) see the entry once
   * it is committed. A lone put is shown to them before it commits (Dexie's optimistic update),
   * and that re-render and repaint ran between the officer's tap and 'saved'.
   */
  async add(unitId: string, docId: string, rev: string, savedAt = new Date().toISOString()): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, () => this.db.outbox.put({ docId, unitId, rev, savedAt, status: 'pending' }));
  }

  /** The server has these revisions: their entries go; a newer local edit stays pending. */
  async confirm(unitId: string, docs: { _id: string; _rev?: string }[]): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, async () => {
      for (const doc of docs) {
        const entry = await this.db.outbox.get(doc._id);
        if (entry && entry.unitId === unitId && entry.rev === doc._rev) await this.db.outbox.delete(doc._id);
      }
    });
  }

  /** The server refused the document: it stays on the device, marked with the reason. */
  async refuse(docId: string, reason: string): Promise<void> {
    await this.db.outbox.update(docId, { status: 'refused', reason });
  }

  /** Everything not confirmed, oldest first; of one unit when given. */
  async unsent(unitId?: string): Promise<OutboxEntry[]> {
    const rows = unitId ? await this.db.outbox.where('unitId').equals(unitId).toArray() : await this.db.outbox.toArray();
    return rows.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  }
}
