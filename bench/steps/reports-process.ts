/**
 * Step 6 (reports), in its own process so its memory figures are the reporting module's alone:
 * a real sync-server over a fresh embedded store with `units` generated units, then
 * - projection build from scratch vs a plain read of the same changes feeds (the baseline),
 *   with the peak RSS while building;
 * - the KPI page (GET /api/reports/kpi) over every unit with the projection warm;
 * - one follow-up synced through /sync/<unit>/_bulk_docs → time until the KPI answer shows it;
 * - 100,000 rows exported to .xlsx (streamed) vs the same rows as CSV: time and RSS growth;
 * - the review queue and a CARE 02 month of every unit from the warm projection vs the old
 *   whole-unit read by id prefix (kept in this file only, as the baseline).
 * Started by bench/steps/reports.ts with `fork`; sends one message with the results and exits.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { buildServer } from '../../sync-server/app.ts';
import { writeTable, type ExportFormat } from '../../sync-server/reports/export.ts';
import { generatePeople } from '../../sync-server/reports/generate.ts';
import { generateCareVisits } from '../../sync-server/reports/generate-visits.ts';
import { care02Numbers, type Care02Sources } from '../../src/lib/domain/care02.ts';
import { REVIEWABLE_TYPES, reviewQueue, type ReviewableRecord, type ReviewDoc } from '../../src/lib/domain/review.ts';
import type { DocumentStore } from '../../sync-server/storage/port.ts';
import { ReportService } from '../../sync-server/reports/service.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { prepareStorage, unitDatabaseName } from '../../sync-server/system-db.ts';
import { createUnit, createUser } from '../../sync-server/users.ts';

const FY = 2568;
const PASSWORD = 'Bench-Pass-2569!';
/** CARE 03 / 04 visits are spread over these days; CARE 02 is measured for CARE02_MONTH. */
const VISITS_FROM = '2025-01-01';
const VISITS_TO = '2025-06-30';
const CARE02_MONTH = '2025-03';
/** Visits per person, on average (CARE 03 / 04 records for the queue, CARE 02 and the workbooks). */
const VISITS_PER_PERSON = 0.5;

/**
 * The review queue and CARE 02 as they were read before the projection: every record of the unit
 * by id prefix on each request. Kept here only, as the baseline of the same answers.
 */
async function wholeUnitQueue(db: DocumentStore) {
  const byPrefix = async (prefix: string) =>
    (await db.allDocs({ startkey: `${prefix}:`, endkey: `${prefix}:\ufff0`, include_docs: true })).rows.flatMap((r) =>
      r.doc ? [r.doc] : []
    );
  const records: ReviewableRecord[] = [];
  for (const type of REVIEWABLE_TYPES)
    for (const doc of await byPrefix(type)) if (doc.type === type) records.push(doc as unknown as ReviewableRecord);
  const reviews = (await byPrefix('review')).filter((d) => d.type === 'review') as unknown as ReviewDoc[];
  return reviewQueue(records, reviews);
}

async function wholeUnitCare02(db: DocumentStore, month: string) {
  const of = async (type: string) =>
    (await db.allDocs({ startkey: `${type}:`, endkey: `${type}:\ufff0`, include_docs: true })).rows.flatMap((r) =>
      r.doc && r.doc.type === type ? [r.doc] : []
    );
  return care02Numbers(month, {
    care01: (await of('care01')) as unknown as Care02Sources['care01'],
    care03: (await of('care03')) as unknown as Care02Sources['care03'],
    care04: (await of('care04')) as unknown as Care02Sources['care04']
  });
}

export interface ReportsBenchArgs {
  units: number;
  peoplePerUnit: number;
  exportRows: number;
}

/**
 * Wall time, this process's CPU time (on a shared machine the wall time also holds the time other
 * processes had the cores) and peak RSS sampled every 20 ms while `work` runs.
 */
async function withPeakRss<T>(
  work: () => Promise<T>
): Promise<{ result: T; ms: number; cpuMs: number; rssBefore: number; rssPeak: number }> {
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const result = await work();
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const cpu = process.cpuUsage(cpu0);
    return { result, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, rssBefore, rssPeak };
  } finally {
    clearInterval(timer);
  }
}

