/**
 * Diagnostic for bench step 4 (`npm run bench` "interviews accepted via _bulk_docs"): what each
 * stage of the server's write path costs per document, run in one process, one batch at a time,
 * so that stages do not overlap and each CPU figure is that stage's alone. The same documents
 * as step 4 (CARE 01 replicated revisions, batches of 100) and the same server functions:
 *
 *   body parse       JSON.parse of the batch's text (the request thread; the HTTP layer is not here)
 *   screenDocs       the shared document check (in a screening worker thread on the server)
 *   screenBatch      the checks against the store (authorship, append-only, hand-overs, services)
 *   audit intent     beginWrite (sync-server/audit.ts), before the store write
 *   store write      storeScreened: PouchDB bulkDocs into the unit's database
 *   audit complete   completeWrite, after it
 *
 * and two references: PouchDB bulkDocs of the same documents into an empty database (step 4's
 * baseline) and into one that already holds as many documents as step 4's unit does when the
 * ingest starts (2,000 seeded + 400 warm-up), to see whether the unit's size explains a gap.
 *
 *   node --import tsx bench/ingest-stages.ts [batches=100] [rounds=3]
 *
 * CPU is the whole process's (`process.cpuUsage`: LevelDB's threads included) during the stage,
 * and separately in the quiet 10 ms after it: what the stage left running (V8's GC, LevelDB's
 * compaction), which in a busy server lands on whatever runs next. Wall is the stage's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { VERSION_POLICY } from '../src/lib/domain/schema-versions.ts';
import { beginWrite, completeWrite } from '../sync-server/audit.ts';
import type { StoredDoc } from '../sync-server/storage/port.ts';
import { EmbeddedStorage } from '../sync-server/storage/embedded.ts';
import { screenBatch, screenDocs } from '../sync-server/sync/screen-docs.ts';
import { storeScreened } from '../sync-server/sync/write-rules.ts';
import { asReplicatedRevision, benchCare01, benchPerson } from './data.ts';

const UNIT = 'bench-load';
const USER = 'bench.load';
const BATCH = 100;
/** Documents in step 4's unit database when its measured ingest starts. */
const ALREADY_HELD = 2_400;
const batches = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 3);

const interviews = (first: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => asReplicatedRevision(benchCare01(benchPerson(UNIT, first + i, USER), first + i)) as unknown as StoredDoc
  );

type Stage = { cpu: number; wall: number; after: number };

/** Quiet time after each stage, for the work it left running (GC, LevelDB's threads) to show up as its own. */
const SETTLE_MS = 10;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

async function timed<T>(stages: Map<string, Stage>, name: string, work: () => T | Promise<T>): Promise<T> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const afterCpu = process.cpuUsage();
  await settle();
  const usedAfter = process.cpuUsage(afterCpu);
  const stage = stages.get(name) ?? { cpu: 0, wall: 0, after: 0 };
  stage.cpu += used.user + used.system;
  stage.wall += wall * 1000;
  stage.after += usedAfter.user + usedAfter.system;
  stages.set(name, stage);
  return result;
}

async function round(dir: string, stages: Map<string, Stage>, n: number) {
  const storage = new EmbeddedStorage(path.join(dir, `round-${n}`));
  try {
    for (const name of ['unit', 'audit', 'raw-empty', 'raw-held']) await storage.createDatabase(name);
    const unit = storage.openDatabase('unit');
    const audit = storage.openDatabase('audit');
    const rawEmpty = storage.openDatabase('raw-empty');
    const rawHeld = storage.openDatabase('raw-held');
    for (let i = 0; i < ALREADY_HELD; i += 1_000) {
      await unit.bulkDocs(interviews(900_000 + i, 1_000), { new_edits: false });
      await rawHeld.bulkDocs(interviews(900_000 + i, 1_000), { new_edits: false });
    }
    for (let b = 0; b < batches; b++) {
      const text = JSON.stringify({ docs: interviews(200_000 + b * BATCH, BATCH), new_edits: false });
      const docs = await timed(stages, '1 body parse', () => (JSON.parse(text) as { docs: unknown[] }).docs);
      const checked = await timed(stages, '2 screenDocs (worker thread)', () => screenDocs(docs, UNIT, false, VERSION_POLICY));
      const context = {
        db: unit,
        unitId: UNIT,
        newEdits: false,
        volunteer: null,
        writer: { username: USER, role: 'officer' },
        username: USER,
        now: new Date(),
        versions: VERSION_POLICY,
        checked
      };
      const screened = await timed(stages, '3 screenBatch (store checks)', () => screenBatch(docs, context));
      if (screened.refused.length > 0) throw new Error(`refused: ${screened.refused[0].reason}`);
      const refs = screened.accepted.map((a) => ({ id: a.doc._id, rev: String(a.doc._rev) }));
      const intent = {
        username: USER,
        unitId: UNIT,
        endpoint: '_bulk_docs' as const,
        newEdits: false,
        receivedAt: new Date(),
        writing: refs,
        refused: []
      };
      const handle = await timed(stages, '4 audit intent', () => beginWrite(audit, intent));
      const written = await timed(stages, '5 store write', () => storeScreened(unit, screened, false, false));
      if (written.stored.length > 0) throw new Error('the store refused a document');
      await timed(stages, '6 audit complete', () => completeWrite(audit, handle, { stored: refs, refused: [] }));
      // The references get their own parse of the same text, as the baseline's documents are its own.
      const forEmpty = (JSON.parse(text) as { docs: StoredDoc[] }).docs;
      const forHeld = (JSON.parse(text) as { docs: StoredDoc[] }).docs;
      await timed(stages, 'R1 raw bulkDocs, empty database (step 4 baseline)', () =>
        rawEmpty.bulkDocs(forEmpty, { new_edits: false })
      );
      await timed(stages, `R2 raw bulkDocs, database holding ${ALREADY_HELD}`, () =>
        rawHeld.bulkDocs(forHeld, { new_edits: false })
      );
    }
  } finally {
    await storage.close();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'ingest-stages-'));
try {
  const stages = new Map<string, Stage>();
  for (let n = 0; n < rounds; n++) await round(dir, stages, n);
  const docs = batches * BATCH * rounds;
  console.log(`${docs} CARE 01 in batches of ${BATCH}, ${rounds} rounds; load average ${loadavg()[0].toFixed(1)}`);
  const row = (name: string, cpu: string, after: string, wall: string) =>
    console.log(`${name.padEnd(52)} ${cpu.padStart(10)} ${after.padStart(10)} ${wall.padStart(11)}`);
  const perDoc = (us: number) => (us / docs).toFixed(1);
  row('stage (µs per document)', 'CPU', 'CPU after', 'wall');
  const path = { cpu: 0, after: 0, wall: 0 };
  for (const [name, stage] of [...stages].sort(([a], [b]) => a.localeCompare(b))) {
    if (/^\d/.test(name)) {
      path.cpu += stage.cpu;
      path.after += stage.after;
      path.wall += stage.wall;
    }
    row(name, perDoc(stage.cpu), perDoc(stage.after), perDoc(stage.wall));
  }
  row('write path 1-6 (no HTTP)', perDoc(path.cpu), perDoc(path.after), perDoc(path.wall));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
