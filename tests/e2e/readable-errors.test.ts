/**
 * Refused saves a person can read, in real Chromium: an invalid CARE 01 lists each problem by the
 * field's label on the form (no schema text), marks the fields, and takes the user to each one,
 * clear of the sticky header; a follow-up missing its method takes the user up to that question.
 * Moving from one follow-up report to another through "earlier reports" shows the other report.
 * Unknown addresses get a Thai "page not found".
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import { UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, putDoc, useE2e, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

/** The focused element's id, and whether it is on screen below the header. */
function focusedField(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { id: null, visible: false };
    const r = el.getBoundingClientRect();
    const header = document.querySelector('header');
    const headerBottom = header && getComputedStyle(header).position === 'sticky' ? header.getBoundingClientRect().bottom : 0;
    return {
      id: el.id,
      visible: r.top >= headerBottom && r.bottom <= window.innerHeight,
      invalid: el.getAttribute('aria-invalid')
    };
  });
}

async function putOnServer(doc: object & { _id: string }) {
  await putDoc(server, UNIT_B, USERS.officerB, doc);
}

describe('errors a person can read', () => {
  it('an invalid CARE 01 names each field by its label, marks it, and takes the user to each', async () => {
    const { context, page } = await newTablet(browser, { width: 1024, height: 700 });
    await logIn(page, server.url, USERS.officerA);
    await page.click('[data-testid=new-care01]');
    await page.waitForSelector('#in-prisonerId');
    await page.fill('#in-age', '150');
    // Start from the bottom of the form, as an officer who just finished the interview.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.click('[data-testid=save]');

    const list = page.locator('[data-testid=save-errors] li');
    await expect.poll(() => list.count()).toBeGreaterThanOrEqual(4);
    const texts = await list.allTextContents();
    expect(texts).toContain('รหัสผู้ต้องขัง: ต้องกรอก');
    expect(texts).toContain('คำนำหน้า: ต้องเลือก');
    expect(texts).toContain('ชื่อ: ต้องกรอก');
    expect(texts).toContain('อายุ (ปี): ต้องไม่เกิน 120');
    expect(texts.join(' ')).not.toMatch(/Invalid|expected|Too big/);

    // Taken to the first problem at once.
    await expect.poll(() => focusedField(page)).toMatchObject({ id: 'in-prisonerId', visible: true, invalid: 'true' });
    // Each listed problem takes the user to its own field.
    const expected: Record<string, string> = {
      'รหัสผู้ต้องขัง: ต้องกรอก': 'in-prisonerId',
      'ชื่อ: ต้องกรอก': 'in-firstName',
      'นามสกุล: ต้องกรอก': 'in-lastName',
      'อายุ (ปี): ต้องไม่เกิน 120': 'in-age'
    };
    for (const [text, id] of Object.entries(expected)) {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.locator('[data-testid=save-errors] button', { hasText: text }).click();
      await expect.poll(() => focusedField(page)).toMatchObject({ id, visible: true, invalid: 'true' });
    }
    await page.locator('[data-testid=save-errors] button', { hasText: 'คำนำหน้า: ต้องเลือก' }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('title');

    // In English the same problems read in English.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => list.allTextContents()).toContain('Age (years): must be at most 120');
    await context.close();
  });

  it('a follow-up missing its method takes the user up to that question; earlier reports open as themselves', async () => {
    const now = new Date().toISOString();
    const day = (offset: number) => new Date(Date.now() + 7 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const by = { unitId: UNIT_B, createdBy: USERS.officerB, updatedBy: USERS.officerB };
    const person = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...by,
      prisonerId: 'LP-ERR',
      firstName: 'ติดตาม',
      lastName: 'สองครั้ง'
    });
    await putOnServer(person);
    const report = (visitDate: string, where: string) => ({
      _id: `followup:${randomUUID()}`,
      type: 'followup',
      ...by,
      schemaVersion: SCHEMA_VERSION,
      createdAt: now,
      updatedAt: now,
      personId: person._id,
      visitDate,
      recordedAt: now,
      method: 'home-visit',
      visitor: 'probation-officer',
      housing: { where },
      work: {}
    });
    const first = report(day(-10), 'บ้านหลังแรก');
    const second = report(day(-3), 'บ้านหลังที่สอง');
    await putOnServer(first);
    await putOnServer(second);

    const { context, page } = await newTablet(browser, { width: 1024, height: 700 });
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');

    // A new report saved without the method.
    await page.goto(`${server.url}/followup/${randomUUID()}?person=${person._id.slice('person:'.length)}`);
    await page.waitForSelector('[data-testid=save-followup]');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.click('[data-testid=save-followup]');
    await page.waitForSelector('[data-testid=errors]');
    expect(await page.textContent('[data-testid=errors]')).toContain('วิธีการติดตาม: เลือกวิธีการติดตาม');
    await expect.poll(() => focusedField(page)).toMatchObject({ visible: true, invalid: 'true' });
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('method');

    // Report one, then report two through "earlier reports": the screen follows the URL.
    await page.goto(`${server.url}/followup/${first._id.slice('followup:'.length)}`);
    await page.waitForSelector('[data-testid=followup-view]');
    expect(await page.textContent('[data-testid=followup-view]')).toContain('บ้านหลังแรก');
    await page.click(`a[href="/followup/${second._id.slice('followup:'.length)}"]`);
    await page.waitForURL(`**/followup/${second._id.slice('followup:'.length)}`);
    await expect.poll(() => page.textContent('[data-testid=followup-view]')).toContain('บ้านหลังที่สอง');
    expect(await page.textContent('[data-testid=followup-view]')).not.toContain('บ้านหลังแรก');
    // And back again.
    await page.click(`a[href="/followup/${first._id.slice('followup:'.length)}"]`);
    await expect.poll(() => page.textContent('[data-testid=followup-view]')).toContain('บ้านหลังแรก');

    // An unknown address: a Thai page, with a way home.
    await page.goto(`${server.url}/no/such/page`);
    await page.waitForSelector('[data-testid=error-page][data-status="404"]');
    expect(await page.textContent('h1')).toBe('ไม่พบหน้านี้');
    expect(await page.title()).toBe('ไม่พบหน้านี้ · CARE Field');
    await context.close();
  });
});
