/**
 * Step 5, worklist row: a probation office of 5,000 people (episodes, ~12,500 follow-ups, 500
 * non-compliance events) as projection rows in the page's IndexedDB, then one follow-up saved.
 * Measured in Chromium, CPU throttled 4×, in the page: the write → the screen's subscription
 * (caseload-live.ts `followWorklist`) hands over the updated list. Baseline, same run and data:
 * the same write followed by recomputing everyone (what the screen did before: re-read every
 * projection row of the unit and run the rules).
 * The app's modules are bundled with esbuild exactly as written and loaded into a page of the
 * app's origin that does not start the app (so the IndexedDB is the bench's alone).
 */
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { percentile, type Results } from '../report.ts';
import type { BenchServer } from '../server-control.ts';
import { worklistCaseload } from '../../tests/helpers/worklist-caseload.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PEOPLE = 5_000;
const RUNS = 15;
const UNIT = 'bench-worklist';
const TODAY = '2026-11-23';

async function bundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        export { followWorklist, CaseloadWorklist } from './src/lib/client/caseload-live.ts';
        export { LocalDb } from './src/lib/client/local-db.ts';
      `,
      resolveDir: ROOT,
      loader: 'ts'
    },
    bundle: true,
    format: 'iife',
    globalName: 'Bench',
    platform: 'browser',
    target: 'es2022',
    write: false
  });
  return result.outputFiles[0].text;
}

export async function worklistAfterOneSave(browser: Browser, server: BenchServer, results: Results) {
  // The bundle is injected as an inline script: the server's CSP (rightly) forbids that, so this
  // context alone bypasses it.
  const context = await browser.newContext({ bypassCSP: true, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
  try {
    const page = await context.newPage();
    await page.goto(server.url + '/api/me');
    await page.addScriptTag({ content: await bundle() });
    const data = worklistCaseload(UNIT, TODAY, PEOPLE);
    await page.evaluate(
      `(async (d) => {
        const db = new Bench.LocalDb('bench-worklist-' + Math.random());
        await db.people.bulkPut(d.people);
        await db.episodes.bulkPut(d.episodes);
        await db.followups.bulkPut(d.followups);
        await db.noncompliance.bulkPut(d.noncompliance);
        window.__db = db;
      })(${JSON.stringify(data)})`
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const measured = (await page.evaluate(
      `(${MEASURE})(${JSON.stringify({ unit: UNIT, today: TODAY, runs: RUNS, people: PEOPLE })})`
    )) as {
      incremental: number[];
      full: number[];
      rows: number;
      agree: boolean;
    };
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    if (!measured.agree) throw new Error('the worklist recomputed for one person differs from the one recomputed for everyone');
    const value = percentile(measured.incremental, 95);
    const baseline = percentile(measured.full, 95);
    results.add({
      name: `5. worklist recomputed after one save, ${PEOPLE.toLocaleString('en-US')} people, p95`,
      value,
      unit: 'ms',
      baseline: { name: 'the same save, everyone recomputed (re-read the projection + rules)', value: baseline },
      note: `${measured.incremental.length} saves of a follow-up, ${data.followups.length} follow-ups, ${measured.rows} rows; p50 ${percentile(measured.incremental, 50).toFixed(0)} ms vs ${percentile(measured.full, 50).toFixed(0)} ms`,
      details: { incrementalMs: measured.incremental, fullMs: measured.full, rows: measured.rows }
    });
  } finally {
    await context.close();
  }
}

/**
 * Runs in the page: each run writes one follow-up of a different person (as the projection does:
 * the whole row), then times write → updated list handed to the screen; the baseline run writes
 * the same kind of row and recomputes everyone. The last lists of both must agree.
 */
const MEASURE = `async function ({ unit, today, runs, people }) {
  const db = window.__db;
  const visit = (n, i) => ({
    id: 'followup:bench-' + n + '-' + i,
    unitId: unit,
    personId: 'person:00000001-0000-4000-8000-' + ((i * 37) % people).toString(16).padStart(12, '0'),
    visitDate: today,
    recordedAt: today + 'T04:00:00.000Z',
    method: 'home-visit',
    visitor: 'probation-officer',
    abnormalSituation: false
  });
  let waiting = null;
  let last = [];
  const stop = Bench.followWorklist(unit, today, (rows) => { last = rows; if (waiting) waiting(); }, (e) => console.error(e), db);
  await new Promise((r) => { waiting = r; });
  waiting = null;
  const incremental = [];
  for (let i = 0; i < runs; i++) {
    const next = new Promise((r) => { waiting = r; });
    const t0 = performance.now();
    await db.followups.put(visit('a', i));
    await next;
    incremental.push(performance.now() - t0);
    waiting = null;
    await new Promise((r) => setTimeout(r, 50));
  }
  stop();
  const full = [];
  const everyone = new Bench.CaseloadWorklist(db, unit, today);
  let rows = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await db.followups.put(visit('b', i));
    rows = await everyone.computeAll();
    full.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Undo the baseline's visits so both lists describe the same data, then compare.
  await db.followups.bulkDelete(Array.from({ length: runs }, (_, i) => visit('b', i).id));
  rows = await everyone.computeAll();
  const key = (r) => r.personId + '|' + r.kind + '|' + r.dueBy + '|' + r.bucket;
  const agree = rows.length === last.length && rows.every((r, i) => key(r) === key(last[i]));
  return { incremental, full, rows: rows.length, agree };
}`;
