/**
 * Issue 9, "Schema versions and app updates", in the built app: a tablet holding unsynced work
 * written under the previous schema version (a version-0 person record waiting in the outbox) and
 * an open draft is updated to a build whose version is higher. Nothing is lost: the start
 * upgrades the record before sync (migrate-local.ts), the server accepts it, the draft restores,
 * and the version migrated to is recorded so a second start changes nothing.
 *
 * The app is at version 1 and its production registry has no steps yet, so the update is the
 * test-only version 0 → 1 (tests/helpers/schema-v0.ts, docs/schema-versions.md): the server runs
 * that policy (`versions`), the page gets it installed before the app starts. The old app's
 * record is written straight into the account's PouchDB replica with the app's own PouchDB build,
 * offline so that nothing syncs it before the update.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  accountDatabases,
  BUILD_DIR,
  logIn,
  newTablet,
  serverDoc,
  startE2e,
  waitFor,
  waitForPhase,
  waitForServiceWorker
} from './harness.ts';
import { basicAuth, makePerson, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import { asVersion0, personV0ToV1, TEST_VERSIONS } from '../helpers/schema-v0.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await startE2e({ versions: TEST_VERSIONS }));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The built app's PouchDB chunk (the one that exports PouchDB as its default). */
function pouchChunkUrl(): string {
  const dir = path.join(BUILD_DIR, '_app/immutable/chunks');
  const file = readdirSync(dir).find((f) => {
    if (!f.endsWith('.js')) return false;
    const body = readFileSync(path.join(dir, f), 'utf8');
    return body.includes('replicateMethods') && /export\{\w+ as default\};?\s*$/.test(body);
  });
  if (!file) throw new Error('no PouchDB chunk in build/');
  return `/_app/immutable/chunks/${file}`;
}

