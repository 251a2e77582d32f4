/**
 * Step 6: honest tablets while an attacker works (issue 9). N simulated tablets of one unit sync
 * round after round (the session of step 3: pull a backlog, push one interview, checkpoint); we
 * take their p95 once with nobody else on the server (the baseline, same run) and then once per
 * attack, each attack running in a loop for the whole phase, all on loopback:
 *
 * - zeros: an officer's 18 MB `_bulk_docs` of 9 million zeros (item 1), two at a time;
 * - bulk-get: a supervisor's `_bulk_get` of 1 million ids (item 6), two at a time;
 * - slow-bodies: 200 sockets drip-feeding `POST /api/session` (item 3), reopened when cut;
 * - login-race: 300 wrong passwords for one account sent at once, again and again (item 2);
 * - forged: batches of 100 documents with forged authors and dates (item 4).
 *
 * Goal: honest p95 under attack ≤ 2× the quiet p95, and the server still answering. The attacker
 * runs in a process of its own (bench/attacker-process.ts), as a real one would, and on cores of
 * its own (bench/cpu-pinning.ts): the server and the honest tablets keep the same cores in the
 * quiet and the attacked phases, so the ratio measures the server's defences, not a contest
 * for the machine's cores that an attacker on another machine could not start.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { abusePinning, affinityOf, coreTimes, pinProcess, startBallast, type Pinning } from '../cpu-pinning.ts';
import { benchCare01, benchPerson } from '../data.ts';
import { percentile, type Results } from '../report.ts';
import type { BenchServer } from '../server-control.ts';
import { tabletSession } from './load.ts';

interface Setup {
  unitId: string;
  username: string;
  tablets: number;
  rounds: number;
  backlog: number;
}

/** The attacks of bench/attacker-process.ts, in the order they run. */
const ATTACK_NAMES = ['zeros', 'bulk-get', 'slow-bodies', 'login-race', 'forged'];

const PHASE_PROFILES = process.env.BENCH_PHASE_PROF;

let sessionNumber = 900_000;

/** `tablets` tablets, each syncing `rounds` times one after the other; every session's latency. */
async function honestLoad(
  server: BenchServer,
  tokens: string[],
  setup: Setup
): Promise<{ latencies: number[]; errors: number; requests: Map<string, number[]> }> {
  const base = `${server.url}/sync/${setup.unitId}`;
  const info = await (await fetch(`${base}/`, { headers: { cookie: `care_session=${tokens[0]}` } })).json();
  const since = Math.max(0, Number(info.update_seq) - setup.backlog);
  const latencies: number[] = [];
  /** Each request's latency by kind (`POST _bulk_docs`…): which one an attack slows. */
  const requests = new Map<string, number[]>();
  let errors = 0;
  await Promise.all(
    tokens.map(async (token, t) => {
      for (let r = 0; r < setup.rounds; r++) {
        const n = sessionNumber++;
        const t0 = performance.now();
        try {
          await tabletSession(
            base,
            `care_session=${token}`,
            `abuse-${t}`,
            since,
            benchCare01(benchPerson(setup.unitId, n, setup.username), n),
            requests
          );
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    })
  );
  return { latencies, errors, requests };
}

/** p95 in ms of each request kind. */
const p95ByRequest = (requests: Map<string, number[]>) =>
  Object.fromEntries([...requests].map(([kind, ms]) => [kind, Math.round(percentile(ms, 95))]));

/**
 * Starts the attacker process (bench/attacker-process.ts) for `name` and has it prepare its
 * bodies, without attacking yet: its start-up (loading, building 18 MB bodies) is over before
 * the quiet run it is compared with, so the two phases differ only by the attack itself.
 */
async function launchAttacker(
  name: string,
  url: string,
  tokens: { officer: string; supervisor: string },
  pinning: Pinning | null
): Promise<{ start(): Promise<void>; stop(): Promise<{ attempts: number; cpuMs: number }> }> {
  const script = path.join(import.meta.dirname, '..', 'attacker-process.ts');
  const options = { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[] };
  // Started through taskset, so every thread it ever has (libuv's pool too) is on its cores.
  const child: ChildProcess = pinning
    ? spawn(pinning.taskset, ['-c', pinning.attacker, process.execPath, '--import', 'tsx', script], options)
    : fork(script, [], { ...options, execArgv: ['--import', 'tsx'] });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<(m: Record<string, unknown>) => void> = [];
  child.on('message', (m: Record<string, unknown>) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else messages.push(m);
  });
  const next = async () => {
    const m = await new Promise<Record<string, unknown>>((resolve, reject) => {
      if (messages.length) return resolve(messages.shift()!);
      waiters.push(resolve);
      child.once('exit', (code) => reject(new Error(`attacker exited with ${code}`)));
    });
    if (m.error) throw new Error(String(m.error));
    return m;
  };
  child.send({ command: 'prepare', attack: name, url, tokens });
  await next();
  return {
    async start() {
      child.send({ command: 'start' });
      await next();
    },
    async stop() {
      child.send({ command: 'stop' });
      const done = await next();
      return { attempts: Number(done.attempts), cpuMs: Number(done.cpuMs) };
    }
  };
}

async function healthy(server: BenchServer): Promise<boolean> {
  try {
    return (await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(10_000) })).status === 200;
  } catch {
    return false;
  }
}

