/**
 * A field officer's follow-up visit in real Chromium: the probation office's home screen is the
 * caseload worklist; with no signal and the GPS emulated, the officer records a follow-up for a
 * person who is due; the worklist drops them at once and keeps it after a reload; when the signal
 * returns the report reaches the server with the GPS position and the device's recording time;
 * a second tablet of the same unit receives it and its worklist agrees.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import type { EpisodeDoc } from '../../src/lib/domain/followup-schemas.ts';
import { UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import {
  bangkokDay,
  logIn,
  newTablet,
  paroleEpisode,
  putDoc,
  serverDoc,
  useE2e,
  waitFor,
  waitForPhase,
  waitForServiceWorker,
  writtenBy
} from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

/** Written through the replication API as another tablet would, so the app syncs it down. */
async function putOnServer(doc: object & { _id: string }) {
  await putDoc(server, UNIT_B, USERS.officerB, doc);
}

/** A parole released 30 days ago, supervised for 90 days. */
const episodeDoc = (personId: string, overrides: Partial<EpisodeDoc>): EpisodeDoc =>
  paroleEpisode(personId, writtenBy(UNIT_B, USERS.officerB), {
    releaseDate: bangkokDay(-30),
    supervisionStart: bangkokDay(-30),
    supervisionEnd: bangkokDay(60),
    ...overrides
  });

const row = (page: Page, personId: string) => page.locator(`[data-testid=worklist] li[data-person="${personId}"]`);

