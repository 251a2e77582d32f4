/**
 * Audit intents left by a crash are settled at start (sync-server/audit-repair.ts), against a
 * real embedded store: a revision found in the unit database completes its entry ("recovered at
 * start"), none found marks it not written, an intent younger than the grace period is left to
 * the instance that may still be writing it, and two instances repairing at once settle each
 * entry once, the same way. The real `kill -9` case is in embedded-audit-kill.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginWrite, completeWrite } from '../../sync-server/audit.ts';
import { repairInterruptedWrites } from '../../sync-server/audit-repair.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { DocumentStore, StoredDoc } from '../../sync-server/storage/port.ts';
import { prepareStorage, unitDatabaseName } from '../../sync-server/system-db.ts';
import { makePerson, seedAccounts, tempDir, UNIT_A, USERS } from '../helpers/server.ts';

const revision = () => `1-${randomBytes(16).toString('hex')}`;
const MINUTE = 60_000;

describe('settling audit intents a crash left behind', () => {
  let storage: EmbeddedStorage;
  let audit: DocumentStore;
  let unit: DocumentStore;
  beforeAll(async () => {
    storage = new EmbeddedStorage(tempDir('audit-repair'));
    await seedAccounts(storage);
    audit = (await prepareStorage(storage)).audit;
    unit = storage.openDatabase(unitDatabaseName(UNIT_A));
  });
  afterAll(async () => {
    await storage?.close();
  });

  const intent = (receivedAt: Date, writing: Array<{ id: string; rev?: string }>, newEdits = false) =>
    beginWrite(audit, {
      username: USERS.officerA,
      unitId: UNIT_A,
      endpoint: '_bulk_docs',
      newEdits,
      receivedAt,
      writing,
      refused: []
    });
  const entry = async (id: string) => (await audit.get(id)) as StoredDoc;

  it('completes what landed, marks what did not, leaves young intents and finished entries alone, and runs twice at once harmlessly', async () => {
    const now = new Date();
    const tenMinutesAgo = new Date(now.getTime() - 10 * MINUTE);

    // Crashed after the store write: the revision is in the unit database.
    const landed = { ...makePerson(UNIT_A), _rev: revision() };
    const landedIntent = await intent(tenMinutesAgo, [{ id: landed._id, rev: landed._rev }]);
    await unit.bulkDocs([landed as StoredDoc], { new_edits: false });
    // Crashed before the store write: nothing landed.
    const lost = { ...makePerson(UNIT_A), _rev: revision() };
    const lostIntent = await intent(tenMinutesAgo, [{ id: lost._id, rev: lost._rev }]);
    // Half of a batch landed: the entry is complete and names what did not.
    const half = [
      { ...makePerson(UNIT_A), _rev: revision() },
      { ...makePerson(UNIT_A), _rev: revision() }
    ];
    const halfIntent = await intent(
      tenMinutesAgo,
      half.map((d) => ({ id: d._id, rev: d._rev }))
    );
    await unit.bulkDocs([half[0] as StoredDoc], { new_edits: false });
    // A PUT (new_edits=true) of a new document: the store chose the revision.
    const put = makePerson(UNIT_A);
    const putIntent = await intent(tenMinutesAgo, [{ id: put._id }], true);
    const putResult = await unit.put(put as StoredDoc);
    // A write still in progress on another instance: younger than the grace period.
    const young = { ...makePerson(UNIT_A), _rev: revision() };
    const youngIntent = await intent(new Date(now.getTime() - 30_000), [{ id: young._id, rev: young._rev }]);
    // A write that finished normally.
    const done = { ...makePerson(UNIT_A), _rev: revision() };
    const doneIntent = await intent(tenMinutesAgo, [{ id: done._id, rev: done._rev }]);
    await unit.bulkDocs([done as StoredDoc], { new_edits: false });
    await completeWrite(audit, doneIntent, { stored: [{ id: done._id, rev: done._rev }], refused: [] });
    const doneBefore = await entry(doneIntent.id);

    // Two instances starting at once.
    const [first, second] = await Promise.all([
      repairInterruptedWrites(storage, audit, { now, graceMs: 5 * MINUTE }),
      repairInterruptedWrites(storage, audit, { now, graceMs: 5 * MINUTE })
    ]);
    // Each entry settled exactly once between them: an entry both read is written by one, and
    // the other's put conflicts (skipped) or it read the entry already settled.
    expect(first.recovered + second.recovered).toBe(3);
    expect(first.notWritten + second.notWritten).toBe(1);

    expect(await entry(landedIntent.id)).toMatchObject({
      status: 'complete',
      recovered: 'recovered at start',
      accepted: 1,
      stored: [{ id: landed._id, rev: landed._rev }],
      notWritten: []
    });
    expect(await entry(lostIntent.id)).toMatchObject({
      status: 'not-written',
      accepted: 0,
      stored: [],
      notWritten: [{ id: lost._id, rev: lost._rev }]
    });
    expect(await entry(halfIntent.id)).toMatchObject({
      status: 'complete',
      stored: [{ id: half[0]._id, rev: half[0]._rev }],
      notWritten: [{ id: half[1]._id, rev: half[1]._rev }]
    });
    expect(await entry(putIntent.id)).toMatchObject({ status: 'complete', stored: [{ id: put._id, rev: putResult.rev }] });
    expect(await entry(youngIntent.id)).toMatchObject({ status: 'intent', _rev: youngIntent.rev });
    expect(await entry(doneIntent.id)).toEqual(doneBefore);

    // Run again: nothing left to settle, nothing changes.
    const again = await repairInterruptedWrites(storage, audit, { now, graceMs: 5 * MINUTE });
    expect(again).toMatchObject({ recovered: 0, notWritten: 0, skipped: 0 });
    expect(again.scanned).toBeGreaterThanOrEqual(5);
  });

  it('reads a bounded number of entries, the newest first', async () => {
    const now = new Date(Date.now() + 7 * 24 * 60 * MINUTE); // a week ahead: only this test's entries are recent
    const old = await intent(new Date(now.getTime() - 3 * 60 * MINUTE), [{ id: makePerson(UNIT_A)._id, rev: revision() }]);
    const recent = await intent(new Date(now.getTime() - 30 * MINUTE), [{ id: makePerson(UNIT_A)._id, rev: revision() }]);
    const summary = await repairInterruptedWrites(storage, audit, { now, graceMs: 5 * MINUTE, maxEntries: 1 });
    expect(summary).toMatchObject({ scanned: 1, notWritten: 1 });
    expect(await entry(recent.id)).toMatchObject({ status: 'not-written' });
    expect(await entry(old.id)).toMatchObject({ status: 'intent' });
  });
});
