/**
 * `npm run bench`: the numbers behind "Sync you can trust". Everything runs on loopback against
 * a real sync-server (its own process, bench/server-process.ts) over a real embedded store in a
 * temporary directory; the browser step drives Debian's Chromium. Prints a table and writes
 * bench/results.json. Not part of `npm test`.
 *
 * BENCH_QUICK=1 runs every step at a small size, to check the harness itself (numbers not kept
 * comparable); BENCH_SKIP_BROWSER=1 leaves out steps 5 and 7; BENCH_ONLY=3,4 runs just those steps.
 * BENCH_BUILD_DIR serves another build of the app (e.g. of an earlier commit) to compare steps 5–6.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { closeClients, PASSWORD } from '../tests/helpers/server.ts';
import { Results } from './report.ts';
import { startBenchServer } from './server-control.ts';
import { basicVersusCookie, firstReplication, incrementalSync } from './steps/replication.ts';
import { ingest, tabletsAtOnce } from './steps/load.ts';
import { browserSteps } from './steps/browser.ts';
import { reportsStep } from './steps/reports.ts';
import { firstVisitSteps } from './steps/first-visit.ts';
import { APP_BUILD_DIR } from './build-dir.ts';
import { abuseUnderLoad } from './steps/abuse.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const SKIP_BROWSER =
  process.env.BENCH_SKIP_BROWSER === '1' || (process.env.BENCH_ONLY !== undefined && !/[57]/.test(process.env.BENCH_ONLY));
/** e.g. BENCH_ONLY=3,4: just those steps (the results file then holds only them). */
const ONLY = process.env.BENCH_ONLY;

const SIZES = QUICK
  ? {
      firstReplication: 1_000,
      basicReplication: 300,
      liveRuns: 5,
      tablets: [20, 50],
      tabletUnitDocs: 500,
      backlog: 20,
      ingest: 1_000,
      searchUnits: [500, 1_000],
      browserSyncBudgetMin: 2,
      saves: 3,
      reports: { units: 5, peoplePerUnit: 200, exportRows: 5_000 },
      abuseTablets: 10,
      abuseRounds: 3
    }
  : {
      firstReplication: 10_000,
      basicReplication: 1_000,
      liveRuns: 30,
      tablets: [100, 200, 500],
      tabletUnitDocs: 2_000,
      backlog: 50,
      ingest: 10_000,
      searchUnits: [10_000, 20_000],
      browserSyncBudgetMin: Number(process.env.BENCH_BROWSER_SYNC_MIN ?? 5),
      saves: 20,
      reports: { units: 50, peoplePerUnit: Number(process.env.BENCH_REPORTS_PEOPLE_PER_UNIT ?? 2_000), exportRows: 100_000 },
      abuseTablets: 20,
      abuseRounds: 10
    };

/** BENCH_TABLETS=500: only that many tablets at once in step 3 (profiling one size). */
if (process.env.BENCH_TABLETS) SIZES.tablets = process.env.BENCH_TABLETS.split(',').map(Number);
/** BENCH_BROWSER_PEOPLE=10000: step 5 on only these unit sizes (the first one also saves and starts warm). */
if (process.env.BENCH_BROWSER_PEOPLE) SIZES.searchUnits = process.env.BENCH_BROWSER_PEOPLE.split(',').map(Number);
/** BENCH_ABUSE_ROUNDS=10: syncs per honest tablet per phase of step 8 (more samples for its p95). */
if (process.env.BENCH_ABUSE_ROUNDS) SIZES.abuseRounds = Number(process.env.BENCH_ABUSE_ROUNDS);

const UNITS = {
  replication: { unitId: 'bench-replication', username: 'bench.replication' },
  load: { unitId: 'bench-load', username: 'bench.load' },
  basic: { unitId: 'bench-basic', username: 'bench.basic' },
  browser: (n: number) => ({ unitId: `bench-people-${n}`, username: `bench.people${n}`, count: n }),
  /** A CARE centre's caseload as a new tablet gets it: people with their interviews. */
  firstVisit: { unitId: 'bench-first-visit', username: 'bench.firstvisit', count: 100 }
};

