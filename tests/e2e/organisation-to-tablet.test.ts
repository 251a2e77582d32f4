/**
 * Issue #8 end to end against the real server, with no request interception: on an empty
 * server the first administrator replaces the start-up one-time password and, in the admin
 * console, builds a region and an office and creates an officer and a volunteer there. On one
 * shared tablet the officer changes the one-time password, records a CARE 01 offline, is idle-locked
 * (the server's short idle-lock setting) and unlocks offline, signs out and in with no signal and
 * leaves an unsynced follow-up; the volunteer signs in on the same tablet and sees only their
 * assigned people; the officer's follow-up reaches the server under the officer's own session;
 * removing the officer's data is refused while something is unsent and works after sync; an
 * administrator marks the tablet lost and it wipes itself at its next contact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureInitialAdmin } from '../../sync-server/users.ts';
import { basicAuth, startTestServer, type TestServer } from '../helpers/server.ts';
import { launchChromium } from './browser.ts';
import {
  accountDatabases,
  BUILD_DIR,
  collectPageErrors,
  indexedDbNames,
  leaveFollowUpAndDraft,
  newTablet,
  peopleCount,
  saveFollowUp,
  saveIncompleteCare01,
  seedSharedTabletCaseload,
  signInHere,
  signOut,
  waitFor,
  waitForPhase,
  waitForServiceWorker
} from './harness.ts';

const IDLE_LOCK_SECONDS = 60;
const UNIT = 'lampang';
const OFFICER = { username: 'somchai.k', displayName: 'สมชาย ขยันดี', password: 'Somchai-Lampang-2569!' };
const VOLUNTEER = { username: 'malee.v', displayName: 'มาลี อาสาดี', password: 'Malee-Volunteer-2569!' };
const ADMIN_PASSWORD = 'Console-Lampang-2569!';

let server: TestServer;
let browser: Browser;
let adminOneTime: string;

beforeAll(async () => {
  server = await startTestServer({ buildDir: BUILD_DIR, seed: false, longpollMaxMs: 10_000, idleLockSeconds: IDLE_LOCK_SECONDS });
  adminOneTime = (await ensureInitialAdmin(server.storage))!;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const asOfficer = { authorization: basicAuth(OFFICER.username, OFFICER.password) };

/** The document as the server holds it (read with the officer's credentials), or null. */
async function onServer(docId: string): Promise<Record<string, unknown> | null> {
  const res = await fetch(`${server.url}/sync/${UNIT}/${encodeURIComponent(docId)}`, { headers: asOfficer });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`server answered ${res.status} for ${docId}`);
  return (await res.json()) as Record<string, unknown>;
}

/** First sign-in on the tablet with a one-time password: the app asks for a new one first. */
async function firstSignIn(page: Page, username: string, oneTime: string, next: string) {
  await signInHere(page, username, oneTime);
  await page.waitForURL('**/account/password');
  await page.fill('#pw-current', oneTime);
  await page.fill('#pw-next', next);
  await page.fill('#pw-repeat', next);
  await page.click('[data-testid=change-password] button[type=submit]');
  await page.waitForURL(server.url + '/');
}

const closeSignOutDialog = (page: Page) => page.click('[data-testid=sign-out-dialog] button:not(.primary):not([data-testid])');

/** The admin console: creates an account and returns the one-time password it shows. */
async function createAccount(page: Page, account: { username: string; displayName: string }, role: string): Promise<string> {
  await page.fill('[data-testid=create-account] input[name=username]', account.username);
  await page.fill('[data-testid=create-account] input[name=displayName]', account.displayName);
  await page.selectOption('[data-testid=create-account] select[name=role]', role);
  await page.check(`[data-testid=create-account] input[name=unit][value=${UNIT}]`);
  await page.click('[data-testid=create-account] button[type=submit]');
  await page.waitForSelector(`[data-testid=accounts] tr[data-account="${account.username}"]`);
  await expect.poll(() => page.textContent('[data-testid=one-time-password]')).toContain(account.username);
  const oneTime = (await page.textContent('[data-testid=one-time-password] .otp'))!.trim();
  expect(oneTime).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  return oneTime;
}

