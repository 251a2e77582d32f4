/**
 * A cache of plain document reads (`GET /db/id`) for a CouchDB database that several
 * sync-server instances write: the `system` database, whose session, account and unit
 * documents every request reads (on CouchDB about half of the store requests of a sync).
 *
 * Other instances write there without telling this process, so the cache follows the
 * database's continuous `_changes` feed (from "now", with a heartbeat) and drops an id's entry
 * when the feed shows the id changed; this process's own writes drop it at once. A read that was
 * in flight when its id changed does not fill the cache (read-cache.ts ReadCache's ticket).
 *
 * The cache is used only while the feed is live: from its first heartbeat until it errs, ends
 * or stays silent for `silenceMs`. Meanwhile (start-up, outage, reconnecting) every read goes
 * to CouchDB and the cache is emptied, and a read begun before the feed came back does not fill
 * it. So an answer is never older than the feed's delivery latency (tens of milliseconds on a
 * healthy CouchDB), and at worst `silenceMs` when the feed stalls without closing
 * (docs/scaling.md "Reads cached per instance").
 */
import http from 'node:http';
import https from 'node:https';
import { basicAuthorization } from './couch-http.ts';
import { ReadCache } from './read-cache.ts';
import type { StoredDoc } from './port.ts';

export interface FollowOptions {
  /** CouchDB sends a newline this often when nothing changed. */
  heartbeatMs?: number;
  /** No byte from the feed for this long: it counts as lost (cache bypassed) and is reopened. */
  silenceMs?: number;
  /** Wait before reopening a lost feed. */
  retryMs?: number;
}

export const DEFAULT_FOLLOW: Required<FollowOptions> = { heartbeatMs: 1_000, silenceMs: 3_000, retryMs: 1_000 };

/** A feed line longer than this is not a change row we need (ids are short): the feed is reopened. */
const MAX_LINE_CHARS = 64 * 1024;
/** Feed rows remembered for `stored` (ids of sessions and accounts written in the last moments). */
const MAX_ROWS_REMEMBERED = 10_000;

export class FollowedCache {
  private readonly cache = new ReadCache<StoredDoc>();
  private readonly feedUrl: URL;
  private readonly options: Required<FollowOptions>;
  private live = false;
  private stopped = false;
  private feed: http.ClientRequest | null = null;
  private silence: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  /** id → the winning revision named by the last feed row seen for it (bounded: forgetting is safe). */
  private readonly lastRowRev = new Map<string, string>();
  /** Times the feed went live (tests and the bench read it). */
  connections = 0;

  /** `databaseUrl`: the database's URL with credentials, e.g. http://user:pw@host:5984/care_system */
  constructor(databaseUrl: string, options: FollowOptions = {}) {
    this.options = { ...DEFAULT_FOLLOW, ...options };
    const url = new URL(databaseUrl.replace(/\/?$/, '/_changes'));
    url.search = new URLSearchParams({
      feed: 'continuous',
      since: 'now',
      heartbeat: String(this.options.heartbeatMs)
    }).toString();
    this.feedUrl = url;
    this.connect();
  }

  /** True while reads are answered from the cache. */
  get isLive(): boolean {
    return this.live;
  }

  /**
   * The document `id`: from the cache while the feed is live, else (and to fill it) by `read`.
   * Requests asking for the same id at the same moment (an officer's tablets) share one read.
   */
  async get(id: string, read: () => Promise<StoredDoc>): Promise<StoredDoc> {
    if (!this.live) return read();
    const hit = this.cache.get(id, 'doc');
    if (hit) return hit;
    const pending = this.cache.pending(id, 'doc');
    if (pending) return pending;
    const ticket = this.cache.begin();
    const doc = await this.cache.share(id, 'doc', read(), ticket);
    // Refused if the id changed, or the feed was lost or reopened, since the read began.
    if (this.live) this.cache.set(id, 'doc', doc, ticket);
    return doc;
  }

  /** A ticket to take just before a write through this process, for `stored`. */
  beforeWrite(): number {
    return this.cache.begin();
  }