describe('follow-up visit on a tablet, offline, with GPS', () => {
  it('records a visit for a person who is due, updates the worklist, syncs the report, and a second tablet agrees', async () => {
    // A lenient-level person (one visit by anyone within supervision) and a strict-level person
    // whose half-period deadline has passed with no visit (stays overdue: the control).
    const due = minimalPerson({
      _id: `person:${randomUUID()}`,
      unitId: UNIT_B,
      createdBy: USERS.officerB,
      updatedBy: USERS.officerB,
      prisonerId: 'LP-1',
      firstName: 'ติดตาม',
      lastName: 'ครบกำหนด'
    });
    const overdue = minimalPerson({
      _id: `person:${randomUUID()}`,
      unitId: UNIT_B,
      createdBy: USERS.officerB,
      updatedBy: USERS.officerB,
      prisonerId: 'LP-2',
      firstName: 'เข้มงวด',
      lastName: 'เกินกำหนด'
    });
    for (const doc of [
      due,
      overdue,
      episodeDoc(due._id, {}),
      episodeDoc(overdue._id, {
        classificationLevel: 'strict',
        releaseDate: bangkokDay(-200),
        supervisionStart: bangkokDay(-200),
        supervisionEnd: bangkokDay(100)
      })
    ])
      await putOnServer(doc);

    const { context, page } = await newTablet(browser, { width: 800, height: 1280 });
    await context.grantPermissions(['geolocation'], { origin: server.url });
    await context.setGeolocation({ latitude: 18.29, longitude: 99.49, accuracy: 12 });
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    // Home of a probation office = the worklist, computed on the device.
    await expect.poll(() => row(page, due._id).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator(`[data-testid=bucket-overdue] li[data-person="${overdue._id}"]`).count()).toBe(1);
    expect(await row(page, due._id).textContent()).toContain('ติดตาม ครบกำหนด');
    await page.screenshot({ path: '/tmp/followup-worklist-portrait.png', fullPage: true });

    // The second tablet of the same unit, online throughout.
    const second = await newTablet(browser);
    await logIn(second.page, server.url, USERS.officerB);
    await waitForPhase(second.page, 'up-to-date');
    await expect.poll(() => row(second.page, due._id).count(), { timeout: 15_000 }).toBe(1);

    // --- signal lost ---------------------------------------------------------------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');
    await row(page, due._id).locator('[data-testid=row-followup]').click();
    await page.waitForSelector('#in-method-home-visit');
    const followUpUuid = /\/followup\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(await page.textContent('[data-testid=fu-person]')).toContain('ติดตาม ครบกำหนด');
    // The visit date defaults to today (Buddhist Era year in Thai).
    expect(await page.inputValue('#visitDate-year')).toBe(String(Number(bangkokDay().slice(0, 4)) + 543));
    await page.check('#in-method-home-visit');
    await page.fill('#in-housingWhere', '45 ม.2 ต.บ้านเป้า อ.เมืองลำปาง');
    await page.fill('#in-housingWithWhom', 'มารดา');
    await page.selectOption('#in-housingType', 'family-home');
    await page.check('#in-housingStable-yes');
    await page.fill('#in-familyRelations', 'ครอบครัวให้การสนับสนุน');
    await page.check('#in-employed-yes');
    await page.check('#in-employment-employee');
    await page.fill('#in-employerName', 'อู่ซ่อมรถลำปาง');
    await page.fill('#in-kindOfWork', 'ช่างซ่อมรถ');
    await page.fill('#in-monthlyIncome', '9,500');
    await page.click('[data-testid=use-gps]');
    await expect.poll(() => page.textContent('[data-testid=location-source]')).toContain('12');
    expect(await page.inputValue('#in-lat')).toBe('18.290000');
    expect(await page.inputValue('#in-lng')).toBe('99.490000');
    await page.screenshot({ path: '/tmp/followup-form-portrait.png', fullPage: true });

    // A draft is kept while typing: a reload offers it back.
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForSelector('[data-testid=draft-offer]');
    await page.click('[data-testid=restore-draft]');
    expect(await page.inputValue('#in-employerName')).toBe('อู่ซ่อมรถลำปาง');
    expect(await page.inputValue('#in-lat')).toBe('18.290000');

    await page.click('[data-testid=save-followup]');
    await page.waitForSelector('[data-testid=followup-saved]');
    // Saved read-only, with the device's recording time; no gap for a visit recorded today.
    expect(await page.locator('[data-testid=save-followup]').count()).toBe(0);
    expect(await page.textContent('[data-testid=fu-recordedAt]')).toMatch(/\d{2}:\d{2}/);
    expect(await page.locator('[data-testid=gap-flag]').count()).toBe(0);
    expect(await page.textContent('[data-testid=fu-location]')).toContain('18.29, 99.49');

    // The worklist drops the person at once; the overdue control stays.
    await page.goto(server.url + '/worklist');
    await page.waitForSelector('[data-testid=worklist][data-ready=true]');
    await expect.poll(() => page.locator(`[data-testid=bucket-overdue] li[data-person="${overdue._id}"]`).count()).toBe(1);
    expect(await row(page, due._id).count()).toBe(0);
    // Still so after a reload with no network (service worker + IndexedDB).
    await page.reload();
    await page.waitForSelector('[data-testid=worklist][data-ready=true]');
    await expect.poll(() => page.locator(`li[data-person="${overdue._id}"]`).count()).toBe(1);
    expect(await row(page, due._id).count()).toBe(0);
    // Nothing has left the device.
    expect(await serverDoc(server, UNIT_B, `followup:${followUpUuid}`, USERS.officerB)).toBeNull();
    // The person's timeline shows the report beside the episode.
    await page.goto(`${server.url}/people/${due._id.slice('person:'.length)}`);
    await expect.poll(() => page.locator('[data-testid=timeline] li[data-kind=followup]').count()).toBe(1);
    expect(await page.locator('[data-testid=timeline] li[data-kind=episode]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/followup-person-portrait.png', fullPage: true });

    // --- signal back ---------------------------------------------------------------------
    await context.setOffline(false);
    const onServer = await waitFor('the report on the server', () =>
      serverDoc(server, UNIT_B, `followup:${followUpUuid}`, USERS.officerB)
    );
    expect(onServer).toMatchObject({
      type: 'followup',
      personId: due._id,
      visitDate: bangkokDay(),
      method: 'home-visit',
      visitor: 'probation-officer',
      housing: { where: '45 ม.2 ต.บ้านเป้า อ.เมืองลำปาง', withWhom: 'มารดา', housingType: 'family-home', stable: true },
      work: { employed: true, employment: 'employee', employerName: 'อู่ซ่อมรถลำปาง', kindOfWork: 'ช่างซ่อมรถ' },
      monthlyIncome: 9500,
      workplaceLocation: { lat: 18.29, lng: 99.49, accuracyM: 12, source: 'gps' },
      createdBy: USERS.officerB
    });
    // The episode was linked, so the visit counts towards that supervision's standard.
    expect(onServer.episodeId).toMatch(/^episode:/);
    expect(Date.now() - Date.parse(onServer.recordedAt as string)).toBeLessThan(10 * 60_000);

    // The second tablet received it: its worklist agrees and the person's timeline shows it.
    await expect.poll(() => row(second.page, due._id).count(), { timeout: 20_000 }).toBe(0);
    expect(await second.page.locator(`li[data-person="${overdue._id}"]`).count()).toBe(1);
    await second.page.screenshot({ path: '/tmp/followup-worklist-landscape.png', fullPage: true });
    await second.page.goto(`${server.url}/people/${due._id.slice('person:'.length)}`);
    await expect.poll(() => second.page.locator('[data-testid=timeline] li[data-kind=followup]').count()).toBe(1);
    await second.page.screenshot({ path: '/tmp/followup-person-landscape.png', fullPage: true });
    await second.context.close();
    await context.close();
  });
});
