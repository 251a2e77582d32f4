/**
 * CouchDB storage: the storage port over a CouchDB 3 server (or cluster), through a small
 * keep-alive HTTP client (couch-http.ts).
 * Chosen when COUCHDB_URL is set; then several stateless sync-server instances can share one
 * store (docs/scaling.md). Every method is one CouchDB request (two where noted), and answers
 * are handed back in CouchDB's own shapes, which are the port's shapes.
 *
 * Credentials travel as HTTP Basic from the URL on every request: a cookie session
 * (`POST /_session`) expires and must be renewed, and is not kept by every CouchDB-compatible
 * server; Basic has neither problem.
 *
 * Sequences are opaque strings here: they are passed to CouchDB exactly as the client sent
 * them and never compared, parsed or incremented.
 *
 * A database-name prefix (COUCHDB_PREFIX, default none) is put in front of every database the
 * adapter creates or opens, so several deployments (or test runs) can share one CouchDB without
 * seeing each other's data. Callers keep using the plain names (`system`, `unit-…`).
 */
import { CouchHttp, DEFAULT_COUCH_SOCKETS } from './couch-http.ts';
import { FollowedCache, type FollowOptions } from './couch-followed-cache.ts';
import { InFlightReads } from './read-cache.ts';
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

/** The names the embedded adapter accepts, which are also valid CouchDB database names. */
const DB_NAME = /^[a-z][a-z0-9_-]{0,127}$/;
/** A prefix keeps the full name a valid CouchDB name (at most 238 characters, a-z first). */
const DB_PREFIX = /^([a-z][a-z0-9_-]{0,63})?$/;

/**
 * CouchDB answers a longpoll itself after `timeout`; we also stop waiting a little later on our
 * side, so a store (or a balancer in front of it) that ignores the timeout cannot hold a
 * tablet's request for ever.
 */
const LONGPOLL_GRACE_MS = 1_000;

/**
 * Longest wait for any other CouchDB answer. HTTP itself sets no limit, so a store that accepted the
 * connection and never answers (a node stuck under load, a half-open connection through a
 * balancer) would hold the tablet's request, and its turn on the account, for ever; past this the
 * request fails with 503 and the tablet retries.
 */
export const DEFAULT_STORE_REQUEST_TIMEOUT_MS = 60_000;

interface RequestOptions {
  method?: 'get' | 'put' | 'post' | 'delete' | 'head';
  /** Path below the database, already URL-encoded. */
  path?: string;
  qs?: Record<string, string | number | boolean>;
  body?: unknown;
  signal?: AbortSignal;
  /** A longpoll: on sockets of its own (couch-http.ts). */
  longHeld?: boolean;
}

/** A failure: an HTTP answer (couch-http.ts makes it a StoreError) or no answer at all. */
function toStoreError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  const err = e as { statusCode?: unknown; error?: unknown; reason?: unknown; message?: unknown; name?: unknown };
  if (err && typeof err.statusCode === 'number') {
    const reason = typeof err.reason === 'string' ? err.reason : String(err.message ?? 'error');
    return new StoreError(err.statusCode, typeof err.error === 'string' ? err.error : 'error', reason);
  }
  // Connection refused, reset, DNS…: never quote the URL (it holds the password).
  return new StoreError(503, 'service_unavailable', 'the CouchDB store could not be reached');
}

/** A document id in a URL path. CouchDB wants the slash of `_design/x` as it is (encoded, it answers nothing). */
const encodeId = (id: string) =>
  id.startsWith('_design/') ? `_design/${encodeURIComponent(id.slice(8))}` : encodeURIComponent(id);

/**
 * Revision ids this store can hold: the ones CouchDB generates and the only ones the write gate
 * lets replicate in (screen-docs.ts). CouchDB answers any malformed one with 400 for the whole
 * request (the embedded store and the stand-in: "missing"); the adapter answers "missing" for
 * them itself, without asking, so both stores answer alike.
 */
