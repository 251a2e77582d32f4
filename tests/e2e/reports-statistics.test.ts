/**
 * A supervisor on a desktop opens the follow-up statistics in real Chromium: the charts are drawn
 * (canvases not blank) with the API's numbers, the workplace map draws Thailand's outline and one
 * circle per point the API gives (no tile server configured), an agency's number opens the people
 * behind it, and the map library was not loaded by the sign-in and home pages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { generateUnit } from '../../sync-server/reports/generate.ts';
import { generateServices } from '../../sync-server/reports/generate-services.ts';
import { login, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, startE2e } from './harness.ts';

const FY = 2568;
const RANGE = 'from=2024-10&to=2025-09';
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  const people = generateUnit({ unitId: UNIT_B, people: 250, fiscalYear: FY, seed: 31 });
  await server.storage
    .openDatabase(unitDatabaseName(UNIT_B))
    .bulkDocs([...people, ...generateServices(people, { unitId: UNIT_B, seed: 32 })], { new_edits: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The API's answer once no unit is catching up any more. */
async function settledApi(path: string, cookie: string) {
  for (let i = 0; ; i++) {
    const body = await (await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })).json();
    if (body.units.every((u: { stale: boolean }) => !u.stale) || i === 30) return body;
  }
}

/** The built files that hold Leaflet's code (chunk names are hashes, so found by content). */
function leafletFiles(): string[] {
  const dir = path.resolve('build/_app/immutable/chunks');
  const files = readdirSync(dir).filter(
    (f) => f.endsWith('.js') && readFileSync(path.join(dir, f), 'utf8').includes('leaflet-pane')
  );
  expect(files.length).toBeGreaterThan(0);
  return files;
}

const blankCanvas = (sel: string) =>
  `(() => { const c = document.querySelector(${JSON.stringify(sel)}); return !!c && c.width > 0 && c.toDataURL().length > 5000; })()`;

describe('supervisor statistics screen', () => {
  it('draws the charts and the workplace map with the outline and every point; a number opens its people', async () => {
    const cookie = (await login(server, USERS.supervisor)).cookie;
    const stats = await settledApi(`/api/reports/statistics?${RANGE}`, cookie);
    const map = await settledApi(`/api/reports/statistics/workplaces?${RANGE}`, cookie);
    const unit = stats.units.find((u: { unitId: string }) => u.unitId === UNIT_B);
    expect(map.points.length).toBeGreaterThan(20);
    expect(unit.agencies.length).toBeGreaterThan(2);

    const { context, page } = await newTablet(browser, { width: 1366, height: 900 });
    await logIn(page, server.url, USERS.supervisor);
    // Sign-in and home never load the map library.
    const loadedBefore = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    const leaflet = leafletFiles();
    const isLeaflet = (name: string) => leaflet.some((f) => name.endsWith(`/${f}`));
    expect(loadedBefore.filter(isLeaflet)).toEqual([]);

    await page.goto(`${server.url}/reports/statistics?${RANGE}`);
    for (const chart of ['chart-agencies', 'chart-areas', 'chart-released-vs-followups']) {
      await page.waitForSelector(`[data-testid=${chart}] canvas`);
      await page.waitForFunction(blankCanvas(`[data-testid=${chart}] canvas`));
    }
    // Statistic 2's numbers on the screen are the API's.
    const helped = await page.$$eval('[data-testid=agencies-table] tbody tr[data-agency]', (rows) =>
      rows.map((r) => [r.getAttribute('data-agency'), Number(r.querySelector('td')?.textContent?.replace(/,/g, ''))])
    );
    expect(Object.fromEntries(helped)).toEqual(
      Object.fromEntries(
        unit.agencies
          .filter((a: { helped: number }) => a.helped > 0)
          .map((a: { agencyId: string; helped: number }) => [a.agencyId, a.helped])
      )
    );

    // Statistic 6: Thailand's outline and one circle per point, drawn by Leaflet as SVG paths.
    await page.waitForSelector('[data-testid=workplace-map][data-outline=drawn]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=workplace-map] path.workplace-point').length === n,
      map.points.length
    );
    expect(await page.locator('[data-testid=workplace-map] path.thailand-outline').count()).toBeGreaterThan(0);
    const outline = await page.locator('[data-testid=workplace-map] path.thailand-outline').first().getAttribute('d');
    expect(outline!.length).toBeGreaterThan(500);
    const loadedAfter = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(loadedAfter.some(isLeaflet)).toBe(true);
    // A point's popup names the person.
    await page.locator('[data-testid=workplace-map] path.workplace-point').first().click({ force: true });
    await page.waitForSelector('.leaflet-popup-content');
    expect(await page.textContent('.leaflet-popup-content')).toMatch(/G-/);

    // The top agency's number opens the people it helped.
    const top = unit.agencies[0];
    await page.click(`[data-testid=agencies-table] tr[data-agency="${top.agencyId}"] td a`);
    await page.waitForSelector('[data-testid=released-table]');
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=released-total]')?.textContent?.replace(/,/g, '').includes(String(n)),
      top.helped
    );
    expect(await page.locator('[data-testid=released-table] tbody tr').count()).toBe(Math.min(100, top.helped));
    await context.close();
  });
});
