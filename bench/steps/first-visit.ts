/**
 * Step 7: a tablet's very first visit over a slow mobile link (400 kbps, 400 ms round trip, both
 * ways, service worker downloads included: bench/slow-link.ts), in Debian's Chromium:
 * - first visit → a usable login form (the user name box on screen and the app's script running);
 * - sign-in → ready to work offline: the service worker active and controlling the page (its
 *   precache complete) and the unit's first sync done. The probe uses only what every version of
 *   the app exposes (the service worker API and the sync status), so builds compare fairly.
 * Each run also counts the requests and bytes the link carried before and after sign-in.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../tests/e2e/browser.ts';
import { newTablet } from '../../tests/e2e/harness.ts';
import { PASSWORD } from '../../tests/helpers/server.ts';
import type { Results } from '../report.ts';
import type { BenchServer } from '../server-control.ts';
import { startSlowLink } from '../slow-link.ts';

const LINK = { rttMs: 400, kbps: 400 };

async function oneFirstVisit(browser: Browser, server: BenchServer, username: string) {
  const target = new URL(server.url);
  const link = await startSlowLink({ host: target.hostname, port: Number(target.port) }, LINK);
  const { context, page } = await newTablet(browser);
  try {
    const t0 = Date.now();
    await page.goto(link.url + '/', { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForSelector('#username', { timeout: 120_000 });
    const loginMs = Date.now() - t0;
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    const t1 = Date.now();
    const atSignIn = link.traffic();
    await page.click('button[type=submit]');
    // Synchronous on purpose: a promise returned to waitForFunction counts as truthy at once.
    await page.waitForFunction(
      () => {
        // The controlling worker is activated only after its install (the whole precache) succeeded.
        const appCached = navigator.serviceWorker.controller?.state === 'activated';
        return appCached && document.querySelector('[data-testid=sync-status][data-phase=up-to-date]') !== null;
      },
      undefined,
      { timeout: 180_000, polling: 250 }
    );
    const readyMs = Date.now() - t1;
    const atReady = link.traffic();
    // What the link carried from sign-in to ready: the app's remaining files and the first sync.
    const afterSignIn = {
      requests: atReady.requests - atSignIn.requests,
      kbDown: Math.round((atReady.bytesDown - atSignIn.bytesDown) / 1024),
      kbUp: Math.round((atReady.bytesUp - atSignIn.bytesUp) / 1024)
    };
    return {
      loginMs,
      readyMs,
      beforeSignIn: { requests: atSignIn.requests, kbDown: Math.round(atSignIn.bytesDown / 1024) },
      afterSignIn
    };
  } finally {
    await context.close();
    await link.close();
  }
}

export async function firstVisitSteps(
  server: BenchServer,
  results: Results,
  unit: { unitId: string; username: string; count: number },
  runs: number
) {
  const seeded = await server.call<{ docs: number }>('seedUnit', {
    unitId: unit.unitId,
    username: unit.username,
    count: unit.count,
    withInterviews: true
  });
  console.log(`  ${unit.unitId}: ${seeded.docs} docs seeded`);
  const browser = await launchChromium();
  try {
    const login: number[] = [];
    const ready: number[] = [];
    const traffic: Array<Pick<Awaited<ReturnType<typeof oneFirstVisit>>, 'beforeSignIn' | 'afterSignIn'>> = [];
    for (let i = 0; i < runs; i++) {
      const r = await oneFirstVisit(browser, server, unit.username);
      console.log(
        `  run ${i + 1}: usable login ${(r.loginMs / 1000).toFixed(1)} s (${r.beforeSignIn.requests} requests, ${r.beforeSignIn.kbDown} KB), ` +
          `ready offline ${(r.readyMs / 1000).toFixed(1)} s after sign-in (${r.afterSignIn.requests} requests, ${r.afterSignIn.kbDown} KB down, ${r.afterSignIn.kbUp} KB up)`
      );
      login.push(r.loginMs);
      ready.push(r.readyMs);
      traffic.push({ beforeSignIn: r.beforeSignIn, afterSignIn: r.afterSignIn });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    results.add({
      name: '7. first visit → usable login, 400 kbps / 400 ms, median',
      value: median(login) / 1000,
      unit: 's',
      note: `${runs} fresh profiles: ${login.map((x) => (x / 1000).toFixed(1)).join(', ')} s`,
      details: { link: LINK, loginMs: login, traffic: traffic.map((t) => t.beforeSignIn) }
    });
    results.add({
      name: `7. sign-in → ready offline (app cached + first sync of ${seeded.docs} docs), 400 kbps / 400 ms, median`,
      value: median(ready) / 1000,
      unit: 's',
      note: `${runs} fresh profiles: ${ready.map((x) => (x / 1000).toFixed(1)).join(', ')} s`,
      details: { link: LINK, readyMs: ready, docs: seeded.docs, traffic: traffic.map((t) => t.afterSignIn) }
    });
  } finally {
    await browser.close();
  }
}
