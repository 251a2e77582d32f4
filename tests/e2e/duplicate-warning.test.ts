/**
 * One person, one record, in real Chromium: a person already on the server reaches the tablet by
 * sync; offline, an officer starts a new CARE 01 for the same person and is warned while typing
 * (same prisoner ID written differently, or the same national ID typed in Thai digits), with a
 * link to the existing record. A different person raises no warning.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { withCheckDigit } from '../../src/lib/domain/national-id.ts';
import { makePerson, remoteDb, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, useE2e, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const NATIONAL_ID = withCheckDigit('310050099887');
const thaiDigits = (s: string) => [...s].map((d) => String.fromCharCode(0x0e50 + Number(d))).join('');

describe('duplicate warning while typing a new person (offline)', () => {
  it('names the existing record by prisoner ID or national ID, and stays quiet for someone else', async () => {
    const existing = makePerson(UNIT_A, {
      prisonerId: 'BK-2569-04242',
      firstName: 'สมศักดิ์',
      lastName: 'ซ้ำซ้อน',
      nationalId: { status: 'number', number: NATIONAL_ID, source: 'typed' }
    });
    await remoteDb(server, UNIT_A, USERS.officerA).put(existing);

    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    // Offline, the CARE 01 screen comes from the service worker's precache.
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await waitForPhase(page, 'offline');

    await page.click('[data-testid=new-care01]');
    await page.waitForSelector('#in-prisonerId');
    const warning = page.locator('[data-testid=duplicate-warning]');

    // Someone else: no warning.
    await page.fill('#in-prisonerId', 'BK-2569-09999');
    await page.fill('#in-firstName', 'สมศักดิ์');
    await page.fill('#in-lastName', 'คนอื่น');
    await page.waitForTimeout(300);
    expect(await warning.count()).toBe(0);

    // The same prisoner ID, typed in lower case with spaces.
    await page.fill('#in-prisonerId', 'bk 2569 04242');
    await expect.poll(() => warning.count()).toBe(1);
    expect(await warning.locator('li').count()).toBe(1);
    expect(await warning.locator('li').getAttribute('data-person')).toBe(existing._id);
    expect(await warning.textContent()).toContain('รหัสผู้ต้องขังเดียวกัน');
    expect(await warning.locator('a').getAttribute('href')).toBe(`/people/${existing._id.slice('person:'.length)}`);

    // A different prisoner ID but the same national ID, typed in Thai digits.
    await page.fill('#in-prisonerId', 'BK-2569-07777');
    await expect.poll(() => warning.count()).toBe(0);
    await page.check('#in-nationalId-number');
    await page.fill('#in-idNumber', thaiDigits(NATIONAL_ID));
    await expect.poll(() => warning.count()).toBe(1);
    expect(await warning.textContent()).toContain('เลขประจำตัวประชาชนเดียวกัน');

    await context.close();
  });
});