/** The child processes of `pid` (Linux; none elsewhere). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Pins this process (the honest tablets) and the server to the honest cores for the step and
 * gives back a function restoring what they had (the browser steps after it need both cores).
 */
function pinHonestSide(pinning: Pinning | null, serverPid: number): () => void {
  if (!pinning) return () => undefined;
  // The server's own child processes (password hashing) are part of the server.
  const saved = [process.pid, serverPid, ...childrenOf(serverPid)].map((pid) => ({
    pid,
    cpus: affinityOf(pinning.taskset, pid)
  }));
  for (const { pid } of saved) pinProcess(pinning.taskset, pid, pinning.honest);
  return () => {
    for (const { pid, cpus } of saved) pinProcess(pinning.taskset, pid, cpus);
  };
}

export async function abuseUnderLoad(server: BenchServer, results: Results, setup: Setup): Promise<void> {
  const tokens = await server.call<string[]>('sessions', { username: setup.username, count: setup.tablets });
  const [officer] = await server.call<string[]>('sessions', { username: 'officer.a', count: 1 });
  const [supervisor] = await server.call<string[]>('sessions', { username: 'supervisor', count: 1 });

  const { pinning, why } = abusePinning();
  const ballastEnv = process.env.BENCH_ABUSE_BALLAST ?? '0';
  const ballast = pinning !== null && ballastEnv !== 'off' ? Number(ballastEnv) : null;
  if (ballast !== null && !(Number.isInteger(ballast) && ballast >= -20 && ballast <= 19))
    throw new Error(`BENCH_ABUSE_BALLAST must be a nice value or off, not ${ballastEnv}`);
  const pinned = `${why}${ballast !== null ? ` (+ nice-${ballast} ballast there in both phases)` : ''}`;
  const serverPid = (await server.call<{ pid: number }>('usage')).pid;
  const unpin = pinHonestSide(pinning, serverPid);
  const stopBallast = pinning && ballast !== null ? startBallast(pinning, ballast) : () => undefined;
  try {
    await measureAttacks(server, results, setup, { tokens, officer, supervisor, pinning, pinned });
  } finally {
    stopBallast();
    unpin();
  }
}

