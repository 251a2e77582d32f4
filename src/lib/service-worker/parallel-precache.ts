/// <reference lib="webworker" />
/**
 * Installs a Workbox precache with a bounded number of parallel downloads. Workbox's own install
 * fetches one file at a time (workbox-precaching PrecacheController.install); this keeps its
 * rules — same requests, same cache keys, same checks through its PrecacheStrategy — and its
 * all-or-nothing outcome: if any file fails the install fails and the old version stays.
 */
import type { PrecacheController } from 'workbox-precaching';

export async function installAllOrNothing(precache: PrecacheController, parallel: number, event: ExtendableEvent) {
  const pending = [...precache.getURLsToCacheKeys()];
  let failure: unknown;
  async function worker() {
    // A failure stops every worker from starting new downloads: the install is lost anyway.
    while (pending.length > 0 && failure === undefined) {
      const [url, cacheKey] = pending.shift()!;
      // A revisioned file (index.html, icons) has its revision in the cache key: it must skip
      // the HTTP cache, as Workbox asks for it; hashed files may come from the HTTP cache.
      const request = new Request(url, {
        integrity: precache.getIntegrityForCacheKey(cacheKey),
        cache: cacheKey === url ? undefined : 'reload',
        credentials: 'same-origin'
      });
      try {
        await Promise.all(precache.strategy.handleAll({ params: { cacheKey }, request, event }));
      } catch (error) {
        failure ??= error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, pending.length)) }, worker));
  if (failure !== undefined) throw failure;
}
