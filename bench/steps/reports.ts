/**
 * Step 6: the supervisor's reports (sync-server/reports). Runs bench/steps/reports-process.ts in a
 * child process of its own (its store, its server) so the memory figures are the reporting
 * module's, and turns its figures into rows with their baselines measured in the same run.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { Results } from '../report.ts';
import type { ReportsBenchArgs } from './reports-process.ts';

const MB = 1024 * 1024;
const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function reportsStep(results: Results, args: ReportsBenchArgs): Promise<void> {
  const child = fork(path.join(import.meta.dirname, 'reports-process.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  const answer = await new Promise<{ ok: boolean; result?: any; error?: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { ok: boolean; result?: any; error?: string }));
    child.once('exit', (code) => reject(new Error(`reports bench process exited with ${code}`)));
    child.send(args);
  });
  if (!answer.ok) throw new Error(answer.error);
  const r = answer.result;
  const size = `${r.people.toLocaleString('en')} people, ${r.units} units`;
  console.log(`  seeded ${r.docs.toLocaleString('en')} docs in ${(r.seedMs / 1000).toFixed(0)} s (not measured)`);
  const plainMs = (r.plainMs[0] + r.plainMs[1]) / 2;
  results.add({
    name: `6. reports: projection build from scratch, ${size}`,
    value: r.build.ms / 1000,
    unit: 's',
    baseline: { name: 'plain read of the same changes feeds (mean of before/after)', value: plainMs / 1000 },
    note: `${Math.round((r.plainRows / r.build.ms) * 1000)} changes/s; CPU ${fmtS(r.build.cpuMs)} vs ${fmtS((r.plainCpuMs[0] + r.plainCpuMs[1]) / 2)}; RSS ${Math.round(r.build.rssBefore / MB)} → peak ${Math.round(r.build.rssPeak / MB)} MB (after ${Math.round(r.build.rssAfter / MB)} MB)`,
    details: r
  });
  results.add({
    name: `6. reports: KPI page (all KPIs, every unit + region), warm projection, ${size}`,
    value: r.kpiWarmMs / 1000,
    unit: 's',
    baseline: { name: 'same page again (KPI cache hit)', value: r.kpiCachedMs.sort((a: number, b: number) => a - b)[2] / 1000 },
    note: `goal ≤ 2 s; CPU ${fmtS(r.kpiWarmCpuMs)} (server and client in one process); ${r.coldRequests} requests (stale, bounded 1.5 s wait each) while this instance built its projection`
  });
  results.add({
    name: '6. reports: one follow-up synced → KPI shows it',
    value: r.followUp.reflectedMs / 1000,
    unit: 's',
    baseline: { name: 'the push alone (_bulk_docs accepted)', value: r.followUp.acceptedMs / 1000 },
    note: 'goal ≤ 1 s; from the push to the first KPI answer with the new numerator'
  });
  results.add({
    name: `6. reports: export ${r.exportXlsx.rows.toLocaleString('en')} rows to .xlsx (streamed)`,
    value: r.exportXlsx.ms / 1000,
    unit: 's',
    baseline: { name: 'same rows as CSV', value: r.exportCsv.ms / 1000 },
    note: `goal ≤ 10 s, RSS growth ≤ 200 MB: CPU ${fmtS(r.exportXlsx.cpuMs)} (CSV ${fmtS(r.exportCsv.cpuMs)}); RSS growth ${Math.round(r.exportXlsx.rssGrowth / MB)} MB (CSV ${Math.round(r.exportCsv.rssGrowth / MB)} MB)`
  });
  const rv = r.review;
  results.add({
    name: `6. reports: review queue of every unit, warm projection, ${size}`,
    value: rv.queueMs,
    unit: 'ms',
    baseline: { name: 'old whole-unit read by id prefix + the same queue rule', value: rv.oldQueueMs },
    note: `${rv.waiting.toLocaleString('en')} records waiting; CPU ${fmtS(rv.queueCpuMs)} vs ${fmtS(rv.oldQueueCpuMs)}; old read RSS growth ${Math.round(rv.oldQueueRssGrowth / MB)} MB; over HTTP (${r.units} units, first 100 each, audited) first ${fmtS(rv.queueHttpFirstMs)}, again ${fmtS([...rv.queueHttpAgainMs].sort((a: number, b: number) => a - b)[2])}`
  });
  results.add({
    name: `6. reports: CARE 02 of a month for every unit, warm projection, ${size}`,
    value: rv.care02Ms,
    unit: 'ms',
    baseline: { name: 'old whole-unit read of CARE 01/03/04 by id prefix', value: rv.oldCare02Ms },
    note: `${rv.care02Visits.toLocaleString('en')} visits counted in the month; CPU ${fmtS(rv.care02CpuMs)} vs ${fmtS(rv.oldCare02CpuMs)}`
  });
}
