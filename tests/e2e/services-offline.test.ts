/**
 * From needs to help, offline in real Chromium: a CARE officer opens a person whose CARE 01 asks
 * for job information and records consent, loses signal, refers them to the Department of
 * Employment found in the catalog on the tablet, records the agency's acceptance, a CARE 03 visit
 * and a CARE 04 relative. Nothing leaves the device until the signal returns; then everything
 * reaches the server as recorded. Without consent on CARE 01 the referral asks for a signature
 * and refuses to send without it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { minimalCare01, minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, putDoc, serverDoc, useE2e, waitFor, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

async function putOnServer(doc: object & { _id: string }) {
  await putDoc(server, UNIT_A, USERS.officerA, doc);
}

const byOfficer = { unitId: UNIT_A, createdBy: USERS.officerA, updatedBy: USERS.officerA };

describe('services and referrals on a tablet, offline', () => {
  it('refers from a CARE 01 need through the offline catalog, follows it, records CARE 03 and CARE 04, and syncs when back online', async () => {
    const person = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byOfficer,
      prisonerId: 'SV-1',
      firstName: 'บริการ',
      lastName: 'ทดสอบ'
    });
    const interview = minimalCare01({
      _id: `care01:${randomUUID()}`,
      ...byOfficer,
      personId: person._id,
      interviewDate: '2026-11-20',
      consent: 'consents',
      helpWanted: { choice: 'wants', needs: ['job-info'] }
    });
    const unconsenting = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byOfficer,
      prisonerId: 'SV-2',
      firstName: 'ไม่ยินยอม',
      lastName: 'ทดสอบ'
    });
    for (const doc of [person, interview, unconsenting]) await putOnServer(doc);

    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    const personUuid = person._id.slice('person:'.length);
    await page.goto(`${server.url}/people/${personUuid}`);
    await page.waitForSelector('[data-testid=care01-needs]');

    // --- signal lost ---------------------------------------------------------------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');

    // Need → referral: the Department of Employment found by name in the catalog on the tablet.
    await page.click('[data-testid=refer-need-job-info]');
    await page.waitForSelector('[data-testid=catalog-hits]');
    const referralUuid = /\/services\/referral\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.fill('#referral-search', 'จัดหางาน');
    await expect.poll(() => page.locator('[data-testid=catalog-hits] label').count()).toBeGreaterThan(0);
    // The person's wish, ranked; matching by rank picks it (its agency serves everywhere).
    await page.locator('[data-testid=catalog-hits] .hit', { hasText: 'ขึ้นทะเบียนหางานและบรรจุงาน' }).getByRole('button').click();
    await page.click('[data-testid=match-ranked]');
    await expect.poll(() => page.textContent('[data-testid=match-note]')).toContain('อันดับ 1');
    expect(
      await page.locator('[data-testid=catalog-hits] .hit', { hasText: 'ขึ้นทะเบียนหางานและบรรจุงาน' }).locator('input').isChecked()
    ).toBe(true);
    await page.waitForSelector('[data-testid=consent-care01]');
    await page.click('[data-testid=send-referral]');
    await page.waitForSelector('[data-testid=referral-view]');
    expect(await page.textContent('[data-testid=referral-view]')).toContain('กรมการจัดหางาน');
    await page.click('[data-testid=status-accepted]');
    await expect.poll(() => page.locator('[data-testid=referral-events] li').count()).toBe(2);

    // CARE 03: the person came to the centre.
    await page.goto(`${server.url}/people/${personUuid}`);
    await page.click('[data-testid=new-care03]');
    await page.waitForSelector('[data-testid=save-visit]');
    const care03Uuid = /\/services\/visit\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.check('#in-visit-services-job-info');
    await page.fill('#visit-result', 'ให้ข้อมูลตำแหน่งงานว่าง 3 ตำแหน่ง');
    await page.click('[data-testid=save-visit]');
    await page.waitForURL(`**/people/${personUuid}?saved=*`);

    // CARE 04: the mother came on the prisoner's behalf.
    await page.click('[data-testid=new-care04]');
    await page.waitForSelector('[data-testid=save-visit]');
    const care04Uuid = /\/services\/visit\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.fill('#rel-first', 'สมศรี');
    await page.fill('#rel-last', 'ทดสอบ');
    await page.selectOption('#rel-relationship', 'parent');
    await page.check('#in-visit-services-advice');
    await page.fill('#visit-result', 'แนะนำการเตรียมที่พักหลังพ้นโทษ');
    await page.click('[data-testid=save-visit]');
    await page.waitForURL(`**/people/${personUuid}?saved=*`);
    await expect.poll(() => page.locator('[data-testid=services-list] li[data-kind]').count()).toBe(3);
    // The timeline, fed by the tablet's projection, shows them offline with a link to each record.
    const timeline = page.locator('[data-testid=timeline]');
    await expect.poll(() => timeline.locator('li[data-kind=care03]').count()).toBe(1);
    expect(await timeline.locator('li[data-kind=care03]').textContent()).toContain('ข้อมูลตำแหน่งงานว่าง');
    expect(await timeline.locator('li[data-kind=care03] a').getAttribute('href')).toBe(`/services/visit/${care03Uuid}`);
    expect(await timeline.locator('li[data-kind=care04]').textContent()).toContain('สมศรี ทดสอบ');
    const referralEntry = timeline.locator('li[data-kind=referral]');
    expect(await referralEntry.textContent()).toContain('กรมการจัดหางาน');
    expect(await referralEntry.textContent()).toContain('หน่วยงานรับเรื่อง');
    expect(await referralEntry.locator('a').getAttribute('href')).toBe(`/services/referral/${referralUuid}`);

    // Nothing has left the device.
    expect(await serverDoc(server, UNIT_A, `referral:${referralUuid}`, USERS.officerA)).toBeNull();

    // Without consent on a CARE 01, the referral asks for the person's signature and refuses without it.
    await page.goto(`${server.url}/people/${unconsenting._id.slice('person:'.length)}`);
    await page.click('[data-testid=new-referral]');
    await page.waitForSelector('[data-testid=catalog-hits]');
    await page.locator('[data-testid=catalog-hits] input').first().check();
    await page.click('[data-testid=send-referral]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('ความยินยอม');
    expect(await page.locator('[data-testid=referral-view]').count()).toBe(0);

    // --- signal back: everything reaches the server as recorded ------------------------------
    await context.setOffline(false);
    const referral = await waitFor('the referral on the server', () =>
      serverDoc(server, UNIT_A, `referral:${referralUuid}`, USERS.officerA)
    );
    expect(referral).toMatchObject({
      agencyId: 'doe',
      serviceId: 'job-placement',
      need: 'job-info',
      choiceRank: 1,
      consent: { basis: 'care01', care01Id: interview._id },
      events: [
        { status: 'sent', by: USERS.officerA },
        { status: 'accepted', by: USERS.officerA }
      ]
    });
    const care03 = await waitFor('the CARE 03 on the server', () =>
      serverDoc(server, UNIT_A, `care03:${care03Uuid}`, USERS.officerA)
    );
    const care04 = await waitFor('the CARE 04 on the server', () =>
      serverDoc(server, UNIT_A, `care04:${care04Uuid}`, USERS.officerA)
    );
    expect(care03).toMatchObject({
      personId: person._id,
      services: ['job-info'],
      servedBy: USERS.officerA,
      clientStatus: 'prisoner'
    });
    expect(care04).toMatchObject({
      personId: person._id,
      relative: { firstName: 'สมศรี', relationship: 'parent' },
      services: ['advice']
    });
    await context.close();
  });
});
