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
 */
import { execFileSync } from 'node:child_process';
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
