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
 * Ballast: pinned, the attacker's cores are busy during an attack and idle in the quiet phase,
 * and on this (virtual, shared) machine two processes pinned to core 0 ping-ponging over
 * loopback ran 1.5–3× faster whenever core 1 was busy, even with a spinner at nice 19 (bench
 * README, step 8). Left alone, that flatters every attack. So a spinner at nice 19 keeps each
 * attacker core busy in both phases; the attacker (nice 0) takes ~98 % of the core from it when
 * it wants it. BENCH_ABUSE_BALLAST=0 leaves it out.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Cores in a taskset -c list (`0`, `2-3`, `0,2-3`). */
export function coreCount(cpus: string): number {
  return cpus.split(',').reduce((n, part) => {
    const [from, to = from] = part.split('-').map(Number);
    return n + to - from + 1;
  }, 0);
}

/** A nice-19 spinner per core of `pinning.attacker`, until the returned function stops them. */
export function startBallast(pinning: Pinning): () => void {
  const spinners = Array.from({ length: coreCount(pinning.attacker) }, () => {
    const child = spawn(pinning.taskset, ['-c', pinning.attacker, process.execPath, '-e', 'for (;;);'], { stdio: 'ignore' });
    if (child.pid) os.setPriority(child.pid, 19);
    return child;
  });
  return () => {
    for (const child of spinners) child.kill();
  };
}
