/**
 * CPU pinning for bench step 8 with `taskset` (util-linux): the sync-server and the honest
 * tablets on one set of cores, the attacker on another. A real attacker works from another
 * machine and cannot take the server's cores; on one small machine, unpinned, the attacker's own
 * client work (encoding 18 MB bodies, opening hundreds of sockets) competes with the server for
 * the same cores and the step would time that competition, not the server's defences.
 *
 * BENCH_ABUSE_PIN=<server+honest cpus>:<attacker cpus> (taskset -c lists, e.g. `0:1` or
 * `0-1:2-3`); `off` runs unpinned. Default: `0:1` when taskset is on the PATH and the machine
 * has at least 2 cores.
 *
 * Ballast: on this (virtual, shared) machine, two processes pinned to core 0 talking over
 * loopback ran 1.5–3× faster whenever core 1 was busy, and the machine's other work (not pinned)
 * goes where the scheduler sees the least load: with core 1 busy only while an attack ran, the
 * two phases did not run on the same machine. So a spinner at BENCH_ABUSE_BALLAST (a nice
 * value, default 0; `off`) keeps each attacker core busy in both phases. With it at nice 19,
 * other work still moved onto core 0 in attacked phases (/proc/stat: 6.0–6.7 s of user time on
 * core 0 in a phase where server and tablets used 2.1 s). The attacks need a fraction of a core
 * and wake often, which the scheduler favours: they sent as many requests per phase with a
 * nice-0 spinner as without.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Pinning {
  /** Cores of the sync-server and the honest tablets (a taskset -c list). */
  honest: string;
  /** Cores of the attacker process. */
  attacker: string;
  taskset: string;
}

const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

function findTaskset(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'taskset');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The pinning to use, or null with the reason it is off (for the step's note). */
export function abusePinning(env: string | undefined = process.env.BENCH_ABUSE_PIN): {
  pinning: Pinning | null;
  why: string;
} {
  if (env === 'off') return { pinning: null, why: 'BENCH_ABUSE_PIN=off' };
  const taskset = findTaskset();
  if (!taskset) return { pinning: null, why: 'taskset not found: attacker and server share the cores' };
  const cores = os.availableParallelism();
  if (env === undefined && cores < 2) return { pinning: null, why: `${cores} core: attacker and server share it` };
  const [honest, attacker] = (env ?? '0:1').split(':');
  if (!CPU_LIST.test(honest ?? '') || !CPU_LIST.test(attacker ?? ''))
    throw new Error(`BENCH_ABUSE_PIN must be <cpus>:<cpus> (e.g. 0:1) or off, not ${env}`);
  return { pinning: { honest, attacker, taskset }, why: `server + honest tablets on cpu ${honest}, attacker on cpu ${attacker}` };
}

/** The cores `pid` may run on now (its main thread's list). */
export function affinityOf(taskset: string, pid: number): string {
  const out = execFileSync(taskset, ['-cp', String(pid)], { encoding: 'utf8' });
  const list = out.trim().split(':').pop()?.trim() ?? '';
  if (!CPU_LIST.test(list)) throw new Error(`cannot read the affinity of ${pid}: ${out}`);
  return list;
}

/** Moves every thread of `pid` (libuv's pool too) to `cpus`; threads started later inherit it. */
export function pinProcess(taskset: string, pid: number, cpus: string): void {
  execFileSync(taskset, ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
}

/** A spinner at `nice` per core of `pinning.attacker`, until the returned function stops them. */
export function startBallast(pinning: Pinning, nice: number): () => void {
  const spinners = coresOf(pinning.attacker).map(() => {
    const child = spawn(pinning.taskset, ['-c', pinning.attacker, process.execPath, '-e', 'for (;;);'], { stdio: 'ignore' });
    if (child.pid) os.setPriority(child.pid, nice);
    return child;
  });
  return () => {
    for (const child of spinners) child.kill();
  };
}

/** Cores named by a taskset -c list. */
const coresOf = (cpus: string) =>
  cpus.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });

/**
 * Where the time of `cpus` went (Linux /proc/stat, ms summed over those cores): busy in user or
 * kernel code, interrupts, idle, or stolen by the hypervisor. Subtracting two readings tells
 * whether a slow phase's server core was busy with other work, idle, or not ours at all.
 */
export function coreTimes(cpus: string): Record<'user' | 'system' | 'irq' | 'idle' | 'steal', number> | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const wanted = new Set(coresOf(cpus).map((n) => `cpu${n}`));
  const total = { user: 0, system: 0, irq: 0, idle: 0, steal: 0 };
  for (const line of stat.split('\n')) {
    const [name, ...ticks] = line.split(' ');
    if (!wanted.has(name)) continue;
    // user nice system idle iowait irq softirq steal, in clock ticks of 10 ms
    const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map(Number);
    total.user += (user + nice) * 10;
    total.system += system * 10;
    total.irq += (irq + softirq) * 10;
    total.idle += (idle + iowait) * 10;
    total.steal += steal * 10;
  }
  return total;
}
