/**
 * Password checks run in a hashing process of their own at a low OS priority
 * (sync-server/auth/hash-process.ts): on a server with a single core, a burst of sign-ins must
 * not take that core from the event loop serving every tablet's sync. Store-independent: runs
 * once, in the embedded project.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashProcess } from '../../sync-server/auth/hash-queue.ts';
import { HASH_NICE } from '../../sync-server/auth/hash-process.ts';
import { hashPassword, verifyPassword } from '../../sync-server/auth/passwords.ts';

const LINUX = process.platform === 'linux' && existsSync('/proc/self/task');
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find(existsSync);

/** Fields of /proc/<pid>[/task/<tid>]/stat after the command name. */
const statFields = (file: string) => {
  const stat = readFileSync(file, 'utf8');
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  };
};
/** CPU time in ms (utime + stime, clock ticks of 10 ms) of a process or one of its threads. */
const cpuMs = (file: string) => {
  const { fields } = statFields(file);
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const pinned = (pid: number, cpus: string) => execFileSync(TASKSET!, ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
const affinity = (pid: number) =>
  execFileSync(TASKSET!, ['-cp', String(pid)], { encoding: 'utf8' })
    .trim()
    .split(':')
    .pop()!
    .trim();

describe('password hashing in a low-priority process of its own', () => {
  let stored: string;
  let restore: Array<() => void> = [];
  afterAll(() => restore.forEach((undo) => undo()));

  it.runIf(LINUX)('a check runs outside the server process, every thread of which is at nice 10', async () => {
    stored = await hashPassword('Right-Pass-2569!');
    expect(await verifyPassword('Right-Pass-2569!', stored)).toBe(true);
    expect(await verifyPassword('Wrong-Pass-2569!', stored)).toBe(false);
    const pid = await hashProcess.pid();
    expect(pid).not.toBe(process.pid);
    // Every thread of the helper (its event loop, V8's, and the pool scrypt ran on) at nice 10.
    const threads = readdirSync(`/proc/${pid}/task`).map((tid) => statFields(`/proc/${pid}/task/${tid}/stat`));
    expect(threads.length).toBeGreaterThan(4);
    expect(threads.map((t) => Number(t.fields[16]))).toEqual(threads.map(() => HASH_NICE));
  });

  it.runIf(LINUX && TASKSET)(
    'on one core, the event loop keeps most of it while two checks at a time run back to back',
    async () => {
      stored ??= await hashPassword('Right-Pass-2569!');
      const helper = await hashProcess.pid();
      const core = affinity(process.pid).split(/[,-]/)[0];
      for (const pid of [process.pid, helper]) {
        const original = affinity(pid);
        pinned(pid, core);
        restore.push(() => pinned(pid, original));
      }

      let stop = false;
      let checks = 0;
      const lane = async () => {
        while (!stop) {
          await verifyPassword(`Guess-${checks}-Pass!`, stored);
          checks++;
        }
      };
      const lanes = [lane(), lane()];
      // The event loop's own work: busy 20 ms at a time, letting finished checks in between, as a
      // server answering sync requests would.
      const main = () => cpuMs(`/proc/self/task/${process.pid}/stat`);
      const everything = () => cpuMs('/proc/self/stat') + cpuMs(`/proc/${helper}/stat`);
      const [mainBefore, allBefore] = [main(), everything()];
      const until = Date.now() + 3_000;
      while (Date.now() < until) {
        const sliceEnd = Date.now() + 20;
        while (Date.now() < sliceEnd);
        await new Promise((r) => setImmediate(r));
      }
      const [mainUsed, allUsed] = [main() - mainBefore, everything() - allBefore];
      stop = true;
      await Promise.all(lanes);
      restore.forEach((undo) => undo());
      restore = [];

      // The server's and the hashing's threads on one core: the event loop's share of what they
      // got together. Hashes at nice 0 on libuv's pool in the server left it about a third; at
      // nice 10 it keeps well over half, whatever else the machine runs.
      expect(checks).toBeGreaterThan(0); // the checks did run meanwhile, they were not starved out
      expect(mainUsed / allUsed).toBeGreaterThan(0.6);
    },
    30_000
  );
});