const isRevisionId = (rev: string) => /^[1-9][0-9]{0,15}-[0-9a-f]{1,64}$/.test(rev);

/** JSON answers the routes forward must at least be objects; couch-http.ts yields null for an unparsable body. */
function expectObject<T>(value: unknown, what: string): T {
  if (value === null || typeof value !== 'object') throw new StoreError(502, 'bad_gateway', `CouchDB sent no JSON for ${what}`);
  return value as T;
}

class CouchDocumentStore implements DocumentStore {
  readonly name: string;
  private readonly server: CouchHttp;
  /** The name in CouchDB: the prefix and `name`. */
  private readonly couchName: string;
  private readonly timeoutMs: number;
  /**
   * Database info, `_changes` pages and `_bulk_get` batches asked again while the same one is
   * on its way, shared (read-cache.ts InFlightReads): hundreds of a unit's tablets syncing at
   * once ask CouchDB for the same page and the same 50 revisions, and each answer cost CouchDB
   * and this process CPU on the same cores as the rest.
   */
  private readonly shared: InFlightReads;
  /** Plain document reads, cached while the database's changes feed is followed (the `system` database only). */
  private readonly followed: FollowedCache | null;

  constructor(
    server: CouchHttp,
    name: string,
    couchName: string,
    timeoutMs: number,
    shared: InFlightReads,
    followed: FollowedCache | null
  ) {
    this.server = server;
    this.name = name;
    this.couchName = couchName;
    this.timeoutMs = timeoutMs;
    this.shared = shared;
    this.followed = followed;
  }

  /** After every write of documents (whatever its outcome): reads shared or cached before it are not used again. */
  private written(ids: Array<string | undefined>): void {
    this.shared.written();
    this.followed?.written(ids.filter((id): id is string => typeof id === 'string'));
  }

  /** One CouchDB request; bounded in time unless the caller brings its own end (the longpoll). */
  private async request<T>(opts: RequestOptions, what: string): Promise<T> {
    // A plain controller and timer, as for the longpoll (AbortSignal.timeout was seen not to fire under load).
    const ownEnd = opts.signal ? null : new AbortController();
    const giveUp = ownEnd && setTimeout(() => ownEnd.abort(), this.timeoutMs);
    try {
      const answer = await this.server.request({
        db: this.couchName,
        method: opts.method ?? 'get',
        path: opts.path,
        qs: opts.qs,
        body: opts.body,
        signal: opts.signal ?? ownEnd!.signal,
        longHeld: opts.longHeld
      });
      return expectObject<T>(answer, what);
    } catch (e) {
      if (ownEnd?.signal.aborted) throw new StoreError(503, 'store_timeout', `the CouchDB store did not answer ${what} in time`);
      throw toStoreError(e);
    } finally {
      if (giveUp) clearTimeout(giveUp);
    }
  }

  async info(): Promise<DatabaseInfo> {
    const info = await this.shared.join('info', () => this.request<Record<string, any>>({}, 'database info'));
    return {
      db_name: this.name,
      doc_count: Number(info.doc_count ?? 0),
      doc_del_count: Number(info.doc_del_count ?? 0),
      update_seq: info.update_seq,
      purge_seq: info.purge_seq ?? 0,
      compact_running: !!info.compact_running,
      instance_start_time: String(info.instance_start_time ?? '0')
    };
  }

  /**
   * Revisions not in a document's tree, asked before `latest`. CouchDB answers an unknown
   * revision with `latest` correctly, but PouchDB-based CouchDB-compatible servers throw inside
   * a storage callback and die; one extra _revs_diff keeps the adapter safe on both.
   */
  private async unknownRevisions(pairs: Array<{ id: string; rev: string }>): Promise<Set<string>> {
    const body: Record<string, string[]> = {};
    for (const { id, rev } of pairs) (body[id] ??= []).push(rev);
    const diff = await this.revsDiff(body);
    const unknown = new Set<string>();
    for (const [id, { missing }] of Object.entries(diff)) for (const rev of missing) unknown.add(`${id}\u0000${rev}`);
    return unknown;
  }

