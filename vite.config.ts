import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { tabletPrecacheScope } from './scripts/precache-scope';

/**
 * Files the tablet's precache leaves out, filled after the client build (scripts/precache-scope.ts).
 * Shared through globalThis: SvelteKit runs the client build with its own load of this config,
 * and the worker's manifest is injected by the first one.
 */
const PRECACHE_IGNORES: string[] = ((globalThis as { carePrecacheIgnores?: string[] }).carePrecacheIgnores ??= []);

/**
 * The modules the sign-in screen and the root layout need, kept apart from the data layer's
 * chunks: a module placed in a chunk brings every static import of that chunk with it, and the
 * client chunk imports Dexie and the domain chunk (zod).
 */
const SIGN_IN_MODULES = [
  '/src/lib/client/i18n.svelte.ts',
  '/src/lib/client/api.ts',
  '/src/lib/client/device.ts',
  '/src/lib/client/device-peek.ts',
  '/src/lib/client/app-update.svelte.ts',
  '/src/lib/client/update-decision.ts',
  '/src/lib/domain/dates.ts',
  '/src/lib/components/shell/PageTitle.svelte',
  // The service worker is registered as the first page opens, with no further download: an
  // extra round trip here delays the start of the precache on a slow link.
  'virtual:pwa-register'
];

/**
 * The screens a tablet works offline with (and their components), kept in one chunk: every file
 * is a round trip for the service worker's install on a slow link, and SvelteKit writes one CSS
 * file per chunk that has styles. The sign-in screen, the root layout and the desktop-only
 * screens (scripts/precache-scope.ts) are left out.
 */
const TABLET_SCREEN_MODULES = /\/src\/(routes\/|lib\/components\/)/;
const NOT_TABLET_SCREENS =
  /\/src\/routes\/(login\/|\+layout\.(svelte|ts)|\+error\.svelte|reports\/|admin\/|review\/|care02\/)|\/src\/lib\/components\/(reports|admin|holidays|review)\//;

export default defineConfig({
  plugins: [
    sveltekit(),
    tabletPrecacheScope(PRECACHE_IGNORES),
    SvelteKitPWA({
      // A new version is offered, never forced: it waits until the officer accepts and no form is
      // open with unsaved changes (src/lib/client/app-update.svelte.ts).
      registerType: 'prompt',
      // Our own small worker (src/service-worker.ts, built by SvelteKit, published as /sw.js as before):
      // it installs the precache with parallel downloads.
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.js', // the published name; the source is src/service-worker.ts
      injectRegister: false, // registered in the root layout through virtual:pwa-register
      // Absolute: the app's paths are relative by default, and a first visit at /people/<id>
      // would then register /people/sw.js (a 404) and never work offline.
      base: '/',
      buildBase: '/',
      scope: '/',
      kit: { adapterFallback: 'index.html', spa: true },
      manifest: {
        id: '/',
        name: 'CARE Field',
        short_name: 'CARE Field',
        lang: 'th',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#14532d',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
        ]
      },
      // What the worker precaches; its routing (app shell for every page, API and replication
      // always to the network) and update rules live in src/service-worker.ts.
      injectManifest: {
        globPatterns: ['client/**/*.{js,css,html,ico,png,svg,webmanifest,woff2}'],
        globIgnores: PRECACHE_IGNORES
      }
    })
  ],
  build: {
    rollupOptions: {
      output: {
        /**
         * Fewer, larger files: the service worker's precache fetches one file after another, so
         * on a 400 ms link every file costs a round trip before the tablet can work offline.
         * Shared code is grouped by what needs it; the route files stay separate entries.
         */
        manualChunks(id: string) {
          if (!id.includes('/node_modules/')) {
            // What the sign-in screen runs (before anyone signs in): no Dexie, no zod, no PouchDB.
            if (SIGN_IN_MODULES.some((m) => id.endsWith(m))) return 'sign-in';
            if (id.includes('/src/lib/domain/')) return 'domain';
            // Small pieces every screen uses go with the client code instead of files of their own.
            // The app shell and what it draws on every screen (sync status, lock, sign-out) too:
            // sign-in loads this chunk, and it must not pull in the screens chunk with it.
            if (
              id.includes('/src/lib/client/') ||
              /\/src\/lib\/components\/(shell\/|account\/|SaveProblems\.svelte|SyncStatus\.svelte)/.test(id)
            )
              return 'client';
            if (TABLET_SCREEN_MODULES.test(id) && !NOT_TABLET_SCREENS.test(id)) return 'screens';
            return undefined;
          }
          // Svelte and SvelteKit's client runtime: every page needs them.
          if (/\/node_modules\/(svelte|@sveltejs\/kit)\//.test(id)) return 'svelte';
          if (/\/node_modules\/(pouchdb|events|vuvuzela|spark-md5|uuid|immediate|inherits|argsarray)/.test(id)) return 'replica';
          if (id.includes('/node_modules/workbox-window/')) return 'sign-in';
          if (id.includes('/node_modules/dexie/')) return 'dexie';
          if (id.includes('/node_modules/zod/')) return 'domain';
          return undefined;
        }
      }
    }
  },
  optimizeDeps: {
    // PouchDB is CommonJS and needs the `events` polyfill pre-bundled with it.
    include: ['pouchdb-browser', 'events']
  },
  test: {
    /**
     * PouchDB's replicator asks the source for `info()` after each batch only to update its
     * progress counter, and attaches no catch (pouchdb 9, replicate.js finishBatch). When a fault
     * test cuts the connection during that call the rejection is unhandled, although the
     * replication itself reports the cut and is retried. Only that call is let through: cut
     * before the answer it fails with "fetch failed" and PouchDB's `_info` in the trace; cut
     * mid-body it fails with undici's "terminated" (cause: the socket closed), whose stack is
     * undici's own — so that one is recognised by its message and cause, in fault tests only.
     */
    onUnhandledError(error) {
      const trace = `${error.stack ?? ''} ${JSON.stringify((error as { stacks?: unknown }).stacks ?? [])}`;
      const inFaultTest = String((error as { VITEST_TEST_PATH?: string }).VITEST_TEST_PATH ?? '').includes('/faults-');
      if (inFaultTest && error.message === 'fetch failed' && trace.includes('HttpPouch.api._info')) return false;
      if (inFaultTest && error.message === 'terminated' && socketClosed(error.cause)) return false;
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'], environment: 'node' }
      },
      // Which store an integration suite runs on is decided by its file name, not by a list:
      // every tests/integration/*.test.ts runs on both stores, except `embedded-*` (embedded
      // store only) and `couchdb-*` (the CouchDB adapter itself, couchdb store only).
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/**/couchdb-*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        // The same suites through the CouchDB adapter: against the real CouchDB when
        // COUCHDB_TEST_URL names one (an admin URL; each test server gets its own database
        // prefix, tests/helpers/couchdb-target.ts), else against a CouchDB-compatible stand-in
        // on loopback (tests/helpers/couchdb-standin.ts).
        extends: true,
        test: {
          name: 'integration-couchdb',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/**/embedded-*.test.ts'],
          environment: 'node',
          env: { STORAGE: 'couchdb' },
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false
        }
      }
    ]
  }
});

/** Undici's error for a connection the other side closed (an error as Vitest hands it over, serialised). */
function socketClosed(cause: unknown): boolean {
  const { code, name } = (cause ?? {}) as { code?: unknown; name?: unknown };
  return code === 'UND_ERR_SOCKET' || name === 'SocketError';
}
