/**
 * A shared tablet in real Chromium (issue #8): an officer records offline, the tablet idle-locks
 * and is unlocked offline, the officer signs out and back in with no signal, leaves an unsynced
 * follow-up and an unsaved draft, and a volunteer of the same unit signs in on the same tablet:
 * they see only their assigned people and nothing of the officer's, and the officer's follow-up
 * waits for the officer's own session. Removing an account's data on sign-out is refused while
 * anything is unsent, then deletes its IndexedDB databases. A device reported lost wipes itself.
 * Everything goes through the real server: its idle-lock setting, one-time passwords and lost
 * devices come from the server's own settings and admin API, with no request interception.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { basicAuth, PASSWORD, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { seedVolunteers, VOLUNTEERS } from '../helpers/volunteers.ts';
import {
  accountDatabases,
  collectPageErrors,
  indexedDbNames,
  leaveFollowUpAndDraft,
  logIn,
  newTablet,
  peopleCount,
  saveFollowUp,
  saveIncompleteCare01,
  seedSharedTabletCaseload,
  serverDoc,
  signInHere,
  signOut,
  startE2e,
  waitFor,
  waitForPhase,
  waitForServiceWorker
} from './harness.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // The server's idle-lock setting for tablets: one minute (the session answer carries it).
  ({ server, browser } = await startE2e({ idleLockSeconds: 60 }));
  await seedVolunteers(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const basic = (username: string) => 'Basic ' + Buffer.from(`${username}:${PASSWORD}`).toString('base64');

/** An administrator's action through the real admin API. */
async function asAdmin(method: string, path: string, body?: object) {
  const res = await fetch(`${server.url}/api/admin/${path}`, {
    method,
    headers: { authorization: basic(USERS.admin), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined
  });
  expect(res.status).toBeLessThan(300);
  return res.json();
}

describe('a shared tablet', () => {
  it("keeps each account's data to itself, signs in and unlocks offline, and removes an account's data only once the server has it", async () => {
    const { visited } = await seedSharedTabletCaseload(server, {
      unitId: UNIT_B,
      officer: USERS.officerB,
      volunteer: VOLUNTEERS.one,
      lastName: 'ทดสอบแบ่งเครื่อง'
    });

    const { context, page } = await newTablet(browser);
    // Signing out, switching accounts and removing data close databases under the screens: none may raise an error.
    const pageErrors = collectPageErrors(page);
    await page.clock.install();

    // --- the officer, online once -------------------------------------------------------
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    await page.goto(server.url + '/?view=people');
    await expect.poll(() => peopleCount(page)).toContain('6');
    const officerDbs = (await accountDatabases(page, USERS.officerB))!;
    expect(officerDbs.dbName).toMatch(/^care-field-[0-9a-f]{16}$/);

    // --- no signal: a CARE 01 is recorded --------------------------------------------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');
    await saveIncompleteCare01(page);

    // --- idle: the lock covers the app, a wrong password is counted, the right one opens it --
    await page.clock.fastForward(61_000);
    await page.waitForSelector('[data-testid=lock-screen]');
    await page.fill('#unlock-secret', 'not-the-password');
    await page.click('[data-testid=unlock]');
    await expect.poll(() => page.textContent('[data-testid=unlock-error]')).toContain('4');
    // A reload does not get round the lock.
    await page.reload();
    await page.waitForSelector('[data-testid=lock-screen]');
    await page.fill('#unlock-secret', PASSWORD);
    await page.click('[data-testid=unlock]');
    await expect.poll(() => page.locator('[data-testid=lock-screen]').count()).toBe(0);
    await page.waitForSelector('[data-testid=person-name]');

    // --- signs out and back in with no signal -------------------------------------------
    await signOut(page, 'keep');
    await signInHere(page, USERS.officerB, 'Wrong-Pass-1!');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('ไม่ถูกต้อง');
    await signInHere(page, USERS.officerB);
    await page.waitForURL(server.url + '/');

    // --- an unsynced follow-up and an unsaved draft ---------------------------------------
    const followUpId = await leaveFollowUpAndDraft(page, server.url, visited._id);
    await signOut(page, 'keep');
    await page.waitForURL('**/login');
    // The sign-in screen says whose unsent work is on the tablet (CARE 01: person + interview, and the follow-up).
    await expect.poll(() => page.textContent('[data-testid=pending-work]')).toBe('มีงานที่ยังไม่ได้ส่งของ Officer B 3 รายการ');

    // --- the volunteer, online, same tablet -----------------------------------------------
    await context.setOffline(false);
    await signInHere(page, VOLUNTEERS.one);
    await page.waitForURL(server.url + '/');
    await waitForPhase(page, 'up-to-date');
    await page.goto(server.url + '/?view=people');
    await expect.poll(() => peopleCount(page)).toContain('2');
    const listed = await page.textContent('[data-testid=people-list]');
    expect(listed).toContain('บุคคล0');
    expect(listed).toContain('บุคคล1');
    expect(listed).not.toContain('สัมภาษณ์');
    expect(await page.textContent('main')).not.toContain('ร่างของเจ้าหน้าที่');
    // The officer's interview cannot be opened from here.
    const volunteerDbs = (await accountDatabases(page, VOLUNTEERS.one))!;
    expect(volunteerDbs.dbName).not.toBe(officerDbs.dbName);
    // Nothing of the officer's went out under the volunteer's session.
    await page.waitForTimeout(1000);
    expect(await serverDoc(server, UNIT_B, followUpId, USERS.officerB)).toBeNull();
    await signOut(page, 'keep');
    await page.waitForURL('**/login');

    // --- the officer again, online: the follow-up goes under the officer's session --------
    await signInHere(page, USERS.officerB);
    await page.waitForURL(server.url + '/');
    const onServer = await waitFor('the officer follow-up on the server', () =>
      serverDoc(server, UNIT_B, followUpId, USERS.officerB)
    );
    expect(onServer).toMatchObject({ personId: visited._id, createdBy: USERS.officerB, otherDetails: 'เยี่ยมบ้านขณะไม่มีสัญญาณ' });
    await expect.poll(() => page.getAttribute('[data-testid=sync-status]', 'data-phase'), { timeout: 30_000 }).toBe('up-to-date');

    // --- remove data: refused while something is unsent, allowed after sync --------------
    await context.setOffline(true);
    await waitForPhase(page, 'offline');
    const secondId = await saveFollowUp(page, server.url, visited._id, 'phone', 'โทรติดตาม');
    await signOut(page, 'remove');
    await page.waitForSelector('[data-testid=remove-refused]');
    expect(await page.textContent('[data-testid=remove-refused]')).toContain('รายงานการติดตาม');
    expect(page.url()).not.toContain('/login');
    await page.click('[data-testid=sign-out-dialog] button:not(.primary):not([data-testid])');
    await context.setOffline(false);
    await waitFor('the second follow-up on the server', () => serverDoc(server, UNIT_B, secondId, USERS.officerB));
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
          await page.click('[data-testid=sign-out-dialog] button:not(.primary):not([data-testid])');
          return false;
        },
        { timeout: 30_000, interval: 1000 }
      )
      .toBe(true);
    const names = await indexedDbNames(page);
    expect(names).not.toContain(officerDbs.dbName);
    expect(names.filter((n) => n.startsWith('_pouch_' + officerDbs.replicaPrefix))).toEqual([]);
    expect(await accountDatabases(page, USERS.officerB)).toBeNull();
    // The volunteer's data stays.
    expect(names).toContain(volunteerDbs.dbName);
    expect(names.some((n) => n.startsWith('_pouch_' + volunteerDbs.replicaPrefix))).toBe(true);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('asks for a new password before anything else after a one-time password, and unlocks with a PIN the user set', async () => {
    // A new officer of the unit, created by an administrator with a one-time password.
    const { oneTimePassword } = await asAdmin('POST', 'accounts', {
      username: 'officer.new',
      displayName: 'Officer New',
      role: 'officer',
      units: [UNIT_B],
      why: 'เจ้าหน้าที่ใหม่ / new officer'
    });
    const { context, page } = await newTablet(browser);
    const changes: unknown[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/account/password')) changes.push(r.postDataJSON());
    });
    await page.clock.install();
    await page.goto(server.url + '/');
    await signInHere(page, 'officer.new', oneTimePassword);
    await page.waitForURL('**/account/password');
    // Anywhere else leads back here.
    await page.goto(server.url + '/?view=people');
    await page.waitForURL('**/account/password');
    await page.fill('#pw-current', oneTimePassword);
    await page.fill('#pw-next', 'New-Pass-2569!x');
    await page.fill('#pw-repeat', 'New-Pass-2569!y');
    await page.click('[data-testid=change-password] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=change-password] [role=alert]')).toContain('ยืนยันรหัสผ่านใหม่');
    expect(changes).toEqual([]);
    await page.fill('#pw-repeat', 'New-Pass-2569!x');
    await page.click('[data-testid=change-password] button[type=submit]');
    await page.waitForURL(server.url + '/');
    expect(changes).toEqual([{ current: oneTimePassword, next: 'New-Pass-2569!x' }]);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: basicAuth('officer.new', 'New-Pass-2569!x') } });
    expect((await me.json()).mustChangePassword).toBe(false);

    // A PIN for the lock screen: too short is refused with the field named, six digits are taken.
    await page.click('[data-testid=nav-account]');
    await page.fill('#pin', '12345');
    await page.fill('#pin-repeat', '12345');
    await page.click('[data-testid=set-pin] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=set-pin] [role=alert]')).toContain('6');
    await page.fill('#pin', '246810');
    await page.fill('#pin-repeat', '246810');
    await page.click('[data-testid=set-pin] button[type=submit]');
    await page.waitForSelector('[data-testid=set-pin] [role=status]');
    await page.clock.fastForward(61_000);
    await page.waitForSelector('[data-testid=lock-screen]');
    await page.fill('#unlock-secret', '246810');
    await page.click('[data-testid=unlock]');
    await expect.poll(() => page.locator('[data-testid=lock-screen]').count()).toBe(0);
    // The new password is the one the tablet checks offline now.
    await page.clock.fastForward(61_000);
    await page.waitForSelector('[data-testid=lock-screen]');
    await page.fill('#unlock-secret', oneTimePassword);
    await page.click('[data-testid=unlock]');
    await page.waitForSelector('[data-testid=unlock-error]');
    await page.fill('#unlock-secret', 'New-Pass-2569!x');
    await page.click('[data-testid=unlock]');
    await expect.poll(() => page.locator('[data-testid=lock-screen]').count()).toBe(0);
    await context.close();
  });

  it('wipes every account on the tablet when the server says the device is lost, and sends X-Device-Id', async () => {
    // Requests a service worker handles are not all seen by page.on('request'), so this tablet runs without one.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'th-TH',
      timezoneId: 'Asia/Bangkok',
      serviceWorkers: 'block'
    });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    const deviceIds = new Set<string>();
    page.on('request', (r) => {
      if (/\/(api|sync)\//.test(new URL(r.url()).pathname)) deviceIds.add(r.headers()['x-device-id'] ?? 'missing');
    });
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    expect([...deviceIds].length).toBe(1);
    expect([...deviceIds][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const dbs = (await accountDatabases(page, USERS.officerB))!;
    // An administrator marks this tablet lost: the server answers its next request with 410.
    await asAdmin('POST', `devices/${[...deviceIds][0]}/lost`, { why: 'แท็บเล็ตหาย / tablet lost' });
    await page.reload();
    await page.waitForSelector('[data-testid=sign-in-notice]');
    expect(await page.textContent('[data-testid=sign-in-notice]')).toContain('สูญหาย');
    const names = await indexedDbNames(page);
    expect(names).not.toContain(dbs.dbName);
    expect(names.filter((n) => n.startsWith('_pouch_care-'))).toEqual([]);
    expect(await accountDatabases(page, USERS.officerB)).toBeNull();
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
