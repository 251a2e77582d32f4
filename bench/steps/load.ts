/**
 * Steps 3 and 4, plain HTTP against the replication endpoints (what PouchDB's replicator sends,
 * without a PouchDB per tablet, so 500 tablets fit in one process):
 *
 * A simulated tablet comes back into signal after a shift: it reads the unit's info and its
 * replication checkpoint, pulls the changes made since it last synced (`_changes` + `_bulk_get`
 * of the revisions it lacks), pushes the one interview it recorded (`_revs_diff`, then
 * `_bulk_docs` with `new_edits: false`) and writes its checkpoint. Its latency is the whole
 * session; an error is any unexpected status, refused document, network failure or timeout.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { asReplicatedRevision, benchCare01, benchPerson } from '../data.ts';
import { percentile, type Results } from '../report.ts';
import type { BenchServer } from '../server-control.ts';

const REQUEST_TIMEOUT_MS = 60_000;

class TabletError extends Error {}

/** Milliseconds spent per request kind, summed over the tablets, to see which one dominates. */
type PhaseTimes = Map<string, number[]>;

async function call(
  url: string,
  cookie: string,
  init: { method?: string; body?: unknown } = {},
  okStatuses = [200, 201],
  phases?: PhaseTimes
): Promise<any> {
  const t0 = performance.now();
  try {
    return await request(url, cookie, init, okStatuses);
  } finally {
    if (phases) {
      const kind = `${init.method ?? 'GET'} ${new URL(url).pathname.split('/').slice(3, 4).join('/').replace(/^$/, 'info') || 'info'}`;
      const list = phases.get(kind) ?? [];
      list.push(performance.now() - t0);
      phases.set(kind, list);
    }
  }
}

/**
 * The tablets' HTTP client: `node:http` over one keep-alive agent, each request with its own
 * tablet's cookie. Not `fetch`: undici's fetch (WHATWG streams, Headers, AbortSignal per call)
 * cost this process several times the CPU of a plain request on the same 2 cores the server
 * runs on, so the load generator was measuring itself. Same requests, same bodies, every answer
 * still read whole and parsed.
 */
const tabletAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

/**
 * BENCH_TABLET_COMPRESSION=1: the tablets ask for compressed answers as a browser's PouchDB does
 * (Accept-Encoding: gzip, deflate, br), to measure what the server's compression
 * (sync-server/compression.ts) costs it; off by default, so the numbers stay comparable.
 */
const ACCEPT_ENCODING = process.env.BENCH_TABLET_COMPRESSION === '1' ? 'gzip, deflate, br' : null;

function decoded(response: http.IncomingMessage): NodeJS.ReadableStream {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return response.pipe(zlib.createBrotliDecompress());
  if (encoding === 'gzip') return response.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return response.pipe(zlib.createInflate());
  return response;
}

function request(
  url: string,
  cookie: string,
  init: { method?: string; body?: unknown },
  okStatuses: number[]
): Promise<{ status: number; body: any }> {
  const method = init.method ?? 'GET';
  const what = () => `${method} ${new URL(url).pathname.split('/').pop()}`;
  const payload = init.body !== undefined ? Buffer.from(JSON.stringify(init.body)) : null;
  const headers: http.OutgoingHttpHeaders = { cookie, accept: 'application/json' };
  if (ACCEPT_ENCODING) headers['accept-encoding'] = ACCEPT_ENCODING;
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: tabletAgent }, (response) => {
      let text = '';
      const body = decoded(response);
      body.setEncoding('utf8');
      body.on('data', (chunk: string) => (text += chunk));
      response.on('error', (e) => fail(e));
      body.on('error', (e: Error) => fail(e));
      body.on('end', () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
        if (!okStatuses.includes(status)) reject(new TabletError(`${what()}: ${status}`));
        else resolve({ status, body });
      });
    });
    const fail = (e: Error) => {
      clearTimeout(timer);
      req.destroy();
      reject(new TabletError(`${what()}: ${e.name === 'Error' ? ((e as NodeJS.ErrnoException).code ?? e.name) : e.name}`));
    };
    const timer = setTimeout(() => fail(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), REQUEST_TIMEOUT_MS);
    req.on('error', fail);
    req.end(payload ?? undefined);
  });
}

