/**
 * The sync-server under test, in its own process: the benchmark's clients (PouchDB, HTTP
 * tablets) run in the parent, so on this 2-core machine the server gets a core of its own and
 * its latencies are not mixed up with the clients' CPU work. Started with `fork` by
 * bench/server-control.ts; answers commands over the IPC channel.
 *
 * Setup commands (seeding, sessions) write straight into the embedded store: they prepare the
 * measurement and are not what is measured.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createSession } from '../sync-server/auth/sessions.ts';
import { StoreError, type StoredDoc } from '../sync-server/storage/port.ts';
import { SYSTEM_DB, unitDatabaseName } from '../sync-server/system-db.ts';
import { createUnit, createUser } from '../sync-server/users.ts';
import { PASSWORD, startTestServer, type TestServer } from '../tests/helpers/server.ts';
import { asReplicatedRevision, benchCare01, benchPerson, unitDocuments } from './data.ts';

let server: TestServer | null = null;
let profiler: Session | null = null;

/** How long the event loop was held up (a blocked loop delays every request), since the last `usage`. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/**
 * CPU time of this process's main thread alone, in µs (Linux: /proc, 10 ms ticks; null elsewhere).
 * The request thread is what limits a server's throughput; `process.cpuUsage` also counts the
 * screening workers, libuv's thread pool and LevelDB's compaction thread.
 */
function mainThreadCpuUs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

function running(): TestServer {
  if (!server) throw new Error('server not started');
  return server;
}

async function writeInBatches(dbName: string, docs: object[], batchSize: number): Promise<void> {
  const db = running().storage.openDatabase(dbName);
  for (let i = 0; i < docs.length; i += batchSize) {
    const failures = await db.bulkDocs(docs.slice(i, i + batchSize) as StoredDoc[], { new_edits: true });
    const failed = failures.filter((row) => 'error' in row);
    if (failed.length) throw new Error(`seeding ${dbName}: ${failed.length} documents failed`);
  }
}

const commands: Record<string, (args: any) => Promise<unknown>> = {
  async start({ buildDir }: { buildDir: string | null }) {
    server = await startTestServer({ buildDir, longpollMaxMs: 10_000 });
    return { url: server.url };
  },

  /** A unit, an officer of it, and `count` documents (people, or people + CARE 01). */
  async seedUnit({
    unitId,
    username,
    count,
    withInterviews
  }: {
    unitId: string;
    username: string;
    count: number;
    withInterviews: boolean;
  }) {
    const { storage } = running();
    await createUnit(storage, { unitId, name: { th: `หน่วยทดสอบ ${unitId}`, en: `Bench ${unitId}` }, kind: 'prison-care' });
    await createUser(storage, {
      username,
      displayName: `Bench ${username}`,
      role: 'officer',
      units: [unitId],
      password: PASSWORD
    });
    const started = performance.now();
    const docs = unitDocuments(unitId, count, username, withInterviews);
    await writeInBatches(unitDatabaseName(unitId), docs, 1000);
    return { docs: docs.length, ms: performance.now() - started, sampleIds: docs.slice(0, 50).map((d) => d._id) };
  },

  /**
   * `count` more officer accounts of a unit, `<prefix>.1` … (step 3: one account per officer,
   * a few tablets each, as in the field). Accounts that already exist are kept.
   */
  async officers({ unitId, prefix, count }: { unitId: string; prefix: string; count: number }) {
    const usernames = Array.from({ length: count }, (_, i) => `${prefix}.${i + 1}`);
    let next = 0;
    // A few at once: each waits for its password hash in the server's hash queue.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < usernames.length) {
          const username = usernames[next++];
          try {
            await createUser(running().storage, {
              username,
              displayName: `Bench ${username}`,
              role: 'officer',
              units: [unitId],
              password: PASSWORD
            });
          } catch (e) {
            if (!(e instanceof StoreError && e.status === 409)) throw e;
          }
        }
      })
    );
    return usernames;
  },

  /** Session tokens for an account, as if its tablets had signed in earlier. */
  async sessions({ username, count }: { username: string; count: number }) {
    const system = running().storage.openDatabase(SYSTEM_DB);
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) tokens.push(await createSession(system, username));
    return tokens;
  },

  /**
   * Baseline for ingest: PouchDB bulkDocs straight into a database of the same embedded store,
   * no HTTP, no validation, same documents, batch size, concurrency and `new_edits: false` as
   * the HTTP clients.
   */
  async rawBulk({ total, batchSize, concurrency }: { total: number; batchSize: number; concurrency: number }) {
    const { storage } = running();
    const name = 'bench-raw-ingest';
    await storage.createDatabase(name);
    const db = storage.openDatabase(name);
    const batches: StoredDoc[][] = [];
    for (let b = 0; b < total / batchSize; b++) {
      const batch: StoredDoc[] = [];
      for (let i = 0; i < batchSize; i++) {
        const n = b * batchSize + i;
        batch.push(asReplicatedRevision(benchCare01(benchPerson('bench-raw', n, 'bench.raw'), n)) as unknown as StoredDoc);
      }
      batches.push(batch);
    }
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const mainBefore = mainThreadCpuUs();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) await db.bulkDocs(batches[next++], { new_edits: false });
      })
    );
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const mainAfter = mainThreadCpuUs();
    return {
      docs: total,
      ms,
      docsPerSecond: (total / ms) * 1000,
      cpuUsPerDoc: (cpu.user + cpu.system) / total,
      mainThreadCpuUsPerDoc: mainBefore !== null && mainAfter !== null ? (mainAfter - mainBefore) / total : null
    };
  },

  /** CPU time (all threads, and the main thread alone), memory, event-loop delay (since the previous call) and pid (step 8 pins it) of this process. */
  async usage() {
    const loop = { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
    loopDelay.reset();
    return {
      cpu: process.cpuUsage(),
      mainThreadCpuUs: mainThreadCpuUs(),
      rss: process.memoryUsage().rss,
      loop,
      pid: process.pid
    };
  },

  /** A CPU profile of this process from now until `profileStop` (one bench phase, e.g. one attack). */
  async profileStart() {
    profiler ??= new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return true;
  },

  async profileStop({ file }: { file: string }) {
    if (!profiler) throw new Error('profileStart first');
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    writeFileSync(file, JSON.stringify(profile));
    return file;
  },

  async stop() {
    await server?.stop();
    server = null;
    setImmediate(() => process.exit(0));
    return true;
  }
};

process.on('message', async (message: { id: number; command: string; args: unknown }) => {
  try {
    const handler = commands[message.command];
    if (!handler) throw new Error(`unknown command ${message.command}`);
    const result = await handler(message.args);
    process.send!({ id: message.id, ok: true, result });
  } catch (e) {
    process.send!({ id: message.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});

// The parent is gone (finished, failed or interrupted): nobody will send `stop`.
process.on('disconnect', () => {
  void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
