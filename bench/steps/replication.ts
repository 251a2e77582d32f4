/**
 * Steps 1 and 2: a new tablet's first replication of a whole unit through the sync-server
 * (against PouchDB→PouchDB of the same documents with nothing in between), then one new
 * interview travelling tablet → server → second tablet while both sync live.
 */
import { performance } from 'node:perf_hooks';
import PouchDB from 'pouchdb-node';
import type { TestServer } from '../../tests/helpers/server.ts';
import { localDb, remoteDb, remoteDbWithCookie, replicate } from '../../tests/helpers/server.ts';
import { benchCare01 } from '../data.ts';
import { percentile, type Results } from '../report.ts';
import type { BenchServer } from '../server-control.ts';

/** The remoteDb helpers read only `url` from the server handle. */
const asTestServer = (server: BenchServer) => ({ url: server.url }) as TestServer;
const cookieOf = (token: string) => `care_session=${token}`;

interface Outcome {
  ms: number;
  docsWritten: number;
  failures: number;
}

async function timedReplication(source: PouchDB.Database, target: PouchDB.Database): Promise<Outcome> {
  const started = performance.now();
  const { result, denied } = await replicate(source, target, { batch_size: 100 });
  const ms = performance.now() - started;
  return { ms, docsWritten: result.docs_written, failures: result.doc_write_failures + denied.length };
}

export interface FirstReplicationSetup {
  unitId: string;
  username: string;
  password: string;
  docCount: number;
}

/** Returns the two tablets (already holding the unit) for the live step. */
export async function firstReplication(server: BenchServer, results: Results, setup: FirstReplicationSetup) {
  const [token] = await server.call<string[]>('sessions', { username: setup.username, count: 1 });

  const viaCookie = localDb('bench-first-cookie');
  const cookieRun = await timedReplication(remoteDbWithCookie(asTestServer(server), setup.unitId, cookieOf(token)), viaCookie);
  if (cookieRun.docsWritten !== setup.docCount)
    throw new Error(`first replication wrote ${cookieRun.docsWritten} of ${setup.docCount} documents`);

  // The same documents, same revisions, from one local LevelDB database to another.
  const plainTarget = localDb('bench-first-plain');
  const plainRun = await timedReplication(viaCookie, plainTarget);
  if (plainRun.docsWritten !== setup.docCount)
    throw new Error(`plain replication wrote ${plainRun.docsWritten} of ${setup.docCount}`);

  results.add({
    name: `1. first replication, ${setup.docCount.toLocaleString('en-US')} docs, server (session cookie)`,
    value: cookieRun.ms / 1000,
    unit: 's',
    baseline: { name: 'PouchDB→PouchDB, LevelDB', value: plainRun.ms / 1000 },
    note: `${Math.round(setup.docCount / (cookieRun.ms / 1000))} docs/s through the server; ${cookieRun.failures} failures`,
    details: { server: cookieRun, plain: plainRun }
  });

  // The second tablet for step 2: the same unit, also through the server.
  const second = localDb('bench-first-second');
  const secondRun = await timedReplication(remoteDbWithCookie(asTestServer(server), setup.unitId, cookieOf(token)), second);
  if (secondRun.docsWritten !== setup.docCount)
    throw new Error(`second tablet got ${secondRun.docsWritten} of ${setup.docCount}`);

  return { first: viaCookie, second, token };
}

/**
 * HTTP Basic, as a script or a PouchDB client given {auth} would sync: the server runs scrypt
 * on every request (password checks are slow on purpose). On a smaller unit, against the same
 * unit over a session cookie, because at 10,000 documents it alone would take minutes here.
 */
