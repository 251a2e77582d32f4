/**
 * The rule corrections on screen, in real Chromium: a life sentence on CARE 01; an interview dated
 * in the future is refused rather than saved by "Save anyway"; the "Save anyway" box lists every
 * missing item; "Save anyway" after the form changed saves it as it is then (the first tap's check
 * is reused only while nothing changed); a visit dated years before the release asks first; and two
 * records of one person are merged on the duplicates screen (the retired one says so) and the merge
 * undone.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import type { EpisodeDoc } from '../../src/lib/domain/followup-schemas.ts';
import { makePerson, remoteDb, UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { fillDateBE, logIn, newTablet, serverDoc, useE2e, waitFor, waitForPhase } from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

/** A day in Thailand (the tablets run in Asia/Bangkok). */
function bangkokDay(offsetDays = 0): string {
  return new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Officer A's tablet on a new CARE 01 with the person's ID and name filled in; returns the interview's uuid. */
async function newCare01(page: Page, prisonerId: string, firstName: string, lastName: string): Promise<string> {
  await logIn(page, server.url, USERS.officerA);
  await waitForPhase(page, 'up-to-date');
  await page.click('[data-testid=new-care01]');
  await page.waitForSelector('#in-prisonerId');
  const interviewUuid = /\/care01\/([0-9a-f-]{36})/.exec(page.url())![1];
  await page.fill('#in-prisonerId', prisonerId);
  await page.check('#in-title-mr');
  await page.fill('#in-firstName', firstName);
  await page.fill('#in-lastName', lastName);
  return interviewUuid;
}

describe('rule corrections on the tablet', () => {
  it('CARE 01: life sentence, a future date refused, and "Save anyway" lists every missing item', async () => {
    const { context, page } = await newTablet(browser);
    const interviewUuid = await newCare01(page, 'BK-2569-05555', 'ตลอด', 'ชีวิต');

    // จำคุกตลอดชีวิต: no years / months / days to fill.
    await page.check('#in-sentenceLife');
    expect(await page.locator('#in-sentenceYears').count()).toBe(0);

    // Dated the day after tomorrow: refused, not offered "Save anyway".
    await fillDateBE(page, 'interviewDate', bangkokDay(2));
    await page.click('[data-testid=save]');
    await expect.poll(() => page.locator('[data-testid=save-errors]').count()).toBe(1);
    expect(await page.textContent('[data-testid=save-errors]')).toContain('วันที่สัมภาษณ์อยู่ในอนาคต');
    expect(await page.locator('[data-testid=confirm-incomplete]').count()).toBe(0);

    // Today: incomplete, and the confirm box lists every item, not the first eight.
    await fillDateBE(page, 'interviewDate', bangkokDay(0));
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=confirm-incomplete]');
    const heading = (await page.textContent('#incomplete-h')) ?? '';
    const count = Number(/ยังขาดอีก (\d+) รายการ/.exec(heading)?.[1]);
    expect(count).toBeGreaterThan(8);
    expect(await page.locator('[data-testid=confirm-issues] li').count()).toBe(count);
    await page.getByRole('button', { name: 'บันทึกไว้ก่อน' }).click();
    await page.waitForURL('**/people/**');
    const stored = await waitFor('the interview on the server', () =>
      serverDoc(server, UNIT_A, `care01:${interviewUuid}`, USERS.officerA)
    );
    expect(stored).toMatchObject({ interviewDate: bangkokDay(0), sentence: { years: 0, months: 0, days: 0, life: true } });
    await context.close();
  });

  it('CARE 01: "Save anyway" checks and saves the form as it is when confirmed, not as it was when asked', async () => {
    const { context, page } = await newTablet(browser);
    const interviewUuid = await newCare01(page, 'BK-2569-07777', 'ก่อนแก้', 'ถามก่อน');
    await fillDateBE(page, 'interviewDate', bangkokDay(0));
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=confirm-incomplete]');

    // While the question is open the date becomes the day after tomorrow: "Save anyway" must
    // refuse it (the first tap checked a valid date), and nothing is stored.
    await fillDateBE(page, 'interviewDate', bangkokDay(2));
    await page.click('[data-testid=confirm-incomplete] button.primary');
    await expect.poll(() => page.locator('[data-testid=save-errors]').count()).toBe(1);
    expect(await page.textContent('[data-testid=save-errors]')).toContain('วันที่สัมภาษณ์อยู่ในอนาคต');
    expect(page.url()).toContain(`/care01/${interviewUuid}`);
    expect(await page.locator('[data-testid=saved]').count()).toBe(0);

    // Date put right, asked again, then the name changed: the stored record has the new name.
    await fillDateBE(page, 'interviewDate', bangkokDay(0));
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=confirm-incomplete]');
    await page.fill('#in-firstName', 'หลังแก้');
    await page.click('[data-testid=confirm-incomplete] button.primary');
    await page.waitForURL('**/people/*?saved=*');
    const interview = await waitFor('the interview on the server', () =>
      serverDoc(server, UNIT_A, `care01:${interviewUuid}`, USERS.officerA)
    );
    expect(interview).toMatchObject({ interviewDate: bangkokDay(0) });
    const person = await waitFor('the person on the server', () =>
      serverDoc(server, UNIT_A, String(interview.personId), USERS.officerA)
    );
    expect(person).toMatchObject({ firstName: 'หลังแก้', lastName: 'ถามก่อน' });
    await context.close();
  });

  it('a follow-up visit dated years before the release asks first, and saves once confirmed', async () => {
    const person = makePerson(UNIT_B, {
      createdBy: USERS.officerB,
      updatedBy: USERS.officerB,
      firstName: 'ปล่อย',
      lastName: 'ก่อนหน้า'
    });
    const now = new Date().toISOString();
    const episode: EpisodeDoc = {
      _id: `episode:${randomUUID()}`,
      type: 'episode',
      unitId: UNIT_B,
      schemaVersion: SCHEMA_VERSION,
      createdAt: now,
      createdBy: USERS.officerB,
      updatedAt: now,
      updatedBy: USERS.officerB,
      personId: person._id,
      releaseType: 'sentence-completed',
      releaseDate: bangkokDay(-30),
      conditionsAcknowledged: true,
      electronicMonitoring: false
    };
    await remoteDb(server, UNIT_B, USERS.officerB).bulkDocs([person, episode]);

    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    await page.goto(`${server.url}/followup/${randomUUID()}?person=${person._id.slice('person:'.length)}`);
    await page.waitForSelector('#in-method-home-visit');
    await fillDateBE(page, 'visitDate', bangkokDay(-30 - 800));
    await page.check('#in-method-home-visit');
    await page.check('#in-visitor-probation-officer');
    await page.click('[data-testid=save-followup]');
    await page.waitForSelector('[data-testid=visit-date-question]');
    expect(await page.textContent('[data-testid=visit-date-question]')).toContain('วันที่ติดตามอยู่ก่อนวันปล่อยตัว 2 ปี');
    expect(await page.locator('[data-testid=followup-saved]').count()).toBe(0);
    await page.getByRole('button', { name: 'วันที่ถูกต้อง บันทึก' }).click();
    await page.waitForSelector('[data-testid=followup-saved]');
    await context.close();
  });

  it('merges two records of one person on the duplicates screen, and undoes it', async () => {
    const same = { prisonerId: 'BK-2569-06666', firstName: 'ซ้ำ', lastName: 'สองที่' };
    const first = makePerson(UNIT_A, same);
    const second = makePerson(UNIT_A, { ...same, nationalId: { status: 'unknown' } });
    await remoteDb(server, UNIT_A, USERS.officerA).bulkDocs([first, second]);

    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await page.goto(`${server.url}/duplicates`);
    const pair = page.locator('[data-testid=duplicate-pairs] li', { hasText: 'สองที่' });
    await expect.poll(() => pair.count()).toBe(1);
    const keptId = (await pair.getAttribute('data-a'))!;
    const retiredId = (await pair.getAttribute('data-b'))!;
    await pair.locator('[data-testid=keep-a]').click();
    await expect.poll(() => page.locator(`[data-testid=merged] li[data-retired="${retiredId}"]`).count()).toBe(1);
    expect(await pair.count()).toBe(0);

    const merged = await waitFor('the merge on the server', async () => {
      const d = await serverDoc(server, UNIT_A, retiredId, USERS.officerA);
      return d?.mergedInto === keptId ? d : null;
    });
    expect(merged).toMatchObject({ mergedBy: USERS.officerA });

    await page.goto(`${server.url}/people/${retiredId.slice('person:'.length)}`);
    await page.waitForSelector('[data-testid=merged-into]');

    await page.goto(`${server.url}/duplicates`);
    await page.locator(`[data-testid=merged] li[data-retired="${retiredId}"] [data-testid=undo-merge]`).click();
    await expect.poll(() => page.locator('[data-testid=duplicate-pairs] li', { hasText: 'สองที่' }).count()).toBe(1);
    await context.close();
  });
});
