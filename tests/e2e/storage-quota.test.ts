/**
 * The tablet runs out of space: Chromium's quota for the origin is emulated small (CDP
 * Storage.overrideQuotaForOrigin, set before the origin first stores anything: Chromium caches an
 * origin's quota once its storage is open) and the rest of it is taken by other data, as photos
 * would on a real tablet. Saving a CARE 01 with signatures fails, the officer is told in plain
 * Thai, what was typed stays on the screen, everything saved before is still there and syncs, and
 * once space is freed the same CARE 01 saves.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { PASSWORD, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { drawSignature, logIn, newTablet, serverDoc, useE2e, waitFor, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const basic = 'Basic ' + Buffer.from(`${USERS.officerA}:${PASSWORD}`).toString('base64');
const QUOTA = 20_000_000; // bytes: room for the app shell, the unit's data and a little more

/** Fills the origin's remaining space with incompressible data in another database. */
function fillRemainingSpace(page: import('playwright-core').Page) {
  return page.evaluate(async () => {
    const open = () =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('other-data');
        req.onupgradeneeded = () => req.result.createObjectStore('blobs');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const db = await open();
    const put = (size: number, key: number) =>
      new Promise<boolean>((resolve) => {
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
        const tx = db.transaction('blobs', 'readwrite');
        tx.objectStore('blobs').put(bytes.buffer, key);
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      });
    let key = 0;
    let stored = 0;
    for (const size of [1_000_000, 100_000, 10_000, 1_000]) {
      while (await put(size, ++key)) stored += size;
    }
    db.close();
    return stored;
  });
}

describe('storage quota exceeded', () => {
  it('tells the officer, loses nothing saved before, and saves once space is back', async () => {
    const uuid = randomUUID();
    const personId = `person:${uuid}`;
    const seeded = await fetch(`${server.url}/sync/${UNIT_A}/${encodeURIComponent(personId)}`, {
      method: 'PUT',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify(minimalPerson({ _id: personId, unitId: UNIT_A, createdBy: USERS.officerA, updatedBy: USERS.officerA }))
    });
    expect(seeded.status).toBe(201);

    const { context, page } = await newTablet(browser);
    const cdp = await context.newCDPSession(page);
    const origin = new URL(server.url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA });
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    // The screens' code loads offline only from the service worker's precache.
    await waitForServiceWorker(page);
    // Every page below is reached inside the app, never by loading a document while offline:
    // with a CDP session attached to the page (the quota override needs one), Chromium reports
    // a document loaded under emulated offline as online (navigator.onLine true, no `online`
    // event when the signal returns), which is not what a tablet does.
    await page.goto(`${server.url}/people/${uuid}`);
    await page.waitForSelector('[data-testid=edit-person]');
    await context.setOffline(true);
    await waitForPhase(page, 'offline');

    // Saved before the space runs out: a correction to the person, waiting for sync.
    await page.click('[data-testid=edit-person]');
    await page.waitForSelector('#in-lastName');
    await page.fill('#in-lastName', 'บันทึกก่อนเต็ม');
    await page.getByRole('button', { name: 'บันทึก', exact: true }).click();
    await page.waitForSelector('[data-testid=edit-person]');
    await expect.poll(() => page.textContent('[data-testid=pending-count]')).toBe('1');

    // A new CARE 01 with both signatures, typed while there is space.
    await page.click('a.brand');
    await page.click('[data-testid=new-care01]');
    await page.waitForSelector('#in-prisonerId');
    const care01Url = page.url();
    const [, interviewUuid] = /\/care01\/([0-9a-f-]{36})/.exec(care01Url)!;
    await page.fill('#in-prisonerId', 'BK-2569-09999');
    await page.check('#in-title-mr');
    await page.fill('#in-firstName', 'พื้นที่');
    await page.fill('#in-lastName', 'เต็มแล้ว');
    await drawSignature(page, '#in-prisonerSignature');
    await page.fill('#in-prisonerSignature-name', 'นายพื้นที่ เต็มแล้ว');
    await drawSignature(page, '#in-officerSignature');
    await page.fill('#in-officerSignature-name', 'นางสาวเจ้าหน้าที่ ทดสอบ');

    // The space runs out: other data takes what is left of the quota.
    await page.waitForTimeout(300); // the draft's last write commits first
    const filled = await fillRemainingSpace(page);
    expect(filled).toBeGreaterThan(1_000_000);

    // Still offline as far as the page can tell, so the signal coming back is an `online` event.
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await page.click('[data-testid=save]');
    const saveAnyway = page.getByRole('button', { name: 'บันทึกไว้ก่อน' });
    await saveAnyway.click();
    await page.waitForSelector('[data-testid=save-errors]');
    expect(await page.textContent('[data-testid=save-errors]')).toContain('พื้นที่เก็บข้อมูลในเครื่องเต็ม');
    expect(await page.textContent('[data-testid=save-errors]')).toContain('ข้อมูลที่บันทึกไว้ก่อนหน้านี้ยังอยู่ครบ');
    await page.waitForSelector('[data-testid=storage-full]');
    // What was typed is still on the screen, ready to be saved again.
    expect(await page.inputValue('#in-firstName')).toBe('พื้นที่');
    expect(page.url()).toBe(care01Url);

    // Space freed (the other data removed) and signal back: the earlier correction syncs...
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.deleteDatabase('other-data');
          req.onsuccess = resolve;
          req.onerror = () => reject(req.error);
        })
    );
    await context.setOffline(false);
    await waitFor('the earlier correction on the server', async () => {
      const doc = await serverDoc(server, UNIT_A, personId, USERS.officerA);
      return doc?.lastName === 'บันทึกก่อนเต็ม' ? doc : null;
    });
    // ...and the same CARE 01, still on the screen, now saves and syncs with its signatures.
    await page.click('[data-testid=save]');
    await saveAnyway.click();
    await page.waitForURL('**/people/*?saved=*');
    const interview = await waitFor('the CARE 01 on the server', () =>
      serverDoc(server, UNIT_A, `care01:${interviewUuid}`, USERS.officerA)
    );
    expect((interview.prisonerSignature as { image: string }).image.length).toBeGreaterThan(500);
    await expect.poll(() => page.textContent('[data-testid=pending-count]'), { timeout: 15_000 }).toBe('0');
    // The lists follow the replica again (same page, no reload): the new person is listed.
    await page.click('a.brand');
    await page.fill('[data-testid=search]', 'เต็มแล้ว');
    await expect.poll(() => page.textContent('[data-testid=people-list]'), { timeout: 15_000 }).toContain('พื้นที่ เต็มแล้ว');
    await context.close();
  });
});