export async function tabletSession(
  base: string,
  cookie: string,
  tabletId: string,
  since: string | number,
  interview: object,
  phases: PhaseTimes
): Promise<void> {
  await call(`${base}/`, cookie, {}, undefined, phases);
  const checkpointUrl = `${base}/_local/${tabletId}`;
  const checkpoint = await call(checkpointUrl, cookie, {}, [200, 404], phases);
  const changes = await call(
    `${base}/_changes?since=${encodeURIComponent(String(since))}&limit=100&style=all_docs`,
    cookie,
    {},
    undefined,
    phases
  );
  const wanted = changes.body.results.flatMap((row: { id: string; changes: Array<{ rev: string }> }) =>
    row.changes.map((c) => ({ id: row.id, rev: c.rev }))
  );
  if (wanted.length) {
    const fetched = await call(
      `${base}/_bulk_get?revs=true&latest=true`,
      cookie,
      { method: 'POST', body: { docs: wanted } },
      undefined,
      phases
    );
    const missing = fetched.body.results.filter((r: any) => !r.docs?.[0]?.ok);
    if (missing.length) throw new TabletError(`_bulk_get: ${missing.length} revisions missing`);
  }
  const doc = asReplicatedRevision(interview as { _id: string });
  const diff = await call(`${base}/_revs_diff`, cookie, { method: 'POST', body: { [doc._id]: [doc._rev] } }, undefined, phases);
  if (!diff.body[doc._id]) throw new TabletError('_revs_diff: the new interview is not missing on the server');
  const written = await call(
    `${base}/_bulk_docs`,
    cookie,
    { method: 'POST', body: { docs: [doc], new_edits: false } },
    undefined,
    phases
  );
  if (Array.isArray(written.body) && written.body.some((row: any) => row.error))
    throw new TabletError(`_bulk_docs: refused (${written.body[0].error})`);
  await call(
    checkpointUrl,
    cookie,
    {
      method: 'PUT',
      body: {
        _id: `_local/${tabletId}`,
        ...(checkpoint.body?._rev ? { _rev: checkpoint.body._rev } : {}),
        last_seq: changes.body.last_seq,
        session_id: randomUUID()
      }
    },
    undefined,
    phases
  );
}

/**
 * Tablets per account in step 3: an officer has a few (their own, a shared one), not the whole
 * unit's, so the per-account turn limit (sync-server/concurrency.ts) meets what it meets in the field.
 */
export const TABLETS_PER_ACCOUNT = 2;

/**
 * CPU time (user + system, ms) of the CouchDB process named by BENCH_COUCHDB_PID (its `beam.smp`;
 * `couchdb-local` keeps it in /tmp/couchdb-local/pid), from /proc; null without it. Step 3 on
 * CouchDB shares the 2 cores three ways (CouchDB, the server, the tablets): this says how.
 */