async function main() {
  const startedAt = new Date();
  const results = new Results();
  const step = async (title: string, work: () => Promise<void>) => {
    if (ONLY && !ONLY.split(',').some((n) => title.startsWith(`${n}.`)) && !title.startsWith('seeding')) return;
    const t0 = Date.now();
    console.log(`\n${title}`);
    try {
      await work();
    } catch (e) {
      // A failed step is reported as such and the others still run.
      results.note(`${title} FAILED: ${e instanceof Error ? e.message : String(e)}`);
    }
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  };
  if (QUICK) results.note('BENCH_QUICK=1: small sizes, numbers only check the harness');
  if (ONLY) results.note(`BENCH_ONLY=${ONLY}: the other steps were not run`);

  if (!SKIP_BROWSER && !existsSync(path.join(APP_BUILD_DIR, 'index.html'))) {
    console.log('build/ is missing: running `npx vite build` first');
    const { execSync } = await import('node:child_process');
    execSync('npx vite build', { stdio: 'inherit', cwd: path.resolve(import.meta.dirname, '..') });
  }

  const server = await startBenchServer(SKIP_BROWSER ? null : APP_BUILD_DIR);
  console.log(`sync-server (separate process) at ${server.url}`);
  try {
    await step('seeding (not measured)', async () => {
      const seeded = await server.call<{ docs: number; ms: number }>('seedUnit', {
        ...UNITS.replication,
        count: SIZES.firstReplication,
        withInterviews: true
      });
      console.log(`  ${UNITS.replication.unitId}: ${seeded.docs} docs (people + CARE 01) in ${(seeded.ms / 1000).toFixed(1)} s`);
      const load = await server.call<{ docs: number }>('seedUnit', {
        ...UNITS.load,
        count: SIZES.tabletUnitDocs,
        withInterviews: true
      });
      console.log(`  ${UNITS.load.unitId}: ${load.docs} docs`);
      await server.call('seedUnit', { ...UNITS.basic, count: SIZES.basicReplication, withInterviews: true });
    });

    let tablets: Awaited<ReturnType<typeof firstReplication>> | null = null;
    await step('1. first replication of a unit to a new client', async () => {
      tablets = await firstReplication(server, results, {
        ...UNITS.replication,
        password: PASSWORD,
        docCount: SIZES.firstReplication
      });
      await basicVersusCookie(server, results, { ...UNITS.basic, password: PASSWORD, docCount: SIZES.basicReplication });
    });
    await step('2. incremental sync of one new interview, end to end', async () => {
      if (!tablets) throw new Error('needs the two tablets of step 1');
      await incrementalSync(server, results, UNITS.replication.unitId, tablets, SIZES.liveRuns);
    });
    await closeClients();

    await step('3. tablets syncing at once', async () => {
      await tabletsAtOnce(server, results, { ...UNITS.load, counts: SIZES.tablets, backlog: SIZES.backlog });
    });
    await step('4. interviews accepted per second', async () => {
      await ingest(server, results, { ...UNITS.load, total: SIZES.ingest, batchSize: 100, clients: 4 });
    });

    await step('6. reports: projection, KPI page, export', async () => {
      await reportsStep(results, SIZES.reports);
    });

    await step('8. honest tablets while an attacker works', async () => {
      await abuseUnderLoad(server, results, {
        ...UNITS.load,
        tablets: SIZES.abuseTablets,
        rounds: SIZES.abuseRounds,
        backlog: SIZES.backlog
      });
    });

    if (SKIP_BROWSER) results.note('step 5 not run (BENCH_SKIP_BROWSER or BENCH_ONLY)');
    else
      await step('5. the app in Chromium, 4× CPU throttling', async () => {
        await browserSteps(server, results, {
          units: SIZES.searchUnits.map(UNITS.browser),
          syncBudgetMs: SIZES.browserSyncBudgetMin * 60_000,
          saves: SIZES.saves,
          // On the home page, under the live people list, as an officer's first sync happens.
          onHome: process.env.BENCH_SYNC_ON_HOME !== '0'
        });
      });
    if (!SKIP_BROWSER)
      await step('7. first visit on a slow link', async () => {
        await firstVisitSteps(server, results, UNITS.firstVisit, QUICK ? 1 : 3);
      });
  } finally {
    await closeClients().catch(() => undefined);
    await server.stop();
  }

  // Only a full run replaces results.json; quick or partial runs must not clobber its numbers.
  const partial = QUICK || ONLY !== undefined || process.env.BENCH_SKIP_BROWSER === '1';
  const file = path.join(import.meta.dirname, partial ? 'results.partial.json' : 'results.json');
  results.write(file, startedAt);
  console.log(`\n${results.table()}\n`);
  for (const n of results.notes) console.log(`note: ${n}`);
  console.log(
    `\nwritten ${path.relative(process.cwd(), file)} (${Math.round((Date.now() - startedAt.getTime()) / 1000)} s in all)`
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