  /**
   * After this process stored `doc` as revision `rev` (a write begun at `ticket`): later reads
   * get it without asking CouchDB (a session just created, an account just changed), unless the
   * feed showed another change of it meanwhile, which may be newer.
   */
  stored(doc: StoredDoc, rev: string, ticket: number): void {
    // Unchanged since the write began, or changed only by this write, whose row on the feed may
    // come before CouchDB's answer to it (the last row seen for the id names this revision).
    const current =
      this.live && !doc._deleted && (this.cache.unchangedSince(doc._id, ticket) || this.lastRowRev.get(doc._id) === rev);
    this.cache.written([doc._id]);
    // A copy: the cache freezes what it holds, and the caller keeps its document.
    if (current) this.cache.set(doc._id, 'doc', { ...structuredClone(doc), _rev: rev }, this.cache.begin());
  }

  /** After (and for) every write of `ids` through this process, whether it succeeded or not. */
  written(ids: Iterable<string>): void {
    this.cache.written(ids);
  }

  /** Ends the feed for good (the storage is closing). */
  stop(): void {
    this.stopped = true;
    this.lost();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.feedUrl;
    const auth = basicAuthorization(url);
    const client = url.protocol === 'https:' ? https : http;
    // Its own connection (no agent): a feed held open must not take a socket from the pool the requests share.
    const feed = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        agent: false,
        headers: { Accept: 'application/json', ...(auth && { Authorization: auth }) }
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          this.lost(feed);
          return;
        }
        response.setEncoding('utf8');
        let partial = '';
        response.on('data', (chunk: string) => {
          if (this.feed !== feed) return;
          this.heard(feed);
          partial += chunk;
          let newline: number;
          while ((newline = partial.indexOf('\n')) >= 0) {
            const line = partial.slice(0, newline).trim();
            partial = partial.slice(newline + 1);
            if (line) this.row(line, feed);
          }
          if (partial.length > MAX_LINE_CHARS) this.lost(feed);
        });
        response.on('end', () => this.lost(feed));
        response.on('error', () => this.lost(feed));
      }
    );
    // The process may end while a feed is open (a script, a test file): the feed does not hold it.
    feed.on('socket', (socket) => socket.unref());
    feed.on('error', () => this.lost(feed));
    feed.on('close', () => this.lost(feed));
    this.feed = feed;
    this.armSilence(feed);
    feed.end();
  }

  /** Any byte from the feed (a row or a heartbeat): it is alive; the first one makes the cache usable. */
  private heard(feed: http.ClientRequest): void {
    this.armSilence(feed);
    if (!this.live) {
      // Reads begun before this point may have missed a change made before the feed's "now".
      this.cache.reset();
      this.lastRowRev.clear();
      this.live = true;
      this.connections++;
    }
  }

  private row(line: string, feed: http.ClientRequest): void {
    let change: { id?: unknown; last_seq?: unknown; deleted?: unknown; changes?: Array<{ rev?: unknown }> };
    try {
      change = JSON.parse(line);
    } catch {
      this.lost(feed);
      return;
    }
    if (typeof change.id === 'string') {
      // The feed shows every write, this process's own too: a cached revision that is the one the
      // feed now names as the winner is current, and stays.
      const winner = change.changes?.[0]?.rev;
      if (this.lastRowRev.size >= MAX_ROWS_REMEMBERED) this.lastRowRev.clear();
      if (typeof winner === 'string' && !change.deleted) this.lastRowRev.set(change.id, winner);
      else this.lastRowRev.delete(change.id);
      const cached = this.cache.get(change.id, 'doc');
      if (!(cached && !change.deleted && typeof winner === 'string' && cached._rev === winner)) this.cache.written([change.id]);
    } else if (change.last_seq !== undefined) this.lost(feed); // CouchDB ended the feed
  }

  private armSilence(feed: http.ClientRequest): void {
    if (this.silence) clearTimeout(this.silence);
    this.silence = setTimeout(() => this.lost(feed), this.options.silenceMs);
    this.silence.unref();
  }

  /** The feed `feed` (or the current one) is gone: bypass and empty the cache, reopen later. */
  private lost(feed: http.ClientRequest | null = this.feed): void {
    if (feed !== this.feed || feed === null) return;
    this.feed = null;
    this.live = false;
    this.cache.reset();
    this.lastRowRev.clear();
    if (this.silence) clearTimeout(this.silence);
    this.silence = null;
    feed.destroy();
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, this.options.retryMs);
    this.retry.unref();
  }
}
