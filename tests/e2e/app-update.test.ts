/**
 * A new version of the app is offered, never forced mid-form: the server starts serving a changed
 * service worker, the tablet shows a "new version" notice, accepting it while a form has unsaved
 * changes waits (no reload, the typing stays), and it is applied once the officer leaves the form.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { BUILD_DIR, logIn, newTablet, waitForPhase, waitForServiceWorker } from './harness.ts';
import { startTestServer, tempDir, USERS, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let browser: Browser;
let buildCopy: string;

beforeAll(async () => {
  // A copy of the build: this test changes its sw.js as a new deployment would.
  buildCopy = path.join(tempDir('care-build-'), 'build');
  cpSync(BUILD_DIR, buildCopy, { recursive: true });
  server = await startTestServer({ buildDir: buildCopy, longpollMaxMs: 10_000 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (buildCopy) rmSync(path.dirname(buildCopy), { recursive: true, force: true });
});

function deployNewServiceWorker() {
  const sw = path.join(buildCopy, 'sw.js');
  writeFileSync(sw, readFileSync(sw, 'utf8') + '\n// next version\n');
  rmSync(sw + '.br', { force: true });
  rmSync(sw + '.gz', { force: true });
}

describe('app updates', () => {
  it('offers the new version, waits while a form is dirty, applies it after the officer leaves the form', async () => {
    const { page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    expect(await page.locator('[data-testid=update-notice]').count()).toBe(0);

    // An officer opens a new CARE 01 and starts typing.
    await page.click('[data-testid=new-care01]');
    await page.waitForSelector('#in-firstName');
    await page.fill('#in-firstName', 'กำลังพิมพ์');
    const formUrl = page.url();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

    deployNewServiceWorker();
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await page.waitForSelector('[data-testid=update-notice]', { timeout: 30_000 });

    // Accepting mid-form waits: same page, same document, the typing still there.
    await page.click('[data-testid=update-accept]');
    await page.waitForSelector('[data-testid=update-notice][data-decision=wait-for-form]');
    await page.waitForTimeout(1500);
    expect(page.url()).toBe(formUrl);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(await page.inputValue('#in-firstName')).toBe('กำลังพิมพ์');
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);

    // Leaving the form (its draft stays on the home page) applies the update: one reload.
    await page.click('header a.brand');
    await page.waitForFunction(() => (window as unknown as { marker?: number }).marker === undefined, undefined, {
      timeout: 30_000
    });
    await page.waitForSelector('[data-testid=sync-status]');
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(false);
    expect(await page.locator('[data-testid=update-notice]').count()).toBe(0);
    // The draft of the interrupted form is still offered.
    expect(await page.textContent('body')).toContain('กำลังพิมพ์');
  });
});
