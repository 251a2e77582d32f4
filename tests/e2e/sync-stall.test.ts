/**
 * A push that the network swallows: the tablet's `_bulk_docs` request is taken and never answered
 * (a dead mobile link the browser does not notice). The tablet abandons it after the stall window
 * (shortened here from 45 s to 2 s), PouchDB's retry sends the edit again, and it reaches the
 * server with nothing lost or doubled. Without the stall guard the push waits for ever and the
 * edit stays on the tablet.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Route } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, putDoc, serverDoc, useE2e, waitFor, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

describe('a replication request the network swallows', () => {
  it('is abandoned after the stall window and sent again: the edit reaches the server once', { timeout: 90_000 }, async () => {
    const uuid = randomUUID();
    const personId = `person:${uuid}`;
    const writer = { unitId: UNIT_A, createdBy: USERS.officerA, updatedBy: USERS.officerA };
    await putDoc(server, UNIT_A, USERS.officerA, minimalPerson({ _id: personId, ...writer, firstName: 'สมชาย' }));

    const { context, page } = await newTablet(browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await context.addInitScript({ content: 'globalThis.__CARE_FIELD_TEST_STALL_MS__ = 2000;' });
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await page.goto(`${server.url}/people/${uuid}`);
    await page.waitForSelector('[data-testid=person-name]');

    // The first push is swallowed: neither answered nor failed. Later ones go through.
    const swallowed: Route[] = [];
    let pushes = 0;
    await context.route('**/sync/*/_bulk_docs', async (route) => {
      pushes++;
      if (swallowed.length === 0) return void swallowed.push(route);
      await route.continue();
    });

    await page.click('[data-testid=edit-person]');
    await page.waitForSelector('#in-firstName');
    await page.fill('#in-firstName', 'สมหมาย');
    await page.getByRole('button', { name: 'บันทึก', exact: true }).click();
    await page.waitForSelector('[data-testid=edit-person]');

    await waitFor('the swallowed push', async () => swallowed.length === 1, 20_000);
    await expect.poll(() => page.textContent('[data-testid=pending-count]'), { timeout: 30_000 }).toBe('0');
    expect(pushes).toBeGreaterThanOrEqual(2);
    const stored = await serverDoc(server, UNIT_A, personId, USERS.officerA);
    expect(stored).toMatchObject({ firstName: 'สมหมาย' });
    expect(String(stored!._rev)).toMatch(/^2-/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
