/**
 * Issue 11, "JS of the login route": a tablet where nobody is signed in shows the sign-in screen
 * at any address without downloading the data layer (Dexie, the domain schemas with zod,
 * PouchDB); it is loaded once the officer starts to sign in. A signed-in tablet opens straight
 * on the screen asked for, and signing out brings the sign-in screen back at the next start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BUILD_DIR, newTablet, startE2e, waitForPhase } from './harness.ts';
import { PASSWORD, USERS, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Scripts the page asked for, by what they contain. */
function watchScripts(page: Page) {
  const files = new Set<string>();
  page.on('request', (r) => {
    if (r.resourceType() === 'script') files.add(new URL(r.url()).pathname);
  });
  const body = (file: string) => readFileSync(path.join(BUILD_DIR, decodeURIComponent(file)), 'utf8');
  return {
    files,
    dataLayer: () =>
      [...files].filter((f) => {
        const js = body(f);
        return js.includes('Dexie') || js.includes('ZodError') || js.includes('replicateMethods');
      })
  };
}

describe('the sign-in screen', () => {
  it('a new tablet opened at a deep link shows sign-in without the data layer; signing in loads it; sign-out brings sign-in back', async () => {
    const { context, page } = await newTablet(browser);
    const scripts = watchScripts(page);
    await page.goto(`${server.url}/people/00000000-0000-4000-8000-000000000000`);
    await page.waitForSelector('#username');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.waitForTimeout(1500); // chunks the screen asks for once it is on screen
    expect(scripts.files.size).toBeGreaterThan(0);
    expect(scripts.dataLayer()).toEqual([]);

    // Typing starts loading the data layer; signing in works as before.
    await page.fill('#username', USERS.officerA);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(server.url + '/');
    await waitForPhase(page, 'up-to-date');
    expect(scripts.dataLayer().length).toBeGreaterThan(0);

    // Signed in: a new start opens the screen asked for, not sign-in.
    await page.goto(`${server.url}/?view=people`);
    await page.waitForSelector('[data-testid=search]');
    expect(new URL(page.url()).pathname).toBe('/');

    // Signed out: the next start is the sign-in screen again, whatever the address.
    await page.click('[data-testid=sign-out]');
    await page.click('[data-testid=sign-out-keep]');
    await page.waitForURL('**/login');
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#username');
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('wrong password: a readable error, nothing signed in', async () => {
    const { context, page } = await newTablet(browser);
    await page.goto(server.url + '/');
    await page.fill('#username', USERS.officerA);
    await page.fill('#password', 'not-the-password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('.banner.error')).toContain('ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง');
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });
});
