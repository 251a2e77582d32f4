/**
 * The foundation flow in real Chromium: an officer logs in once online, loses signal, records a
 * person and a complete CARE 01 with drawn signatures, reloads with no network (the service
 * worker serves the app, IndexedDB the data), gets an unsaved draft offered back after a reload,
 * and when the signal returns the records reach the server by themselves.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { withCheckDigit } from '../../src/lib/domain/national-id.ts';
import { UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import {
  drawSignature,
  fillDateBE,
  logIn,
  newTablet,
  serverDoc,
  useE2e,
  waitFor,
  waitForPhase,
  waitForServiceWorker
} from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const NATIONAL_ID = withCheckDigit('310050012345');

describe('CARE 01 on a tablet, offline', () => {
  it('records a full CARE 01 offline, survives reloads, restores a draft, and syncs when back online', async () => {
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);

    // --- signal lost ---------------------------------------------------------------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');

    await page.click('[data-testid=new-care01]');
    await page.waitForSelector('#in-prisonerId');
    const [, interviewUuid] = /\/care01\/([0-9a-f-]{36})/.exec(page.url())!;
    const personUuid = new URL(page.url()).searchParams.get('person')!;

    // Person (items 1–3, 9)
    await page.fill('#in-prisonerId', 'BK-2569-00777');
    await page.check('#in-title-mr');
    await page.fill('#in-firstName', 'ทดสอบ');
    await page.fill('#in-lastName', 'ออฟไลน์ดี');
    await page.check('#in-sex-male');
    await fillDateBE(page, 'dateOfBirth', '1990-05-17');
    await page.check('#in-nationalId-number');
    // Typed in Thai digits (๐–๙): accepted and stored as 0–9.
    await page.fill('#in-idNumber', [...NATIONAL_ID].map((d) => String.fromCharCode(0x0e50 + Number(d))).join(''));
    expect(await page.inputValue('#in-idNumber')).toBe(NATIONAL_ID);
    // The basic fields of the completeness rule.
    await page.fill('#in-nationality', 'ไทย');
    await page.selectOption('#in-personStatus', 'thai');
    await page.check('#in-religion-buddhism');
    await page.check('#in-registeredAddress-thailand');
    await page.fill('#in-registeredAddress-subdistrict', 'บ้านเป้า');
    await page.fill('#in-registeredAddress-district', 'เมืองลำปาง');
    await page.fill('#in-registeredAddress-province', 'ลำปาง');
    // Interview (items 4–8, 10–22)
    await fillDateBE(page, 'interviewDate', '2026-11-20');
    await page.fill('#in-age', '36');
    await page.fill('#in-offence', 'ลักทรัพย์');
    await page.fill('#in-sentenceYears', '2');
    await page.fill('#in-sentenceMonths', '6');
    await page.fill('#in-sentenceDays', '0');
    await fillDateBE(page, 'sentenceEndDate', '2026-12-15');
    await page.fill('#in-address-houseNo', '12/3');
    await page.fill('#in-address-moo', '4');
    await page.fill('#in-address-subdistrict', 'บ้านเป้า');
    await page.fill('#in-address-district', 'เมืองลำปาง');
    await page.fill('#in-address-province', 'ลำปาง');
    await page.fill('#in-address-postcode', '52100');
    await page.fill('#in-phone', '081-234-5678');
    await page.fill('#in-sponsorName', 'นางมารดา ออฟไลน์ดี');
    await page.selectOption('#in-sponsorRelationship', 'parent');
    await page.check('#in-education-lower-secondary');
    await page.fill('#in-previousOccupation', 'รับจ้างก่อสร้าง');
    await page.check('#in-skills-computer');
    await page.check('#in-skills-motorcycle-licensed');
    await page.getByRole('button', { name: /เพิ่มการอบรม/ }).click();
    await page.fill('#in-trainings-0', 'ช่างเชื่อมโลหะ');
    await page.check('#in-desiredOccupations-general-labour');
    await page.check('#in-helpWanted-wants');
    await page.check('#in-needs-fare-home');
    await page.check('#in-needs-job-info');
    await page.fill('#in-jobPosition', 'พนักงานโรงงาน');
    await page.check('#in-consent-consents');
    await page.fill('#in-officerOpinion', 'มีครอบครัวรองรับ ต้องการงานทำ');
    // Need → action: fare home given; job information not yet, with the reason.
    await page
      .locator('#need-fare-home')
      .getByRole('button', { name: /เพิ่มการดำเนินการ/ })
      .click();
    await page.fill('#in-helpGiven-0-detail', 'มอบค่าพาหนะ 500 บาท');
    await page
      .locator('#need-job-info')
      .getByRole('button', { name: /ระบุเหตุผล/ })
      .click();
    await page.fill('#in-unmet-job-info', 'รอประสานสำนักงานจัดหางานจังหวัด');
    // Signatures (items 23–24), drawn with the pointer.
    await drawSignature(page, '#in-prisonerSignature');
    await page.fill('#in-prisonerSignature-name', 'นายทดสอบ ออฟไลน์ดี');
    await drawSignature(page, '#in-officerSignature');
    await page.fill('#in-officerSignature-name', 'นางสาวเจ้าหน้าที่ ทดสอบ');
    await page.fill('#in-officerSignature-position', 'นักสังคมสงเคราะห์ชำนาญการ');

    await expect.poll(() => page.locator('[data-testid=completeness]').getAttribute('class')).toContain('complete');
    await page.click('[data-testid=save]');
    await page.waitForURL(`**/people/${personUuid}?saved=*`);
    await expect.poll(() => page.textContent('[data-testid=pending-count]')).toBe('2');

    // Nothing has left the device: the server has neither document.
    expect(await serverDoc(server, UNIT_A, `care01:${interviewUuid}`, USERS.officerA)).toBeNull();

    // --- reload with no network: the service worker serves the app, IndexedDB the data --------
    await page.reload();
    await page.waitForSelector('[data-testid=person-name]');
    expect(await page.textContent('[data-testid=person-name]')).toContain('ทดสอบ ออฟไลน์ดี');
    await expect.poll(() => page.locator('[data-testid=interviews] li').count()).toBe(1);

    // A cold start: a new tab, still offline, finds the person by national ID typed with dashes.
    await page.close();
    const cold = await context.newPage();
    await cold.goto(server.url + '/');
    await cold.waitForSelector('[data-testid=search]');
    await cold.fill('[data-testid=search]', `${NATIONAL_ID.slice(0, 1)}-${NATIONAL_ID.slice(1, 5)}-${NATIONAL_ID.slice(5)}`);
    await expect.poll(() => cold.locator('[data-testid=people-list] li').count()).toBe(1);
    await cold.click('[data-testid=people-list] a');
    await cold.waitForSelector('[data-testid=person-name]');

    // --- a draft survives a reload mid-typing ------------------------------------------------
    await cold.click('[data-testid=new-interview]');
    await cold.waitForSelector('#in-offence');
    await cold.fill('#in-offence', 'คดีที่พิมพ์ค้างไว้');
    await cold.fill('#in-sentenceYears', '3');
    await cold.waitForTimeout(300); // the draft writer is immediate; give IndexedDB its commit
    await cold.reload();
    await cold.waitForSelector('[data-testid=draft-offer]');
    expect(await cold.inputValue('#in-offence')).toBe('');
    await cold.click('[data-testid=restore-draft]');
    expect(await cold.inputValue('#in-offence')).toBe('คดีที่พิมพ์ค้างไว้');
    expect(await cold.inputValue('#in-sentenceYears')).toBe('3');
    // The person's details came with the new interview form, from the saved person.
    expect(await cold.inputValue('#in-prisonerId')).toBe('BK-2569-00777');

    // --- signal back: sync starts by itself ---------------------------------------------------
    await context.setOffline(false);
    const interview = await waitFor('the interview on the server', () =>
      serverDoc(server, UNIT_A, `care01:${interviewUuid}`, USERS.officerA)
    );
    const person = await waitFor('the person on the server', () =>
      serverDoc(server, UNIT_A, `person:${personUuid}`, USERS.officerA)
    );
    expect(person).toMatchObject({
      prisonerId: 'BK-2569-00777',
      firstName: 'ทดสอบ',
      lastName: 'ออฟไลน์ดี',
      nationalId: { status: 'number', number: NATIONAL_ID, source: 'typed' },
      nationality: 'ไทย',
      personStatus: 'thai',
      religion: 'buddhism',
      registeredAddress: { subdistrict: 'บ้านเป้า', district: 'เมืองลำปาง', province: 'ลำปาง' },
      unitId: UNIT_A,
      createdBy: USERS.officerA
    });
    expect(interview).toMatchObject({
      personId: `person:${personUuid}`,
      interviewDate: '2026-11-20',
      age: 36,
      offence: 'ลักทรัพย์',
      sentence: { years: 2, months: 6, days: 0 },
      sentenceEndDate: '2026-12-15',
      address: { subdistrict: 'บ้านเป้า', district: 'เมืองลำปาง', province: 'ลำปาง', postcode: '52100' },
      phone: '0812345678',
      sponsorRelationship: 'parent',
      education: 'lower-secondary',
      skills: ['computer', 'motorcycle-licensed'],
      trainings: ['ช่างเชื่อมโลหะ'],
      helpWanted: { choice: 'wants', needs: ['job-info', 'fare-home'], jobPosition: 'พนักงานโรงงาน' },
      consent: 'consents',
      helpGiven: [{ action: 'fare-home', detail: 'มอบค่าพาหนะ 500 บาท', forNeed: 'fare-home' }],
      unmetNeeds: [{ need: 'job-info', reason: 'รอประสานสำนักงานจัดหางานจังหวัด' }],
      officerSignature: { printedName: 'นางสาวเจ้าหน้าที่ ทดสอบ', position: 'นักสังคมสงเคราะห์ชำนาญการ' }
    });
    const sig = (interview.prisonerSignature as { image: string }).image;
    expect(sig).toMatch(/^data:image\/png;base64,/);
    expect(sig.length).toBeGreaterThan(500); // a drawn stroke, not an empty canvas
    // The server confirmed both saves, so nothing is pending on the tablet any more.
    await expect.poll(() => cold.textContent('[data-testid=pending-count]'), { timeout: 15_000 }).toBe('0');
    await context.close();
  });

  it('a second tablet of the same unit receives the records; another unit sees none of them', async () => {
    const first = await newTablet(browser);
    await logIn(first.page, server.url, USERS.officerA);
    await waitForPhase(first.page, 'up-to-date');
    await first.page.waitForSelector('[data-testid=people-list] li');
    const names = await first.page.locator('[data-testid=people-list] .name').allTextContents();
    expect(names.some((n) => n.includes('ทดสอบ ออฟไลน์ดี'))).toBe(true);

    const other = await newTablet(browser);
    await logIn(other.page, server.url, USERS.officerB);
    await waitForPhase(other.page, 'up-to-date');
    await expect.poll(() => other.page.locator('[data-testid=people-list] li').count()).toBe(0);
    await first.context.close();
    await other.context.close();
  });

  it('a supervisor pulls both units read-only: sees the records, cannot create any', async () => {
    const { context, page } = await newTablet(browser, { width: 1920, height: 1080 });
    await logIn(page, server.url, USERS.supervisor);
    await waitForPhase(page, 'up-to-date');
    await page.waitForSelector('[data-testid=people-list] li');
    expect(await page.locator('[data-testid=people-list] .name').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('ทดสอบ ออฟไลน์ดี')])
    );
    expect(await page.locator('[data-testid=new-care01]').count()).toBe(0);
    await page.click('[data-testid=people-list] a');
    await page.waitForSelector('[data-testid=person-name]');
    expect(await page.locator('[data-testid=new-interview]').count()).toBe(0);
    expect(await page.locator('[data-testid=edit-person]').count()).toBe(0);
    await context.close();
  });
});
