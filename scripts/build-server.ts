/**
 * Compiles the sync-server to plain JavaScript in `build-server/` (`npm run build:server`, part
 * of `npm run build`), so production (`npm start`) and the bench run it without tsx. Under tsx
 * every module load goes through its resolver and transform, and dependencies that `require`
 * lazily (readable-stream 1.x, under LevelDB's streams) paid that on every call: ~10 % of the
 * server's CPU with 500 tablets syncing. Development and the tests keep running the TypeScript
 * through tsx.
 *
 * esbuild (it comes with vite) bundles our own modules — the server, the shared domain — into
 * one file per entry; every package in node_modules stays an ordinary import (LevelDB's native
 * binding must be loaded from its package). The files sit directly in `build-server/`, one level
 * below the repository like `sync-server/`, so `REPO_ROOT` (config.ts) means the same in both.
 *
 *   node --import tsx scripts/build-server.ts          the server and the admin CLI
 *   node --import tsx scripts/build-server.ts --bench  also bench/server-process.ts (the bench's server)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUILD_DIR = path.join(REPO, 'build-server');

/** Output name (without `.js`) → the TypeScript entry it is built from. */
export const SERVER_ENTRIES = {
  main: 'sync-server/main.ts',
  'admin-cli': 'sync-server/admin/cli.ts',
  // Loaded by sync/screen-pool.ts as `screen-worker.js` beside the bundle that imports it.
  'screen-worker': 'sync-server/sync/screen-worker.ts'
} as const;

/** The bench's server process (bench/server-process.ts), built only when the bench asks for it. */
export const BENCH_SERVER_ENTRY = { 'bench-server-process': 'bench/server-process.ts' } as const;

export async function buildServer(options: { bench?: boolean; outdir?: string } = {}): Promise<string> {
  const entries: Record<string, string> = { ...SERVER_ENTRIES, ...(options.bench ? BENCH_SERVER_ENTRY : {}) };
  const outdir = options.outdir ?? SERVER_BUILD_DIR;
  await build({
    absWorkingDir: REPO,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, source]) => [name, path.join(REPO, source)])),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Packages are loaded from node_modules at run time, as under tsx (native bindings, lazy requires).
    packages: 'external',
    // Stack traces and CPU profiles name the TypeScript sources.
    sourcemap: 'linked',
    // No keepNames: it wraps every closure in a `__name(fn, …)` call each time the closure is
    // created (per request, in the handlers); bundling renames only clashing top-level names.
    logLevel: 'warning'
  });
  return outdir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  buildServer({ bench: process.argv.includes('--bench') })
    .then((outdir) =>
      console.log(`sync-server compiled to ${path.relative(process.cwd(), outdir) || '.'} in ${Date.now() - started} ms`)
    )
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
