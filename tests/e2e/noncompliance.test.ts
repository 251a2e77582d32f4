/**
 * Non-compliance (ไม่ปฏิบัติตามเงื่อนไข) in real Chromium: with no signal, the probation officer
 * records a missed appointment from the person's page, sees its 15-working-day deadline (weekends
 * skipped), finds it due on the worklist, records a warning from the worklist row, and the row
 * leaves; when the signal returns the event reaches the server with the action. A supervisor
 * sees the same records read-only, without any button to record.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import { formatDate } from '../../src/lib/domain/dates.ts';
import { addDays, daysBetween, dayOfWeek, workingDaysBetween } from '../../src/lib/domain/calendar.ts';
import { officialHolidays } from '../../src/lib/domain/holidays-th.ts';
import { nonComplianceDeadline } from '../../src/lib/domain/non-compliance.ts';
import type { EpisodeDoc, NonComplianceDoc } from '../../src/lib/domain/followup-schemas.ts';
import type { PersonDoc } from '../../src/lib/domain/schemas.ts';
import { closeClients, remoteDb, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { fillDateBE, logIn, newTablet, serverDoc, startE2e, waitFor, waitForPhase, waitForServiceWorker } from './harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
});

afterAll(async () => {
  await browser?.close();
  await closeClients();
  await server?.stop();
});

const meta = () => {
  const now = new Date().toISOString();
  return {
    unitId: UNIT_B,
    schemaVersion: SCHEMA_VERSION,
    createdAt: now,
    createdBy: USERS.officerB,
    updatedAt: now,
    updatedBy: USERS.officerB
  } as const;
};

/** Today in Thailand (the tablets run in Asia/Bangkok). */
const bangkokDay = (offsetDays = 0) => new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * A person on parole with two releases: an old one, supervision long over, and the current one
 * (unclassified, so it brings no supervision row of its own to the worklist).
 */
async function seedPerson(prisonerId: string, firstName: string): Promise<{ person: PersonDoc; current: EpisodeDoc }> {
  const person = minimalPerson({ _id: `person:${randomUUID()}`, ...meta(), prisonerId, firstName, lastName: 'ผิดนัด' });
  const episode = (releaseDate: string, supervisionEnd: string): EpisodeDoc => ({
    _id: `episode:${randomUUID()}`,
    type: 'episode',
    ...meta(),
    personId: person._id,
    releaseType: 'parole',
    releaseDate,
    supervisionStart: releaseDate,
    supervisionEnd,
    conditionsAcknowledged: true,
    electronicMonitoring: false
  });
  const current = episode(bangkokDay(-60), bangkokDay(300));
  // The old release ended years ago: past even its post-supervision follow-up, so off the worklist.
  await putOnServer([person, episode(bangkokDay(-2400), bangkokDay(-2200)), current]);
  return { person, current };
}

/** Written through the replication API, as another tablet of the unit would. */
async function putOnServer(docs: object[]) {
  const res = await remoteDb(server, UNIT_B, USERS.officerB).bulkDocs(docs);
  expect(res.every((r) => 'ok' in r && r.ok)).toBe(true);
}

const worklistRow = (page: Page, personId: string) =>
  page.locator(`[data-testid=worklist] li[data-person="${personId}"][data-kind=non-compliance]`);
const deadlineOnScreen = (page: Page) => page.getAttribute('[data-testid=nc-deadline]', 'data-deadline');

