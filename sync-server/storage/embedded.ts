/**
 * Embedded storage: PouchDB on LevelDB, one directory per database under DATA_DIR.
 * For a single machine (a CARE centre's own server, a demo, tests). A CouchDB adapter
 * implementing the same port takes over when several server instances must share data.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import PouchDB, { type PouchDatabase } from 'pouchdb-node';
import {
  StoreError,
  type AllDocsOptions,
  type AllDocsResponse,
  type BulkDocsRow,
  type BulkGetOptions,
  type BulkGetRequest,
  type BulkGetResponse,
  type ChangesOptions,
  type ChangesResponse,
  type DatabaseInfo,
  type DocumentStore,
  type GetOptions,
  type LocalDoc,
  type OpenRevsResult,
  type RevsDiffRequest,
  type RevsDiffResponse,
  type Seq,
  type StoragePort,
  type StoredDoc,
  type WriteResult
} from './port.ts';

/** Database names become directory names: no dots, no slashes. */
const DB_NAME = /^[a-z][a-z0-9_-]{0,127}$/;

/** Same time for every database of this process, as CouchDB reports it. */
const INSTANCE_START_TIME = String(Date.now() * 1000);

/** PouchDB errors carry status/name/message; turn them into CouchDB-shaped StoreErrors. */
function toStoreError(e: unknown): unknown {
  if (e instanceof StoreError) return e;
  const err = e as { status?: unknown; name?: unknown; reason?: unknown; message?: unknown };
  if (err && typeof err.status === 'number') {
    const reason = typeof err.reason === 'string' ? err.reason : String(err.message ?? '');
    return new StoreError(err.status, typeof err.name === 'string' ? err.name : 'error', reason);
  }
  return e;
}

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toStoreError(e);
  }
}

/**
 * The embedded sequences are integers. Over HTTP they arrive as strings ("12"); PouchDB's
 * LevelDB adapter compares `since` with `===` against numbers, so a string would repeat the
 * change at `since`. Decoding our own sequence format here is the adapter's business; nothing
 * outside this file looks inside a sequence.
 */
function decodeSince(since: Seq | 'now' | undefined): number | 'now' {
  if (since === undefined || since === '') return 0;
  if (since === 'now') return 'now';
  if (typeof since === 'number' && Number.isSafeInteger(since) && since >= 0) return since;
  if (typeof since === 'string' && /^\d{1,15}$/.test(since)) return Number(since);
  throw new StoreError(400, 'bad_request', 'since is not a sequence of this database');
}

/** The answer to a longpoll wait: woken by a write, or not (timeout, client gone). */
interface WriteWait {
  promise: Promise<boolean>;
  cancel(): void;
}

class EmbeddedDocumentStore implements DocumentStore {
  readonly name: string;
  private readonly db: PouchDatabase;
  private readonly onClose: () => void;
  /**
   * Every write of this database goes through this object (LevelDB allows one process), so
   * an in-process signal after each write is an exact wake-up for longpoll waiters. It is
   * cheaper than one PouchDB live feed per waiting tablet and has no start-up race.
   */
  private readonly writes = new EventEmitter();

  constructor(name: string, directory: string, onClose: () => void) {
    this.name = name;
    this.db = new PouchDB(directory);
    this.onClose = onClose;
    this.writes.setMaxListeners(0);
  }

  info(): Promise<DatabaseInfo> {
    return mapErrors(async () => {
      const info = await this.db.info();
      return {
        db_name: this.name,
        doc_count: info.doc_count,
        doc_del_count: 0,
        update_seq: info.update_seq,
        purge_seq: 0,
        compact_running: false,
        instance_start_time: INSTANCE_START_TIME
      };
    });
  }

  get(id: string, opts: GetOptions = {}): Promise<StoredDoc | OpenRevsResult> {
    return mapErrors(() => {
      const pouchOpts: Record<string, unknown> = {};
      if (opts.rev !== undefined) pouchOpts.rev = opts.rev;
      if (opts.revs) pouchOpts.revs = true;
      if (opts.latest) pouchOpts.latest = true;
      if (opts.open_revs !== undefined) pouchOpts.open_revs = opts.open_revs;
      return this.db.get(id, pouchOpts);
    });
  }

  put(doc: StoredDoc): Promise<WriteResult> {
    return mapErrors(async () => {
      const result = await this.db.put(doc);
      this.writes.emit('write');
      return { ok: true, id: result.id, rev: result.rev };
    });
  }

  remove(id: string, rev: string): Promise<WriteResult> {
    return mapErrors(async () => {
      const result = await this.db.remove(id, rev);
      this.writes.emit('write');
      return { ok: true, id: result.id, rev: result.rev };
    });
  }

  bulkDocs(docs: StoredDoc[], opts: { new_edits: boolean }): Promise<BulkDocsRow[]> {
    return mapErrors(async () => {
      if (docs.length === 0) return [];
      const rows = await this.db.bulkDocs(docs, { new_edits: opts.new_edits });
      this.writes.emit('write');
      // PouchDB puts Error objects in the array; CouchDB sends plain {id, error, reason}.
      return rows.map((row: any): BulkDocsRow => {
        if (row && (row instanceof Error || row.error)) {
          const e = toStoreError(row) as StoreError;
          return { id: row.id, error: e.error ?? 'error', reason: e.reason ?? String(row.message) };
        }
        return { ok: true, id: row.id, rev: row.rev };
      });
    });
  }

