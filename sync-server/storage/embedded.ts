/**
 * Embedded storage: PouchDB on LevelDB, one directory per database under DATA_DIR.
 * For a single machine (a CARE centre's own server, a demo, tests). A CouchDB adapter
 * implementing the same port takes over when several server instances must share data.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import { coalescedLeveldown } from './coalesced-gets.ts';
import { IdFilter } from './id-filter.ts';
import { deepFreeze, ReadCache } from './read-cache.ts';
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

/**
 * The part of PouchDB this adapter calls, loosely typed on purpose: @types/pouchdb's overloads
 * do not cover every option used here (open_revs with latest, bulkGet's latest), and every
 * result is converted into the port's CouchDB shapes below anyway.
 */
interface PouchDatabase {
  info(): Promise<any>;
  get(id: string, opts?: Record<string, unknown>): Promise<any>;
  put(doc: object): Promise<any>;
  remove(id: string, rev: string): Promise<any>;
  bulkDocs(docs: object[], opts?: Record<string, unknown>): Promise<any[]>;
  bulkGet(opts: Record<string, unknown>): Promise<any>;
  revsDiff(body: Record<string, string[]>): Promise<any>;
  allDocs(opts?: Record<string, unknown>): Promise<any>;
  changes(opts?: Record<string, unknown>): PromiseLike<any>;
  close(): Promise<void>;
}

/** Smallest id filter (ids): 1.25 MB of bits at ten per id would hold a million. */
const ID_FILTER_MIN = 100_000;
/** Ids read per page while scanning them for a filter. */
const ID_FILTER_PAGE = 5_000;

/** Database names become directory names: no dots, no slashes. */
const DB_NAME = /^[a-z][a-z0-9_-]{0,127}$/;

/** Same time for every database of this process, as CouchDB reports it. */
/** Distinct shared reads kept between two writes (distinct `since` values in flight): a bound, rarely reached. */
const SHARED_READS_MAX = 500;
/**
 * How long a finished shared read is still joined. The sharing is for bursts (hundreds of tablets
 * asking the same feed within a second or two); kept until the next write instead, a quiet unit's
 * pages — with their documents — would stay in memory for hours.
 */
export const SHARED_READ_LINGER_MS = 2_000;
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

/**
 * `allDocs` options answered by point reads (allDocsByKey): string keys, optionally with their
 * bodies, nothing else. `_local/` ids are never in allDocs, while `get` would read them.
 */
function isPlainKeyLookup(opts: AllDocsOptions): boolean {
  const asked = Object.entries(opts).filter(([, value]) => value !== undefined);
  return (
    asked.every(([option]) => option === 'keys' || option === 'include_docs') &&
    Array.isArray(opts.keys) &&
    opts.keys.every((key) => typeof key === 'string' && key !== '' && !key.startsWith('_local/'))
  );
}

/** The answer to a longpoll wait: woken by a write, or not (timeout, client gone). */
interface WriteWait {
  promise: Promise<boolean>;
  cancel(): void;
}

