/**
 * Puts to one database gathered into bulk writes (group commit). The audit database takes two
 * entries per replication write and one per replication read: with 500 tablets syncing at once
 * those were 1,500 single-document writes queued one behind the other in one store, the longest
 * wait of the whole sync (bench step 3). Here the first put is written at once; puts arriving
 * while a write is in flight wait for it and are then written together in one `_bulk_docs`.
 *
 * Each caller still gets its own answer (its revision, or its own error) only once its document
 * is stored, exactly as with `put`: an audit intent is stored before the write it announces.
 */
import { StoreError, type DocumentStore, type StoredDoc, type WriteResult } from './storage/port.ts';

/** Documents written in one bulk request at most. */
const MAX_GROUP = 200;

/** The HTTP status a single put would have failed with. */
const STATUS_OF: Record<string, number> = { conflict: 409, forbidden: 403, bad_request: 400, not_found: 404 };

interface Waiting {
  doc: StoredDoc;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

class GroupedWriter {
  private readonly waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: DocumentStore) {}

  put(doc: StoredDoc): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ doc, resolve, reject });
      if (!this.writing) void this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        try {
          const rows = await this.db.bulkDocs(
            group.map((w) => w.doc),
            { new_edits: true }
          );
          group.forEach((w, i) => {
            const row = rows[i];
            if (row && 'ok' in row) w.resolve({ ok: true, id: row.id, rev: row.rev });
            else if (row) w.reject(new StoreError(STATUS_OF[row.error] ?? 500, row.error, row.reason));
            else w.reject(new StoreError(500, 'unknown_error', 'the store did not answer for this document'));
          });
        } catch (e) {
          for (const w of group) w.reject(e);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const writers = new WeakMap<DocumentStore, GroupedWriter>();

/** `db.put(doc)`, written together with the other puts to `db` waiting at the same moment. */
export function putGrouped(db: DocumentStore, doc: StoredDoc): Promise<WriteResult> {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new GroupedWriter(db)));
  return writer.put(doc);
}
