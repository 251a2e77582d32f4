/**
 * The parent's handle on bench/server-process.ts: start it, send it commands, stop it.
 *
 * The server runs compiled to JavaScript, as `npm start` runs it in production
 * (scripts/build-server.ts, built here before each run); BENCH_SERVER_TSX=1 runs the TypeScript
 * through tsx instead, as in development and the tests, to compare the two in the same run style.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BENCH_SERVER_ENTRY, buildServer } from '../scripts/build-server.ts';

export interface BenchServer {
  url: string;
  call<T = unknown>(command: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Where the server process starts from: its compiled bundle, or the TypeScript under tsx. */
async function serverProcessEntry(): Promise<{ file: string; execArgv: string[] }> {
  if (process.env.BENCH_SERVER_TSX === '1')
    return { file: path.join(import.meta.dirname, 'server-process.ts'), execArgv: ['--import', 'tsx'] };
  const outdir = await buildServer({ bench: true });
  return { file: path.join(outdir, `${Object.keys(BENCH_SERVER_ENTRY)[0]}.js`), execArgv: [] };
}

export async function startBenchServer(buildDir: string | null): Promise<BenchServer> {
  const entry = await serverProcessEntry();
  const child: ChildProcess = fork(entry.file, [], {
    // BENCH_SERVER_CPU_PROF=<dir>: a V8 CPU profile of the server process, written when it exits.
    execArgv: [
      ...entry.execArgv,
      ...(process.env.BENCH_SERVER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`] : [])
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const waiter = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) waiter?.resolve(m.result);
    else waiter?.reject(new Error(`server process: ${m.error}`));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`server process exited with ${code}`));
    pending.clear();
  });
  const call = <T>(command: string, args?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, command, args });
    });
  const { url } = await call<{ url: string }>('start', { buildDir });
  return {
    url,
    call,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      await call('stop').catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill();
    }
  };
}
