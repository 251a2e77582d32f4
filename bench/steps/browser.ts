/**
 * Step 5: the built app in Debian's Chromium (tests/e2e/harness.ts), measured in the page with
 * performance.now() so that Playwright's own round trips are not counted. CPU throttling (4×,
 * through CDP) is on only while something is measured: filling forms and the initial download
 * of a unit run at full speed because they are set-up, not the measured interaction.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../../tests/e2e/browser.ts';
import { drawSignature, fillDateBE, logIn, newTablet, waitForServiceWorker } from '../../tests/e2e/harness.ts';
import { percentile, type Results } from '../report.ts';
import type { BenchServer } from '../server-control.ts';
import { APP_BUILD_DIR } from '../build-dir.ts';
import { worklistAfterOneSave } from './worklist.ts';

const THROTTLE = 4;

async function throttle(cdp: CDPSession, on: boolean): Promise<void> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: on ? THROTTLE : 1 });
}

/**
 * Installed in every document: when a save was clicked, when the 'saved' banner, the person page
 * after a save and the first list row appeared.
 */
const PAGE_PROBES = `
  window.__bench = { clicks: [], savedAt: null, personAt: null, firstRowAt: null };
  document.addEventListener('click', (e) => {
    const t = e.target;
    if (t && t.closest && t.closest('[data-testid=save], [data-testid=confirm-incomplete] button.primary')) { window.__bench.clicks.push(performance.now()); performance.mark('bench-click'); }
  }, true);
  new MutationObserver(() => {
    const b = window.__bench;
    if (b.savedAt === null && document.querySelector('[data-testid=saved]')) { b.savedAt = performance.now(); performance.mark('bench-saved'); }
    if (b.savedAt !== null && b.personAt === null && document.querySelector('[data-testid=person-actions]')) b.personAt = performance.now();
    if (b.firstRowAt === null && document.querySelector('[data-testid=people-list] li')) b.firstRowAt = performance.now();
  }).observe(document, { subtree: true, childList: true });
`;

interface Probes {
  clicks: number[];
  savedAt: number | null;
  personAt: number | null;
  firstRowAt: number | null;
}
const probes = (page: Page) => page.evaluate(() => (window as unknown as { __bench: Probes }).__bench);

/** Gzipped size of the JS files a fresh visit to the login page requests, then of the home route after signing in. */
async function firstRouteJs(browser: Browser, server: BenchServer, username: string, results: Results) {
  const { context, page } = await newTablet(browser);
  const scripts = new Set<string>();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.add(new URL(request.url()).pathname);
  });
  await page.goto(server.url + '/');
  await page.waitForSelector('#username');
  // Lazy chunks the route asks for once it is on screen; 'networkidle' never comes once sync runs.
  await page.waitForTimeout(1500);
  const loginScripts = new Set(scripts);
  await logIn(page, server.url, username);
  await page.waitForSelector('[data-testid=search]');
  await page.waitForTimeout(1500);
  await context.close();

  const sizeOf = (files: Set<string>) => {
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const body = readFileSync(path.join(APP_BUILD_DIR, decodeURIComponent(file)), 'utf8');
      raw += Buffer.byteLength(body);
      gzip += gzipSync(body, { level: 9 }).length;
    }
    return { raw, gzip, files: [...files].sort() };
  };
  const login = sizeOf(loginScripts);
  const home = sizeOf(scripts);
  results.add({
    name: '5. JS of the first route (login), gzip -9',
    value: login.gzip / 1024,
    unit: 'KiB',
    note: `${login.files.length} files, ${Math.round(login.raw / 1024)} KiB uncompressed`,
    details: login
  });
  results.add({
    name: '5. JS of login + home route after sign-in, gzip -9',
    value: home.gzip / 1024,
    unit: 'KiB',
    note: `${home.files.length} files, ${Math.round(home.raw / 1024)} KiB uncompressed`,
    details: home
  });
}

/**
 * Rows in the signed-in account's people projection (its Dexie database, named in the device
 * database `care-field-device`; read with plain IndexedDB so it works on any page and does not
 * wake the app's live queries).
 */
