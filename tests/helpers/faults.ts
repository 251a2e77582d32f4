/**
 * Fault injection for the sync tests, loopback only and bounded in count and time: a seeded
 * random source, a TCP proxy that cuts connections mid-transfer, the sync-server as a child
 * process that can be SIGKILLed, and the comparison every fault test ends with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import { REPO_ROOT } from '../../sync-server/config.ts';
import type { DocumentStore } from '../../sync-server/storage/port.ts';

/** mulberry32: a small seeded generator, so a failing run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CuttingProxy {
  url: string;
  /** Connections cut so far. */
  cuts(): number;
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to `target`. Until `maxCuts` connections have been cut, each
 * connection is cut (both sides destroyed) after a random number of bytes in either direction,
 * drawn from `rng` between `minBytes` and `maxBytes`; after that it forwards faithfully.
 */
export async function startCuttingProxy(
  target: { host: string; port: number },
  opts: { rng: () => number; maxCuts: number; minBytes: number; maxBytes: number; cutProbability?: number }
): Promise<CuttingProxy> {
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    const willCut = cuts < opts.maxCuts && opts.rng() < (opts.cutProbability ?? 0.5);
    let budget = willCut ? opts.minBytes + Math.floor(opts.rng() * (opts.maxBytes - opts.minBytes)) : Infinity;
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk: Uint8Array) => {
        if (budget === Infinity) return void to.write(chunk);
        if (cuts >= opts.maxCuts) {
          // The bound was reached by other connections meanwhile: this one stays whole.
          budget = Infinity;
          return void to.write(chunk);
        }
        if (chunk.length < budget) {
          budget -= chunk.length;
          return void to.write(chunk);
        }
        // Part of this chunk goes through, then the connection dies mid-message.
        to.write(chunk.subarray(0, budget));
        budget = Infinity;
        cuts++;
        setImmediate(drop);
        from.pause();
      });
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cuts: () => cuts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * `node --import tsx sync-server/main.ts` on DATA_DIR (or COUCHDB_URL), on a free loopback port;
 * `compiled`: the production start, `node build-server/main.js` (built by scripts/build-server.ts).
 */
export async function spawnServer(
  env: Record<string, string>,
  timeoutMs = 30_000,
  { compiled = false }: { compiled?: boolean } = {}
): Promise<ServerProcess> {
  const entry = compiled
    ? [path.join(REPO_ROOT, 'build-server', 'main.js')]
    : ['--import', 'tsx', path.join(REPO_ROOT, 'sync-server', 'main.ts')];
  const child = spawn(process.execPath, entry, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      BUILD_DIR: path.join(REPO_ROOT, 'no-build-here'),
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/[^/\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    }
  };
}

/** id → winning revision of every document (design and local documents aside). */
export async function winningRevisions(db: PouchDB.Database): Promise<Map<string, string>> {
  const all = await db.allDocs();
  return new Map(all.rows.filter((r) => !r.id.startsWith('_')).map((r) => [r.id, r.value.rev]));
}

/** Documents that have conflicting leaves (a duplicate write would show up as one). */
export async function conflictedIds(db: PouchDB.Database): Promise<string[]> {
  const all = await db.allDocs({ include_docs: true, conflicts: true });
  return all.rows.filter((r) => (r.doc as { _conflicts?: string[] } | undefined)?._conflicts?.length).map((r) => r.id);
}

/** Retries `attempt` until it resolves, at most `maxAttempts` times; returns how many it took. */
export async function retryBounded(attempt: () => Promise<unknown>, maxAttempts: number, pauseMs = 100): Promise<number> {
  let lastError: unknown;
  for (let i = 1; i <= maxAttempts; i++) {
    try {
      await attempt();
      return i;
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
  throw new Error(`still failing after ${maxAttempts} attempts: ${String((lastError as Error)?.message ?? lastError)}`);
}

/**
 * Ids with more than one leaf revision in a store, from `_changes?style=all_docs` (which lists
 * every leaf): a document written twice under different revisions would show up here.
 */
export async function idsWithSeveralLeaves(store: DocumentStore): Promise<string[]> {
  const feed = await store.changes({ style: 'all_docs' });
  return feed.results.filter((row) => row.changes.length > 1).map((row) => row.id);
}

/**
 * Longest wait for one request through the cutting proxy. A cut normally fails the request at
 * once; this bounds the rare one that neither answers nor fails (a connection the cut left
 * half-open under load, a store slow to answer), as a tablet's network stack would in the end.
 * Each such request is counted and named on stderr, so a stall shows in the log rather than as
 * a test timeout.
 */
export const REQUEST_STALL_MS = 30_000;
export const stalledRequests: string[] = [];

/**
 * A unit's database through `url` (the server or a proxy) with a session cookie, using Node's
 * own fetch (undici) as a browser would use its fetch. pouchdb-node's bundled node-fetch can
 * wait for ever on a response whose connection dies mid-body; undici, like a browser, fails
 * the request, which is what the app sees on a flaky network.
 */
export function remoteUnitDb(url: string, unitId: string, cookie: string): PouchDB.Database {
  return new PouchDB(`${url}/sync/${unitId}`, {
    fetch: async (input: string | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers as HeadersInit | undefined);
      headers.set('Cookie', cookie);
      const stop = new AbortController();
      init?.signal?.addEventListener('abort', () => stop.abort(init.signal!.reason), { once: true });
      const what = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
      const stall = setTimeout(() => {
        stalledRequests.push(what);
        console.warn(`fault test: ${what} stalled ${REQUEST_STALL_MS} ms; abandoned`);
        stop.abort(new Error('request stalled'));
      }, REQUEST_STALL_MS);
      try {
        const response = await globalThis.fetch(input, { ...init, headers, signal: stop.signal });
        // The body too must arrive within the bound: read it here, hand PouchDB a whole one.
        const body = await response.arrayBuffer();
        return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      } finally {
        clearTimeout(stall);
      }
    }
  } as PouchDB.Configuration.RemoteDatabaseConfiguration);
}

/**
 * One replication attempt that must settle within `ms`: a stuck one is cancelled and fails as an
 * attempt (cancelled, PouchDB's replication resolves, which would read as success).
 */
export function replicateWithin(
  source: PouchDB.Database,
  target: PouchDB.Database,
  opts: PouchDB.Replication.ReplicateOptions,
  ms: number
): Promise<unknown> {
  const replication = PouchDB.replicate(source, target, opts);
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stalledRequests.push('replication');
      console.warn(`fault test: a replication did not settle in ${ms} ms; cancelled and retried`);
      replication.cancel();
      reject(new Error('replication stalled'));
    }, ms);
  });
  return Promise.race([replication, stuck]).finally(() => clearTimeout(timer));
}
