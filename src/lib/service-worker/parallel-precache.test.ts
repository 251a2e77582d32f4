/** The precache install: bounded parallel downloads, and all-or-nothing like Workbox's own. */
import { describe, expect, it } from 'vitest';
import type { PrecacheController } from 'workbox-precaching';
import { installAllOrNothing } from './parallel-precache';

/** A stand-in for Workbox's controller whose downloads finish when the test says so. */
function fakePrecache(files: number, failing?: string) {
  const urls = new Map(Array.from({ length: files }, (_, i) => [`https://app.test/f${i}.js`, `https://app.test/f${i}.js`]));
  const started: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const precache = {
    getURLsToCacheKeys: () => urls,
    getIntegrityForCacheKey: () => undefined,
    strategy: {
      handleAll: ({ request }: { request: Request }) => {
        started.push(request.url);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const done = new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            inFlight--;
            if (request.url === failing) reject(new Error(`404 ${request.url}`));
            else resolve();
          }, 5)
        );
        return [done, done];
      }
    }
  } as unknown as PrecacheController;
  return { precache, started, maxInFlight: () => maxInFlight };
}

const event = {} as ExtendableEvent;

describe('installAllOrNothing', () => {
  it('downloads every file, never more than the bound at once', async () => {
    const fake = fakePrecache(20);
    await installAllOrNothing(fake.precache, 6, event);
    expect(new Set(fake.started).size).toBe(20);
    expect(fake.maxInFlight()).toBe(6);
  });

  it('fails the install when one file fails, and starts no new download after it', async () => {
    const fake = fakePrecache(20, 'https://app.test/f3.js');
    await expect(installAllOrNothing(fake.precache, 2, event)).rejects.toThrow('404 https://app.test/f3.js');
    expect(fake.started.length).toBeLessThan(20);
  });
});
