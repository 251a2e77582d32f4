/**
 * The sync status an officer can act on: a first sync shows its progress against the server's
 * document count; a record saved offline is listed as only on this tablet; a record the server
 * refuses is listed with the server's reason, in the sync centre and on the record itself.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { PASSWORD, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { accountDatabases, logIn, newTablet, serverDoc, useE2e, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const basic = 'Basic ' + Buffer.from(`${USERS.officerA}:${PASSWORD}`).toString('base64');
const PEOPLE = 40;

function person(uuid: string, n: number) {
  return minimalPerson({
    _id: `person:${uuid}`,
    unitId: UNIT_A,
    createdBy: USERS.officerA,
    updatedBy: USERS.officerA,
    prisonerId: `BK-2569-${String(n).padStart(5, '0')}`,
    firstName: `ทดสอบ${n}`
  });
}

/**
 * Changes the newest stored revision of a document inside the tablet's PouchDB (IndexedDB, as
 * the idb adapter lays it out) without going through the app: how a record that fails the
 * server's gate can reach the outbox (an older app version, a corrupted write).
 */
async function corruptStoredRevision(page: Page, docId: string, field: string, value: unknown) {
  const { replicaPrefix } = (await accountDatabases(page, USERS.officerA))!;
  return page.evaluate(
    ({ dbName, docId, field, value }) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const idb = open.result;
          const tx = idb.transaction('by-sequence', 'readwrite');
          const store = tx.objectStore('by-sequence');
          let newest: { key: IDBValidKey; value: Record<string, unknown> } | null = null;
          store.openCursor().onsuccess = (e) => {
            const cursor = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
            if (cursor) {
              const v = cursor.value as Record<string, unknown>;
              if (String(v._doc_id_rev).startsWith(docId + '::')) newest = { key: cursor.primaryKey, value: v };
              cursor.continue();
              return;
            }
            if (!newest) return reject(new Error('no stored revision of ' + docId));
            const found = newest as { key: IDBValidKey; value: Record<string, unknown> };
            store.put({ ...found.value, [field]: value }, found.key);
            tx.oncomplete = () => resolve(String(found.value._doc_id_rev));
          };
        };
      }),
    { dbName: `_pouch_${replicaPrefix}${UNIT_A}`, docId, field, value }
  );
}

describe('the sync centre', () => {
  it('shows first-sync progress, pending saves, and a refusal with the server reason', async () => {
    const uuids = Array.from({ length: PEOPLE }, () => randomUUID());
    const res = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: uuids.map((u, i) => person(u, i)) })
    });
    expect(res.status).toBe(201);

    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await page.click('[data-testid=open-sync-centre]');
    await page.waitForSelector('[data-testid=sync-progress]');
    // The first pull read every document the server said it holds.
    expect(await page.getAttribute('[data-testid=sync-progress]', 'data-total')).toBe(String(PEOPLE));
    expect(await page.getAttribute('[data-testid=sync-progress]', 'data-read')).toBe(String(PEOPLE));
    expect(await page.textContent('[data-testid=sync-progress]')).toContain(`${PEOPLE} / ${PEOPLE}`);
    expect(await page.textContent('[data-testid=sync-last-success]')).not.toContain('ยังไม่เคย');

    // Offline, the officer corrects two people: both are listed as only on this tablet.
    // Pages load offline only from the service worker's precache.
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await waitForPhase(page, 'offline');
    for (const u of [uuids[0], uuids[1]]) {
      await page.goto(`${server.url}/people/${u}`);
      await page.click('[data-testid=edit-person]');
      await page.waitForSelector('#in-lastName');
      await page.fill('#in-lastName', 'แก้ไขออฟไลน์');
      await page.getByRole('button', { name: 'บันทึก', exact: true }).click();
      await page.waitForSelector('[data-testid=edit-person]');
      await page.waitForSelector('[data-testid=record-status][data-state=local]');
    }
    await page.click('[data-testid=open-sync-centre]');
    await expect.poll(() => page.locator('[data-testid=pending-item]').count()).toBe(2);
    expect(await page.textContent(`[data-testid=pending-item][data-doc="person:${uuids[0]}"]`)).toContain('ทดสอบ0');
    expect(await page.getAttribute(`[data-testid=pending-item][data-doc="person:${uuids[0]}"] a`, 'href')).toBe(
      `/people/${uuids[0]}`
    );

    // The second one's stored revision no longer passes the gate: the server will refuse it.
    await corruptStoredRevision(page, `person:${uuids[1]}`, 'firstName', '');

    await context.setOffline(false);
    await page.waitForSelector('[data-testid=refused-item]', { timeout: 30_000 });
    const reason = await page.textContent(
      `[data-testid=refused-item][data-doc="person:${uuids[1]}"] [data-testid=refused-reason]`
    );
    expect(reason).toContain('firstName');
    await expect.poll(() => page.locator('[data-testid=pending-item]').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.textContent('[data-testid=refused-count]')).toContain('1');
    // The good one reached the server; the refused one did not, and stays on the tablet.
    expect(await serverDoc(server, UNIT_A, `person:${uuids[0]}`, USERS.officerA)).toMatchObject({ lastName: 'แก้ไขออฟไลน์' });
    expect(await serverDoc(server, UNIT_A, `person:${uuids[1]}`, USERS.officerA)).toMatchObject({ lastName: 'ใจดี' });

    // On the record itself: refused, with the reason; the good one is synced.
    await page.click(`[data-testid=refused-item][data-doc="person:${uuids[1]}"] a`);
    await page.waitForSelector('[data-testid=record-status][data-state=refused]');
    expect(await page.textContent('[data-testid=record-refusal]')).toContain('firstName');
    await page.goto(`${server.url}/people/${uuids[0]}`);
    await page.waitForSelector('[data-testid=record-status][data-state=synced]');
    await context.close();
  });
});
