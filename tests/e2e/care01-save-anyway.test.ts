/**
 * "Save anyway" writes the documents checked by the first tap on Save without checking them again
 * (a quicker save on a slow tablet). That holds only while the form is unchanged: a change made
 * while the question is open is checked and saved, never the state from before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { fillDateBE, logIn, newTablet, serverDoc, startE2e, waitFor, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A day in Thailand (the tablets run in Asia/Bangkok). */
const bangkokDay = (offsetDays = 0) => new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('CARE 01 "Save anyway" after the form changed', () => {
  it('checks and saves the form as it is when confirmed, not as it was when asked', async () => {
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await page.click('[data-testid=new-care01]');
    await page.waitForSelector('#in-prisonerId');
    const interviewUuid = /\/care01\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.fill('#in-prisonerId', 'BK-2569-07777');
    await page.check('#in-title-mr');
    await page.fill('#in-firstName', 'ก่อนแก้');
    await page.fill('#in-lastName', 'ถามก่อน');
    await fillDateBE(page, 'interviewDate', bangkokDay(0));
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=confirm-incomplete]');

    // While the question is open the date becomes the day after tomorrow: "Save anyway" must
    // refuse it (the check of the first tap passed a valid date), and nothing is stored.
    await fillDateBE(page, 'interviewDate', bangkokDay(2));
    await page.click('[data-testid=confirm-incomplete] button.primary');
    await expect.poll(() => page.locator('[data-testid=save-errors]').count()).toBe(1);
    expect(await page.textContent('[data-testid=save-errors]')).toContain('วันที่สัมภาษณ์อยู่ในอนาคต');
    expect(page.url()).toContain(`/care01/${interviewUuid}`);
    expect(await page.locator('[data-testid=saved]').count()).toBe(0);

    // Date put right and the name changed after asking again: the stored record has the new name.
    await fillDateBE(page, 'interviewDate', bangkokDay(0));
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=confirm-incomplete]');
    await page.fill('#in-firstName', 'หลังแก้');
    await page.click('[data-testid=confirm-incomplete] button.primary');
    await page.waitForURL('**/people/*?saved=*');
    const interview = await waitFor('the interview on the server', () =>
      serverDoc(server, UNIT_A, `care01:${interviewUuid}`, USERS.officerA)
    );
    expect(interview).toMatchObject({ interviewDate: bangkokDay(0) });
    const person = await waitFor('the person on the server', () =>
      serverDoc(server, UNIT_A, String((interview as { personId: string }).personId), USERS.officerA)
    );
    expect(person).toMatchObject({ firstName: 'หลังแก้', lastName: 'ถามก่อน' });
    await context.close();
  });
});