export async function basicVersusCookie(server: BenchServer, results: Results, setup: FirstReplicationSetup) {
  const [token] = await server.call<string[]>('sessions', { username: setup.username, count: 1 });
  const cookieRun = await timedReplication(
    remoteDbWithCookie(asTestServer(server), setup.unitId, cookieOf(token)),
    localDb('bench-cookie-small')
  );
  const basicRun = await timedReplication(
    remoteDb(asTestServer(server), setup.unitId, setup.username, setup.password),
    localDb('bench-basic-small')
  );
  if (basicRun.docsWritten !== setup.docCount || cookieRun.docsWritten !== setup.docCount)
    throw new Error('basic/cookie replication incomplete');
  results.add({
    name: `1. first replication, ${setup.docCount.toLocaleString('en-US')} docs, server (HTTP Basic)`,
    value: basicRun.ms / 1000,
    unit: 's',
    baseline: { name: 'same unit, session cookie', value: cookieRun.ms / 1000 },
    note: `scrypt on every request; ${basicRun.failures} failures`,
    details: { basic: basicRun, cookie: cookieRun }
  });
}

/**
 * Tablet A saves one new CARE 01 for a person it holds; times until A's push reports it
 * (the server accepted it) and until tablet B's live pull delivers it.
 */
export async function incrementalSync(
  server: BenchServer,
  results: Results,
  unitId: string,
  tablets: { first: PouchDB.Database; second: PouchDB.Database; token: string },
  runs: number
) {
  const remoteA = remoteDbWithCookie(asTestServer(server), unitId, cookieOf(tablets.token));
  const remoteB = remoteDbWithCookie(asTestServer(server), unitId, cookieOf(tablets.token));
  const waiting = new Map<string, { pushed?: (t: number) => void; received?: (t: number) => void }>();

  const syncA = tablets.first.sync(remoteA, { live: true, retry: true, batch_size: 100 });
  syncA.on('change', (info: any) => {
    if (info.direction !== 'push') return;
    for (const doc of info.change.docs) waiting.get(doc._id)?.pushed?.(performance.now());
  });
  const pullB = tablets.second.replicate.from(remoteB, { live: true, retry: true, batch_size: 100 });
  pullB.on('change', (info: any) => {
    for (const doc of info.docs) waiting.get(doc._id)?.received?.(performance.now());
  });
  // Let both feeds reach the longpoll before the first save.
  await new Promise((r) => setTimeout(r, 1500));

  const person = (
    await tablets.first.allDocs({ startkey: 'person:', endkey: 'person:\uffff', limit: runs, include_docs: true })
  ).rows.map((r) => r.doc as any);
  const toServer: number[] = [];
  const endToEnd: number[] = [];
  let timeouts = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const interview = benchCare01(person[i % person.length], 100_000 + i);
      const pushed = new Promise<number>((resolve) =>
        waiting.set(interview._id, { ...waiting.get(interview._id), pushed: resolve })
      );
      const received = new Promise<number>((resolve) =>
        waiting.set(interview._id, { ...waiting.get(interview._id), received: resolve })
      );
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), 15_000));
      const started = performance.now();
      await tablets.first.put(interview);
      const [tPushed, tReceived] = await Promise.all([Promise.race([pushed, timeout]), Promise.race([received, timeout])]);
      waiting.delete(interview._id);
      if (tPushed === null || tReceived === null) {
        timeouts++;
        continue;
      }
      toServer.push(tPushed - started);
      endToEnd.push(tReceived - started);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    syncA.cancel();
    pullB.cancel();
  }
  results.add({
    name: '2. one new interview: save → server accepted, p50',
    value: percentile(toServer, 50),
    unit: 'ms',
    note: `${toServer.length} runs`,
    details: { samplesMs: toServer }
  });
  results.add({ name: '2. one new interview: save → server accepted, p95', value: percentile(toServer, 95), unit: 'ms' });
  results.add({
    name: '2. one new interview: save → 2nd live tablet has it, p50',
    value: percentile(endToEnd, 50),
    unit: 'ms',
    note: `${endToEnd.length} runs, ${timeouts} over 15 s`,
    details: { samplesMs: endToEnd, timeouts }
  });
  results.add({ name: '2. one new interview: save → 2nd live tablet has it, p95', value: percentile(endToEnd, 95), unit: 'ms' });
}