function couchdbCpuMs(): number | null {
  const pid = process.env.BENCH_COUCHDB_PID;
  if (!pid || !/^\d+$/.test(pid)) return null;
  try {
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th of the line, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * N tablets at once, each with its own session, TABLETS_PER_ACCOUNT of them per officer
 * account; how long each took and what went wrong.
 */
export async function tabletsAtOnce(
  server: BenchServer,
  results: Results,
  setup: { unitId: string; username: string; counts: number[]; backlog: number }
) {
  const base = `${server.url}/sync/${setup.unitId}`;
  const accounts = await server.call<string[]>('officers', {
    unitId: setup.unitId,
    prefix: setup.username,
    count: Math.ceil(Math.max(...setup.counts) / TABLETS_PER_ACCOUNT)
  });
  for (const n of setup.counts) {
    const owners = Array.from({ length: n }, (_, i) => accounts[Math.floor(i / TABLETS_PER_ACCOUNT)]);
    const sessions = await Promise.all(
      accounts
        .slice(0, Math.ceil(n / TABLETS_PER_ACCOUNT))
        .map((username) => server.call<string[]>('sessions', { username, count: TABLETS_PER_ACCOUNT }))
    );
    const tokens = sessions.flat().slice(0, n);
    const [token0] = tokens;
    // Each tablet last synced `backlog` changes ago: it has that much to pull. Sequences are
    // opaque on CouchDB, so the one `backlog` rows before the end of the feed is taken as it is.
    const feed = await call(`${base}/_changes`, `care_session=${token0}`);
    const rows = feed.body.results as Array<{ seq: string | number }>;
    const since = rows.length > setup.backlog ? rows[rows.length - setup.backlog - 1].seq : 0;
    const cpuBefore = await server.call<{ cpu: { user: number; system: number } }>('usage');
    const couchCpuBefore = couchdbCpuMs();
    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const phases: PhaseTimes = new Map();
    // BENCH_PHASE_PROF=<dir>: a CPU profile of the sync-server during this size alone.
    if (process.env.BENCH_PHASE_PROF) await server.call('profileStart');
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      tokens.map(async (token, i) => {
        const person = benchPerson(setup.unitId, 50_000 + i, owners[i]);
        const t0 = performance.now();
        try {
          await tabletSession(
            base,
            `care_session=${token}`,
            `tablet-${n}-${i}-${randomUUID()}`,
            since,
            benchCare01(person, i),
            phases
          );
          latencies.push(performance.now() - t0);
        } catch (e) {
          const key = e instanceof TabletError ? e.message : String(e);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      })
    );
    const wallMs = performance.now() - started;
    // The simulated tablets share this process and the machine's 2 cores with the server.
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
    if (process.env.BENCH_PHASE_PROF)
      await server.call('profileStop', { file: path.join(process.env.BENCH_PHASE_PROF, `tablets-${n}.cpuprofile`) });
    const couchCpuAfter = couchdbCpuMs();
    const couchCpuMs = couchCpuBefore !== null && couchCpuAfter !== null ? couchCpuAfter - couchCpuBefore : null;
    const cpuAfter = await server.call<{ cpu: { user: number; system: number }; rss: number }>('usage');
    const serverCpuMs = (cpuAfter.cpu.user + cpuAfter.cpu.system - cpuBefore.cpu.user - cpuBefore.cpu.system) / 1000;
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    const phaseP50 = Object.fromEntries([...phases].map(([kind, times]) => [kind, Math.round(percentile(times, 50))]));
    console.log(`    p50 per request: ${JSON.stringify(phaseP50)}`);
    results.add({
      name: `3. ${n} tablets at once (pull ${setup.backlog} + push 1), p95`,
      value: percentile(latencies, 95),
      unit: 'ms',
      note: `${process.env.BENCH_SERVER_TSX === '1' ? 'server under tsx' : 'server compiled'}, ${Math.ceil(n / TABLETS_PER_ACCOUNT)} accounts${ACCEPT_ENCODING ? ', compressed answers' : ''}: p50 ${Math.round(percentile(latencies, 50))} ms, all done in ${(wallMs / 1000).toFixed(1)} s, ${errorCount} errors, server CPU ${(serverCpuMs / 1000).toFixed(1)} s (${(serverCpuMs / n).toFixed(1)} ms per sync)${couchCpuMs === null ? '' : `, CouchDB CPU ${(couchCpuMs / 1000).toFixed(1)} s (${(couchCpuMs / n).toFixed(1)} ms per sync)`}, tablets' client CPU ${(clientCpuMs / 1000).toFixed(1)} s (node:http), load average ${loadavg()[0].toFixed(1)}, rss ${Math.round(cpuAfter.rss / 2 ** 20)} MiB`,
      details: {
        p50: percentile(latencies, 50),
        max: Math.max(...latencies),
        phaseP50Ms: phaseP50,
        wallMs,
        serverCpuMs,
        serverCpuMsPerSync: serverCpuMs / n,
        couchdbCpuMs: couchCpuMs,
        clientCpuMs,
        serverRssBytes: cpuAfter.rss,
        errors: Object.fromEntries(errors)
      }
    });
    results.add({
      name: `3. ${n} tablets at once, errors`,
      value: errorCount,
      unit: 'errors',
      details: Object.fromEntries(errors)
    });
  }
}

/** Valid CARE 01 documents through `_bulk_docs`, batches of 100, a few clients at once. */
export async function ingest(
  server: BenchServer,
  results: Results,
  setup: { unitId: string; username: string; total: number; batchSize: number; clients: number }
) {
  const [token] = await server.call<string[]>('sessions', { username: setup.username, count: 1 });
  const cookie = `care_session=${token}`;
  const batches: object[][] = [];
  for (let b = 0; b < setup.total / setup.batchSize; b++) {
    const batch = [];
    for (let i = 0; i < setup.batchSize; i++) {
      const n = 200_000 + b * setup.batchSize + i;
      batch.push(asReplicatedRevision(benchCare01(benchPerson(setup.unitId, n, setup.username), n)));
    }
    batches.push(batch);
  }
  // Warm-up, not measured: one batch per client, so worker threads (sync-server/sync/screen-pool.ts)
  // have started and the code is compiled, as on a server that has been running for a while.
  for (let c = 0; c < setup.clients; c++) {
    const docs = Array.from({ length: setup.batchSize }, (_, i) => {
      const n = 900_000 + c * setup.batchSize + i;
      return asReplicatedRevision(benchCare01(benchPerson(setup.unitId, n, setup.username), n));
    });
    await call(`${server.url}/sync/${setup.unitId}/_bulk_docs`, cookie, { method: 'POST', body: { docs, new_edits: false } });
  }
  let next = 0;
  let refused = 0;
  // BENCH_PHASE_PROF=<dir>: a CPU profile of the sync-server during the HTTP ingest alone.
  if (process.env.BENCH_PHASE_PROF) await server.call('profileStart');
  type Usage = { cpu: { user: number; system: number }; mainThreadCpuUs: number | null };
  const cpuBefore = await server.call<Usage>('usage');
  const started = performance.now();
  await Promise.all(
    Array.from({ length: setup.clients }, async () => {
      while (next < batches.length) {
        const docs = batches[next++];
        const written = await call(`${server.url}/sync/${setup.unitId}/_bulk_docs`, cookie, {
          method: 'POST',
          body: { docs, new_edits: false }
        });
        if (Array.isArray(written.body)) refused += written.body.filter((row: any) => row.error).length;
      }
    })
  );
  const ms = performance.now() - started;
  const cpuAfter = await server.call<Usage>('usage');
  // CPU time of the server process (every thread) per document: on a shared machine it moves
  // less than wall time does. The main thread's alone: the one that limits throughput.
  const serverCpuUsPerDoc = (cpuAfter.cpu.user + cpuAfter.cpu.system - cpuBefore.cpu.user - cpuBefore.cpu.system) / setup.total;
  const mainThreadCpuUsPerDoc =
    cpuAfter.mainThreadCpuUs !== null && cpuBefore.mainThreadCpuUs !== null
      ? (cpuAfter.mainThreadCpuUs - cpuBefore.mainThreadCpuUs) / setup.total
      : null;
  if (process.env.BENCH_PHASE_PROF)
    await server.call('profileStop', { file: path.join(process.env.BENCH_PHASE_PROF, 'ingest.cpuprofile') });
  if (refused) throw new Error(`ingest: the server refused ${refused} valid documents`);
  const raw = await server.call<{ docsPerSecond: number; ms: number; cpuUsPerDoc: number; mainThreadCpuUsPerDoc: number | null }>(
    'rawBulk',
    {
      total: setup.total,
      batchSize: setup.batchSize,
      concurrency: setup.clients
    }
  );
  results.add({
    name: `4. interviews accepted via _bulk_docs (${setup.clients} clients × batches of ${setup.batchSize})`,
    value: (setup.total / ms) * 1000,
    unit: 'docs/s',
    baseline: { name: 'PouchDB bulkDocs into the embedded store', value: raw.docsPerSecond },
    note:
      `${setup.total} docs in ${(ms / 1000).toFixed(1)} s, validated, 0 refused; server CPU ${Math.round(serverCpuUsPerDoc)} µs/doc (raw ${Math.round(raw.cpuUsPerDoc)} µs/doc)` +
      (mainThreadCpuUsPerDoc !== null && raw.mainThreadCpuUsPerDoc !== null
        ? `, main thread ${Math.round(mainThreadCpuUsPerDoc)} µs/doc (raw ${Math.round(raw.mainThreadCpuUsPerDoc)})`
        : '') +
      `, load average ${loadavg()[0].toFixed(1)}`,
    details: {
      ms,
      rawMs: raw.ms,
      serverCpuUsPerDoc,
      rawCpuUsPerDoc: raw.cpuUsPerDoc,
      mainThreadCpuUsPerDoc,
      rawMainThreadCpuUsPerDoc: raw.mainThreadCpuUsPerDoc
    }
  });
}