  async get(id: string, opts: GetOptions = {}): Promise<StoredDoc | OpenRevsResult> {
    if (this.followed && Object.keys(opts).length === 0)
      return this.followed.get(id, () => this.request<StoredDoc>({ path: encodeId(id) }, 'a document'));
    const qs: Record<string, string | boolean> = {};
    if (opts.revs) qs.revs = true;
    let latest = !!opts.latest;
    if (opts.open_revs !== undefined) {
      let openRevs = opts.open_revs;
      const missing: OpenRevsResult = [];
      if (Array.isArray(openRevs)) {
        missing.push(...openRevs.filter((rev) => !isRevisionId(rev)).map((rev) => ({ missing: rev })));
        openRevs = openRevs.filter(isRevisionId);
        if (openRevs.length === 0) return missing;
      }
      if (latest && Array.isArray(openRevs)) {
        const unknown = await this.unknownRevisions(openRevs.map((rev) => ({ id, rev })));
        missing.push(...openRevs.filter((rev) => unknown.has(`${id}\u0000${rev}`)).map((rev) => ({ missing: rev })));
        openRevs = openRevs.filter((rev) => !unknown.has(`${id}\u0000${rev}`));
        if (openRevs.length === 0) return missing;
      }
      qs.open_revs = openRevs === 'all' ? 'all' : JSON.stringify(openRevs);
      if (latest) qs.latest = true;
      const found = await this.request<OpenRevsResult>({ path: encodeId(id), qs }, 'open_revs');
      if (!Array.isArray(found)) throw new StoreError(502, 'bad_gateway', 'CouchDB did not answer open_revs with a list');
      return [...found, ...missing];
    }
    if (opts.rev !== undefined) {
      if (!isRevisionId(opts.rev)) throw new StoreError(404, 'not_found', 'missing');
      qs.rev = opts.rev;
      if (latest && (await this.unknownRevisions([{ id, rev: opts.rev }])).size > 0) latest = false;
    }
    if (latest) qs.latest = true;
    return this.request<StoredDoc>({ path: encodeId(id), qs }, 'a document');
  }

  async put(doc: StoredDoc): Promise<WriteResult> {
    const ticket = this.followed?.beforeWrite();
    let result: WriteResult;
    try {
      result = await this.request<WriteResult>({ method: 'put', path: encodeId(doc._id), body: doc }, 'a write');
    } catch (e) {
      this.written([doc._id]);
      throw e;
    }
    this.shared.written();
    if (this.followed) this.followed.stored(doc, result.rev, ticket!);
    return { ok: true, id: result.id, rev: result.rev };
  }

  async remove(id: string, rev: string): Promise<WriteResult> {
    const result = await this.request<WriteResult>({ method: 'delete', path: encodeId(id), qs: { rev } }, 'a delete').finally(
      () => this.written([id])
    );
    return { ok: true, id: result.id, rev: result.rev };
  }

  async bulkDocs(docs: StoredDoc[], opts: { new_edits: boolean }): Promise<BulkDocsRow[]> {
    if (docs.length === 0) return [];
    const rows = await this.request<any[]>(
      { method: 'post', path: '_bulk_docs', body: { docs, new_edits: opts.new_edits } },
      '_bulk_docs'
    ).finally(() => this.written(docs.map((d) => d?._id)));
    if (!Array.isArray(rows)) throw new StoreError(502, 'bad_gateway', 'CouchDB did not answer _bulk_docs with a list');
    return rows.map((row): BulkDocsRow =>
      row && row.error
        ? { id: row.id, ...(row.rev ? { rev: row.rev } : {}), error: String(row.error), reason: String(row.reason ?? row.error) }
        : { ok: true, id: row.id, rev: row.rev }
    );
  }