  bulkGet(body: BulkGetRequest, opts: BulkGetOptions = {}): Promise<BulkGetResponse> {
    return mapErrors(() =>
      this.db.bulkGet({ docs: body.docs, revs: !!opts.revs, latest: !!opts.latest, attachments: !!opts.attachments })
    );
  }

  revsDiff(body: RevsDiffRequest): Promise<RevsDiffResponse> {
    return mapErrors(() => this.db.revsDiff(body));
  }

  private readChanges(opts: ChangesOptions, since: number | 'now'): Promise<ChangesResponse> {
    const pouchOpts: Record<string, unknown> = { since, return_docs: true };
    if (opts.limit !== undefined) pouchOpts.limit = opts.limit;
    if (opts.style) pouchOpts.style = opts.style;
    if (opts.include_docs) pouchOpts.include_docs = true;
    if (opts.doc_ids) pouchOpts.doc_ids = opts.doc_ids;
    // seq_interval is ignored: giving every row its sequence is always valid.
    return this.db.changes(pouchOpts) as unknown as Promise<ChangesResponse>;
  }

  private waitForWrite(timeoutMs: number, signal?: AbortSignal): WriteWait {
    let cancel = () => {};
    const promise = new Promise<boolean>((resolve) => {
      const finish = (woken: boolean) => {
        clearTimeout(timer);
        this.writes.off('write', onWrite);
        signal?.removeEventListener('abort', onAbort);
        resolve(woken);
      };
      const onWrite = () => finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.writes.on('write', onWrite);
      signal?.addEventListener('abort', onAbort, { once: true });
      cancel = () => finish(false);
    });
    return { promise, cancel };
  }

  changes(opts: ChangesOptions): Promise<ChangesResponse> {
    return mapErrors(async () => {
      const since = decodeSince(opts.since);
      let result = await this.readChanges(opts, since);
      if (opts.feed !== 'longpoll') return result;
      // since=now: later reads must start from where "now" was, not from "now" again.
      const from = since === 'now' ? decodeSince(result.last_seq) : since;
      const deadline = Date.now() + (opts.timeoutMs ?? 25_000);
      while (result.results.length === 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || opts.signal?.aborted) break;
        // Listen first, then look again: a write between the two reads cannot be missed.
        const wait = this.waitForWrite(remaining, opts.signal);
        result = await this.readChanges(opts, from);
        if (result.results.length > 0) {
          wait.cancel();
          break;
        }
        if (!(await wait.promise)) break;
        result = await this.readChanges(opts, from);
      }
      return result;
    });
  }

  allDocs(opts: AllDocsOptions): Promise<AllDocsResponse> {
    return mapErrors(() => this.db.allDocs({ ...opts }));
  }

  getLocal(id: string): Promise<LocalDoc> {
    return mapErrors(() => this.db.get(`_local/${id}`));
  }

  putLocal(doc: LocalDoc): Promise<WriteResult> {
    return mapErrors(async () => {
      if (!doc._id.startsWith('_local/')) throw new StoreError(400, 'bad_request', 'not a _local document id');
      const result = await this.db.put(doc);
      return { ok: true, id: result.id, rev: result.rev };
    });
  }

  deleteLocal(id: string, rev: string): Promise<WriteResult> {
    return mapErrors(async () => {
      const result = await this.db.remove(`_local/${id}`, rev);
      return { ok: true, id: result.id, rev: result.rev };
    });
  }

  async close(): Promise<void> {
    this.onClose();
    await this.db.close();
  }
}

export class EmbeddedStorage implements StoragePort {
  readonly kind = 'embedded' as const;
  private readonly dataDir: string;
  /** One PouchDB instance per database for the life of the process (LevelDB is single-open). */
  private readonly open = new Map<string, EmbeddedDocumentStore>();

  constructor(dataDir: string) {
    this.dataDir = path.resolve(dataDir);
    mkdirSync(this.dataDir, { recursive: true });
  }

  private directoryOf(name: string): string {
    if (!DB_NAME.test(name)) throw new StoreError(400, 'illegal_database_name', 'Name is not a valid database name.');
    return path.join(this.dataDir, name);
  }

  async createDatabase(name: string): Promise<void> {
    const directory = this.directoryOf(name);
    if (this.open.has(name)) return;
    // Opening creates the LevelDB directory; info() waits until it is ready.
    const store = this.handle(name, directory);
    await store.info();
  }

  async databaseExists(name: string): Promise<boolean> {
    return this.open.has(name) || existsSync(this.directoryOf(name));
  }

  openDatabase(name: string): DocumentStore {
    const directory = this.directoryOf(name);
    const cached = this.open.get(name);
    if (cached) return cached;
    if (!existsSync(directory)) throw new StoreError(404, 'not_found', 'Database does not exist.');
    return this.handle(name, directory);
  }

  private handle(name: string, directory: string): EmbeddedDocumentStore {
    const store = new EmbeddedDocumentStore(name, directory, () => this.open.delete(name));
    this.open.set(name, store);
    return store;
  }

  async close(): Promise<void> {
    const stores = [...this.open.values()];
    await Promise.all(stores.map((s) => s.close()));
  }
}
