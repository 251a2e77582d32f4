/**
 * Two tablets of the same unit edit the same person while offline. When both come back the
 * conflict is found on both, shown in the status bar and the sync centre, merged field by field
 * on one tablet (some values from each), and afterwards the server and both tablets hold the
 * merged document with no conflicting version left; the values not kept stay in the history.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { minimalPerson } from '../../src/lib/domain/test-fixtures.ts';
import { PASSWORD, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';
import {
  fillDateBE,
  logIn,
  newTablet,
  putDoc,
  serverDoc,
  useE2e,
  waitFor,
  waitForPhase,
  waitForServiceWorker
} from './harness.ts';

let server: TestServer;
let browser: Browser;

useE2e((e2e) => ({ server, browser } = e2e));

const basic = 'Basic ' + Buffer.from(`${USERS.officerA}:${PASSWORD}`).toString('base64');

async function putOnServer(doc: object & { _id: string }) {
  await putDoc(server, UNIT_A, USERS.officerA, doc);
}

/** The server's live (non-deleted) leaf revisions of a document. */
async function serverLiveLeaves(docId: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${server.url}/sync/${UNIT_A}/${encodeURIComponent(docId)}?open_revs=all`, {
    headers: { authorization: basic, accept: 'application/json' }
  });
  expect(res.status).toBe(200);
  const leaves = (await res.json()) as Array<{ ok?: Record<string, unknown> }>;
  return leaves.flatMap((l) => (l.ok && !l.ok._deleted ? [l.ok] : []));
}

async function editPerson(page: Page, change: (page: Page) => Promise<void>) {
  await page.click('[data-testid=edit-person]');
  await page.waitForSelector('#in-firstName');
  await change(page);
  await page.getByRole('button', { name: 'บันทึก', exact: true }).click();
  await page.waitForSelector('[data-testid=edit-person]');
}

describe('conflicting edits of a person on two tablets', () => {
  it('is detected on both, merged field by field on one, and leaves one merged version everywhere', async () => {
    const uuid = randomUUID();
    const personId = `person:${uuid}`;
    await putOnServer(
      minimalPerson({
        _id: personId,
        unitId: UNIT_A,
        createdBy: USERS.officerA,
        updatedBy: USERS.officerA,
        firstName: 'สมชาย',
        dateOfBirth: '1990-05-14'
      })
    );

    const a = await newTablet(browser);
    const b = await newTablet(browser);
    for (const t of [a, b]) {
      await logIn(t.page, server.url, USERS.officerA);
      await waitForPhase(t.page, 'up-to-date');
      await t.page.goto(`${server.url}/people/${uuid}`);
      await t.page.waitForSelector('[data-testid=person-name]');
      await waitForPhase(t.page, 'up-to-date');
      // Pages load offline only from the service worker's precache.
      await waitForServiceWorker(t.page);
      await t.context.setOffline(true);
      await waitForPhase(t.page, 'offline');
    }

    // Offline on both: A corrects the name and the date of birth, B the name and the prisoner ID.
    await editPerson(a.page, async (p) => {
      await p.fill('#in-firstName', 'สมหมาย');
      await fillDateBE(p, 'dateOfBirth', '1991-06-15');
      await p.fill('#in-occupationWanted', 'ช่างเชื่อม');
    });
    await editPerson(b.page, async (p) => {
      await p.fill('#in-firstName', 'สมศักดิ์');
      await p.fill('#in-prisonerId', '1-2569-00999');
      await p.fill('#in-occupationWanted', 'ช่างไฟฟ้า');
    });

    // A syncs first, then B: the server now holds both versions as a conflict (nothing is dropped).
    await a.context.setOffline(false);
    await expect.poll(() => a.page.textContent('[data-testid=pending-count]'), { timeout: 30_000 }).toBe('0');
    await b.context.setOffline(false);
    await expect.poll(() => b.page.textContent('[data-testid=pending-count]'), { timeout: 30_000 }).toBe('0');
    expect((await serverLiveLeaves(personId)).length).toBe(2);

    // Both tablets notice it, in the status bar and on the record.
    for (const t of [a, b]) {
      await t.page.waitForSelector('[data-testid=conflict-count]', { timeout: 30_000 });
      expect(await t.page.textContent('[data-testid=conflict-count]')).toContain('1');
      await t.page.waitForSelector('[data-testid=record-status][data-state=conflict] [data-testid=open-merge]');
    }

    // B merges through the sync centre.
    await b.page.click('[data-testid=open-sync-centre]');
    await b.page.waitForSelector('[data-testid=conflict-link]');
    await b.page.click('[data-testid=conflict-link]');
    await b.page.waitForSelector('[data-testid=merge-table]');
    // B wrote one of the versions: it is shown first, as "this tablet's".
    expect(await b.page.textContent('[data-testid=version-0]')).toContain('ฉบับของเครื่องนี้');
    const rows = await b.page
      .locator('[data-testid^=conflict-field-]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(rows.sort()).toEqual([
      'conflict-field-dateOfBirth',
      'conflict-field-firstName',
      'conflict-field-occupationWanted',
      'conflict-field-prisonerId'
    ]);
    // A free-text field can keep both values; a name cannot.
    expect(await b.page.locator('[data-testid=choose-occupationWanted-both]').count()).toBe(1);
    expect(await b.page.locator('[data-testid=choose-firstName-both]').count()).toBe(0);
    // Labels in Thai, dates in the Buddhist Era.
    const dob = await b.page.textContent('[data-testid=conflict-field-dateOfBirth]');
    expect(dob).toContain('วันเกิด');
    expect(dob).toContain('2534');
    expect(dob).toContain('2533');
    // Nothing can be saved until every field has a choice.
    expect(await b.page.isDisabled('[data-testid=resolve]')).toBe(true);
    await b.page.check('[data-testid=choose-firstName-1]'); // A's name
    await b.page.check('[data-testid=choose-dateOfBirth-1]'); // A's date of birth
    expect(await b.page.isDisabled('[data-testid=resolve]')).toBe(true);
    await b.page.check('[data-testid=choose-prisonerId-0]'); // B's own prisoner ID
    expect(await b.page.isDisabled('[data-testid=resolve]')).toBe(true);
    await b.page.check('[data-testid=choose-occupationWanted-both]'); // both, B's first
    await b.page.click('[data-testid=resolve]');
    await b.page.waitForSelector('[data-testid=resolved]');
    // The values not kept are readable on this tablet.
    expect(await b.page.textContent('[data-testid=conflict-history]')).toContain('สมศักดิ์');

    // The server ends with exactly one live version: the merge.
    const merged = await waitFor('one merged version on the server', async () => {
      const live = await serverLiveLeaves(personId);
      return live.length === 1 && live[0].prisonerId === '1-2569-00999' ? live[0] : null;
    });
    expect(merged).toMatchObject({
      firstName: 'สมหมาย',
      dateOfBirth: '1991-06-15',
      prisonerId: '1-2569-00999',
      occupationWanted: 'ช่างไฟฟ้า / ช่างเชื่อม',
      lastName: 'ใจดี'
    });
    expect(await serverDoc(server, UNIT_A, personId, USERS.officerA)).toMatchObject({ _rev: merged._rev });

    // Both tablets end without a conflict and show the merged person.
    for (const t of [a, b]) {
      await expect.poll(() => t.page.locator('[data-testid=conflict-count]').count(), { timeout: 30_000 }).toBe(0);
      await t.page.goto(`${server.url}/people/${uuid}`);
      await expect.poll(() => t.page.textContent('[data-testid=person-name]'), { timeout: 15_000 }).toContain('สมหมาย');
      expect(await t.page.textContent('[data-testid=prisoner-id]')).toBe('1-2569-00999');
      await t.page.goto(`${server.url}/sync`);
      await t.page.waitForSelector('[data-testid=conflict-list]');
      expect(await t.page.locator('[data-testid=conflict-link]').count()).toBe(0);
    }
    await a.context.close();
    await b.context.close();
  });
});