async function measureAttacks(
  server: BenchServer,
  results: Results,
  setup: Setup,
  {
    tokens,
    officer,
    supervisor,
    pinning,
    pinned
  }: { tokens: string[]; officer: string; supervisor: string; pinning: Pinning | null; pinned: string }
): Promise<void> {
  await honestLoad(server, tokens, { ...setup, rounds: 1 }); // warm-up, not measured
  const serverUsage = async () => {
    const { cpu, loop } = await server.call<{ cpu: { user: number; system: number }; loop: { p99Ms: number; maxMs: number } }>(
      'usage'
    );
    return { cpuMs: (cpu.user + cpu.system) / 1000, loop };
  };
  const ownCpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  /** The honest load once, with the server's and the honest tablets' CPU time and the wall time it took. */
  const measured = async () => {
    const before = await serverUsage();
    const clientBefore = ownCpuMs();
    const coresBefore = pinning ? coreTimes(pinning.honest) : null;
    const t0 = performance.now();
    const run = await honestLoad(server, tokens, setup);
    const wallMs = performance.now() - t0;
    const clientCpuMs = ownCpuMs() - clientBefore;
    const coresAfter = pinning ? coreTimes(pinning.honest) : null;
    const after = await serverUsage();
    /** The honest cores' time in the phase, by kind (ms): user, system, irq, idle, steal. */
    const honestCores =
      coresBefore && coresAfter
        ? Object.fromEntries(Object.entries(coresAfter).map(([k, v]) => [k, v - coresBefore[k as keyof typeof coresBefore]]))
        : null;
    const cpuMs = after.cpuMs - before.cpuMs;
    // Busy time of the honest cores that was neither the server's nor the tablets': other
    // processes of the machine (the attacker and the ballast are pinned elsewhere).
    const othersMs = honestCores ? honestCores.user + honestCores.system + honestCores.irq - cpuMs - clientCpuMs : null;
    return {
      honestCores,
      othersMs,
      ...run,
      p95: percentile(run.latencies, 95),
      wallMs,
      cpuMs,
      clientCpuMs,
      loopP99Ms: Math.round(after.loop.p99Ms),
      loopMaxMs: Math.round(after.loop.maxMs)
    };
  };
  const cpuShare = (run: { wallMs: number; cpuMs: number; loopP99Ms: number; loopMaxMs: number }) =>
    `CPU ${Math.round((run.cpuMs / run.wallMs) * 100)} % of wall time, event-loop delay p99 ${run.loopP99Ms} ms / max ${run.loopMaxMs} ms`;
  /** Share of the phase's wall time the honest cores gave to other processes of the machine. */
  const othersShare = (run: { othersMs: number | null; wallMs: number }) =>
    run.othersMs === null ? '?' : `${Math.max(0, Math.round((run.othersMs / run.wallMs) * 100))} %`;

  // On a shared machine the load of other processes changes by the minute: each attack is
  // compared with a quiet run taken just before it (its attacker process already started and
  // idle), and the first quiet run is reported alone.
  let quiet = await measured();
  results.add({
    name: `8. ${setup.tablets} honest tablets × ${setup.rounds} syncs, quiet server, p95`,
    value: quiet.p95,
    unit: 'ms',
    note: `p50 ${Math.round(percentile(quiet.latencies, 50))} ms, ${quiet.errors} errors, server ${cpuShare(quiet)}; ${pinned}`,
    details: {
      pinning: pinning ? { honest: pinning.honest, attacker: pinning.attacker } : null,
      serverCpuMs: quiet.cpuMs,
      honestClientCpuMs: quiet.clientCpuMs,
      wallMs: quiet.wallMs
    }
  });

  // BENCH_ATTACKS=login-race,forged: only those attacks; BENCH_ABUSE_REPEATS=3: each of them 3
  // times in a row (every run against its own quiet run), to see the spread, not one lucky draw.
  const attacks = process.env.BENCH_ATTACKS
    ? ATTACK_NAMES.filter((a) => process.env.BENCH_ATTACKS!.split(',').includes(a))
    : ATTACK_NAMES;
  const repeats = Number(process.env.BENCH_ABUSE_REPEATS ?? 1);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 20) throw new Error('BENCH_ABUSE_REPEATS must be 1 to 20');
  for (const name of attacks)
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const attackerProcess = await launchAttacker(name, server.url, { officer, supervisor }, pinning);
      quiet = await measured();
      const rssBefore = (await server.call<{ rss: number }>('usage')).rss;
      await attackerProcess.start();
      // BENCH_PHASE_PROF=<dir>: a CPU profile of the sync-server during each attack, one file each.
      if (PHASE_PROFILES) await server.call('profileStart');
      const honest = await measured();
      if (PHASE_PROFILES)
        await server.call('profileStop', { file: path.join(PHASE_PROFILES, `attack-${name}-${repeat}.cpuprofile`) });
      const attacker = await attackerProcess.stop();
      const alive = await healthy(server);
      const rssAfter = (await server.call<{ rss: number }>('usage')).rss;
      results.add({
        name: `8. honest sync p95 during attack "${name}"${repeats > 1 ? ` (${repeat}/${repeats})` : ''}`,
        value: honest.p95,
        unit: 'ms',
        baseline: { name: 'same tablets, quiet server, just before', value: quiet.p95 },
        note: `${attacker.attempts} attack requests, ${honest.errors} honest errors, server ${alive ? 'alive' : 'NOT ANSWERING'}, server ${cpuShare(honest)} (quiet: ${cpuShare(quiet)}), CPU s server ${s1(honest.cpuMs)} (quiet ${s1(quiet.cpuMs)}) / attacker ${s1(attacker.cpuMs)}, other processes on the honest core ${othersShare(honest)} of the phase (quiet ${othersShare(quiet)}), rss ${Math.round(rssBefore / 2 ** 20)}→${Math.round(rssAfter / 2 ** 20)} MiB; ${pinned}`,
        details: {
          p50: percentile(honest.latencies, 50),
          attempts: attacker.attempts,
          honestErrors: honest.errors,
          alive,
          rssBefore,
          rssAfter,
          pinning: pinning ? { honest: pinning.honest, attacker: pinning.attacker } : null,
          serverCpuMs: honest.cpuMs,
          attackerCpuMs: attacker.cpuMs,
          honestClientCpuMs: honest.clientCpuMs,
          wallMs: honest.wallMs,
          quietServerCpuMs: quiet.cpuMs,
          quietAttackerCpuMs: 0,
          quietHonestClientCpuMs: quiet.clientCpuMs,
          quietWallMs: quiet.wallMs,
          loopP99Ms: honest.loopP99Ms,
          loopMaxMs: honest.loopMaxMs,
          quietLoopP99Ms: quiet.loopP99Ms,
          othersOnHonestCoresMs: honest.othersMs,
          quietOthersOnHonestCoresMs: quiet.othersMs,
          honestCoresMs: honest.honestCores,
          quietHonestCoresMs: quiet.honestCores,
          requestP95Ms: p95ByRequest(honest.requests),
          quietRequestP95Ms: p95ByRequest(quiet.requests)
        }
      });
      if (!alive) throw new Error(`the server stopped answering during attack "${name}"`);
    }
}

/** Milliseconds as seconds with one decimal. */
const s1 = (ms: number) => (ms / 1000).toFixed(1);