async function peopleOnTablet(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const read = (name, store, key) => new Promise((done) => {
      const open = indexedDB.open(name);
      open.onerror = () => done(undefined);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains(store)) { db.close(); done(undefined); return; }
        const get = key === undefined ? db.transaction(store).objectStore(store).count() : db.transaction(store).objectStore(store).get(key);
        get.onsuccess = () => { db.close(); done(get.result); };
        get.onerror = () => { db.close(); done(undefined); };
      };
    });
    read('care-field-device', 'settings', 'current-session')
      .then((current) => (current ? read('care-field-device', 'accounts', current.value.username) : undefined))
      .then((account) => (account ? read(account.dbName, 'people') : 0))
      .then((n) => resolve(n ?? 0));
  })`);
}

async function settle(page: Page, quietMs: number, timeoutMs: number): Promise<{ count: number; settled: boolean; ms: number }> {
  const started = Date.now();
  const until = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < until) {
    const n = await peopleOnTablet(page);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return { count: n, settled: true, ms: Date.now() - started };
    await page.waitForTimeout(500);
  }
  return { count: last, settled: false, ms: Date.now() - started };
}

/**
 * Types queries one character at a time the way the input event arrives from a keyboard and
 * times each keystroke until Svelte has updated the list (the microtask flush after the input
 * event, seen from the next task) and until the next animation frame.
 */
async function searchKeystrokes(
  page: Page,
  queries: string[]
): Promise<{ toDom: number[]; toFrame: number[]; finalCounts: string[]; all: string }> {
  // A string, not a function: tsx would wrap named arrow functions in a helper the page lacks.
  return page.evaluate(`(${KEYSTROKE_TIMER})(${JSON.stringify(queries)})`);
}

const KEYSTROKE_TIMER = `async function (qs) {
  const input = document.querySelector('[data-testid=search]');
  const count = () => (document.querySelector('[data-testid=result-count]') || {}).textContent || '';
  const toDom = [], toFrame = [], finalCounts = [];
  const all = count();
  for (const q of qs) {
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 1; i <= q.length; i++) {
      input.value = q.slice(0, i);
      const t0 = performance.now();
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      toDom.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(r));
      toFrame.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 30));
    }
    finalCounts.push(count());
  }
  input.value = '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return { toDom, toFrame, finalCounts, all };
}`;

/** The age the form expects: from the person's date of birth (already filled in, Buddhist Era) to 20 Nov 2026. */
async function ageOnInterviewDay(page: Page): Promise<number> {
  const year = Number(await page.inputValue('#dateOfBirth-year')) - 543;
  const month = Number(await page.inputValue('#dateOfBirth-month'));
  const day = Number(await page.inputValue('#dateOfBirth-day'));
  return 2026 - year - (month > 11 || (month === 11 && day > 20) ? 1 : 0);
}

/** Fills the interview part of CARE 01 (the person is already saved) completely, signatures included. */
async function fillInterview(page: Page, i: number) {
  await fillDateBE(page, 'interviewDate', '2026-11-20');
  await page.fill('#in-age', String(await ageOnInterviewDay(page)));
  await page.fill('#in-offence', 'ลักทรัพย์');
  await page.fill('#in-sentenceYears', '2');
  await page.fill('#in-sentenceMonths', '6');
  await page.fill('#in-sentenceDays', '0');
  await fillDateBE(page, 'sentenceEndDate', '2026-12-15');
  await page.fill('#in-address-houseNo', `${i + 1}/3`);
  await page.fill('#in-address-moo', '4');
  await page.fill('#in-address-subdistrict', 'บ้านเป้า');
  await page.fill('#in-address-district', 'เมืองลำปาง');
  await page.fill('#in-address-province', 'ลำปาง');
  await page.fill('#in-address-postcode', '52100');
  await page.fill('#in-phone', '081-234-5678');
  await page.fill('#in-sponsorName', 'นางมารดา ทดสอบ');
  await page.selectOption('#in-sponsorRelationship', 'parent');
  await page.check('#in-education-lower-secondary');
  await page.fill('#in-previousOccupation', 'รับจ้างก่อสร้าง');
  await page.check('#in-skills-computer');
  await page.check('#in-desiredOccupations-general-labour');
  await page.check('#in-helpWanted-wants');
  await page.check('#in-needs-fare-home');
  await page.check('#in-consent-consents');
  await page.fill('#in-officerOpinion', 'มีครอบครัวรองรับ');
  await page
    .locator('#need-fare-home')
    .getByRole('button', { name: /เพิ่มการดำเนินการ/ })
    .click();
  await page.fill('#in-helpGiven-0-detail', 'มอบค่าพาหนะ 500 บาท');
  await drawSignature(page, '#in-prisonerSignature');
  await page.fill('#in-prisonerSignature-name', 'นายทดสอบ');
  await drawSignature(page, '#in-officerSignature');
  await page.fill('#in-officerSignature-name', 'นางสาวเจ้าหน้าที่ ทดสอบ');
  await page.fill('#in-officerSignature-position', 'นักสังคมสงเคราะห์');
}

/** BENCH_SAVE_PROFILE=<dir>: a CPU profile of saves 2–4 (from the click to the person page) written there. */
const SAVE_PROFILE_DIR = process.env.BENCH_SAVE_PROFILE;
/**
 * BENCH_SAVE_TRACE=<dir>: a Chromium performance trace (devtools.timeline: style, layout, paint,
 * IndexedDB, GC — what a CPU profile lumps together as "(program)") of saves 2–4, written there.
 */
const SAVE_TRACE_DIR = process.env.BENCH_SAVE_TRACE;

/** Save clicked → 'saved' on screen, then the person page, throttled, `saves` times on people of the synced unit. */
async function saveInterviews(page: Page, cdp: CDPSession, baseUrl: string, saves: number) {
  const hrefs = await page
    .locator('[data-testid=people-list] a')
    .evaluateAll((as) => as.slice(0, 50).map((a) => a.getAttribute('href')!));
  const samples: number[] = [];
  const toPersonPage: number[] = [];
  let confirmedIncomplete = 0;
  let missingExample = '';
  for (let i = 0; i < saves; i++) {
    await page.goto(baseUrl + hrefs[i % hrefs.length]);
    await page.click('[data-testid=new-interview]');
    await page.waitForSelector('#in-offence');
    await fillInterview(page, i);
    await page.evaluate(() => {
      const b = (window as unknown as { __bench: Probes }).__bench;
      b.clicks = [];
      b.savedAt = null;
      b.personAt = null;
    });
    await throttle(cdp, true);
    const profiling = SAVE_PROFILE_DIR !== undefined && i >= 1 && i <= 3;
    const tracing = SAVE_TRACE_DIR !== undefined && i >= 1 && i <= 3;
    if (tracing) {
      mkdirSync(SAVE_TRACE_DIR!, { recursive: true });
      await page
        .context()
        .browser()!
        .startTracing(page, { path: path.join(SAVE_TRACE_DIR!, `save-${i}.trace.json`) });
    }
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.click('[data-testid=save]');
    const outcome = await Promise.race([
      page.waitForSelector('[data-testid=saved]', { timeout: 60_000 }).then(() => 'saved'),
      page.waitForSelector('[data-testid=confirm-incomplete]', { timeout: 60_000 }).then(() => 'incomplete'),
      page.waitForSelector('[data-testid=save-errors]', { timeout: 60_000 }).then(() => 'errors')
    ]);
    if (outcome === 'errors') throw new Error(`save refused: ${await page.textContent('[data-testid=save-errors]')}`);
    if (outcome === 'incomplete') {
      // Timed from the click that actually saves.
      confirmedIncomplete++;
      if (!missingExample)
        missingExample = (await page.textContent('[data-testid=confirm-incomplete]'))?.replace(/\s+/g, ' ').trim() ?? '';
      await page.click('[data-testid=confirm-incomplete] button.primary');
      await page.waitForSelector('[data-testid=saved]', { timeout: 60_000 });
    }
    await page.waitForSelector('[data-testid=person-actions]', { timeout: 60_000 });
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(SAVE_PROFILE_DIR!, { recursive: true });
      writeFileSync(path.join(SAVE_PROFILE_DIR!, `save-${i}.cpuprofile`), JSON.stringify(profile));
    }
    if (tracing) await page.context().browser()!.stopTracing();
    await throttle(cdp, false);
    const p = await probes(page);
    if (p.savedAt === null || p.clicks.length === 0) throw new Error('save timing probes did not fire');
    if (p.personAt === null) throw new Error('person-page probe did not fire');
    samples.push(p.savedAt - p.clicks[p.clicks.length - 1]);
    toPersonPage.push(p.personAt - p.clicks[p.clicks.length - 1]);
  }
  return { samples, toPersonPage, confirmedIncomplete, missingExample };
}

/** A tablet that was online before and is offline now: a new tab, navigation start → the first person in the list. */
async function warmOfflineStart(context: BrowserContext, baseUrl: string, runs: number) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await throttle(cdp, true);
    await page.goto(baseUrl + '/');
    await page.waitForSelector('[data-testid=people-list] li', { timeout: 120_000 });
    const p = await probes(page);
    if (p.firstRowAt === null) throw new Error('first-row probe did not fire');
    samples.push(p.firstRowAt);
    await page.close();
  }
  return samples;
}

/**
 * A person's name of the synthetic data (bench/data.ts), then a national-ID prefix and a
 * prisoner-ID prefix of a person of this unit (read from the list on screen), typed key by key.
 * The ID prefixes were fixed strings before, numbers of another unit: they matched nobody.
 */
async function searchQueries(page: Page): Promise<string[]> {
  const ids = (await page.locator('[data-testid=people-list] li .ids').nth(7).textContent()) ?? '';
  const m = /([A-Z]-\d{4}-\d+)\s*·\s*([\d-]+)/.exec(ids);
  if (!m) throw new Error(`no prisoner and national ID in the list row: ${ids}`);
  return ['กิตติพงษ์ บุญมา', m[2].replace(/-/g, '').slice(0, 10), m[1].slice(0, 11)];
}

export async function browserSteps(
  server: BenchServer,
  results: Results,
  setup: {
    units: Array<{ unitId: string; username: string; count: number }>;
    syncBudgetMs: number;
    saves: number;
    onHome: boolean;
  }
) {
  const browser = await launchChromium();
  try {
    await worklistAfterOneSave(browser, server, results).catch((e) =>
      results.note(`5. worklist after one save FAILED: ${e instanceof Error ? e.message : String(e)}`)
    );
    for (const [index, unit] of setup.units.entries()) {
      const seeded = await server.call<{ docs: number; ms: number }>('seedUnit', {
        unitId: unit.unitId,
        username: unit.username,
        count: unit.count,
        withInterviews: false
      });
      console.log(`  ${unit.unitId}: ${seeded.docs} people seeded on the server in ${(seeded.ms / 1000).toFixed(1)} s`);
      if (index === 0) await firstRouteJs(browser, server, unit.username, results);
      await oneUnit(browser, server, results, unit, setup, index === 0);
    }
  } finally {
    await browser.close();
  }
}

/** A light page to sync on: an unknown person (no list). */
const WAITING_PAGE = '/people/00000000-0000-4000-8000-000000000000';

/**
 * One tablet, one unit: the first sync (set-up, unthrottled, timed), then offline: search, and
 * for the first unit the saves and the warm offline start.
 */
async function oneUnit(
  browser: Browser,
  server: BenchServer,
  results: Results,
  unit: { unitId: string; username: string; count: number },
  setup: { syncBudgetMs: number; saves: number; onHome: boolean },
  withSavesAndStart: boolean
) {
  const { context, page } = await newTablet(browser);
  try {
    await context.addInitScript(PAGE_PROBES);
    const cdp = await context.newCDPSession(page);
    await logIn(page, server.url, unit.username);
    // A tablet waits on the service worker before it may go offline, as in tests/e2e.
    await waitForServiceWorker(page);
    // By default the tablet syncs on the home page, under the live people list, as an officer's
    // does. BENCH_SYNC_ON_HOME=0 syncs on a page without it, to see what the list costs.
    if (!setup.onHome) await page.goto(server.url + WAITING_PAGE);
    const started = Date.now();
    let listed = await peopleOnTablet(page);
    while (listed < unit.count && Date.now() - started < setup.syncBudgetMs) {
      await page.waitForTimeout(2000);
      listed = await peopleOnTablet(page);
    }
    const onlineMs = Date.now() - started;
    // Offline from here on, so the replication does not compete with what is measured.
    await context.setOffline(true);
    const drained = await settle(page, 3000, 240_000);
    const people = drained.count;
    console.log(
      `  tablet holds ${people} people after ${(onlineMs / 1000).toFixed(0)} s of syncing (+${(drained.ms / 1000).toFixed(0)} s offline for the projection to catch up)`
    );
    results.add({
      name: `5. first sync of ${unit.count.toLocaleString('en-US')} people into the browser${setup.onHome ? ' (on the home page)' : ''}, unthrottled`,
      value: people / ((onlineMs + drained.ms) / 1000),
      unit: 'people/s',
      note: `${people.toLocaleString('en-US')} listed after ${(onlineMs / 1000).toFixed(0)} s online + ${(drained.ms / 1000).toFixed(0)} s offline for the projection to catch up`,
      details: { people, total: unit.count, onlineMs, catchUpMs: drained.ms, settled: drained.settled, onHome: setup.onHome }
    });
    if (!drained.settled)
      results.note(
        `the projection was still catching up after ${people} of ${unit.count} people: the rows measured on that tablet are pessimistic`
      );
    if (people < unit.count)
      results.note(
        `search over ${unit.count.toLocaleString('en-US')} people scaled down to ${people.toLocaleString('en-US')}: the browser's first sync did not get further within ${setup.syncBudgetMs / 60_000} min`
      );
    if (!setup.onHome) {
      await page.goto(server.url + '/');
      await page.waitForSelector('[data-testid=people-list] li', { timeout: 120_000 });
    }

    // The home page builds its search index once the tablet is idle; keystrokes are timed after it.
    // (Before the index, this attribute did not exist and the scan needed no preparation.)
    const indexWait = Date.now();
    await page.waitForSelector('[data-testid=search]:not([data-search-ready=false])', { timeout: 120_000 });
    console.log(`  search index ready ${((Date.now() - indexWait) / 1000).toFixed(1)} s after the list settled`);
    const queries = await searchQueries(page);
    await throttle(cdp, true);
    const search = await searchKeystrokes(page, queries);
    await throttle(cdp, false);
    if (search.finalCounts.some((c) => c === search.all))
      throw new Error(`search did not narrow the list: ${search.finalCounts.join(' | ')}`);
    if (search.finalCounts.some((c) => /(^|\D)0 (คน|people)/.test(c)))
      throw new Error(`a query found nobody (${queries.join(' | ')}): ${search.finalCounts.join(' | ')}`);
    results.add({
      name: `5. search over ${people.toLocaleString('en-US')} people, keystroke → list updated, p95`,
      value: percentile(search.toDom, 95),
      unit: 'ms',
      note: `${search.toDom.length} keystrokes, p50 ${percentile(search.toDom, 50).toFixed(0)} ms; to next frame p95 ${percentile(search.toFrame, 95).toFixed(0)} ms`,
      details: {
        target: unit.count,
        people,
        queries,
        toDomMs: search.toDom,
        toFrameMs: search.toFrame,
        finalCounts: search.finalCounts
      }
    });
    if (!withSavesAndStart) return;

    // Still offline: no sync competing, the way an officer in a cell block without signal works.
    const saves = await saveInterviews(page, cdp, server.url, setup.saves);
    results.add({
      name: `5. save an interview → 'saved' on screen, p95`,
      value: percentile(saves.samples, 95),
      unit: 'ms',
      note: `${saves.samples.length} saves on a ${people.toLocaleString('en-US')}-people replica, p50 ${percentile(saves.samples, 50).toFixed(0)} ms; → person page shown p95 ${percentile(saves.toPersonPage, 95).toFixed(0)} ms${saves.confirmedIncomplete ? `; ${saves.confirmedIncomplete} needed 'save anyway' (timed from that click)` : ''}`,
      details: {
        samplesMs: saves.samples,
        toPersonPageMs: saves.toPersonPage,
        confirmedIncomplete: saves.confirmedIncomplete,
        missingExample: saves.missingExample,
        people
      }
    });
    await page.goto(server.url + '/');
    await page.waitForSelector('[data-testid=people-list] li');
    const starts = await warmOfflineStart(context, server.url, 5);
    results.add({
      name: `5. warm offline start → first list row, p50`,
      value: percentile(starts, 50),
      unit: 'ms',
      note: `${starts.length} new tabs offline on a ${people.toLocaleString('en-US')}-people replica, max ${Math.round(Math.max(...starts))} ms, from navigation start`,
      details: { samplesMs: starts, people }
    });
  } finally {
    await context.close();
  }
}
