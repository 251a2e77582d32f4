/**
 * The tab dies while the officer types (the renderer crashes, or the tab is closed without any
 * unload handler running): what was typed is in IndexedDB already and is offered back, and
 * restored, in a new tab. Nothing was saved as a record, so nothing is pending sync.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, useE2e, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

async function typeIntoNewInterview(page: Page): Promise<string> {
  await page.click('[data-testid=new-care01]');
  await page.waitForSelector('#in-prisonerId');
  await page.fill('#in-prisonerId', 'BK-2569-04321');
  await page.fill('#in-firstName', 'ทดลอง');
  await page.fill('#in-lastName', 'แท็บปิด');
  await page.fill('#in-offence', 'ฉ้อโกง');
  // The draft writer writes at once; this is only IndexedDB's commit, well under a keystroke's worth.
  await page.waitForTimeout(300);
  return page.url();
}

async function expectDraftRestored(context: BrowserContext, url: string) {
  const fresh = await context.newPage();
  await fresh.goto(url);
  await fresh.waitForSelector('[data-testid=draft-offer]');
  expect(await fresh.inputValue('#in-firstName')).toBe('');
  await fresh.click('[data-testid=restore-draft]');
  expect(await fresh.inputValue('#in-prisonerId')).toBe('BK-2569-04321');
  expect(await fresh.inputValue('#in-firstName')).toBe('ทดลอง');
  expect(await fresh.inputValue('#in-lastName')).toBe('แท็บปิด');
  expect(await fresh.inputValue('#in-offence')).toBe('ฉ้อโกง');
  // A draft is not a record: nothing is waiting for the server.
  expect(await fresh.textContent('[data-testid=pending-count]')).toBe('0');
  return fresh;
}

describe('a tab killed while typing', () => {
  it('offers the draft back in a new tab after the renderer crashed', async () => {
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    const url = await typeIntoNewInterview(page);

    const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
    const cdp = await context.newCDPSession(page);
    // The renderer dies before it can answer the command.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;

    const fresh = await expectDraftRestored(context, url);
    await fresh.close();
    await context.close();
  });

  it('offers the draft back after the tab was closed with no unload handler run', async () => {
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    const url = await typeIntoNewInterview(page);
    await page.close({ runBeforeUnload: false });

    const fresh = await expectDraftRestored(context, url);
    await fresh.close();
    await context.close();
  });
});
