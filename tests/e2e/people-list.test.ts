/**
 * The home list of a unit larger than one page: it draws one page (fast on a cheap tablet, also
 * while a first sync writes underneath it), says how many there are, shows more on request, and
 * a search reaches every person, not only the drawn ones. Offline, after a reload.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { PASSWORD, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, useE2e, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const PEOPLE = 120;
const basic = 'Basic ' + Buffer.from(`${USERS.officerA}:${PASSWORD}`).toString('base64');

describe('people list of a large unit', () => {
  it('draws one page, shows more on request, and searches everyone', async () => {
    // Updated one minute apart: the list is newest first, so person 0 is drawn last.
    const docs = Array.from({ length: PEOPLE }, (_, i) => {
      const at = new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString();
      return minimalPerson({
        _id: `person:${randomUUID()}`,
        unitId: UNIT_A,
        createdBy: USERS.officerA,
        updatedBy: USERS.officerA,
        createdAt: at,
        updatedAt: at,
        prisonerId: `LIST-${String(i).padStart(4, '0')}`,
        firstName: i === 0 ? 'คนแรกสุด' : 'สมชาย'
      });
    });
    const res = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ docs })
    });
    expect(res.status).toBe(201);

    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await page.reload();

    const rows = page.locator('[data-testid=people-list] li');
    await expect.poll(() => page.textContent('[data-testid=result-count]')).toContain(`${PEOPLE}`);
    expect(await rows.count()).toBe(50);
    expect(await page.textContent('[data-testid=people-list]')).toContain('LIST-0119');
    expect(await page.textContent('[data-testid=people-list]')).not.toContain('LIST-0000');

    await page.click('[data-testid=show-more]');
    await expect.poll(() => rows.count()).toBe(100);
    await page.click('[data-testid=show-more]');
    await expect.poll(() => rows.count()).toBe(PEOPLE);
    expect(await page.locator('[data-testid=show-more]').count()).toBe(0);

    // A search reaches the person who was never drawn on the first page.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(50);
    await page.fill('[data-testid=search]', 'คนแรกสุด');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('LIST-0000');
    await page.fill('[data-testid=search]', 'LIST-01');
    await expect.poll(() => page.textContent('[data-testid=result-count]')).toContain('20');
    await context.close();
  });
});