describe('non-compliance on a tablet, offline', () => {
  it('records a missed appointment, shows its working-day deadline, records a warning from the worklist, and syncs it', async () => {
    const { person, current } = await seedPerson('NC-1', 'ไม่มา');
    const today = bangkokDay();
    // The last Friday (today if it is one): the 15 working days then run over three weekends.
    const missedOn = addDays(today, -((dayOfWeek(today) + 2) % 7));
    expect(dayOfWeek(missedOn)).toBe(5);
    const expected = nonComplianceDeadline({ kind: 'missed-appointment', occurredOn: missedOn }, officialHolidays).deadline;
    expect(daysBetween(missedOn, expected)).toBeGreaterThanOrEqual(21); // 15 working days = 3 weeks at least

    const { context, page } = await newTablet(browser, { width: 800, height: 1280 });
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    await page.goto(`${server.url}/people/${person._id.slice('person:'.length)}`);
    await page.waitForSelector('[data-testid=new-noncompliance]');

    // --- signal lost ---------------------------------------------------------------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');
    await page.click('[data-testid=new-noncompliance]');
    await page.waitForSelector('#in-ncKind-missed-appointment');
    const ncUuid = /\/noncompliance\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(await page.textContent('[data-testid=nc-person]')).toContain('ไม่มา ผิดนัด');
    // The current release is picked by default, not the old one.
    expect(await page.inputValue('#in-episodeId')).toBe(current._id);
    await page.check('#in-ncKind-missed-appointment');

    // One deadline worked out by hand: missed on Friday 6 June 2025 → the 15th working day after
    // it is Friday 27 June 2025 (9–13, 16–20, 23–27 June; three weekends, no holiday between).
    await fillDateBE(page, 'occurredOn', '2025-06-06');
    await expect.poll(() => deadlineOnScreen(page)).toBe('2025-06-27');
    expect(await page.textContent('[data-testid=nc-deadline-date]')).toBe('27 มิ.ย. 2568');
    expect(await page.getAttribute('[data-testid=nc-deadline]', 'data-status')).toBe('overdue');
    // The event cannot be in the future.
    await fillDateBE(page, 'occurredOn', bangkokDay(1));
    await page.click('[data-testid=save-noncompliance]');
    expect(await page.textContent('[data-testid=errors]')).toContain('วันที่ต้องไม่เกินวันนี้');

    // The real one: last Friday. The deadline matches the domain rule, shown in the Buddhist Era.
    await fillDateBE(page, 'occurredOn', missedOn);
    await expect.poll(() => deadlineOnScreen(page)).toBe(expected);
    expect(await page.textContent('[data-testid=nc-deadline-date]')).toBe(formatDate(expected, 'th'));
    expect(await page.textContent('[data-testid=nc-status]')).toContain(
      `เหลือ ${workingDaysBetween(today, expected, officialHolidays)} วันทำการ`
    );

    // A draft is kept while typing: a reload offers it back.
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForSelector('[data-testid=draft-offer]');
    await page.click('[data-testid=restore-draft]');
    expect(await page.inputValue('#occurredOn-year')).toBe(String(Number(missedOn.slice(0, 4)) + 543));
    await page.screenshot({ path: '/tmp/noncompliance-new-portrait.png', fullPage: true });

    await page.click('[data-testid=save-noncompliance]');
    await page.waitForSelector('[data-testid=nc-saved]');
    // Saved: the event is fixed, actions can be added.
    expect(await page.locator('#in-ncKind-missed-appointment').count()).toBe(0);
    expect(await page.textContent('[data-testid=nc-actions]')).toContain('ยังไม่ได้ดำเนินการ');
    expect(await page.getAttribute('[data-testid=nc-deadline]', 'data-status')).toBe('due');

    // The worklist lists it as due (not overdue), by the deadline, with a button to record the action.
    await page.goto(server.url + '/worklist');
    await page.waitForSelector('[data-testid=worklist][data-ready=true]');
    await expect.poll(() => worklistRow(page, person._id).count()).toBe(1);
    expect(
      await page.locator(`[data-testid=bucket-overdue] li[data-person="${person._id}"][data-kind=non-compliance]`).count()
    ).toBe(0);
    expect(await worklistRow(page, person._id).textContent()).toContain(formatDate(expected, 'th'));
    await page.screenshot({ path: '/tmp/noncompliance-worklist-portrait.png', fullPage: true });
    await worklistRow(page, person._id).locator('[data-testid=row-noncompliance]').click();
    await page.waitForURL(`**/noncompliance/${ncUuid}`);
    await page.waitForSelector('#in-actionKind-warning');

    // An action cannot be dated in the future; today is the default.
    expect(await page.inputValue('#actionOn-day')).toBe(String(Number(today.slice(8))));
    await page.check('#in-actionKind-warning');
    await fillDateBE(page, 'actionOn', bangkokDay(1));
    await page.click('[data-testid=add-action]');
    expect(await page.textContent('[data-testid=errors]')).toContain('วันที่ดำเนินการต้องไม่เกินวันนี้');
    await fillDateBE(page, 'actionOn', today);
    await page.fill('#in-actionNote', 'โทรศัพท์แจ้งมารดาให้มารายงานตัว');
    await page.click('[data-testid=add-action]');
    await page.waitForSelector('[data-testid=nc-saved]');
    expect(await page.textContent('[data-testid=nc-actions]')).toContain('ตักเตือน');
    expect(await page.getAttribute('[data-testid=nc-deadline]', 'data-status')).toBe('done');
    await page.screenshot({ path: '/tmp/noncompliance-action-portrait.png', fullPage: true });

    // The row leaves the worklist at once; nothing has left the device yet.
    await page.goto(server.url + '/worklist');
    await page.waitForSelector('[data-testid=worklist][data-ready=true]');
    await expect.poll(() => worklistRow(page, person._id).count()).toBe(0);
    expect(await serverDoc(server, UNIT_B, `noncompliance:${ncUuid}`, USERS.officerB)).toBeNull();
    // The person's timeline links to the event.
    await page.goto(`${server.url}/people/${person._id.slice('person:'.length)}`);
    const entry = page.locator('[data-testid=timeline] li[data-kind=noncompliance] a');
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.getAttribute('href')).toBe(`/noncompliance/${ncUuid}`);

    // --- signal back ---------------------------------------------------------------------
    await context.setOffline(false);
    const onServer = await waitFor('the event with its action on the server', async () => {
      const doc = await serverDoc(server, UNIT_B, `noncompliance:${ncUuid}`, USERS.officerB);
      return (doc?.actions as unknown[] | undefined)?.length === 1 ? doc : null;
    });
    expect(onServer).toMatchObject({
      type: 'noncompliance',
      personId: person._id,
      episodeId: current._id,
      kind: 'missed-appointment',
      occurredOn: missedOn,
      actions: [{ kind: 'warning', on: today, note: 'โทรศัพท์แจ้งมารดาให้มารายงานตัว' }],
      createdBy: USERS.officerB
    });
    expect(onServer.heldOnAnotherCase).toBeUndefined();
    await context.close();
  });

  it('a supervisor sees the event and the due row read-only, with no button to record', async () => {
    const { person, current } = await seedPerson('NC-2', 'หัวหน้า');
    const ncUuid = randomUUID();
    const event: NonComplianceDoc = {
      _id: `noncompliance:${ncUuid}`,
      type: 'noncompliance',
      ...meta(),
      personId: person._id,
      episodeId: current._id,
      kind: 'missed-appointment',
      occurredOn: bangkokDay(-1),
      actions: []
    };
    await putOnServer([event]);

    const { context, page } = await newTablet(browser);
    await logIn(page, server.url, USERS.supervisor);
    // Switching to the probation office (once the first unit has settled) opens its worklist,
    // filled as soon as its records are on the tablet.
    await waitForPhase(page, 'up-to-date');
    await page.selectOption('header select', UNIT_B);
    await expect.poll(() => worklistRow(page, person._id).count(), { timeout: 30_000 }).toBe(1);
    expect(await worklistRow(page, person._id).locator('[data-testid=row-noncompliance]').count()).toBe(0);

    await page.goto(`${server.url}/people/${person._id.slice('person:'.length)}`);
    await page.waitForSelector('[data-testid=person-name]');
    await expect.poll(() => page.locator('[data-testid=timeline] li[data-kind=noncompliance]').count()).toBe(1);
    expect(await page.locator('[data-testid=new-noncompliance]').count()).toBe(0);

    await page.goto(`${server.url}/noncompliance/${ncUuid}`);
    await page.waitForSelector('[data-testid=nc-event]');
    expect(await page.getAttribute('[data-testid=nc-deadline]', 'data-status')).toBe('due');
    expect(await page.locator('[data-testid=add-action]').count()).toBe(0);
    expect(await page.locator('#in-actionKind-warning').count()).toBe(0);
    await context.close();
  });
});
