/**
 * A conflict that reached the tablet's replica without being checked (the tab died between a pull
 * and its check, or an older app pulled it) is found again by the scan at the next start, offline.
 * The scan reads only what changed since the previous scan, so this also checks that its
 * bookmark is taken before it reads.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { PASSWORD, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { accountDatabases, logIn, newTablet, useE2e, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const basic = 'Basic ' + Buffer.from(`${USERS.officerA}:${PASSWORD}`).toString('base64');

/** Runs a request against one object store of the app's Dexie database, raw IndexedDB. */
async function inStore<T>(page: Page, store: string, mode: 'readonly' | 'readwrite', op: 'get-scan-seq' | 'clear'): Promise<T> {
  const { dbName } = (await accountDatabases(page, USERS.officerA))!;
  return page.evaluate(
    ({ dbName, store, mode, op, key }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, mode);
          const req = op === 'clear' ? tx.objectStore(store).clear() : tx.objectStore(store).get(key);
          req.onsuccess = () => resolve(req.result ?? null);
          tx.oncomplete = () => open.result.close();
          tx.onerror = () => reject(tx.error);
        };
      }),
    { dbName, store, mode, op, key: `conflict-scan-seq:${UNIT_A}` }
  ) as Promise<T>;
}

describe('conflict scan at start-up', () => {
  it('finds a conflict in the replica that was never checked', async () => {
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    // The first start's scan has run and left its bookmark.
    await expect.poll(() => inStore(page, 'settings', 'readonly', 'get-scan-seq'), { timeout: 15_000 }).not.toBeNull();

    // Two tablets edited the same person offline: the server holds both versions.
    const uuid = randomUUID();
    const person = minimalPerson({ _id: `person:${uuid}`, unitId: UNIT_A, createdBy: USERS.officerA, updatedBy: USERS.officerA });
    const res = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({
        new_edits: false,
        docs: [
          { ...person, _rev: '1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', lastName: 'แก้ไขบนเครื่องหนึ่ง' },
          { ...person, _rev: '1-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', lastName: 'แก้ไขบนเครื่องสอง' }
        ]
      })
    });
    expect(res.status).toBe(201);
    // Pulled and checked: the officer is told.
    await expect
      .poll(() => page.textContent('[data-testid=conflict-count]').catch(() => null), { timeout: 30_000 })
      .toContain('1');

    // As if the tab had died before the check: the device forgets it ever saw the conflict.
    await context.setOffline(true);
    await inStore(page, 'conflicts', 'readwrite', 'clear');
    await page.reload();
    await page.waitForSelector('[data-testid=sync-status]');
    // The start-up scan finds it again, offline.
    await expect
      .poll(() => page.textContent('[data-testid=conflict-count]').catch(() => null), { timeout: 15_000 })
      .toContain('1');
    await page.goto(`${server.url}/sync`);
    await page.waitForSelector('[data-testid=conflict-link]');
    expect(await page.textContent('[data-testid=conflict-list]')).toContain('สมชาย');
    await context.close();
  });
});