  bulkGet(body: BulkGetRequest, opts: BulkGetOptions = {}): Promise<BulkGetResponse> {
    const key = JSON.stringify(['_bulk_get', !!opts.revs, !!opts.latest, !!opts.attachments, body.docs]);
    return this.shared.join(key, () => this.readBulk(body, opts));
  }

  private async readBulk(body: BulkGetRequest, opts: BulkGetOptions): Promise<BulkGetResponse> {
    const qs = { revs: !!opts.revs, latest: !!opts.latest, attachments: !!opts.attachments };
    const ask = (docs: BulkGetRequest['docs']) =>
      this.request<BulkGetResponse>({ method: 'post', path: '_bulk_get', qs, body: { docs } }, '_bulk_get');
    const withRev = body.docs.filter((d): d is { id: string; rev: string } => typeof d.rev === 'string' && isRevisionId(d.rev));
    // See unknownRevisions: revisions not in the tree must not reach `latest`.
    const unknown = opts.latest && withRev.length ? await this.unknownRevisions(withRev) : new Set<string>();
    const isUnknown = (d: { id: string; rev?: string }) =>
      d.rev !== undefined && (!isRevisionId(d.rev) || unknown.has(`${d.id}\u0000${d.rev}`));
    const askable = body.docs.filter((d) => !isUnknown(d));
    const answered = askable.length ? await ask(askable) : { results: [] };
    const missing = body.docs.filter(isUnknown).map((d) => ({ id: d.id, docs: [{ missing: d.rev! }] }));
    return { results: [...answered.results, ...missing] };
  }

  async revsDiff(body: RevsDiffRequest): Promise<RevsDiffResponse> {
    // Malformed revisions cannot be here: missing, without asking (CouchDB would refuse the request).
    const askable: RevsDiffRequest = {};
    const malformed: RevsDiffResponse = {};
    for (const [id, revs] of Object.entries(body)) {
      const good = revs.filter(isRevisionId);
      if (good.length) askable[id] = good;
      if (good.length < revs.length) malformed[id] = { missing: revs.filter((rev) => !isRevisionId(rev)) };
    }
    const answer = Object.keys(askable).length
      ? await this.request<RevsDiffResponse>({ method: 'post', path: '_revs_diff', body: askable }, '_revs_diff')
      : {};
    for (const [id, { missing }] of Object.entries(malformed)) {
      const known = answer[id];
      answer[id] = known ? { ...known, missing: [...known.missing, ...missing] } : { missing };
    }
    return answer;
  }

  private changesQuery(opts: ChangesOptions, since: Seq | 'now' | undefined): Record<string, string | number | boolean> {
    const qs: Record<string, string | number | boolean> = {};
    if (since !== undefined && since !== '') qs.since = since; // opaque: as the client sent it
    if (opts.limit !== undefined) qs.limit = opts.limit;
    if (opts.style === 'all_docs') qs.style = 'all_docs';
    if (opts.include_docs) qs.include_docs = true;
    if (opts.seq_interval !== undefined) qs.seq_interval = opts.seq_interval;
    if (opts.doc_ids) qs.filter = '_doc_ids';
    return qs;
  }

  private async readChanges(qs: Record<string, string | number | boolean>, docIds: string[] | undefined, signal?: AbortSignal) {
    const response = await this.request<ChangesResponse>(
      docIds
        ? { method: 'post', path: '_changes', qs, body: { doc_ids: docIds }, signal, longHeld: !!signal }
        : { path: '_changes', qs, signal, longHeld: !!signal },
      '_changes'
    );
    if (!Array.isArray(response.results))
      throw new StoreError(502, 'bad_gateway', 'CouchDB sent a _changes answer without results');
    return response;
  }

