/**
 * The CouchDB adapter's HTTP client: one JSON request to CouchDB, over node:http(s) with
 * keep-alive sockets. It replaces `nano` (whose transport is the global `fetch`) on the hot path:
 * profiling 500 tablets syncing at once on CouchDB showed a fifth of the sync-server's time
 * in fetch's machinery and in its separate socket writes for headers and body (each write on
 * loopback also wakes CouchDB). node:http sends a request's headers and body in one write and
 * costs about half the CPU per request (the bench's simulated tablets measured the same).
 *
 * Answers: the parsed JSON body (null when it is not JSON) for a 2xx; a StoreError with CouchDB's
 * `{error, reason}` for any other status; a StoreError 503 (never quoting the URL, which holds
 * the password) when CouchDB cannot be reached.
 */
import http from 'node:http';
import https from 'node:https';
import { StoreError } from './port.ts';

export interface CouchHttpRequest {
  method?: 'get' | 'put' | 'post' | 'delete' | 'head';
  /** The database's full name in CouchDB. */
  db: string;
  /** Path below the database, already URL-encoded. */
  path?: string;
  qs?: Record<string, string | number | boolean>;
  body?: unknown;
  signal?: AbortSignal;
  /** A request that may be held open for long (a longpoll): sent on sockets of its own. */
  longHeld?: boolean;
}

/** Query parameters CouchDB reads as JSON (as nano encoded them). */
const JSON_PARAMS = new Set(['startkey', 'endkey', 'key', 'keys', 'start_key', 'end_key']);

/**
 * Sockets to CouchDB per instance for ordinary requests: more requests at once wait here for a
 * socket rather than all reaching CouchDB together (it has the same cores to share).
 */
export const DEFAULT_COUCH_SOCKETS = 64;
/** Longpolls each hold a socket for up to their timeout; their own pool, so they never hold up the rest. */
const LONG_HELD_SOCKETS = 2_048;

export class CouchHttp {
  private readonly base: URL;
  private readonly authorization: string | undefined;
  private readonly client: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly longHeldAgent: http.Agent;

  /** `url`: the server's URL, credentials (HTTP Basic) included. */
  constructor(url: URL, maxSockets = DEFAULT_COUCH_SOCKETS) {
    this.base = new URL(url);
    this.authorization = basicAuthorization(url);
    this.base.username = '';
    this.base.password = '';
    this.client = url.protocol === 'https:' ? https : http;
    const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
    // Idle sockets are closed after 4 s, before CouchDB might close them under a request.
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo', timeout: 4_000 });
    this.longHeldAgent = new Agent({ keepAlive: true, maxSockets: LONG_HELD_SOCKETS, maxFreeSockets: 64 });
  }

  request(opts: CouchHttpRequest): Promise<unknown> {
    let path = `${this.base.pathname.replace(/\/?$/, '/')}${encodeURIComponent(opts.db)}`;
    if (opts.path) path += `/${opts.path}`;
    if (opts.qs) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(opts.qs))
        params.set(key, JSON_PARAMS.has(key) ? JSON.stringify(value) : String(value));
      const query = params.toString();
      if (query) path += `?${query}`;
    }
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (this.authorization) headers.Authorization = this.authorization;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const request = this.client.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          method: (opts.method ?? 'get').toUpperCase(),
          path,
          headers,
          agent: opts.longHeld ? this.longHeldAgent : this.agent,
          signal: opts.signal
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('error', () => reject(unreachable()));
          response.on('end', () => {
            let parsed: unknown = null;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON: null, which the adapter refuses where it needs an object
            }
            const status = response.statusCode ?? 502;
            if (status >= 200 && status < 300) return resolve(parsed);
            const answer = (parsed ?? {}) as { error?: unknown; reason?: unknown };
            reject(
              new StoreError(
                status,
                typeof answer.error === 'string' ? answer.error : 'error',
                typeof answer.reason === 'string' ? answer.reason : `CouchDB answered ${status}`
              )
            );
          });
        }
      );
      request.on('error', () => reject(unreachable()));
      // With the body, one write: headers and body go out together.
      request.end(body);
    });
  }

  /** Closes the idle sockets (the storage is closing). */
  close(): void {
    this.agent.destroy();
    this.longHeldAgent.destroy();
  }
}

/** The HTTP Basic `Authorization` value for the credentials in `url`, if it has any. */
export function basicAuthorization(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
}

const unreachable = () => new StoreError(503, 'service_unavailable', 'the CouchDB store could not be reached');
