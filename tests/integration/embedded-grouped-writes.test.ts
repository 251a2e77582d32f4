/**
 * Audit entries written together (sync-server/grouped-writes.ts): puts that arrive while a write
 * is in flight are stored in one bulk write, and each caller still gets its own revision or its
 * own error, only once its document is stored.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { putGrouped } from '../../sync-server/grouped-writes.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { BulkDocsRow, DocumentStore, StoredDoc } from '../../sync-server/storage/port.ts';
import { tempDir } from '../helpers/server.ts';

describe('grouped puts', () => {
  const storage = new EmbeddedStorage(tempDir('grouped-writes'));
  afterAll(() => storage.close());

  /** The database, counting the bulk writes that reach it. */
  async function countingDb(name: string): Promise<{ db: DocumentStore; bulkWrites: () => number }> {
    await storage.createDatabase(name);
    const real = storage.openDatabase(name);
    let writes = 0;
    const db = Object.create(real) as DocumentStore;
    db.bulkDocs = (docs: StoredDoc[], opts: { new_edits: boolean }): Promise<BulkDocsRow[]> => {
      writes++;
      return real.bulkDocs(docs, opts);
    };
    return { db, bulkWrites: () => writes };
  }

  it('writes 100 puts made at once in a few bulk writes, each answered with its own revision', async () => {
    const { db, bulkWrites } = await countingDb('audit-a');
    const docs = Array.from({ length: 100 }, (_, i) => ({ _id: `event:${String(i).padStart(3, '0')}`, n: i }));
    const results = await Promise.all(docs.map((doc) => putGrouped(db, doc)));
    expect(results.map((r) => r.id)).toEqual(docs.map((d) => d._id));
    expect(bulkWrites()).toBeLessThanOrEqual(3); // the first alone, the rest together
    for (const [i, r] of results.entries()) expect(((await db.get(r.id)) as StoredDoc)._rev).toBe(results[i].rev);
  });

  it("refuses only the conflicting document of a group, with put's 409", async () => {
    const { db } = await countingDb('audit-b');
    const first = await putGrouped(db, { _id: 'entry', v: 1 });
    const [stale, fresh, other] = await Promise.allSettled([
      putGrouped(db, { _id: 'entry', v: 2 }), // no _rev: a conflict
      putGrouped(db, { _id: 'entry-2', v: 1 }),
      putGrouped(db, { _id: 'entry', _rev: first.rev, v: 3 })
    ]);
    expect(stale).toMatchObject({ status: 'rejected', reason: { status: 409, error: 'conflict' } });
    expect(fresh.status).toBe('fulfilled');
    expect(other.status).toBe('fulfilled');
    expect(((await db.get('entry')) as StoredDoc & { v: number }).v).toBe(3);
  });
});