  async changes(opts: ChangesOptions): Promise<ChangesResponse> {
    if (opts.feed !== 'longpoll') {
      const qs = this.changesQuery(opts, opts.since);
      // since=now is not a position: two requests for it a moment apart may differ.
      if (opts.since === 'now') return this.readChanges(qs, opts.doc_ids);
      return this.shared.join(JSON.stringify(['_changes', qs, opts.doc_ids ?? null]), () => this.readChanges(qs, opts.doc_ids));
    }
    // An empty longpoll answer must still carry a sequence to come back with; for since=now
    // the database's current one (a valid `since` in CouchDB, whatever its encoding).
    const since = opts.since === 'now' ? (await this.info()).update_seq : opts.since;
    const timeoutMs = opts.timeoutMs ?? 25_000;
    const qs = { ...this.changesQuery(opts, since), feed: 'longpoll', timeout: timeoutMs };
    // A plain controller and timer, held here until the wait ends: a composite of
    // AbortSignal.timeout / AbortSignal.any was seen never to fire under load (the wait hung).
    const stop = new AbortController();
    const giveUp = setTimeout(() => stop.abort(), timeoutMs + LONGPOLL_GRACE_MS);
    const clientGone = () => stop.abort();
    opts.signal?.addEventListener('abort', clientGone, { once: true });
    if (opts.signal?.aborted) stop.abort();
    try {
      return await this.readChanges(qs, opts.doc_ids, stop.signal);
    } catch (e) {
      // Our own end of the wait (client gone, or the store ignored the timeout): no changes.
      if (stop.signal.aborted) return { results: [], last_seq: since ?? 0 };
      throw e;
    } finally {
      clearTimeout(giveUp);
      opts.signal?.removeEventListener('abort', clientGone);
    }
  }

  async allDocs(opts: AllDocsOptions): Promise<AllDocsResponse> {
    const qs: Record<string, string | number | boolean> = {};
    // The client JSON-encodes startkey/endkey itself (couch-http.ts JSON_PARAMS, as nano did); encoding
    // them here too sent '"\"unit:\""' and every range read came back empty.
    if (opts.startkey !== undefined) qs.startkey = opts.startkey;
    if (opts.endkey !== undefined) qs.endkey = opts.endkey;
    if (opts.include_docs) qs.include_docs = true;
    if (opts.conflicts) qs.conflicts = true;
    if (opts.limit !== undefined) qs.limit = opts.limit;
    const request: RequestOptions = opts.keys
      ? { method: 'post', path: '_all_docs', qs, body: { keys: opts.keys } }
      : { path: '_all_docs', qs };
    return this.request<AllDocsResponse>(request, '_all_docs');
  }

  getLocal(id: string): Promise<LocalDoc> {
    return this.request<LocalDoc>({ path: `_local/${encodeId(id)}` }, 'a _local document');
  }

  async putLocal(doc: LocalDoc): Promise<WriteResult> {
    if (!doc._id.startsWith('_local/')) throw new StoreError(400, 'bad_request', 'not a _local document id');
    const id = doc._id.slice('_local/'.length);
    const result = await this.request<WriteResult>(
      { method: 'put', path: `_local/${encodeId(id)}`, body: doc },
      'a _local write'
    );
    return { ok: true, id: result.id, rev: result.rev };
  }

  async deleteLocal(id: string, rev: string): Promise<WriteResult> {
    const result = await this.request<WriteResult>(
      { method: 'delete', path: `_local/${encodeId(id)}`, qs: { rev } },
      'a _local delete'
    );
    return { ok: true, id: result.id, rev: result.rev };
  }

  /** Nothing to release: every call is a separate HTTP request. */
  async close(): Promise<void> {}
}

export interface CouchStorageOptions {
  /** Put in front of every database name (COUCHDB_PREFIX): `care_` stores `system` as `care_system`. */
  prefix?: string;
  /** Longest wait for a CouchDB answer other than a longpoll (DEFAULT_STORE_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** Sockets to CouchDB for requests other than longpolls (couch-http.ts DEFAULT_COUCH_SOCKETS). */
  maxSockets?: number;
  /**
   * The databases (plain names) whose document reads are cached while their changes feed is
   * followed (couch-followed-cache.ts): by default `system`, read on every request. `false`
   * caches nothing.
   */
  followed?: { databases: string[]; feed?: FollowOptions } | false;
}

