/**
 * The CouchDB a test on the couchdb store talks to: the real CouchDB named by COUCHDB_TEST_URL
 * (an admin URL, e.g. from `couchdb-local url`) when it is set, else a fresh stand-in
 * (couchdb-standin.ts).
 *
 * On the real one every target gets its own database-name prefix (the adapter's COUCHDB_PREFIX),
 * so test files running at once, and runs after one another, never see each other's databases;
 * `stop()` deletes the databases under that prefix. A small recording pass-through on loopback
 * sits in front of it so that the tests that check what the adapter sends (request log,
 * longpolls held open) read the same counters on both. COUCHDB_TEST_DIRECT=1 leaves it out (the
 * benchmark: its CPU would count as the sync-server's); the counters then stay empty.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CouchStorage } from '../../sync-server/storage/couchdb.ts';
import { startCouchStandIn, STANDIN_ADMIN } from './couchdb-standin.ts';

export interface CouchTarget {
  /** 'real' with COUCHDB_TEST_URL, else 'standin'. */
  kind: 'real' | 'standin';
  /** http://user:pw@127.0.0.1:<port> — what COUCHDB_URL would hold. */
  url: string;
  /** The same without credentials. */
  plainUrl: string;
  admin: { username: string; password: string };
  /** What COUCHDB_PREFIX would hold ('' for a stand-in: it is ours alone). */
  prefix: string;
  /** Method and URL of every request it received, oldest first. */
  requests: string[];
  /** `_changes?feed=longpoll` requests it is answering right now. */
  longpollsInFlight(): number;
  /** A CouchDB adapter on this target (its prefix included). */
  storage(): CouchStorage;
  /** Deletes this target's databases (real) or stops the stand-in; once, however often called. */
  stop(): Promise<void>;
}

/** The real CouchDB's admin URL, or null when the tests run on the stand-in. */
export function realCouchUrl(): string | null {
  const url = process.env.COUCHDB_TEST_URL?.trim();
  return url ? url : null;
}

let targets = 0;

/** `stop` run once: a test that takes the CouchDB away early still ends with the usual stop(). */
function once(stop: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= stop());
}

export async function startCouchTarget(): Promise<CouchTarget> {
  const real = realCouchUrl();
  if (!real) {
    const standIn = await startCouchStandIn();
    return {
      kind: 'standin',
      url: standIn.url,
      plainUrl: standIn.plainUrl,
      admin: STANDIN_ADMIN,
      prefix: '',
      requests: standIn.requests,
      longpollsInFlight: standIn.longpollsInFlight,
      storage: () => new CouchStorage(standIn.url),
      stop: once(() => standIn.stop())
    };
  }
  const upstream = new URL(real);
  const admin = { username: decodeURIComponent(upstream.username), password: decodeURIComponent(upstream.password) };
  // Unique across files, runs and processes; a-z first, as CouchDB database names need.
  const prefix = `t${process.pid.toString(36)}${(++targets).toString(36)}${randomBytes(3).toString('hex')}_`;
  const front = process.env.COUCHDB_TEST_DIRECT === '1' ? directTo(upstream) : await startRecordingFront(upstream);
  const url = `http://${encodeURIComponent(admin.username)}:${encodeURIComponent(admin.password)}@${front.host}`;
  return {
    kind: 'real',
    url,
    plainUrl: `http://${front.host}`,
    admin,
    prefix,
    requests: front.requests,
    longpollsInFlight: front.longpollsInFlight,
    storage: () => new CouchStorage(url, { prefix }),
    stop: once(async () => {
      await front.stop();
      await deleteDatabases(upstream, admin, prefix);
    })
  };
}

function basic(admin: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;
}

/** Deletes every database whose name starts with `prefix`. */
async function deleteDatabases(upstream: URL, admin: { username: string; password: string }, prefix: string): Promise<void> {
  const base = `${upstream.protocol}//${upstream.host}`;
  const headers = { Authorization: basic(admin) };
  const range = `startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(`${prefix}\ufff0`))}`;
  const names = (await (await fetch(`${base}/_all_dbs?${range}`, { headers })).json()) as string[];
  for (const name of names) {
    const answer = await fetch(`${base}/${encodeURIComponent(name)}`, { method: 'DELETE', headers });
    if (!answer.ok && answer.status !== 404) throw new Error(`could not delete test database ${name}: ${answer.status}`);
  }
}

interface RecordingFront {
  /** host:port to send requests to. */
  host: string;
  requests: string[];
  longpollsInFlight(): number;
  stop(): Promise<void>;
}

/** No pass-through: the CouchDB itself, nothing recorded. */
function directTo(upstream: URL): RecordingFront {
  return { host: upstream.host, requests: [], longpollsInFlight: () => 0, stop: async () => undefined };
}

/** A loopback pass-through that logs requests and counts open longpolls, like the stand-in does. */
async function startRecordingFront(upstream: URL): Promise<RecordingFront> {
  const requests: string[] = [];
  let longpolls = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    if (requests.length < 100_000) requests.push(`${req.method} ${req.url}`);
    if (/\/_changes\b/.test(req.url ?? '') && /[?&]feed=longpoll\b/.test(req.url ?? '')) {
      longpolls++;
      res.once('close', () => longpolls--);
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port || 80,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // The adapter gave up (a longpoll it ended): end CouchDB's side too.
    res.once('close', () => {
      if (!res.writableFinished) forwarded.destroy();
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    longpollsInFlight: () => longpolls,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    }
  };
}
