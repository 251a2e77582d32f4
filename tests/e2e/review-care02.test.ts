/**
 * In real Chromium: a supervisor opens the review queue, opens an officer's CARE 01 read-only and
 * sends it back with a comment; the officer's tablet pulls the review and shows the comment on the
 * person page. Then CARE 02: the officer submits the month, it is locked, and a correction with a
 * reason shows as version 2 with what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { care03 } from '../../src/lib/domain/services/test-fixtures.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { makeCare01, makePerson, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, startE2e, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;
const MONTH = '2026-11';
const person = makePerson(UNIT_A, { createdBy: USERS.officerA, updatedBy: USERS.officerA });
const interview = makeCare01(person, { interviewDate: '2026-11-02', createdBy: USERS.officerA, updatedBy: USERS.officerA });
const unitA = () => server.storage.openDatabase(unitDatabaseName(UNIT_A));

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  await unitA().bulkDocs([person, interview, care03(UNIT_A, { visitDate: '2026-11-05', services: ['job-info'] }, 1)] as never, {
    new_edits: true
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('supervisor review and CARE 02', () => {
  it('a record sent back from the review queue shows its comment on the officer tablet', async () => {
    const desk = await newTablet(browser, { width: 1366, height: 900 });
    await logIn(desk.page, server.url, USERS.supervisor);
    await desk.page.click('[data-testid=nav-review]');
    await desk.page.waitForSelector(`[data-testid=review-unit-${UNIT_A}]`);
    await desk.page.click('[data-testid=review-entry]:has-text("CARE 01")');
    await desk.page.waitForSelector('[data-testid=review-person]');
    expect(await desk.page.textContent('[data-testid=review-person]')).toContain(person.firstName);
    await desk.page.fill('[data-testid=review-comment]', 'ที่อยู่ไม่ครบ โปรดแก้ไข');
    await desk.page.click('[data-testid=review-return]');
    await desk.page.waitForSelector('[data-testid=review-notice]');
    await desk.context.close();

    const tablet = await newTablet(browser);
    await logIn(tablet.page, server.url, USERS.officerA);
    await waitForPhase(tablet.page, 'up-to-date');
    await tablet.page.goto(`${server.url}/people/${person._id.slice('person:'.length)}`);
    await tablet.page.waitForSelector('[data-testid=review-returned-item]', { timeout: 30_000 });
    expect(await tablet.page.textContent('[data-testid=review-returned-item]')).toContain('ที่อยู่ไม่ครบ โปรดแก้ไข');
    await tablet.context.close();
  });

  it('CARE 02: submit locks the month; a correction with a reason is version 2 with its changes', async () => {
    const { context, page } = await newTablet(browser, { width: 1366, height: 900 });
    await logIn(page, server.url, USERS.officerA);
    await page.goto(`${server.url}/care02?unit=${UNIT_A}&month=${MONTH}`);
    await page.waitForSelector('[data-testid=care02-table]');
    expect(await page.textContent('[data-testid=care02-job-info-prisoner]')).toBe('1');
    expect(await page.textContent('[data-testid=care02-shelter-total]')).toBe('0');
    expect(await page.textContent('[data-testid=care02-deadline] strong')).toBe('1 ธ.ค. 2569 16:30 น.');
    await page.click('[data-testid=care02-submit]');
    await page.waitForSelector('[data-testid=care02-locked]');
    expect(await page.$('[data-testid=care02-submit]')).toBeNull();

    await unitA().bulkDocs(
      [care03(UNIT_A, { visitDate: '2026-11-09', clientStatus: 'released', services: ['shelter'] }, 2)] as never,
      { new_edits: true }
    );
    await page.reload();
    await page.waitForSelector('[data-testid=care02-moved]');
    // The locked form still shows what was submitted.
    expect(await page.textContent('[data-testid=care02-shelter-total]')).toBe('0');
    await page.fill('[data-testid=care02-why]', 'บันทึก CARE 03 ตกหล่น');
    await page.click('[data-testid=care02-resubmit]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=care02-history] > li').length === 2);
    const history = await page.textContent('[data-testid=care02-history]');
    expect(history).toContain('บันทึก CARE 03 ตกหล่น');
    expect(history).toMatch(/0 → 1/);
    expect(await page.textContent('[data-testid=care02-shelter-total]')).toBe('1');
    await context.close();
  });
});
