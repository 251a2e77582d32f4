/**
 * The storage port: the subset of the CouchDB HTTP API the sync-server needs, one method per
 * CouchDB endpoint so that the CouchDB adapter (couchdb.ts) maps 1:1 and the embedded
 * PouchDB/LevelDB adapter can stand in for it on a single machine.
 *
 * Shapes are CouchDB's wire shapes on purpose: the replication routes hand them to PouchDB
 * clients almost unchanged, and PouchDB's replicator reads them field by field.
 *
 * Sequences (`Seq`) are opaque. CouchDB 2+ uses strings like "12-g1AAAA…", the embedded
 * adapter uses integers; callers never compare, increment or parse them, only pass them back.
 */

export type Seq = string | number;

/** A document as stored: CouchDB metadata fields plus whatever the body holds. */
export interface StoredDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  _revisions?: { start: number; ids: string[] };
  [field: string]: unknown;
}

/** A failure in CouchDB's shape (`{error, reason}` plus the HTTP status it comes with). */
export class StoreError extends Error {
  readonly status: number;
  readonly error: string;
  readonly reason: string;
  constructor(status: number, error: string, reason: string) {
    super(`${error}: ${reason}`);
    this.name = 'StoreError';
    this.status = status;
    this.error = error;
    this.reason = reason;
  }
}

export const isStoreError = (e: unknown): e is StoreError => e instanceof StoreError;
export const isNotFound = (e: unknown): boolean => isStoreError(e) && e.status === 404;
export const isConflict = (e: unknown): boolean => isStoreError(e) && e.status === 409;

/** GET /db/ */
export interface DatabaseInfo {
  db_name: string;
  doc_count: number;
  doc_del_count: number;
  update_seq: Seq;
  purge_seq: Seq;
  compact_running: boolean;
  instance_start_time: string;
}

/** GET /db/docid query options. */
export interface GetOptions {
  rev?: string;
  revs?: boolean;
  latest?: boolean;
  /** 'all' or a list of revisions: the answer is then a list of `{ok}` / `{missing}`. */
  open_revs?: 'all' | string[];
}

export type OpenRevsResult = Array<{ ok: StoredDoc } | { missing: string }>;

/** One row of a POST /db/_bulk_docs answer. */
export type BulkDocsRow =
  | { ok: true; id: string; rev: string }
  | { id: string | undefined; rev?: string; error: string; reason: string; code?: string; field?: string };

export interface WriteResult {
  ok: true;
  id: string;
  rev: string;
}

/** POST /db/_bulk_get body and answer. */
export interface BulkGetRequest {
  docs: Array<{ id: string; rev?: string; atts_since?: string[] }>;
}
export interface BulkGetOptions {
  revs?: boolean;
  latest?: boolean;
  attachments?: boolean;
}
export interface BulkGetResponse {
  results: Array<{
    id: string;
    docs: Array<{ ok: StoredDoc } | { error: { id: string; rev: string; error: string; reason: string } } | { missing: string }>;
  }>;
}

/** POST /db/_revs_diff: id → revisions the client has; answer: id → the ones we lack. */
export type RevsDiffRequest = Record<string, string[]>;
export type RevsDiffResponse = Record<string, { missing: string[]; possible_ancestors?: string[] }>;

/** GET|POST /db/_changes */
export interface ChangesOptions {
  since?: Seq | 'now';
  limit?: number;
  style?: 'main_only' | 'all_docs';
  include_docs?: boolean;
  /** The `_doc_ids` filter. */
  doc_ids?: string[];
  /** A hint that not every row needs a seq; adapters may ignore it (every seq is valid). */
  seq_interval?: number;
  feed?: 'normal' | 'longpoll';
  /** Longpoll: how long to wait for a change before answering with no results. */
  timeoutMs?: number;
  /** Longpoll: aborted when the client goes away, so the wait ends at once. */
  signal?: AbortSignal;
}
export interface ChangeRow {
  id: string;
  seq: Seq;
  changes: Array<{ rev: string }>;
  deleted?: boolean;
  doc?: StoredDoc;
}
export interface ChangesResponse {
  results: ChangeRow[];
  last_seq: Seq;
  pending?: number;
}

/** GET|POST /db/_all_docs */
export interface AllDocsOptions {
  startkey?: string;
  endkey?: string;
  keys?: string[];
  include_docs?: boolean;
  /** With include_docs: each document's `_conflicts` (its other live leaf revisions). */
  conflicts?: boolean;
  limit?: number;
}
export interface AllDocsResponse {
  total_rows?: number;
  rows: Array<{
    id?: string;
    key: string;
    value?: { rev: string; deleted?: boolean };
    doc?: StoredDoc | null;
    error?: string;
  }>;
}

/** `_local` documents: never replicated, used for replication checkpoints. */
export interface LocalDoc {
  _id: string;
  _rev?: string;
  [field: string]: unknown;
}

export interface DocumentStore {
  /** The database name inside the storage, e.g. `unit-bkk-prison`. */
  readonly name: string;
  info(): Promise<DatabaseInfo>;
  /** A document, or with `open_revs` the list of leaf revisions. Throws StoreError 404. */
  get(id: string, opts?: GetOptions): Promise<StoredDoc | OpenRevsResult>;
  /** PUT /db/docid. Throws StoreError 409 on a stale or missing `_rev`. */
  put(doc: StoredDoc): Promise<WriteResult>;
  /** DELETE /db/docid?rev= */
  remove(id: string, rev: string): Promise<WriteResult>;
  /** With `new_edits: false` the revisions given are kept (replication); rows for failures only. */
  bulkDocs(docs: StoredDoc[], opts: { new_edits: boolean }): Promise<BulkDocsRow[]>;
  bulkGet(body: BulkGetRequest, opts?: BulkGetOptions): Promise<BulkGetResponse>;
  revsDiff(body: RevsDiffRequest): Promise<RevsDiffResponse>;
  changes(opts: ChangesOptions): Promise<ChangesResponse>;
  allDocs(opts: AllDocsOptions): Promise<AllDocsResponse>;
  /** `id` without the `_local/` prefix. */
  getLocal(id: string): Promise<LocalDoc>;
  /** `doc._id` with the `_local/` prefix, as CouchDB and PouchDB write it. */
  putLocal(doc: LocalDoc): Promise<WriteResult>;
  deleteLocal(id: string, rev: string): Promise<WriteResult>;
  /** Releases this handle; the storage reopens the database on the next openDatabase. */
  close(): Promise<void>;
}

export interface StoragePort {
  /** Reported by /api/health. */
  readonly kind: 'embedded' | 'couchdb';
  /** PUT /{db}: idempotent, an existing database is left as it is. */
  createDatabase(name: string): Promise<void>;
  /** HEAD /{db} */
  databaseExists(name: string): Promise<boolean>;
  /** A handle on an existing database; does not create it. */
  openDatabase(name: string): DocumentStore;
  /** Closes every open handle (LevelDB holds a file lock until then). */
  close(): Promise<void>;
}
