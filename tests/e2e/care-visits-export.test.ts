/**
 * In real Chromium, a supervisor on a desktop opens a CARE centre's CARE 02 month and downloads
 * the CARE 03 and CARE 04 workbooks from the screen; the test opens each file with exceljs and
 * checks its rows against the visit counts the screen shows (CARE 03 = prisoners + released
 * people, CARE 04 = relatives), and its title and headings.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { generateCareVisits } from '../../sync-server/reports/generate-visits.ts';
import { makePerson, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, startE2e } from './harness.ts';

const MONTH = '2026-10';
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  const people = Array.from({ length: 25 }, () => makePerson(UNIT_A));
  const visits = generateCareVisits({
    unitId: UNIT_A,
    personIds: people.map((p) => p._id),
    perPerson: 3,
    from: '2026-09-15',
    to: '2026-11-15',
    seed: 5
  });
  await server.storage.openDatabase(unitDatabaseName(UNIT_A)).bulkDocs([...people, ...visits] as never, { new_edits: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function downloadRows(page: Page, testid: string, fileName: string): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}-xlsx]`)]);
  expect(download.suggestedFilename()).toBe(fileName);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile((await download.path())!);
  const rows: string[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  await page.waitForSelector(`[data-testid=${testid}-done]`);
  return rows;
}

describe('CARE 03 / CARE 04 workbooks from the screen', () => {
  it('the downloaded workbooks hold as many visits as the CARE 02 form on the screen counts', async () => {
    const { context, page } = await newTablet(browser, { width: 1366, height: 900 });
    await logIn(page, server.url, USERS.supervisor);
    await page.goto(`${server.url}/care02?unit=${UNIT_A}&month=${MONTH}`);
    await page.waitForSelector('[data-testid=care02-table]');
    await page.waitForSelector('[data-testid=care02-as-of]');
    const count = async (g: string) => Number(await page.textContent(`[data-testid=care02-visits-${g}]`));
    const [prisoners, released, relatives] = [await count('prisoner'), await count('released'), await count('relative')];
    expect(prisoners + released).toBeGreaterThan(5);
    expect(relatives).toBeGreaterThan(0);

    const care03 = await downloadRows(page, 'care03-export', `care03-${UNIT_A}-${MONTH}.xlsx`);
    expect(care03[0][0]).toMatch(/^CARE 03 แบบสรุปบัญชีรายชื่อผู้เข้ารับบริการ.*ประจำเดือน 10\/2569/);
    expect(care03[1][0]).toBe('ลำดับ / No.');
    expect(care03.length - 2).toBe(prisoners + released);
    // Column 5 is the status: as many prisoners and released people as the form counts.
    expect(care03.slice(2).filter((r) => r[4] === 'ผู้ต้องขัง').length).toBe(prisoners);
    expect(care03.slice(2).filter((r) => r[4] === 'ผู้พ้นโทษ').length).toBe(released);
    // Visit dates in the Buddhist Era, all in the month.
    expect(care03.slice(2).every((r) => /^\d{1,2}\/10\/2569$/.test(r[1]))).toBe(true);

    const care04 = await downloadRows(page, 'care04-export', `care04-${UNIT_A}-${MONTH}.xlsx`);
    expect(care04[1][2]).toBe("ชื่อ – นามสกุล ญาติ / Relative's name");
    expect(care04.length - 2).toBe(relatives);
    await context.close();
  });
});