/** PouchDB puts Error objects (with stacks) in _bulk_get answers; CouchDB sends {id, rev, error, reason}. */
function plainBulkGet(response: any): BulkGetResponse {
  return {
    results: response.results.map((result: any) => ({
      id: result.id,
      docs: result.docs.map((entry: any) => {
        if (!entry.error) return entry;
        const e = toStoreError(entry.error) as StoreError;
        return {
          error: {
            id: result.id,
            rev: String(entry.error.rev ?? 'undefined'),
            error: e.error ?? 'error',
            reason: e.reason ?? 'error'
          }
        };
      })
    }))
  };
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
  /** Plain reads and _bulk_get entries, dropped per id by every write below (read-cache.ts). */
  private readonly cache = new ReadCache<unknown>();

  /**
   * Database info and `_changes` reads shared by identical requests while no write came between
   * (sharedRead). Profiling 500 tablets syncing at once: most of LevelDB's reads were hundreds
   * of identical `_changes?since=…` feeds, each reading every changed document's metadata.
   */
  private readonly shared = new Map<string, Promise<unknown>>();
  /** Writes of documents so far (not of _local checkpoints, which neither info nor feeds show). */
  private docWrites = 0;
  /**
   * The ids this database holds, as a Bloom filter (id-filter.ts) that lets allDocsByKey answer
   * "not found" without a read; used once `ready` (every id stored before it was built scanned).
   */
  private ids: { filter: IdFilter; ready: boolean } | null = null;
  /** Document writes in progress: a filter's scan starts after those begun before it. */
  private readonly writing = new Set<Promise<unknown>>();
  private closed = false;

  constructor(name: string, directory: string, onClose: () => void) {
    this.name = name;
    // LevelDB through leveldown, point reads of one tick read together (coalesced-gets.ts).
    this.db = new PouchDB(directory, { db: coalescedLeveldown } as object) as unknown as PouchDatabase;
    this.onClose = onClose;
    this.writes.setMaxListeners(0);
    // Built from the start rather than at the first lookup: begun under bench step 4's stream
    // of pushes, the filter was ready only when they were nearly all written, each lookup a read.
    this.idFilter();
  }

  /**
   * `read()` once for every identical `key` asked while no document was written since that read
   * began: a caller that arrives after a write always starts a new read, so it never sees less
   * than a read of its own would. Results are frozen, being shared.
   */
  private sharedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (this.closed) return read();
    const slot = `${this.docWrites}\u0000${key}`;
    let pending = this.shared.get(slot) as Promise<T> | undefined;
    if (!pending) {
      if (this.shared.size >= SHARED_READS_MAX) this.shared.clear();
      const started: Promise<T> = read().then(deepFreeze);
      pending = started;
      this.shared.set(slot, started);
      const forget = () => {
        if (this.shared.get(slot) === started) this.shared.delete(slot);
      };
      started.then(
        () => setTimeout(forget, SHARED_READ_LINGER_MS).unref(),
        () => forget()
      );
    }
    return pending;
  }

  /** After every document write: shared reads begun before it are not joined any more. */
  private documentsWritten(): void {
    this.docWrites++;
    this.shared.clear();
  }

  info(): Promise<DatabaseInfo> {
    return this.sharedRead('info', () => this.readInfo());
  }

  private readInfo(): Promise<DatabaseInfo> {
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

  /**
   * PouchDB's `latest` throws from inside a LevelDB callback when the revision is not in the
   * document's tree: an uncaught exception that would end the process, reachable by any
   * signed-in client (?rev=1-x&latest=true, or _bulk_get?latest=true). So revisions are
   * checked first (one _revs_diff) and unknown ones answered as missing without `latest`.
   */
  private async unknownRevisions(pairs: Array<{ id: string; rev: string }>): Promise<Set<string>> {
    const body: Record<string, string[]> = {};
    for (const { id, rev } of pairs) (body[id] ??= []).push(rev);
    const diff = (await this.db.revsDiff(body)) as Record<string, { missing: string[] }>;
    const unknown = new Set<string>();
    for (const [id, { missing }] of Object.entries(diff)) for (const rev of missing) unknown.add(`${id}\u0000${rev}`);
    return unknown;
  }

  get(id: string, opts: GetOptions = {}): Promise<StoredDoc | OpenRevsResult> {
    // The current version, asked on every request for sessions, accounts and units: cached.
    if (Object.keys(opts).length === 0) {
      const hit = this.cache.get(id, 'doc');
      if (hit) return Promise.resolve(hit as StoredDoc);
      const ticket = this.cache.begin();
      return mapErrors(async () => {
        const doc = (await this.db.get(id, {})) as StoredDoc;
        this.cache.set(id, 'doc', doc, ticket);
        return doc;
      });
    }
    return mapErrors(async () => {
      const pouchOpts: Record<string, unknown> = {};
      if (opts.revs) pouchOpts.revs = true;
      let latest = !!opts.latest;
      if (opts.open_revs !== undefined) {
        if (latest && Array.isArray(opts.open_revs)) {
          const unknown = await this.unknownRevisions(opts.open_revs.map((rev) => ({ id, rev })));
          const known = opts.open_revs.filter((rev) => !unknown.has(`${id}\u0000${rev}`));
          const missing = opts.open_revs.filter((rev) => unknown.has(`${id}\u0000${rev}`)).map((rev) => ({ missing: rev }));
          const found: OpenRevsResult = known.length
            ? await this.db.get(id, { ...pouchOpts, open_revs: known, latest: true })
            : [];
          return [...found, ...missing];
        }
        return this.db.get(id, { ...pouchOpts, open_revs: opts.open_revs, latest });
      }
      if (opts.rev !== undefined) {
        pouchOpts.rev = opts.rev;
        if (latest && (await this.unknownRevisions([{ id, rev: opts.rev }])).size > 0) latest = false;
      }
      if (latest) pouchOpts.latest = true;
      return this.db.get(id, pouchOpts);
    });
  }

  put(doc: StoredDoc): Promise<WriteResult> {
    return mapErrors(async () => {
      const result = await this.beforeWrite([doc._id], this.db.put(doc)).finally(() => {
        this.cache.written([doc._id]);
        this.documentsWritten();
      });
      this.writes.emit('write');
      return { ok: true, id: result.id, rev: result.rev };
    });
  }

  remove(id: string, rev: string): Promise<WriteResult> {
    return mapErrors(async () => {
      const result = await this.beforeWrite([id], this.db.remove(id, rev)).finally(() => {
        this.cache.written([id]);
        this.documentsWritten();
      });
      this.writes.emit('write');
      return { ok: true, id: result.id, rev: result.rev };
    });
  }

  bulkDocs(docs: StoredDoc[], opts: { new_edits: boolean }): Promise<BulkDocsRow[]> {
    return mapErrors(async () => {
      if (docs.length === 0) return [];
      const rows = await this.beforeWrite(
        docs.map((d) => d?._id),
        this.db.bulkDocs(docs, { new_edits: opts.new_edits })
      ).finally(() => {
        this.cache.written(docs.map((d) => d?._id));
        this.documentsWritten();
      });
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

  /**
   * Every tablet of a unit pulls the same recent revisions: each requested (id, rev, options)
   * is answered from the read cache when it can be, else joins an identical read in progress
   * (hundreds of tablets ask in the same instant, before any read has filled the cache), and
   * only the rest is read.
   */
  bulkGet(body: BulkGetRequest, opts: BulkGetOptions = {}): Promise<BulkGetResponse> {
    return mapErrors(async () => {
      const variant = (d: { rev?: string }) =>
        `bulk\u0000${d.rev ?? ''}\u0000${!!opts.revs}\u0000${!!opts.latest}\u0000${!!opts.attachments}`;
      type Entry = BulkGetResponse['results'][number];
      const answers: Array<Entry | undefined> = body.docs.map((d) => {
        const docs = this.cache.get(d.id, variant(d)) as Entry['docs'] | undefined;
        return docs ? { id: d.id, docs } : undefined;
      });
      const toRead = body.docs.filter((_d, i) => answers[i] === undefined);
      if (toRead.length === 0) return { results: answers as Entry[] };
      // PouchDB answers per id, not per request: with an id asked twice, no caching.
      if (new Set(toRead.map((d) => d.id)).size < toRead.length) return { results: await this.readBulk(body.docs, opts) };
      const joined = new Map<number, Promise<Entry['docs']>>();
      const mine: BulkGetRequest['docs'] = [];
      body.docs.forEach((d, i) => {
        if (answers[i]) return;
        const pending = this.cache.pending(d.id, variant(d)) as Promise<Entry['docs']> | undefined;
        if (pending) joined.set(i, pending);
        else mine.push(d);
      });
      const ticket = this.cache.begin();
      const read = mine.length
        ? this.readBulk(mine, opts).then((entries) => {
            const byId = new Map<string, Entry['docs']>();
            for (const entry of entries) byId.set(entry.id, [...(byId.get(entry.id) ?? []), ...entry.docs]);
            return byId;
          })
        : null;
      const own = new Map(
        mine.map((d) => [
          d.id,
          this.cache.share(
            d.id,
            variant(d),
            read!.then((byId) => byId.get(d.id) ?? []),
            ticket
          ) as Promise<Entry['docs']>
        ])
      );
      await Promise.all(
        body.docs.map(async (d, i) => {
          if (answers[i]) return;
          const docs = await (joined.get(i) ?? own.get(d.id)!);
          answers[i] = { id: d.id, docs };
          if (own.has(d.id) && docs.length > 0 && docs.every((x) => 'ok' in x)) this.cache.set(d.id, variant(d), docs, ticket);
        })
      );
      return { results: answers as Entry[] };
    });
  }

  /** PouchDB's bulkGet, with revisions not in a document's tree answered as missing. */
  private async readBulk(docs: BulkGetRequest['docs'], opts: BulkGetOptions): Promise<BulkGetResponse['results']> {
    const options = { revs: !!opts.revs, latest: !!opts.latest, attachments: !!opts.attachments };
    if (!opts.latest) return plainBulkGet(await this.db.bulkGet({ docs, ...options })).results;
    // See unknownRevisions: revisions not in the tree must not reach `latest`.
    const withRev = docs.filter((d): d is { id: string; rev: string } => typeof d.rev === 'string');
    const unknown = withRev.length ? await this.unknownRevisions(withRev) : new Set<string>();
    const isUnknown = (d: { id: string; rev?: string }) => d.rev !== undefined && unknown.has(`${d.id}\u0000${d.rev}`);
    const askable = docs.filter((d) => !isUnknown(d));
    const answered = askable.length ? plainBulkGet(await this.db.bulkGet({ docs: askable, ...options })).results : [];
    return [...answered, ...docs.filter(isUnknown).map((d) => ({ id: d.id, docs: [{ missing: d.rev! }] }))];
  }

  /**
   * An id the filter certainly does not hold has every revision missing, as PouchDB answers it,
   * without reading its revision tree: every tablet's push asks this of the new records it made.
   */
  revsDiff(body: RevsDiffRequest): Promise<RevsDiffResponse> {
    return mapErrors(async () => {
      const filter = this.idFilter();
      if (!filter) return this.db.revsDiff(body);
      const held = Object.entries(body).filter(([id]) => filter.mightHold(id));
      const unknown = Object.entries(body).filter(([id]) => !filter.mightHold(id));
      const answered = held.length > 0 ? ((await this.db.revsDiff(Object.fromEntries(held))) as RevsDiffResponse) : {};
      return { ...answered, ...Object.fromEntries(unknown.map(([id, revs]) => [id, { missing: revs }])) };
    });
  }

  private readChanges(opts: ChangesOptions, since: number | 'now'): Promise<ChangesResponse> {
    // 'now' is not a position: two requests for it a moment apart may differ.
    if (since === 'now') return this.readChangesNow(opts, since);
    const key = JSON.stringify(['changes', since, opts.limit, opts.style, !!opts.include_docs, opts.doc_ids ?? null]);
    return this.sharedRead(key, () => this.readChangesNow(opts, since));
  }

  private readChangesNow(opts: ChangesOptions, since: number | 'now'): Promise<ChangesResponse> {
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
    if (opts.keys && isPlainKeyLookup(opts)) return mapErrors(() => this.allDocsByKey(opts.keys!, !!opts.include_docs));
    return mapErrors(() => this.db.allDocs({ ...opts }));
  }

  /**
   * Called as a document write starts: its ids join the filter before anything is stored (a
   * write without an id, whose id PouchDB would make up, drops the filter), and the write is
   * tracked until it ends. `write` has already been started by the caller, synchronously.
   */
  private beforeWrite<T>(ids: unknown[], write: Promise<T>): Promise<T> {
    if (this.ids) {
      if (ids.every((id) => typeof id === 'string' && id !== '')) for (const id of ids as string[]) this.ids.filter.add(id);
      else this.ids = null;
    }
    this.writing.add(write);
    const forget = () => this.writing.delete(write);
    write.then(forget, forget);
    return write;
  }

  /**
   * The id filter when ready; otherwise starts building one (null meanwhile: lookups read the
   * store). Built from the ids in the document store, deleted ones included (allDocs answers for
   * those too), after the writes already in progress have ended: each was begun before the
   * filter existed, so its ids are found by the scan instead; later writes add their own
   * (beforeWrite). Read as id ranges (PouchDB's allDocs with `deleted: 'ok'`: one LevelDB
   * iterator, no read per document), not from the changes feed, which reads every document's
   * metadata and body one after the other: 325 ids took 600 ms while pushes kept coming.
   */
  private idFilter(): IdFilter | null {
    if (this.ids?.ready && !this.ids.filter.full) return this.ids.filter;
    if (this.ids && !this.ids.filter.full) return null; // being built
    if (this.closed) return null;
    const building = { filter: new IdFilter(ID_FILTER_MIN), ready: false };
    this.ids = building;
    const earlier = [...this.writing];
    void (async () => {
      const info = await this.db.info();
      // Sized for twice what is stored now; the ids written meanwhile go into this one, so it
      // is replaced by a right-sized one before it is used if the database is already big.
      const sized = { filter: new IdFilter(Math.max(ID_FILTER_MIN, 2 * Number(info.doc_count ?? 0) + 1_000)), ready: false };
      if (this.ids !== building) return;
      this.ids = sized;
      await Promise.allSettled([...earlier, ...this.writing]);
      // `limit` counts live documents only; a page with fewer than that was the last.
      let startkey = '';
      for (;;) {
        const page = (await this.db.allDocs({ startkey, limit: ID_FILTER_PAGE, deleted: 'ok' })) as {
          rows: Array<{ key: string; value: { deleted?: boolean } }>;
        };
        if (this.ids !== sized) return;
        for (const row of page.rows) sized.filter.add(row.key);
        if (page.rows.filter((row) => !row.value.deleted).length < ID_FILTER_PAGE) break;
        // The smallest id after the last one read.
        startkey = `${page.rows[page.rows.length - 1].key}\u0000`;
      }
      sized.ready = true;
    })().catch(() => {
      if (this.ids === building || this.ids?.ready === false) this.ids = null;
    });
    return null;
  }

  /**
   * `allDocs({keys})` as one point read per key. PouchDB's LevelDB adapter answers each key with
   * a range iterator of its own (allDocsKeysQuery): profiling 10,000 interviews pushed in batches
   * of 100, those iterators took a third of the server's time, where a `get` is one LevelDB
   * lookup. Same rows as PouchDB's: a live document with its winning revision (and body), a
   * deleted one (asked of PouchDB itself, rare) with `deleted: true`, an unknown one `not_found`.
   */
  private async allDocsByKey(keys: string[], includeDocs: boolean): Promise<AllDocsResponse> {
    type Row = AllDocsResponse['rows'][number];
    const deleted: number[] = [];
    const filter = this.idFilter();
    const rows = await Promise.all(
      keys.map(async (key, i): Promise<Row> => {
        if (filter && !filter.mightHold(key)) return { key, error: 'not_found' };
        try {
          const doc = (await this.db.get(key, {})) as StoredDoc;
          return { id: key, key, value: { rev: String(doc._rev) }, ...(includeDocs ? { doc } : {}) };
        } catch (e) {
          if ((e as { status?: number }).status !== 404) throw e;
          if ((e as { reason?: string }).reason === 'deleted') deleted.push(i);
          return { key, error: 'not_found' };
        }
      })
    );
    if (deleted.length > 0) {
      const answered = await this.db.allDocs({ keys: deleted.map((i) => keys[i]), include_docs: includeDocs });
      deleted.forEach((i, n) => (rows[i] = answered.rows[n]));
    }
    return { rows };
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
    // A closed database answers with its error from now on, not with a read shared before.
    this.closed = true;
    this.shared.clear();
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
