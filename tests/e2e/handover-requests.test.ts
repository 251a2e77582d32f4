/**
 * Release hand-over and assistance requests in real Chromium. The CARE officer hands a person
 * over at release and the probation officer's tablet receives them (newly received on the
 * worklist, the prison's CARE 01 with them). An assistance request filed offline by the probation
 * officer goes through every step across the accounts of the office — strategy staff, officer,
 * finance, the director on the desktop — to "paid"; another is cancelled for insufficient budget.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { minimalCare01, minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { createStaffAndFinance, FINANCE, STAFF } from '../helpers/duty-accounts.ts';
import { logIn, newTablet, putDoc, serverDoc, startE2e, waitFor, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  await createStaffAndFinance(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function putOnServer(unitId: string, username: string, doc: object & { _id: string }) {
  await putDoc(server, unitId, username, doc);
}

async function signedInTablet(username: string, unitId?: string): Promise<Page> {
  const { page } = await newTablet(browser);
  await logIn(page, server.url, username);
  if (unitId) {
    await page.selectOption('header select', unitId);
    await page.waitForURL(server.url + '/');
  }
  await waitForPhase(page, 'up-to-date');
  return page;
}

describe('release hand-over', () => {
  it("the CARE officer hands the person over; the probation officer's tablet receives them", async () => {
    const byA = { unitId: UNIT_A, createdBy: USERS.officerA, updatedBy: USERS.officerA };
    const person = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byA,
      prisonerId: 'HO-1',
      firstName: 'ส่งต่อ',
      lastName: 'ทดสอบ'
    });
    const interview = minimalCare01({ _id: `care01:${randomUUID()}`, ...byA, personId: person._id, consent: 'consents' });
    const declining = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byA,
      prisonerId: 'HO-2',
      firstName: 'ไม่ยินยอม',
      lastName: 'ส่งต่อ'
    });
    const declined = minimalCare01({ _id: `care01:${randomUUID()}`, ...byA, personId: declining._id, consent: 'declines' });
    for (const doc of [person, interview, declining, declined]) await putOnServer(UNIT_A, USERS.officerA, doc);

    const care = await signedInTablet(USERS.officerA);
    await waitForServiceWorker(care);
    const personUuid = person._id.slice('person:'.length);
    await care.goto(`${server.url}/people/${personUuid}`);
    await care.waitForSelector('[data-testid=start-handover]');

    // Signal lost: the hand-over is recorded on the tablet, from the offices it already knows.
    await care.context().setOffline(true);
    await waitForPhase(care, 'offline');
    await care.click('[data-testid=start-handover]');
    expect(await care.textContent('[data-testid=handover-consent]')).toContain('CARE 01');
    await care.selectOption('#handover-to', UNIT_B);
    await care.fill('#handover-reason', 'พ้นโทษ กลับภูมิลำเนาจังหวัดลำปาง');
    await care.click('[data-testid=submit-handover]');
    await care.waitForSelector('[data-testid=handover-pending]');

    // Without consent the tablet refuses, naming the consent, and records nothing.
    await care.goto(`${server.url}/people/${declining._id.slice('person:'.length)}`);
    await care.click('[data-testid=start-handover]');
    expect(await care.textContent('[data-testid=handover-consent]')).toContain('ไม่มีความยินยอม');
    await care.selectOption('#handover-to', UNIT_B);
    await care.fill('#handover-reason', 'พ้นโทษ');
    await care.click('[data-testid=submit-handover]');
    await expect.poll(() => care.textContent('[data-testid=handover-errors]')).toContain('ความยินยอม');
    expect(await care.locator('[data-testid=handover-pending]').count()).toBe(0);
    await care.goto(`${server.url}/people/${personUuid}`);
    await care.waitForSelector('[data-testid=handover-pending]');
    await expect.poll(() => care.locator('[data-testid=timeline] li[data-kind=handoverrequest]').count()).toBe(1);
    expect(await serverDoc(server, UNIT_B, person._id, USERS.officerB)).toBeNull();

    // Signal back: the server carries it out and the outcome syncs back.
    await care.context().setOffline(false);
    await expect.poll(() => care.textContent('[data-testid=handover-banner]'), { timeout: 30_000 }).toContain(UNIT_B);
    await expect
      .poll(() => care.textContent('[data-testid=timeline] li[data-kind=handoverrequest]'), { timeout: 10_000 })
      .toContain('ส่งต่อแล้ว');
    // The prison's history of the person is read-only now: no more recording for them here.
    await care.reload();
    await care.waitForSelector('[data-testid=person-services]');
    await expect.poll(() => care.textContent('[data-testid=handover-banner]')).toContain(UNIT_B);
    expect(await care.locator('[data-testid=new-care03]').count()).toBe(0);

    const office = await signedInTablet(USERS.officerB);
    await waitFor('the person on the office tablet', async () => {
      await office.goto(`${server.url}/worklist`);
      // The worklist reads the replica after the page has loaded: give it a moment to draw.
      await office.waitForSelector('[data-testid=received-people] a', { timeout: 5_000 }).catch(() => undefined);
      return (await office.locator('[data-testid=received-people] a').count()) > 0;
    });
    await office.click('[data-testid=received-people] a');
    await office.waitForSelector('[data-testid=person-name]');
    expect(await office.textContent('[data-testid=person-name]')).toContain('ส่งต่อ ทดสอบ');
    expect(await office.textContent('[data-testid=handover-banner]')).toContain(UNIT_A);
    await expect.poll(() => office.locator('[data-testid=interviews] li').count()).toBe(1);
    await care.context().close();
    await office.context().close();
  });
});

describe('assistance request across the office', () => {
  async function takeStep(page: Page, requestUuid: string, state: string, note?: string) {
    await page.goto(`${server.url}/requests/${requestUuid}`);
    await waitFor(`the step ${state} offered`, async () => {
      if ((await page.locator(`[data-testid=step-${state}]`).count()) > 0) return true;
      await page.reload();
      await page.waitForSelector('[data-testid=request-view]', { timeout: 10_000 }).catch(() => undefined);
      return false;
    });
    if (note) await page.fill('#step-note', note);
    const before = await page.locator('[data-testid=request-history] li').count();
    await page.click(`[data-testid=step-${state}]`);
    await expect.poll(() => page.locator('[data-testid=request-history] li').count()).toBe(before + 1);
  }

  async function stateOnServer(requestUuid: string, state: string) {
    return waitFor(`${state} on the server`, async () => {
      const doc = await serverDoc(server, UNIT_B, `request:${requestUuid}`, USERS.officerB);
      const history = (doc?.history ?? []) as Array<{ state: string }>;
      return history.at(-1)?.state === state ? doc : null;
    });
  }

  it('filed offline by the officer, through every step to "paid"; another cancelled for insufficient budget', async () => {
    const byB = { unitId: UNIT_B, createdBy: USERS.officerB, updatedBy: USERS.officerB };
    const applicant = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byB,
      prisonerId: 'RQ-1',
      firstName: 'ขอรับ',
      lastName: 'การสงเคราะห์'
    });
    await putOnServer(UNIT_B, USERS.officerB, applicant);

    const officer = await signedInTablet(USERS.officerB);
    await waitForServiceWorker(officer);
    await officer.goto(`${server.url}/requests`); // learns the account's duties while online
    await officer.goto(`${server.url}/people/${applicant._id.slice('person:'.length)}`);
    await officer.waitForSelector('[data-testid=new-request]');
    await officer.context().setOffline(true);
    await waitForPhase(officer, 'offline');

    const file = async (kind: string) => {
      await officer.click('[data-testid=new-request]');
      await officer.waitForSelector('[data-testid=file-request]');
      const uuid = /\/requests\/([0-9a-f-]{36})/.exec(officer.url())![1];
      await officer.check(`#in-request-kind-${kind}`);
      await officer.fill('#request-details', kind === 'fare' ? 'ขอค่าพาหนะกลับภูมิลำเนา' : 'ขอทุนประกอบอาชีพขายอาหาร');
      await officer.click('[data-testid=file-request]');
      await officer.waitForSelector('[data-testid=request-view]');
      return uuid;
    };
    const paidUuid = await file('fare');
    await officer.goto(`${server.url}/people/${applicant._id.slice('person:'.length)}`);
    const cancelUuid = await file('occupation-capital');
    expect(await serverDoc(server, UNIT_B, `request:${paidUuid}`, USERS.officerB)).toBeNull();
    await officer.context().setOffline(false);
    await stateOnServer(paidUuid, 'submitted');
    await stateOnServer(cancelUuid, 'submitted');

    const staff = await signedInTablet(STAFF);
    const finance = await signedInTablet(FINANCE);
    const director = await signedInTablet(USERS.supervisor, UNIT_B);

    // The officer cannot take the staff's step: it is not offered.
    await officer.goto(`${server.url}/requests/${paidUuid}`);
    await officer.waitForSelector('[data-testid=request-view]');
    expect(await officer.locator('[data-testid=step-accepted]').count()).toBe(0);

    for (const uuid of [paidUuid, cancelUuid]) {
      await takeStep(staff, uuid, 'accepted');
      await stateOnServer(uuid, 'accepted');
      await takeStep(officer, uuid, 'documents-complete', 'เห็นควรช่วยเหลือ');
      await stateOnServer(uuid, 'documents-complete');
    }
    await takeStep(finance, paidUuid, 'finance-checked');
    await stateOnServer(paidUuid, 'finance-checked');
    await takeStep(director, paidUuid, 'approved', 'อนุมัติ');
    await stateOnServer(paidUuid, 'approved');
    await takeStep(staff, paidUuid, 'paid');
    const paid = await stateOnServer(paidUuid, 'paid');
    expect((paid.history as Array<{ state: string; by: string }>).map((e) => `${e.state}:${e.by}`)).toEqual([
      `submitted:${USERS.officerB}`,
      `accepted:${STAFF}`,
      `documents-complete:${USERS.officerB}`,
      `finance-checked:${FINANCE}`,
      `approved:${USERS.supervisor}`,
      `paid:${STAFF}`
    ]);

    await takeStep(finance, cancelUuid, 'cancelled');
    const cancelled = await stateOnServer(cancelUuid, 'cancelled');
    expect((cancelled.history as Array<Record<string, string>>).at(-1)).toMatchObject({
      duty: 'finance',
      reason: 'insufficient-budget',
      by: FINANCE
    });
    for (const page of [officer, staff, finance, director]) await page.context().close();
  });
});
