/**
 * End-to-end setup: the built app (build/) served by a real sync-server on a random port over a
 * real embedded store, and Debian's Chromium. Server-side checks go through the replication API
 * with HTTP Basic auth, never through the UI.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { EpisodeDoc } from '../../src/lib/domain/followup-schemas.ts';
import { SCHEMA_VERSION, type PersonDoc } from '../../src/lib/domain/schemas.ts';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { PASSWORD, startTestServer, type TestServer, type TestServerOptions } from '../helpers/server.ts';
import { launchChromium } from './browser.ts';

export const BUILD_DIR = path.resolve(import.meta.dirname, '../../build');

export async function startE2e(options: TestServerOptions = {}): Promise<{ server: TestServer; browser: Browser }> {
  if (!existsSync(path.join(BUILD_DIR, 'index.html')))
    throw new Error('build/ is missing: run `npm run build` first (npm test does)');
  const server = await startTestServer({ buildDir: BUILD_DIR, longpollMaxMs: 10_000, ...options });
  const browser = await launchChromium();
  return { server, browser };
}

/**
 * A file's test server and Chromium: started before its tests, stopped after them. `started`
 * hands them to the file's own variables.
 */
export function useE2e(started: (e2e: { server: TestServer; browser: Browser }) => void, options: TestServerOptions = {}): void {
  let running: { server: TestServer; browser: Browser } | undefined;
  beforeAll(async () => {
    running = await startE2e(options);
    started(running);
  });
  afterAll(async () => {
    await running?.browser.close();
    await running?.server.stop();
  });
}

export async function newTablet(
  browser: Browser,
  viewport = { width: 1280, height: 800 }
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  return { context, page };
}

/**
 * Collects the page's uncaught errors, unhandled promise rejections included (Chromium reports
 * both as `pageerror`): a flow that must end with none asserts the list is empty.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function logIn(page: Page, baseUrl: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(baseUrl + '/');
  await signInHere(page, username, password);
  await page.waitForURL(baseUrl + '/');
}

/** Fills and sends the sign-in screen the tablet shows (where it goes next is the caller's to check). */
export async function signInHere(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.waitForURL('**/login');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

/** Signs out, keeping the account's data on the tablet or removing it. */
export async function signOut(page: Page, how: 'keep' | 'remove'): Promise<void> {
  await page.click('[data-testid=sign-out]');
  await page.click(`[data-testid=sign-out-${how}]`);
}

/** The people list's "N people" line. */
export const peopleCount = (page: Page) => page.textContent('[data-testid=result-count]');

/** From the people list: an incomplete CARE 01 for a new person, saved anyway (LP-900, สัมภาษณ์ ออฟไลน์). */
export async function saveIncompleteCare01(page: Page): Promise<void> {
  await page.click('[data-testid=new-care01]');
  await page.waitForSelector('#in-prisonerId');
  await page.fill('#in-prisonerId', 'LP-900');
  await page.check('#in-title-mr');
  await page.fill('#in-firstName', 'สัมภาษณ์');
  await page.fill('#in-lastName', 'ออฟไลน์');
  await page.click('[data-testid=save]');
  await page.click('[data-testid=confirm-incomplete] button.primary');
  await page.waitForURL('**/people/*?saved=*');
}

/** From the person's page: a follow-up report by `method` with a note, saved; returns its id. */
export async function saveFollowUp(
  page: Page,
  baseUrl: string,
  personId: string,
  method: 'home-visit' | 'phone',
  note: string
): Promise<string> {
  await page.goto(`${baseUrl}/people/${personId.slice('person:'.length)}`);
  await page.click('[data-testid=new-followup]');
  await page.check(`#in-method-${method}`);
  await page.fill('#in-otherDetails', note);
  await page.click('[data-testid=save-followup]');
  await page.waitForSelector('[data-testid=followup-saved]');
  return `followup:${/\/followup\/([0-9a-f-]{36})/.exec(page.url())![1]}`;
}

/**
 * Work left on the tablet: a follow-up for `personId` saved (returns its id) and a CARE 01 typed
 * but not saved (its draft, ร่างของเจ้าหน้าที่, listed on the people screen).
 */
export async function leaveFollowUpAndDraft(page: Page, baseUrl: string, personId: string): Promise<string> {
  const followUpId = await saveFollowUp(page, baseUrl, personId, 'home-visit', 'เยี่ยมบ้านขณะไม่มีสัญญาณ');
  await page.goto(baseUrl + '/?view=people');
  await page.click('[data-testid=new-care01]');
  await page.waitForSelector('#in-firstName');
  await page.fill('#in-firstName', 'ร่างของเจ้าหน้าที่');
  await page.waitForTimeout(300); // the draft write
  await page.goto(baseUrl + '/?view=people');
  await expect.poll(() => page.textContent('main')).toContain('ร่างของเจ้าหน้าที่');
  return followUpId;
}

/** The app shell is precached and the page is controlled by the service worker. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  // A plain (synchronous) check, polled: the worker controls the page only once it has activated,
  // and it activates only after its precache is complete, so the app then opens offline.
  await page.waitForFunction(
    () => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined,
    undefined,
    {
      timeout: 30_000
    }
  );
}

export function syncPhase(page: Page) {
  return page.getAttribute('[data-testid=sync-status]', 'data-phase');
}

export async function waitForPhase(page: Page, phase: string, timeout = 30_000) {
  await page.waitForSelector(`[data-testid=sync-status][data-phase="${phase}"]`, { timeout });
}

/** A document as the server holds it, or null. */
export async function serverDoc(
  server: TestServer,
  unitId: string,
  docId: string,
  username: string
): Promise<Record<string, unknown> | null> {
  const res = await fetch(`${server.url}/sync/${unitId}/${encodeURIComponent(docId)}`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${username}:${PASSWORD}`).toString('base64') }
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`server answered ${res.status} for ${docId}`);
  return (await res.json()) as Record<string, unknown>;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Draws a short zig-zag on a canvas with the mouse (pointer events, as a finger would). */
export async function drawSignature(page: Page, canvasSelector: string): Promise<void> {
  const box = await page.locator(canvasSelector).boundingBox();
  if (!box) throw new Error(`no canvas ${canvasSelector}`);
  await page.locator(canvasSelector).scrollIntoViewIfNeeded();
  const b = (await page.locator(canvasSelector).boundingBox())!;
  await page.mouse.move(b.x + b.width * 0.1, b.y + b.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(b.x + b.width * (0.1 + i * 0.1), b.y + b.height * (i % 2 ? 0.3 : 0.7), { steps: 3 });
  }
  await page.mouse.up();
}

/** Fills a Buddhist-Era date input (day, month select, BE year). */
export async function fillDateBE(page: Page, id: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-').map(Number);
  await page.fill(`#${id}-day`, String(d));
  await page.selectOption(`#${id}-month`, String(m));
  await page.fill(`#${id}-year`, String(y + 543));
}

/**
 * Where an account's data lives on a tablet (the device database's list of accounts, read with
 * plain IndexedDB): its Dexie database and its replicas' name prefix; null if it has none.
 */
export function accountDatabases(page: Page, username: string): Promise<{ dbName: string; replicaPrefix: string } | null> {
  return page.evaluate(
    (username) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('care-field-device');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('accounts')) {
            db.close();
            resolve(null);
            return;
          }
          const get = db.transaction('accounts').objectStore('accounts').get(username);
          get.onsuccess = () => {
            db.close();
            const a = get.result as { dbName: string; replicaPrefix: string } | undefined;
            resolve(a ? { dbName: a.dbName, replicaPrefix: a.replicaPrefix } : null);
          };
        };
      }),
    username
  );
}

