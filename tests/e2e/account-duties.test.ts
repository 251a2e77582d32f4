/**
 * Account duties in real Chromium: the administrator gives a probation office's officer the
 * strategy-group duty ("เจ้าหน้าที่กลุ่มยุทธศาสตร์") in the accounts screen; that officer's
 * worklist then shows the request waiting for that step, with its time limits, the request
 * offers the step, and the person's timeline shows the same limits.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { assistanceRequest } from '../../src/lib/domain/services/test-fixtures.ts';
import { UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { logIn, newTablet, putDoc, useE2e, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

async function putOnServer(doc: object & { _id: string }) {
  await putDoc(server, UNIT_B, USERS.officerB, doc);
}

describe('request duties given in the admin console', () => {
  it("the officer given the intake duty then sees the request's next step on their worklist", async () => {
    const byB = { unitId: UNIT_B, createdBy: USERS.officerB, updatedBy: USERS.officerB };
    const person = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byB,
      prisonerId: 'DU-1',
      firstName: 'หน้าที่',
      lastName: 'ทดสอบ'
    });
    const request = assistanceRequest(UNIT_B, {
      _id: `request:${randomUUID()}`,
      ...byB,
      personId: person._id,
      history: [{ state: 'submitted', at: new Date(Date.now() - 60_000).toISOString(), by: USERS.officerB, duty: 'case-officer' }]
    });
    await putOnServer(person);
    await putOnServer(request);
    const requestUuid = request._id.slice('request:'.length);

    // Before: the officer holds no intake duty; the request is not theirs to take.
    const officer = (await newTablet(browser)).page;
    await logIn(officer, server.url, USERS.officerB);
    await waitForPhase(officer, 'up-to-date');
    await officer.goto(`${server.url}/worklist`);
    await officer.waitForSelector('[data-testid=requests-link]');
    await officer.goto(`${server.url}/requests/${requestUuid}`);
    await officer.waitForSelector('[data-testid=request-view]');
    expect(await officer.locator('[data-testid=step-accepted]').count()).toBe(0);

    // The administrator gives the duty in the accounts screen.
    const desk = (await newTablet(browser, { width: 1440, height: 900 })).page;
    await logIn(desk, server.url, USERS.admin);
    await desk.goto(`${server.url}/admin/accounts`);
    const row = desk.locator(`[data-testid=accounts] tr[data-account="${USERS.officerB}"]`);
    await row.waitFor();
    await desk.fill('[data-testid=why]', 'มอบหมายงานรับคำร้อง / gives the intake duty');
    await row.getByRole('button', { name: 'แก้ไข' }).click();
    await desk.check(`[data-testid=accounts] tr[data-account="${USERS.officerB}"] [data-testid=edit-duties] input[value=intake]`);
    await row.getByRole('button', { name: 'บันทึก' }).click();
    await desk.waitForSelector(`[data-testid=accounts] tr[data-account="${USERS.officerB}"] [data-duty=intake]`);

    // After: the officer's worklist shows the request waiting for them, with its limits.
    await officer.goto(`${server.url}/worklist`);
    const due = officer.locator('[data-testid=requests-due]');
    await due.waitFor({ timeout: 15_000 });
    expect(await due.locator(`a[href="/requests/${requestUuid}"]`).count()).toBe(1);
    expect(await due.textContent()).toContain('ยื่นคำร้อง');
    expect(await due.locator('[data-testid=record-due]').textContent()).toContain('บันทึกรับคำร้องภายใน');
    await due.locator(`a[href="/requests/${requestUuid}"]`).click();
    await officer.waitForSelector('[data-testid=step-accepted]');

    // The person's page shows the same limits on the request in the timeline.
    await officer.goto(`${server.url}/people/${person._id.slice('person:'.length)}`);
    const entry = officer.locator('[data-testid=timeline] li[data-kind=request]');
    await entry.locator('[data-testid=record-due]').waitFor();
    expect(await entry.locator('[data-testid=request-step-due]').textContent()).toContain('เจ้าหน้าที่กลุ่มยุทธศาสตร์');
    expect(await entry.locator('[data-testid=record-due]').textContent()).toContain('บันทึกรับคำร้องภายใน');
    await officer.context().close();
    await desk.context().close();
  });
});
