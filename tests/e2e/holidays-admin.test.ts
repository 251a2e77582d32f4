/**
 * Administrators edit the public-holiday calendar in the app (src/routes/admin/holidays): a
 * Cabinet-declared special holiday saved from the screen is what the server then serves; an entry
 * the server refuses shows its reason and leaves the server's calendar as it was; officers get
 * neither the link nor the editor. Server-side checks go over HTTP, never through the UI.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CalendarInForce } from '../../src/lib/domain/holiday-editor.ts';
import { officialHolidays } from '../../src/lib/domain/holidays-th.ts';
import { basicAuth, USERS, type TestServer } from '../helpers/server.ts';
import { accountDatabases, fillDateBE, logIn, newTablet, useE2e, waitFor } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const SPECIAL = { date: '2027-05-10', th: 'วันหยุดราชการเพิ่มเติมเป็นกรณีพิเศษ', en: 'Special holiday (Cabinet resolution)' };

/** The calendar in force, as the server serves it to any signed-in user. */
async function serverCalendar(): Promise<CalendarInForce> {
  const res = await fetch(`${server.url}/api/holidays`, { headers: { authorization: basicAuth(USERS.officerB) } });
  expect(res.status).toBe(200);
  return (await res.json()) as CalendarInForce;
}

/** The holiday dates this tablet caches for offline deadlines (Dexie settings, src/lib/client/caseload.ts). */
async function cachedHolidayDates(page: Page, username: string) {
  const { dbName } = (await accountDatabases(page, username))!;
  return page.evaluate(
    (dbName) =>
      new Promise<string[] | null>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('settings').objectStore('settings').get('holidays');
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result?.value?.dates as string[] | undefined) ?? null);
          };
        };
      }),
    dbName
  );
}

const row = (date: string) => `[data-testid=holiday-row][data-date="${date}"]`;

describe('the holiday calendar screen', () => {
  it('lets an administrator add a special holiday, and shows why the server refuses an empty name', async () => {
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.admin);
    // An administrator of no unit lands on a page that says so, with the way to the calendar.
    await page.waitForSelector('[data-testid=no-unit]');
    await page.click('[data-testid=nav-holidays]');
    await page.waitForURL('**/admin/holidays');
    await page.waitForSelector('[data-testid=holidays-source][data-source=official]');
    expect(await page.locator('[data-testid=holiday-row]').count()).toBe(officialHolidays.length);
    expect(
      await page.locator('[data-testid=fiscal-year]').evaluateAll((els) => els.map((e) => e.getAttribute('data-fy')))
    ).toEqual(['2570', '2571']);
    expect(await page.textContent(row('2026-12-05'))).toContain('ส. 5 ธ.ค. 2569');
    expect(await page.textContent(row('2027-05-20'))).toContain('ยังไม่ประกาศ');

    // A day already listed is turned away on the form (its name is edited in the list instead).
    await fillDateBE(page, 'new-holiday', '2027-01-01');
    await page.fill('#new-holiday-th', 'ซ้ำ');
    await page.fill('#new-holiday-en', 'Again');
    await page.click('[data-testid=add-holiday]');
    expect(await page.textContent('[data-testid=add-problem]')).toContain('อยู่ในปฏิทินแล้ว');

    await fillDateBE(page, 'new-holiday', SPECIAL.date);
    await page.fill('#new-holiday-th', SPECIAL.th);
    await page.fill('#new-holiday-en', SPECIAL.en);
    await page.click('[data-testid=add-holiday]');
    await page.waitForSelector(row(SPECIAL.date));
    expect(await page.getAttribute('[data-testid=unsaved-count]', 'data-count')).toBe('1');
    // Nothing reaches the server before Save.
    expect((await serverCalendar()).source).toBe('official');

    await page.click('[data-testid=save-holidays]');
    await page.waitForSelector('[data-testid=holidays-answer][data-kind=saved]');
    const saved = await serverCalendar();
    expect(saved.source).toBe('edited');
    expect(saved.updatedBy).toBe(USERS.admin);
    expect(saved.holidays).toContainEqual(SPECIAL);
    expect(saved.holidays).toHaveLength(officialHolidays.length + 1);
    // This tablet's deadlines use the new calendar at once.
    expect(await cachedHolidayDates(page, USERS.admin)).toContain(SPECIAL.date);
    expect(await page.getAttribute('[data-testid=unsaved-count]', 'data-count')).toBe('0');

    // A removed day is listed until saved and can be put back.
    await page.click(`${row('2026-10-13')} [data-testid=remove-holiday]`);
    expect(await page.textContent('[data-testid=removed-days]')).toContain('13 ต.ค. 2569');
    expect(await page.locator(row('2026-10-13')).count()).toBe(0);
    await page.click('[data-testid=removed-days] button');
    await page.waitForSelector(row('2026-10-13'));
    expect(await page.getAttribute('[data-testid=unsaved-count]', 'data-count')).toBe('0');

    // An empty Thai name: the server refuses, the page says which day and what, nothing changes.
    await page.click(`${row(SPECIAL.date)} [data-testid=edit-holiday]`);
    await page.fill(`${row(SPECIAL.date)} [data-testid=edit-th]`, '');
    await page.click('[data-testid=save-holidays]');
    await page.waitForSelector('[data-testid=holidays-answer][data-kind=refused][data-status="400"]');
    const reason = await page.textContent('[data-testid=refusal-reason]');
    expect(reason).toContain('จ. 10 พ.ค. 2570');
    expect(reason).toContain('ชื่อภาษาไทย');
    expect(reason).toContain('ต้องกรอก');
    expect(await serverCalendar()).toEqual(saved);
    expect(await cachedHolidayDates(page, USERS.admin)).toContain(SPECIAL.date);
    // The edit stays on screen to be corrected.
    expect(await page.getAttribute('[data-testid=unsaved-count]', 'data-count')).toBe('1');

    // Offline the page says so and does not try to save.
    await context.setOffline(true);
    await page.waitForSelector('[data-testid=holidays-offline]');
    expect(await page.isDisabled('[data-testid=save-holidays]')).toBe(true);
    await context.setOffline(false);
    await waitFor('Save to be enabled again', () => page.isEnabled('[data-testid=save-holidays]'));
    await context.close();
  });

  it('gives an officer no link and an "only administrators" message at the URL', async () => {
    const before = await serverCalendar();
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await page.waitForSelector('[data-testid=sync-status]');
    expect(await page.locator('[data-testid=nav-holidays]').count()).toBe(0);
    await page.goto(server.url + '/admin/holidays');
    await page.waitForSelector('[data-testid=admin-only]');
    expect(await page.locator('[data-testid=add-holiday-form], [data-testid=save-holidays]').count()).toBe(0);
    expect(await serverCalendar()).toEqual(before);
    await context.close();
  });
});