/** Names of the IndexedDB databases on the tablet (PouchDB's are `_pouch_<name>`). */
export function indexedDbNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** Stores a document on the server as `username` (HTTP Basic), as another tablet's push would; expects it accepted. */
export async function putDoc(
  server: TestServer,
  unitId: string,
  username: string,
  doc: object & { _id: string },
  password = PASSWORD
): Promise<void> {
  const res = await fetch(`${server.url}/sync/${unitId}/${encodeURIComponent(doc._id)}`, {
    method: 'PUT',
    headers: {
      authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64'),
      'content-type': 'application/json'
    },
    body: JSON.stringify(doc)
  });
  expect(res.status).toBe(201);
}

/** Today in Thailand, `offsetDays` away (the tablets run in Asia/Bangkok). */
export const bangkokDay = (offsetDays = 0): string =>
  new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** The unit and the officer a seeded document says it came from. */
export const writtenBy = (unitId: string, username: string) => ({ unitId, createdBy: username, updatedBy: username });

/** A person's parole: released 20 days ago, supervised (lenient, conditions acknowledged) for 60 days. */
export function paroleEpisode(
  personId: string,
  by: ReturnType<typeof writtenBy>,
  overrides: Partial<EpisodeDoc> = {}
): EpisodeDoc {
  const now = new Date().toISOString();
  return {
    _id: `episode:${randomUUID()}`,
    type: 'episode',
    schemaVersion: SCHEMA_VERSION,
    createdAt: now,
    updatedAt: now,
    ...by,
    personId,
    releaseType: 'parole',
    releaseDate: bangkokDay(-20),
    supervisionStart: bangkokDay(-20),
    supervisionEnd: bangkokDay(40),
    classificationLevel: 'lenient',
    conditionsAcknowledged: true,
    electronicMonitoring: false,
    ...overrides
  };
}

/**
 * The caseload a shared tablet starts from, stored on the server as the officer's earlier work:
 * six people (LP-100…LP-105), the first two assigned to the volunteer, and the parole of the
 * fifth (`visited`, not assigned), whom the officer visits while the volunteer must not see it.
 */
export async function seedSharedTabletCaseload(
  server: TestServer,
  a: { unitId: string; officer: string; password?: string; volunteer: string; lastName: string }
): Promise<{ people: PersonDoc[]; visited: PersonDoc }> {
  const by = writtenBy(a.unitId, a.officer);
  const people = Array.from({ length: 6 }, (_, i) =>
    minimalPerson({
      _id: `person:${randomUUID()}`,
      ...by,
      prisonerId: `LP-${100 + i}`,
      firstName: `บุคคล${i}`,
      lastName: a.lastName,
      assignedVolunteers: i < 2 ? [a.volunteer] : []
    })
  );
  const visited = people[4];
  for (const doc of [...people, paroleEpisode(visited._id, by)]) await putDoc(server, a.unitId, a.officer, doc, a.password);
  return { people, visited };
}