/** One record of a store of an IndexedDB database, read or written without the app running. */
function idb(page: Page, op: { db: string; store: string; put?: unknown; get?: string }) {
  return page.evaluate(
    (op) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(op.db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(op.store, op.put === undefined ? 'readonly' : 'readwrite');
          const req = op.put === undefined ? tx.objectStore(op.store).get(op.get!) : tx.objectStore(op.store).put(op.put);
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    op
  );
}

/**
 * What a version-0 app left behind (the app running offline, so nothing syncs it): a record in the
 * unit's replica not yet sent (its outbox entry), and the unit's marker at version 0.
 */
async function seedVersion0Work(
  page: Page,
  where: { dbName: string; replicaPrefix: string },
  names: { firstName: string; lastName: string }
) {
  const unsynced = makePerson(UNIT_A, names);
  const old = asVersion0(unsynced);
  expect(old).toMatchObject({ schemaVersion: 0, nationalIdNumber: expect.any(String) });
  // A string, not a function: the test runner would rewrite `import()` inside a function body.
  const oldRev = (await page.evaluate(`(async () => {
      const { default: PouchDB } = await import(${JSON.stringify(pouchChunkUrl())});
      const db = new PouchDB(${JSON.stringify(where.replicaPrefix + UNIT_A)}, { auto_compaction: true });
      const { rev } = await db.put(${JSON.stringify(old)});
      return rev;
    })()`)) as string;
  const savedAt = new Date().toISOString();
  await idb(page, {
    db: where.dbName,
    store: 'outbox',
    put: { docId: unsynced._id, unitId: UNIT_A, rev: oldRev, savedAt, status: 'pending' }
  });
  await idb(page, { db: where.dbName, store: 'settings', put: { key: `schemaVersion:${UNIT_A}`, value: 0 } });
  return { unsynced, oldRev };
}

describe('an app update with unsynced work of the previous schema version', () => {
  it('upgrades the outbox record and keeps the draft before sync: the server accepts it, nothing is lost', async () => {
    // A record already on the server, which the officer starts editing (the draft).
    const known = makePerson(UNIT_A, { firstName: 'สมชาย', lastName: 'ใจดี' });
    const pushed = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' },
      body: JSON.stringify({ docs: [known] })
    });
    expect(pushed.status).toBe(201);

    const { context, page } = await newTablet(browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    const where = (await accountDatabases(page, USERS.officerA))!;
    expect(where).not.toBeNull();

    // The old app: the officer edits the known person and leaves without saving (a draft).
    await page.goto(`${server.url}/people/${known._id.slice('person:'.length)}?edit=1`);
    await page.waitForSelector('#in-firstName');
    await page.fill('#in-firstName', 'สมชายแก้ไข');
    const draft = await waitFor('the draft', async () => {
      const d = (await idb(page, { db: where.dbName, store: 'drafts', get: known._id })) as { data: unknown } | undefined;
      return d && JSON.stringify(d.data).includes('สมชายแก้ไข') ? d : null;
    });

    // With no signal (nothing syncs), write what a version-0 app left behind: a record in the
    // replica not yet sent (outbox), and the unit's marker at 0.
    await context.setOffline(true);
    await page.goto(server.url + '/');
    await page.waitForSelector('[data-testid=search]');
    const { unsynced } = await seedVersion0Work(page, where, { firstName: 'ยังไม่ส่ง', lastName: 'รุ่นเก่า' });
    expect(await serverDoc(server, UNIT_A, unsynced._id, USERS.officerA)).toBeNull();

    // The update: the new build (its version policy installed before the app starts) opens online.
    await context.setOffline(false);
    await context.addInitScript({
      content: `globalThis.__CARE_FIELD_TEST_VERSIONS__ = { current: ${TEST_VERSIONS.current}, registry: { person: { 0: ${personV0ToV1.toString()} } } };`
    });
    await page.goto(server.url + '/');
    await waitForPhase(page, 'up-to-date');

    // The record reached the server upgraded (the revision the tablet made on top of the old one).
    const onServer = await waitFor('the upgraded record on the server', () =>
      serverDoc(server, UNIT_A, unsynced._id, USERS.officerA)
    );
    expect(onServer).toMatchObject({
      schemaVersion: 1,
      firstName: 'ยังไม่ส่ง',
      nationalId: unsynced.nationalId,
      createdBy: USERS.officerA
    });
    expect(onServer.nationalIdNumber).toBeUndefined();
    expect(String(onServer._rev)).toMatch(/^2-/);
    const stored = await server.storage.openDatabase(unitDatabaseName(UNIT_A)).get(unsynced._id);
    expect(stored).toMatchObject({ _rev: onServer._rev, schemaVersion: 1 });
    expect(await idb(page, { db: where.dbName, store: 'settings', get: `schemaVersion:${UNIT_A}` })).toEqual({
      key: `schemaVersion:${UNIT_A}`,
      value: 1
    });
    // Confirmed by the server: the outbox entry is gone.
    await waitFor(
      'the outbox entry confirmed',
      async () => (await idb(page, { db: where.dbName, store: 'outbox', get: unsynced._id })) === undefined
    );
    expect(await page.locator('[data-testid=migration-problem]').count()).toBe(0);

    // The draft is still there and restores what the officer typed.
    expect(await idb(page, { db: where.dbName, store: 'drafts', get: known._id })).toEqual(draft);
    await page.goto(`${server.url}/people/${known._id.slice('person:'.length)}?edit=1`);
    await page.click('[data-testid=restore-draft]');
    expect(await page.inputValue('#in-firstName')).toBe('สมชายแก้ไข');

    // A second start changes nothing: the record keeps its revision.
    await page.goto(server.url + '/');
    await waitForPhase(page, 'up-to-date');
    expect((await serverDoc(server, UNIT_A, unsynced._id, USERS.officerA))!._rev).toBe(onServer._rev);
    // The screens ran without an error: no stopped projection, no effect re-running on its own write.
    expect(pageErrors).toEqual([]);
    await context.close();
  });
  it('a migration that fails changes nothing, says so in Thai and English, and the work still syncs as written', async () => {
    const { context, page } = await newTablet(browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await logIn(page, server.url, USERS.officerA);
    await waitForPhase(page, 'up-to-date');
    await waitForServiceWorker(page);
    const where = (await accountDatabases(page, USERS.officerA))!;
    await context.setOffline(true);
    await page.goto(server.url + '/');
    await page.waitForSelector('[data-testid=search]');
    const { unsynced, oldRev } = await seedVersion0Work(page, where, { firstName: 'ล้มเหลว', lastName: 'รุ่นเก่า' });

    // A new build whose upgrade step fails (a bug in it, or data it cannot handle).
    await context.setOffline(false);
    await context.addInitScript({
      content: `globalThis.__CARE_FIELD_TEST_VERSIONS__ = { current: ${TEST_VERSIONS.current}, registry: { person: { 0: () => { throw new Error('step failed'); } } } };`
    });
    await page.goto(server.url + '/');
    const banner = await page.waitForSelector('[data-testid=migration-problem]');
    expect(await banner.textContent()).toContain('ปรับข้อมูลในเครื่องให้เข้ากับแอปรุ่นใหม่ไม่สำเร็จ');
    await waitForPhase(page, 'up-to-date');

    // Nothing rewritten, the marker still says 0 (tried again next start), and the server, which
    // accepts the previous version, holds the record exactly as the old app wrote it.
    expect(await idb(page, { db: where.dbName, store: 'settings', get: `schemaVersion:${UNIT_A}` })).toEqual({
      key: `schemaVersion:${UNIT_A}`,
      value: 0
    });
    const stored = await waitFor('the record on the server', async () => {
      try {
        return await server.storage.openDatabase(unitDatabaseName(UNIT_A)).get(unsynced._id);
      } catch {
        return null;
      }
    });
    expect(stored).toMatchObject({ _rev: oldRev, schemaVersion: 0, firstName: 'ล้มเหลว' });
    // The screens ran without an error: no stopped projection, no effect re-running on its own write.
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
