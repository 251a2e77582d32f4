/**
 * A supervisor on a desktop (1280 px) opens the KPIs in real Chromium, follows a number to the
 * people behind it, and exports that list as .xlsx; the test opens the downloaded file with exceljs
 * and checks it against the screen and against the API.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { generateUnit } from '../../sync-server/reports/generate.ts';
import { login, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, startE2e } from './harness.ts';

const FY = 2568;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  await server.storage
    .openDatabase(unitDatabaseName(UNIT_B))
    .bulkDocs(generateUnit({ unitId: UNIT_B, people: 250, fiscalYear: FY, seed: 7 }), { new_edits: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('supervisor KPI screens', () => {
  it('opens the KPIs, drills down to the people, exports .xlsx that matches the screen', async () => {
    const api = await fetch(`${server.url}/api/reports/kpi?fy=${FY}&period=12`, {
      headers: { Cookie: (await login(server, USERS.supervisor)).cookie }
    });
    const table = await api.json();
    const expected = table.units.find((u: { unitId: string }) => u.unitId === UNIT_B).kpis['supervision-visits'];

    const { context, page } = await newTablet(browser, { width: 1366, height: 900 });
    await logIn(page, server.url, USERS.supervisor);
    await page.click('[data-testid=nav-reports]');
    await page.waitForSelector('[data-testid=kpi-table]');
    await page.selectOption('[data-testid=kpi-fy]', String(FY));
    const cell = (part: string) => `[data-testid="kpi-supervision-visits-${UNIT_B}-${part}"]`;
    await page.waitForURL(`**/reports/kpi?fy=${FY}&period=12`);
    // The table of the year chosen replaces the current year's.
    await page.waitForFunction(
      ([sel, n]) => document.querySelector(sel as string)?.textContent?.replace(/,/g, '') === String(n),
      [cell('denominator'), expected.denominator]
    );
    expect(Number((await page.textContent(cell('numerator')))!.replace(/,/g, ''))).toBe(expected.numerator);
    expect(await page.textContent(cell('percent'))).toBe(`${expected.percent.toFixed(2)}%`);

    // The denominator opens the list of every counted case.
    await page.click(cell('denominator'));
    await page.waitForSelector('[data-testid=people-table]');
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=people-total] strong')?.textContent?.replace(/,/g, '') === String(n),
      expected.denominator
    );
    const onScreen = await page.$$eval('[data-testid=people-row]', (rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? ''))
    );
    expect(onScreen.length).toBe(Math.min(100, expected.denominator));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=people-export-xlsx]')]);
    expect(download.suggestedFilename()).toBe(`kpi-supervision-visits-${FY}-12m.xlsx`);
    const file = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file!);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(expected.denominator + 1);
    const inFile = new Map<string, string[]>();
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const cells = [1, 2, 3, 4, 5, 6].map((c) => String(row.getCell(c).value ?? ''));
      inFile.set(cells[1], cells);
    });
    // Every row on the screen is in the file with the same prisoner ID, name and reason.
    for (const [, prisonerId, name, , , reason] of onScreen) {
      const r = inFile.get(prisonerId);
      expect(r, prisonerId).toBeDefined();
      expect(r![2]).toBe(name);
      expect(reason.startsWith(r![5])).toBe(true);
    }
    await page.waitForSelector('[data-testid=people-export-done]');
    await context.close();
  });

  it('draws the follow-up statistics as charts with the numbers the API gives', async () => {
    const cookie = (await login(server, USERS.supervisor)).cookie;
    const api = await (
      await fetch(`${server.url}/api/reports/statistics?from=2024-10&to=2025-09`, { headers: { Cookie: cookie } })
    ).json();
    const unit = api.units.find((u: { unitId: string }) => u.unitId === UNIT_B);
    const { context, page } = await newTablet(browser, { width: 1366, height: 900 });
    await logIn(page, server.url, USERS.supervisor);
    await page.goto(`${server.url}/reports/kpi`);
    await page.click('[data-testid=nav-statistics]');
    await page.waitForURL('**/reports/statistics');
    await page.goto(`${server.url}/reports/statistics?from=2024-10&to=2025-09`);
    const chart = '[data-testid=chart-followups-by-unit]';
    await page.waitForSelector(`${chart} canvas`);
    // The canvas is drawn (not blank) and its numbers are the API's.
    await page.waitForFunction((sel) => {
      const c = document.querySelector(sel) as HTMLCanvasElement | null;
      return !!c && c.width > 0 && c.toDataURL().length > 5000;
    }, `${chart} canvas`);
    const rows = await page.$$eval(`${chart} tbody tr`, (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => Number(td.textContent)))
    );
    expect(rows).toContainEqual(unit.statistics.followUps);
    await context.close();
  });
});
