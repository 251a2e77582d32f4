/**
 * The server refuses the signed-in account at the session check of a start (real Chromium, real
 * server): the account is disabled while the officer is away, the tablet reloads online, and the
 * start hears `account_disabled`. The unit's sync and projection stop and the screens close before
 * the account's databases do, so nothing fails under them (no page error); the sign-in screen says
 * why in Thai, and the account's data stays on the tablet.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makePerson, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { SYSTEM_DB } from '../../sync-server/system-db.ts';
import { updateUser } from '../../sync-server/users.ts';
import {
  accountDatabases,
  collectPageErrors,
  indexedDbNames,
  logIn,
  newTablet,
  peopleCount,
  putDoc,
  useE2e,
  waitForPhase
} from './harness.ts';

let server: TestServer;
let browser: Browser;
useE2e((e2e) => ({ server, browser } = e2e));
// Two people of unit B: what the tablet holds for the officer, and must still hold after the end.
beforeAll(async () => {
  for (const firstName of ['ระงับหนึ่ง', 'ระงับสอง']) await putDoc(server, UNIT_B, USERS.officerB, makePerson(UNIT_B, { firstName }));
});

/** Rows in one object store of the account's Dexie database, read in the page. */
function localRows(page: import('playwright-core').Page, dbName: string, store: string): Promise<number> {
  return page.evaluate(
    ([dbName, store]) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction(store).objectStore(store).count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
    [dbName, store] as const
  );
}

describe('"บัญชีนี้ถูกระงับ" heard as the tablet starts', () => {
  it('goes to sign-in with the Thai notice, no page error, and the account’s data kept', async () => {
    const { context, page: first } = await newTablet(browser);
    const firstErrors = collectPageErrors(first);
    await logIn(first, server.url, USERS.officerB);
    await waitForPhase(first, 'up-to-date');
    await first.goto(server.url + '/?view=people');
    await expect.poll(() => peopleCount(first)).toContain('2');
    const dbs = (await accountDatabases(first, USERS.officerB))!;
    // The app is closed (its live sync would otherwise hear the refusal first, and the server
    // then ends the session: the start would see a lost session, not the refusal).
    await first.close();
    expect(firstErrors).toEqual([]);

    // Disabled on another server instance: its end of this session has not reached this one, so
    // the next session check hears `account_disabled` (authenticate.ts) rather than a lost session.
    await updateUser(server.storage.openDatabase(SYSTEM_DB), USERS.officerB, (u) => ({
      ...u,
      disabledAt: new Date().toISOString()
    }));
    // Opened again online, on the same tablet (same browser profile: its databases and cookie).
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    await page.goto(server.url + '/?view=people');
    // The shell's own navigation (history.replaceState), which waitForURL does not always see.
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/login');
    await expect.poll(() => page.textContent('[data-testid=sign-in-notice]')).toContain('บัญชีนี้ถูกระงับหรือรหัสผ่านถูกเปลี่ยน');
    // Whatever the stopped unit and closed screens had under way has settled by now.
    await page.waitForTimeout(500);
    expect(pageErrors).toEqual([]);

    // The data stays: the account, its Dexie database with the projected people, its replica.
    expect(await accountDatabases(page, USERS.officerB)).toEqual(dbs);
    const names = await indexedDbNames(page);
    expect(names).toContain(dbs.dbName);
    expect(names).toContain(`_pouch_${dbs.replicaPrefix}${UNIT_B}`);
    expect(await localRows(page, dbs.dbName, 'people')).toBe(2);
  });

  it('heard by the live sync while the app is open: sign-in with the notice, no page error, data kept', async () => {
    // Enabled again (the test before disabled it).
    await updateUser(server.storage.openDatabase(SYSTEM_DB), USERS.officerB, (u) => ({ ...u, disabledAt: undefined }));
    const { page } = await newTablet(browser);
    const pageErrors = collectPageErrors(page);
    await logIn(page, server.url, USERS.officerB);
    await waitForPhase(page, 'up-to-date');
    await page.goto(server.url + '/?view=people');
    await expect.poll(() => peopleCount(page)).toContain('2');
    const dbs = (await accountDatabases(page, USERS.officerB))!;
    // Disabled on another instance while the tablet's pull waits on its longpoll: the pull's next
    // request is the first this server refuses (403 account_disabled).
    await updateUser(server.storage.openDatabase(SYSTEM_DB), USERS.officerB, (u) => ({
      ...u,
      disabledAt: new Date().toISOString()
    }));
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/login');
    await expect.poll(() => page.textContent('[data-testid=sign-in-notice]')).toContain('บัญชีนี้ถูกระงับหรือรหัสผ่านถูกเปลี่ยน');
    await page.waitForTimeout(500);
    expect(pageErrors).toEqual([]);
    expect(await accountDatabases(page, USERS.officerB)).toEqual(dbs);
    expect(await localRows(page, dbs.dbName, 'people')).toBe(2);
  });
});
