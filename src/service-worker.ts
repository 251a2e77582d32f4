/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The app's service worker: keeps the whole app on the tablet so it opens and works offline.
 * It does what the Workbox-generated worker did (precache with cleanup of old versions, every
 * page served the app shell, updates waiting until the officer accepts), except that it installs
 * the precache with a few parallel downloads instead of one file after another: on a 400 ms link
 * each sequential file costs a full round trip before the tablet is ready to work offline.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, PrecacheController, PrecacheRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { installAllOrNothing } from '$lib/service-worker/parallel-precache';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

/** How many files the install downloads at once (Chromium's limit per host over HTTP/1.1). */
const PARALLEL_DOWNLOADS = 6;

const precache = new PrecacheController();
precache.addToCacheList(self.__WB_MANIFEST);

self.addEventListener('install', (event) => {
  event.waitUntil(installAllOrNothing(precache, PARALLEL_DOWNLOADS, event));
});
// Deletes the files the previous version cached and this one no longer lists.
self.addEventListener('activate', (event) => {
  event.waitUntil(precache.activate(event));
});
cleanupOutdatedCaches();

// A new version is offered, never forced: the page asks for it once the officer accepted
// (src/lib/client/app-update.svelte.ts, through virtual:pwa-register).
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();

registerRoute(new PrecacheRoute(precache));
// Every page (including /sync, the sync screen) is the single-page app; the API and the
// replication endpoints always reach the network.
registerRoute(new NavigationRoute(precache.createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/sync\//] }));