const DEFAULT_FOLLOWED = ['system'];

export class CouchStorage implements StoragePort {
  readonly kind = 'couchdb' as const;
  readonly prefix: string;
  private readonly server: CouchHttp;
  private readonly requestTimeoutMs: number;
  /** Per database (one per unit, plus system and audit): reads in progress that identical ones join. */
  private readonly sharedReads = new Map<string, InFlightReads>();
  /** The server URL with credentials (the feeds are plain HTTP requests of their own). */
  private readonly url: URL;
  private readonly followedNames: Set<string>;
  private readonly feedOptions: FollowOptions;
  /** Per followed database: its cache and the feed that keeps it true, opened at its first use. */
  private readonly followedCaches = new Map<string, FollowedCache>();

  /** `url` with credentials, e.g. http://admin:secret@127.0.0.1:5984 */
  constructor(url: string, options: CouchStorageOptions = {}) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('COUCHDB_URL must be an http(s) URL');
    const prefix = options.prefix ?? '';
    if (!DB_PREFIX.test(prefix))
      throw new Error('COUCHDB_PREFIX must be a-z first, then a-z, 0-9, _ or -, at most 64 characters');
    this.prefix = prefix;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_STORE_REQUEST_TIMEOUT_MS;
    if (!(this.requestTimeoutMs > 0)) throw new Error('the CouchDB request timeout must be a positive number of milliseconds');
    this.server = new CouchHttp(parsed, options.maxSockets ?? DEFAULT_COUCH_SOCKETS);
    this.url = parsed;
    this.followedNames = new Set(options.followed === false ? [] : (options.followed?.databases ?? DEFAULT_FOLLOWED));
    this.feedOptions = (options.followed && options.followed.feed) || {};
  }

  /** The read cache of database `name` if it is followed, created (and its feed opened) at first use. */
  followedCache(name: string): FollowedCache | null {
    if (!this.followedNames.has(name)) return null;
    const couchName = this.couchName(name);
    let cache = this.followedCaches.get(couchName);
    if (!cache) {
      const url = new URL(this.url);
      url.pathname = `${url.pathname.replace(/\/?$/, '/')}${encodeURIComponent(couchName)}`;
      this.followedCaches.set(couchName, (cache = new FollowedCache(url.toString(), this.feedOptions)));
    }
    return cache;
  }

  /** The database's name in CouchDB; throws for a name the embedded adapter would refuse too. */
  private couchName(name: string): string {
    if (!DB_NAME.test(name)) throw new StoreError(400, 'illegal_database_name', 'Name is not a valid database name.');
    return this.prefix + name;
  }

  async createDatabase(name: string): Promise<void> {
    const db = this.couchName(name);
    try {
      await this.server.request({ db, method: 'put' });
    } catch (e) {
      const err = toStoreError(e);
      // 412: it exists already (created earlier, or by another instance just now).
      if (err.status !== 412) throw err;
    }
  }

  async databaseExists(name: string): Promise<boolean> {
    const db = this.couchName(name);
    try {
      await this.server.request({ db, method: 'get' });
      return true;
    } catch (e) {
      const err = toStoreError(e);
      if (err.status === 404) return false;
      throw err;
    }
  }

  openDatabase(name: string): DocumentStore {
    const couchName = this.couchName(name);
    let shared = this.sharedReads.get(couchName);
    if (!shared) this.sharedReads.set(couchName, (shared = new InFlightReads()));
    return new CouchDocumentStore(this.server, name, couchName, this.requestTimeoutMs, shared, this.followedCache(name));
  }

  /** Ends the feeds; a database opened afterwards is followed anew. */
  async close(): Promise<void> {
    for (const cache of this.followedCaches.values()) cache.stop();
    this.followedCaches.clear();
    this.server.close();
  }
}