async function run(args: ReportsBenchArgs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'care-field-bench-reports-'));
  const storage = new EmbeddedStorage(dir);
  try {
    await prepareStorage(storage);
    const unitIds = Array.from({ length: args.units }, (_, i) => `bench-office-${String(i).padStart(2, '0')}`);
    // Seeding (not measured).
    const seedStart = performance.now();
    let docCount = 0;
    for (const [i, unitId] of unitIds.entries()) {
      await createUnit(storage, { unitId, name: { th: `สำนักงานทดสอบ ${i}`, en: `Bench office ${i}` }, kind: 'probation-office' });
      const db = storage.openDatabase(unitDatabaseName(unitId));
      let batch: StoredDoc[] = [];
      const personIds: string[] = [];
      for (const docs of generatePeople({ unitId, people: args.peoplePerUnit, fiscalYear: FY, seed: 100 + i })) {
        personIds.push(docs[0]._id);
        batch.push(...(docs as unknown as StoredDoc[]));
        if (batch.length >= 2000) {
          await db.bulkDocs(batch, { new_edits: true });
          docCount += batch.length;
          batch = [];
        }
      }
      batch.push(
        ...(generateCareVisits({
          unitId,
          personIds,
          perPerson: VISITS_PER_PERSON,
          from: VISITS_FROM,
          to: VISITS_TO,
          seed: 900 + i,
          officer: 'bench.officer'
        }) as unknown as StoredDoc[])
      );
      if (batch.length) await db.bulkDocs(batch, { new_edits: true });
      docCount += batch.length;
    }
    await createUser(storage, {
      username: 'bench.supervisor',
      displayName: 'Bench supervisor',
      role: 'supervisor',
      units: unitIds,
      password: PASSWORD
    });
    await createUser(storage, {
      username: 'bench.officer',
      displayName: 'Bench officer',
      role: 'officer',
      units: [unitIds[0]],
      password: PASSWORD
    });
    const seedMs = performance.now() - seedStart;

    // Baseline: a plain read of every unit's changes feed with the documents, same batch size and
    // the same concurrency as the projection's catch-up (all units at once, pages in sequence).
    const plainRead = async () => {
      let rows = 0;
      await Promise.all(
        unitIds.map(async (unitId) => {
          const db = storage.openDatabase(unitDatabaseName(unitId));
          let since: string | number = 0;
          for (;;) {
            const page = await db.changes({ since, limit: 500, include_docs: true, style: 'main_only' });
            rows += page.results.length;
            since = page.last_seq;
            if (page.results.length < 500) break;
          }
        })
      );
      return rows;
    };
    await plainRead(); // warms the store's caches, so neither side gets a cold read
    const plain1 = await withPeakRss(plainRead);
    const service = new ReportService(storage);
    const build = await withPeakRss(() => service.catchUp(unitIds, 600_000));
    const plain2 = await withPeakRss(plainRead);
    const people = unitIds.reduce((n, u) => n + service.projection(u).state().people, 0);

    // The HTTP server with its own reports service (the one above only measured the build).
    const app = await buildServer({ storage, log: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const signIn = async (username: string) => {
      const r = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD })
      });
      return (r.headers.get('set-cookie') ?? '').split(';')[0];
    };
    const supervisor = await signIn('bench.supervisor');
    const kpiPage = async (period = 12) => {
      const t0 = performance.now();
      const r = await fetch(`${url}/api/reports/kpi?fy=${FY}&period=${period}`, { headers: { cookie: supervisor } });
      const body = await r.json();
      return { ms: performance.now() - t0, body };
    };
    // This instance builds its own projection on the first requests (each waits at most 1.5 s and
    // says "stale" until the background catch-up finishes): not measured.
    let cold = await kpiPage();
    let coldRequests = 1;
    while (cold.body.units.some((u: { stale: boolean }) => u.stale)) {
      cold = await kpiPage();
      coldRequests++;
    }
    // Warm projection, KPIs not computed yet for this period: the full page.
    const fresh = await withPeakRss(() => kpiPage(6));
    const cached: number[] = [];
    for (let i = 0; i < 5; i++) cached.push((await kpiPage(6)).ms);
    const officer = await signIn('bench.officer');

    // One follow-up synced → the KPI reflects it.
    const first = cold.body.units.find((u: { unitId: string }) => u.unitId === unitIds[0]);
    const before = first.kpis['supervision-visits'].numerator;
    const list = await (
      await fetch(
        `${url}/api/reports/kpi/supervision-visits/people?fy=${FY}&period=12&unit=${unitIds[0]}&outcome=not-met&limit=500`,
        { headers: { cookie: supervisor } }
      )
    ).json();
    // A classified person still short of visits: one officer visit meets any level.
    const target = list.rows.find(
      (r: { reason: { en: string } }) => /more visit/.test(r.reason.en) && !/abnormal/.test(r.reason.en)
    );
    const episode = (await storage.openDatabase(unitDatabaseName(unitIds[0])).get(target.caseId)) as unknown as {
      _id: string;
      personId: string;
      supervisionStart: string;
    };
    const day = episode.supervisionStart;
    const followUp = {
      _id: 'followup:bbbbbbbb-0000-4000-8000-000000000001',
      _rev: '1-0123456789abcdef0123456789abcdef',
      type: 'followup',
      unitId: unitIds[0],
      schemaVersion: 1,
      createdAt: `${day}T05:00:00.000Z`,
      createdBy: 'bench.officer',
      updatedAt: `${day}T05:00:00.000Z`,
      updatedBy: 'bench.officer',
      personId: episode.personId,
      episodeId: episode._id,
      visitDate: day,
      recordedAt: `${day}T05:00:00.000Z`,
      method: 'home-visit',
      visitor: 'probation-officer',
      housing: {},
      work: {}
    };
    const t0 = performance.now();
    const push = await fetch(`${url}/sync/${unitIds[0]}/_bulk_docs`, {
      method: 'POST',
      headers: { cookie: officer, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: [followUp], new_edits: false })
    });
    if (push.status !== 201) throw new Error(`follow-up push answered ${push.status}`);
    const accepted = performance.now() - t0;
    let reflected = Number.NaN;
    let afterOne = 0;
    for (let i = 0; i < 100; i++) {
      const page = await kpiPage();
      afterOne = page.ms;
      if (
        page.body.units.find((u: { unitId: string }) => u.unitId === unitIds[0]).kpis['supervision-visits'].numerator ===
        before + 1
      ) {
        reflected = performance.now() - t0;
        break;
      }
    }
    if (Number.isNaN(reflected)) throw new Error('the KPI answer never showed the new follow-up');

    // Review queue and CARE 02 of every unit, warm projection, vs the old whole-unit read.
    const reviewPage = async () => {
      const t = performance.now();
      const r = await fetch(`${url}/api/review/queue?limit=100`, { headers: { cookie: supervisor } });
      const body = await r.json();
      if (r.status !== 200 || body.units.some((u: { stale: boolean }) => u.stale)) throw new Error(`review queue ${r.status}`);
      return { ms: performance.now() - t, waiting: body.units.reduce((n: number, u: { total: number }) => n + u.total, 0) };
    };
    const queueHttpFirst = await reviewPage();
    const queueHttpAgain: number[] = [];
    for (let i = 0; i < 5; i++) queueHttpAgain.push((await reviewPage()).ms);
    await app.close();
    await service.catchUp(unitIds, 600_000);
    const projectionQueue = await withPeakRss(async () => {
      let waiting = 0;
      await service.catchUp(unitIds);
      for (const u of unitIds) waiting += service.projection(u).review.queue().length;
      return waiting;
    });
    const projectionCare02 = await withPeakRss(async () => {
      let visits = 0;
      await service.catchUp(unitIds);
      for (const u of unitIds) visits += care02Numbers(CARE02_MONTH, service.projection(u).review.care02Sources()).visits.total;
      return visits;
    });
    const oldQueue = await withPeakRss(async () => {
      let waiting = 0;
      for (const u of unitIds) waiting += (await wholeUnitQueue(storage.openDatabase(unitDatabaseName(u)))).length;
      return waiting;
    });
    const oldCare02 = await withPeakRss(async () => {
      let visits = 0;
      for (const u of unitIds)
        visits += (await wholeUnitCare02(storage.openDatabase(unitDatabaseName(u)), CARE02_MONTH)).visits.total;
      return visits;
    });
    // Both paths must give the same answers, or the comparison means nothing.
    if (projectionQueue.result !== oldQueue.result || projectionQueue.result !== queueHttpFirst.waiting)
      throw new Error(`queue totals differ: ${projectionQueue.result} / ${oldQueue.result} / ${queueHttpFirst.waiting}`);
    if (projectionCare02.result !== oldCare02.result)
      throw new Error(`CARE 02 visits differ: ${projectionCare02.result} / ${oldCare02.result}`);

    // Export: `exportRows` rows (the projection's drill-down rows, repeated as needed).
    const rows = service.unitResults(unitIds[0], { fiscalYear: FY, period: 12 }, new Set())['supervision-visits'].rows;
    const table = {
      sheetName: 'bench',
      columns: ['unitId', 'prisonerId', 'name', 'caseDay', 'outcome', 'reason'].map((key) => ({ key, th: key, en: key })),
      rows: (function* () {
        for (let i = 0; i < args.exportRows; i++) {
          const r = rows[i % rows.length];
          const label = service.projection(r.unitId).label(r.personId);
          yield {
            unitId: r.unitId,
            prisonerId: label?.prisonerId ?? '',
            name: label?.name ?? '',
            caseDay: r.caseDay ?? '',
            outcome: r.outcome,
            reason: r.reason.th
          };
        }
      })()
    };
    const exportTo = async (format: ExportFormat) => {
      const file = path.join(dir, `export.${format}`);
      const out = createWriteStream(file);
      const done = once(out, 'close');
      await writeTable(format, { ...table, rows: table.rows }, out);
      if (format === 'xlsx') out.end();
      await done;
    };
    global.gc?.();
    const xlsx = await withPeakRss(() => exportTo('xlsx'));
    table.rows = (function* () {
      for (let i = 0; i < args.exportRows; i++) {
        const r = rows[i % rows.length];
        yield { unitId: r.unitId, prisonerId: '', name: '', caseDay: r.caseDay ?? '', outcome: r.outcome, reason: r.reason.th };
      }
    })();
    const csv = await withPeakRss(() => exportTo('csv'));

    return {
      units: args.units,
      people,
      docs: docCount,
      seedMs,
      plainMs: [plain1.ms, plain2.ms],
      plainCpuMs: [plain1.cpuMs, plain2.cpuMs],
      plainRows: plain1.result,
      build: {
        ms: build.ms,
        cpuMs: build.cpuMs,
        rssBefore: build.rssBefore,
        rssPeak: build.rssPeak,
        rssAfter: process.memoryUsage().rss
      },
      coldRequests,
      kpiWarmMs: fresh.ms,
      kpiWarmCpuMs: fresh.cpuMs,
      kpiCachedMs: cached,
      followUp: { acceptedMs: accepted, reflectedMs: reflected, lastPageMs: afterOne },
      exportXlsx: { rows: args.exportRows, ms: xlsx.ms, cpuMs: xlsx.cpuMs, rssGrowth: xlsx.rssPeak - xlsx.rssBefore },
      exportCsv: { rows: args.exportRows, ms: csv.ms, cpuMs: csv.cpuMs, rssGrowth: csv.rssPeak - csv.rssBefore },
      review: {
        waiting: projectionQueue.result,
        care02Visits: projectionCare02.result,
        queueMs: projectionQueue.ms,
        queueCpuMs: projectionQueue.cpuMs,
        oldQueueMs: oldQueue.ms,
        oldQueueCpuMs: oldQueue.cpuMs,
        oldQueueRssGrowth: oldQueue.rssPeak - oldQueue.rssBefore,
        care02Ms: projectionCare02.ms,
        care02CpuMs: projectionCare02.cpuMs,
        oldCare02Ms: oldCare02.ms,
        oldCare02CpuMs: oldCare02.cpuMs,
        queueHttpFirstMs: queueHttpFirst.ms,
        queueHttpAgainMs: queueHttpAgain
      }
    };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

process.once('message', async (args: ReportsBenchArgs) => {
  try {
    process.send!({ ok: true, result: await run(args) }, () => process.exit(0));
  } catch (e) {
    process.send!({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }, () => process.exit(1));
  }
});
