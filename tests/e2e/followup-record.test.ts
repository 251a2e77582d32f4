/**
 * The person's record in real Chromium: an officer adds a photo (picked as a file, resized on the
 * device to a JPEG) and removes it, and edits the follow-up details (release type, a contact) —
 * all reach the server. A probation volunteer sees only the person assigned to them, cannot edit
 * the record, and records a follow-up that is stored as done by a volunteer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { minimalPerson, PNG_SIGNATURE } from '../../src/lib/domain/test-fixtures.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import { UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { seedVolunteers, VOLUNTEERS } from '../helpers/volunteers.ts';
import {
  bangkokDay,
  fillDateBE,
  logIn,
  newTablet,
  paroleEpisode,
  putDoc,
  serverDoc,
  startE2e,
  waitFor,
  waitForPhase,
  writtenBy
} from './harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  await seedVolunteers(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function putOnServer(doc: object & { _id: string }) {
  await putDoc(server, UNIT_B, USERS.officerB, doc);
}

const byOfficer = writtenBy(UNIT_B, USERS.officerB);
const lenientEpisode = (personId: string) => paroleEpisode(personId, byOfficer);

describe("the person's record", () => {
  it('an officer sets and removes the photo and edits the follow-up details', async () => {
    const person = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byOfficer,
      prisonerId: 'LP-10',
      firstName: 'รูปถ่าย',
      lastName: 'ทดสอบ'
    });
    await putOnServer(person);
    const { context, page } = await newTablet(browser, { width: 1280, height: 800 });
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    await page.goto(`${server.url}/people/${person._id.slice('person:'.length)}`);
    await page.waitForSelector('[data-testid=person-name]');

    // A picked PNG is stored as a resized JPEG in photo:<uuid>.
    const png = Buffer.from(PNG_SIGNATURE.split(',')[1], 'base64');
    await page.setInputFiles('[data-testid=photo-input]', { name: 'face.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('[data-testid=photo-img]');
    const photoId = `photo:${person._id.slice('person:'.length)}`;
    const photo = await waitFor('the photo on the server', () => serverDoc(server, UNIT_B, photoId, USERS.officerB));
    expect(photo.image).toMatch(/^data:image\/jpeg;base64,/);
    // A file that is not an image of the allowed kinds is refused on the device, nothing saved.
    await page.setInputFiles('[data-testid=photo-input]', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello')
    });
    await page.waitForSelector('[data-testid=person-photo] [role=alert]');
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid=remove-photo]');
    await expect.poll(() => page.locator('[data-testid=photo-img]').count()).toBe(0);
    await waitFor(
      'the photo removed on the server',
      async () => (await serverDoc(server, UNIT_B, photoId, USERS.officerB))?.image === null
    );

    // Follow-up details: release type and a contact who can be reached.
    await page.click('[data-testid=edit-person]');
    await page.check('#in-recReleaseType-parole');
    await page.click('[data-testid=add-contact]');
    await page.fill('#in-contact-0-name', 'นางแม่ ทดสอบ');
    await page.fill('#in-contact-0-relationship', 'มารดา');
    await page.fill('#in-contact-0-phone', '081-111-2222');
    await page.fill('#in-caringAgency', 'มูลนิธิพัฒนาชีวิต');
    await page.check('#in-consentToFollowUp-yes');
    await page.click('[data-testid=save-person]');
    await page.waitForSelector('[data-testid=contacts]');
    expect(await page.textContent('[data-testid=release-type]')).toContain('พักการลงโทษ');
    await page.screenshot({ path: '/tmp/followup-record-landscape.png', fullPage: true });
    const saved = await waitFor('the edited person on the server', async () => {
      const d = await serverDoc(server, UNIT_B, person._id, USERS.officerB);
      return d?.releaseType ? d : null;
    });
    expect(saved).toMatchObject({
      firstName: 'รูปถ่าย',
      releaseType: 'parole',
      contacts: [{ name: 'นางแม่ ทดสอบ', relationship: 'มารดา', phone: '0811112222' }],
      caringAgency: 'มูลนิธิพัฒนาชีวิต',
      consentToFollowUp: true
    });

    // A release / supervision episode, entered on the tablet: it shows in the timeline and puts
    // the person on the worklist (lenient level, no visit yet).
    await page.click('[data-testid=new-episode]');
    await page.waitForSelector('#in-releaseType-parole');
    const episodeId = `episode:${/\/episode\/([0-9a-f-]{36})/.exec(page.url())![1]}`;
    await page.check('#in-releaseType-parole');
    await fillDateBE(page, 'releaseDate', bangkokDay(-10));
    await fillDateBE(page, 'supervisionStart', bangkokDay(-10));
    await fillDateBE(page, 'supervisionEnd', bangkokDay(80));
    await page.check('#in-classificationLevel-lenient');
    await fillDateBE(page, 'classifiedOn', bangkokDay(-9));
    await page.check('#in-conditionsAcknowledged');
    await fillDateBE(page, 'conditionsAcknowledgedOn', bangkokDay(-9));
    await page.click('[data-testid=save-episode]');
    await page.waitForSelector('[data-testid=timeline] li[data-kind=episode]');
    const episode = await waitFor('the episode on the server', () => serverDoc(server, UNIT_B, episodeId, USERS.officerB));
    expect(episode).toMatchObject({
      personId: person._id,
      releaseType: 'parole',
      supervisionStart: bangkokDay(-10),
      supervisionEnd: bangkokDay(80),
      classificationLevel: 'lenient',
      classifiedOn: bangkokDay(-9),
      conditionsAcknowledged: true,
      conditionsAcknowledgedOn: bangkokDay(-9),
      electronicMonitoring: false
    });
    await page.goto(server.url + '/worklist');
    await expect.poll(() => page.locator(`[data-testid=worklist] li[data-person="${person._id}"]`).count()).toBe(1);
    await context.close();
  });

  it('the open worklist follows visits synced in from another tablet, each row with the area of the address', async () => {
    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    await page.goto(server.url + '/worklist');
    await page.waitForSelector('[data-testid=worklist][data-ready=true]');

    // Another tablet records a person on supervision: the row comes without a reload.
    const person = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byOfficer,
      prisonerId: 'LP-30',
      firstName: 'พื้นที่',
      registeredAddress: { houseNo: '99/1', moo: '4', subdistrict: 'ลาดยาว', district: 'จตุจักร', province: 'กรุงเทพมหานคร' }
    });
    const episode = lenientEpisode(person._id);
    for (const doc of [person, episode]) await putOnServer(doc);
    const row = page.locator(`[data-testid=worklist] li[data-person="${person._id}"]`);
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await row.locator('[data-testid=row-area]').textContent()).toBe('หมู่ 4 แขวงลาดยาว เขตจตุจักร');

    // Then that tablet's visit (a lenient level needs one): the row goes, still without a reload.
    const now = new Date().toISOString();
    const visit = {
      _id: `followup:${randomUUID()}`,
      type: 'followup',
      ...byOfficer,
      schemaVersion: SCHEMA_VERSION,
      createdAt: now,
      updatedAt: now,
      personId: person._id,
      episodeId: episode._id,
      visitDate: bangkokDay(),
      recordedAt: now,
      method: 'home-visit',
      visitor: 'probation-officer',
      housing: {},
      work: {}
    };
    await putOnServer(visit);
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0);
    await context.close();
  });

  it('a volunteer sees only their assigned person, cannot edit it, and records a follow-up as a volunteer', async () => {
    const mine = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byOfficer,
      prisonerId: 'LP-20',
      firstName: 'อาสา',
      lastName: 'ดูแล',
      assignedVolunteers: [VOLUNTEERS.one]
    });
    const notMine = minimalPerson({
      _id: `person:${randomUUID()}`,
      ...byOfficer,
      prisonerId: 'LP-21',
      firstName: 'ไม่ใช่',
      lastName: 'ของฉัน'
    });
    for (const doc of [mine, notMine, lenientEpisode(mine._id), lenientEpisode(notMine._id)]) await putOnServer(doc);

    const { context, page } = await newTablet(browser, { width: 800, height: 1280 });
    await logIn(page, server.url, VOLUNTEERS.one);
    await waitForPhase(page, 'up-to-date');
    const row = page.locator(`[data-testid=worklist] li[data-person="${mine._id}"]`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator(`li[data-person="${notMine._id}"]`).count()).toBe(0);

    await page.goto(`${server.url}/people/${mine._id.slice('person:'.length)}`);
    await page.waitForSelector('[data-testid=new-followup]');
    for (const action of ['edit-person', 'new-episode', 'new-interview'])
      expect(await page.locator(`[data-testid=${action}]`).count()).toBe(0);

    await page.click('[data-testid=new-followup]');
    await page.waitForSelector('[data-testid=visitor-fixed]');
    await page.check('#in-method-home-visit');
    await page.fill('#in-otherDetails', 'อาสาสมัครเยี่ยมบ้าน');
    await page.click('[data-testid=save-followup]');
    await page.waitForSelector('[data-testid=followup-saved]');
    const followUpId = `followup:${/\/followup\/([0-9a-f-]{36})/.exec(page.url())![1]}`;
    const onServer = await waitFor('the volunteer report on the server', () =>
      serverDoc(server, UNIT_B, followUpId, USERS.officerB)
    );
    expect(onServer).toMatchObject({ personId: mine._id, visitor: 'volunteer', method: 'home-visit', createdBy: VOLUNTEERS.one });
    // A lenient-level person is done with one visit by anyone: off the volunteer's worklist.
    await page.goto(server.url + '/');
    await page.waitForSelector('[data-testid=worklist][data-ready=true]');
    expect(await page.locator(`li[data-person="${mine._id}"]`).count()).toBe(0);
    await context.close();
  });
});