describe('from an empty server to a shared tablet (issue #8, real server)', () => {
  it('admin sets up the unit and accounts; officer and volunteer share a tablet; the lost tablet wipes itself', async () => {
    // --- the administrator, on a desktop ----------------------------------------------------
    const adminStarted = Date.now();
    const { page: admin } = await newTablet(browser, { width: 1440, height: 900 });
    await admin.goto(server.url + '/');
    await firstSignIn(admin, 'admin', adminOneTime, ADMIN_PASSWORD);
    await admin.goto(`${server.url}/admin/units`);
    await admin.waitForSelector('[data-testid=create-unit]');
    await admin.fill('[data-testid=why]', 'ตั้งค่าระบบครั้งแรก / first set-up');
    for (const [kind, parent, unitId, th, en] of [
      ['department', '', 'dop', 'กรมคุมประพฤติ', 'Department of Probation'],
      ['probation-region', 'dop', 'region-5', 'ภาคคุมประพฤติ 5', 'Probation region 5'],
      ['probation-office', 'region-5', UNIT, 'สำนักงานคุมประพฤติจังหวัดลำปาง', 'Lampang office']
    ]) {
      await admin.selectOption('[data-testid=create-unit] select[name=kind]', kind);
      await admin.selectOption('[data-testid=create-unit] select[name=parentId]', parent);
      await admin.fill('[data-testid=create-unit] input[name=unitId]', unitId);
      await admin.fill('[data-testid=create-unit] input[name=nameTh]', th);
      await admin.fill('[data-testid=create-unit] input[name=nameEn]', en);
      await admin.click('[data-testid=create-unit] button[type=submit]');
      await admin.waitForSelector(`[data-testid=unit-tree] tr[data-unit="${unitId}"]`);
    }
    await admin.click('a[href="/admin/accounts"]');
    await admin.waitForSelector('[data-testid=create-account]');
    await admin.fill('[data-testid=why]', 'บุคลากรสำนักงานลำปาง / Lampang staff');
    const officerOneTime = await createAccount(admin, OFFICER, 'officer');
    const volunteerOneTime = await createAccount(admin, VOLUNTEER, 'volunteer');
    const adminSeconds = (Date.now() - adminStarted) / 1000;

    // --- the officer, online once: the one-time password must be changed first --------------
    const { context, page } = await newTablet(browser);
    // Account switches, data removal and the wipe close databases under the screens: none may raise an error.
    const pageErrors = collectPageErrors(page);
    await page.clock.install();
    await page.goto(server.url + '/');
    await firstSignIn(page, OFFICER.username, officerOneTime, OFFICER.password);
    // The unit's caseload, as earlier work left it on the server: six people, two assigned to the volunteer.
    const { visited } = await seedSharedTabletCaseload(server, {
      unitId: UNIT,
      officer: OFFICER.username,
      password: OFFICER.password,
      volunteer: VOLUNTEER.username,
      lastName: 'ทดสอบลำปาง'
    });
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    await page.goto(server.url + '/?view=people');
    await expect.poll(() => peopleCount(page), { timeout: 30_000 }).toContain('6');
    const officerDbs = (await accountDatabases(page, OFFICER.username))!;

    // --- no signal: a CARE 01 --------------------------------------------------------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');
    await saveIncompleteCare01(page);

    // --- idle for the server's setting: locked; unlocked offline with the new password ------
    await page.clock.fastForward((IDLE_LOCK_SECONDS - 5) * 1000);
    expect(await page.locator('[data-testid=lock-screen]').count()).toBe(0);
    await page.clock.fastForward(6_000);
    await page.waitForSelector('[data-testid=lock-screen]');
    await page.fill('#unlock-secret', officerOneTime); // the replaced one-time password no longer opens it
    await page.click('[data-testid=unlock]');
    await page.waitForSelector('[data-testid=unlock-error]');
    await page.fill('#unlock-secret', OFFICER.password);
    await page.click('[data-testid=unlock]');
    await expect.poll(() => page.locator('[data-testid=lock-screen]').count()).toBe(0);
    await page.waitForSelector('[data-testid=person-name]');

    // --- signs out and back in with no signal; an unsynced follow-up and an unsaved draft ---
    await signOut(page, 'keep');
    await signInHere(page, OFFICER.username, OFFICER.password);
    await page.waitForURL(server.url + '/');
    const followUpId = await leaveFollowUpAndDraft(page, server.url, visited._id);
    await signOut(page, 'keep');
    await page.waitForURL('**/login');
    await expect
      .poll(() => page.textContent('[data-testid=pending-work]'))
      .toBe(`มีงานที่ยังไม่ได้ส่งของ ${OFFICER.displayName} 3 รายการ`);

    // --- the volunteer, online, same tablet: must change the one-time password too ---------
    await context.setOffline(false);
    await firstSignIn(page, VOLUNTEER.username, volunteerOneTime, VOLUNTEER.password);
    await waitForPhase(page, 'up-to-date');
    await page.goto(server.url + '/?view=people');
    await expect.poll(() => peopleCount(page), { timeout: 30_000 }).toContain('2');
    const listed = await page.textContent('[data-testid=people-list]');
    expect(listed).toContain('บุคคล0');
    expect(listed).toContain('บุคคล1');
    expect(listed).not.toContain('บุคคล4');
    expect(listed).not.toContain('สัมภาษณ์');
    expect(await page.textContent('main')).not.toContain('ร่างของเจ้าหน้าที่');
    const volunteerDbs = (await accountDatabases(page, VOLUNTEER.username))!;
    expect(volunteerDbs.dbName).not.toBe(officerDbs.dbName);
    await page.waitForTimeout(1000);
    expect(await onServer(followUpId)).toBeNull(); // nothing of the officer's went out under the volunteer's session
    await signOut(page, 'keep');
    await page.waitForURL('**/login');

    // --- the officer again, online: the follow-up goes out under the officer's session -----
    await signInHere(page, OFFICER.username, OFFICER.password);
    await page.waitForURL(server.url + '/');
    const followUp = await waitFor('the officer follow-up on the server', () => onServer(followUpId));
    expect(followUp).toMatchObject({
      personId: visited._id,
      createdBy: OFFICER.username,
      updatedBy: OFFICER.username,
      otherDetails: 'เยี่ยมบ้านขณะไม่มีสัญญาณ'
    });
    // The server's audit says whose session wrote it.
    const audit = (await (
      await fetch(`${server.url}/api/admin/audit?target=${encodeURIComponent(followUpId)}`, {
        headers: { authorization: basicAuth('admin', ADMIN_PASSWORD) }
      })
    ).json()) as { rows: Array<Record<string, unknown>> };
    const writesOfFollowUp = audit.rows;
    expect(writesOfFollowUp.length).toBeGreaterThan(0);
    expect(writesOfFollowUp.every((r) => r.actor === OFFICER.username)).toBe(true);
    await expect.poll(() => page.getAttribute('[data-testid=sync-status]', 'data-phase'), { timeout: 30_000 }).toBe('up-to-date');

    // --- remove data: refused while something is unsent, allowed after sync ----------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');
    const secondId = await saveFollowUp(page, server.url, visited._id, 'phone', 'โทรติดตาม');
    await signOut(page, 'remove');
    await page.waitForSelector('[data-testid=remove-refused]');
    expect(await page.textContent('[data-testid=remove-refused]')).toContain('รายงานการติดตาม');
    expect(page.url()).not.toContain('/login');
    await closeSignOutDialog(page);
    await context.setOffline(false);
    await waitFor('the second follow-up on the server', () => onServer(secondId));
    await expect.poll(() => page.getAttribute('[data-testid=sync-status]', 'data-phase'), { timeout: 30_000 }).toBe('up-to-date');
    await expect
      .poll(
        async () => {
          await signOut(page, 'remove');
          await Promise.race([
            page.waitForURL('**/login', { timeout: 3000 }),
            page.waitForSelector('[data-testid=remove-refused]', { timeout: 3000 })
          ]).catch(() => undefined);
          if (page.url().includes('/login')) return true;
          await closeSignOutDialog(page);
          return false;
        },
        { timeout: 30_000, interval: 1000 }
      )
      .toBe(true);
    let names = await indexedDbNames(page);
    expect(names).not.toContain(officerDbs.dbName);
    expect(names.filter((n) => n.startsWith('_pouch_' + officerDbs.replicaPrefix))).toEqual([]);
    expect(await accountDatabases(page, OFFICER.username)).toBeNull();
    expect(names).toContain(volunteerDbs.dbName);

    // --- the tablet is reported lost: it wipes itself at its next contact --------------------
    await signInHere(page, VOLUNTEER.username, VOLUNTEER.password);
    await page.waitForURL(server.url + '/');
    await waitForPhase(page, 'up-to-date');
    await admin.goto(`${server.url}/admin/sessions`);
    await admin.fill('[data-testid=why]', 'แท็บเล็ตหายระหว่างลงพื้นที่ / tablet lost in the field');
    const tabletRow = admin.locator('[data-testid=devices] tbody tr', { hasText: VOLUNTEER.username });
    await expect.poll(() => tabletRow.count()).toBe(1);
    expect(await tabletRow.textContent()).toContain(OFFICER.username);
    await tabletRow.locator('button').click();
    await admin.waitForSelector('[role=status]');
    await page.reload();
    await page.waitForSelector('[data-testid=sign-in-notice]');
    expect(await page.textContent('[data-testid=sign-in-notice]')).toContain('สูญหาย');
    names = await indexedDbNames(page);
    expect(names).not.toContain(volunteerDbs.dbName);
    expect(names.filter((n) => n.startsWith('_pouch_care-'))).toEqual([]);
    expect(await accountDatabases(page, VOLUNTEER.username)).toBeNull();
    // The server recorded that it told the device to wipe.
    const lostAudit = (await (
      await fetch(`${server.url}/api/admin/audit?action=device-wiped-notified`, {
        headers: { authorization: basicAuth('admin', ADMIN_PASSWORD) }
      })
    ).json()) as { rows: unknown[] };
    expect(lostAudit.rows.length).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
    await context.close();
    console.log(`admin console set-up (tree, officer, volunteer) took ${adminSeconds.toFixed(1)} s in Chromium`);
  });
});
