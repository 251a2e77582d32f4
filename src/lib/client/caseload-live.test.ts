/**
 * The worklist kept in memory and recomputed per person (caseload-live.ts), on in-memory
 * IndexedDB (fake-indexeddb): which people a write touched, and that the list recomputed for them
 * is exactly the list recomputed for everyone.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ObservabilitySet } from 'dexie';
import Dexie from 'dexie';
import { CaseloadWorklist, followWorklist, peopleTouched, type CaseloadRow } from './caseload-live.ts';
import { computeCaseload, HOLIDAYS_KEY } from './caseload.ts';
import { LocalDb } from './local-db.ts';

const UNIT = 'lampang-probation';
const TODAY = '2026-11-23';
const person = (i: number) => `person:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

async function freshDb(people: number): Promise<LocalDb> {
  const db = new LocalDb(`caseload-live-${Math.random()}`);
  await db.people.bulkPut(
    Array.from({ length: people }, (_, i) => ({
      id: person(i),
      unitId: UNIT,
      prisonerId: `P${i}`,
      name: `คนที่ ${i}`,
      nationalId: '',
      searchText: '',
      updatedAt: TODAY,
      interviewCount: 1,
      complete: true,
      missingCount: 0,
      area: `หมู่ ${i % 9} ต.สบตุ๋ย อ.เมืองลำปาง`
    }))
  );
  // Every third person missed an appointment (no action yet): one non-compliance row each.
  await db.noncompliance.bulkPut(
    Array.from({ length: Math.ceil(people / 3) }, (_, k) => ({
      id: `noncompliance:${k}`,
      unitId: UNIT,
      personId: person(k * 3),
      kind: 'missed-appointment',
      occurredOn: '2026-11-10',
      actions: []
    }))
  );
  return db;
}

/** The parts Dexie reports for the next committed write to `db`. */
function nextMutation(db: LocalDb, write: () => Promise<unknown>): Promise<ObservabilitySet> {
  return new Promise((resolve, reject) => {
    const listener = (parts: ObservabilitySet) => {
      if (!Object.keys(parts).some((k) => k.startsWith(`idb://${db.name}/`))) return;
      Dexie.on.storagemutated.unsubscribe(listener);
      resolve(parts);
    };
    Dexie.on('storagemutated', listener);
    write().catch(reject);
  });
}

const sameRows = (rows: readonly CaseloadRow[]) => rows.map((r) => `${r.personId}|${r.kind}|${r.dueBy}|${r.bucket}|${r.area}`);

describe('peopleTouched (which people a write concerns)', () => {
  it('names the person of a visit, an event or a person row written alone', async () => {
    const db = await freshDb(6);
    const parts = await nextMutation(db, () =>
      db.followups.put({
        id: 'followup:1',
        unitId: UNIT,
        personId: person(4),
        visitDate: TODAY,
        recordedAt: `${TODAY}T03:00:00.000Z`,
        method: 'home-visit',
        visitor: 'probation-officer'
      })
    );
    expect(peopleTouched(parts, db.name)).toEqual(new Set([person(4)]));
    const personParts = await nextMutation(db, () => db.people.update(person(2), { name: 'คนที่สอง' }));
    expect(peopleTouched(personParts, db.name)).toEqual(new Set([person(2)]));
  });

  it('cannot narrow a sync batch, a deleted event or a new holiday calendar: everyone', async () => {
    const db = await freshDb(3);
    const batch = await nextMutation(db, () =>
      db.noncompliance.bulkPut(
        Array.from({ length: 60 }, (_, k) => ({
          id: `noncompliance:batch-${k}`,
          unitId: UNIT,
          personId: person(k % 3),
          kind: 'missed-appointment',
          occurredOn: '2026-11-10',
          actions: []
        }))
      )
    );
    expect(peopleTouched(batch, db.name)).toBe('all');
    expect(peopleTouched(await nextMutation(db, () => db.noncompliance.delete('noncompliance:0')), db.name)).toBe('all');
    const holidays = await nextMutation(db, () => db.settings.put({ key: HOLIDAYS_KEY, value: { dates: ['2026-12-07'] } }));
    expect(peopleTouched(holidays, db.name)).toBe('all');
    // Changed in place: Dexie names the event, not its person.
    const inPlace = await nextMutation(db, () => db.noncompliance.update('noncompliance:batch-1', { occurredOn: '2026-11-11' }));
    expect(peopleTouched(inPlace, db.name)).toBe('all');
  });

  it('ignores writes the worklist does not read (drafts, the outbox) and other databases', async () => {
    const db = await freshDb(3);
    const draft = await nextMutation(db, () =>
      db.drafts.put({ key: 'followup:x', unitId: UNIT, updatedAt: TODAY, data: {} } as never)
    );
    expect(peopleTouched(draft, db.name)).toBeNull();
    expect(peopleTouched(draft, 'another-account')).toBeNull();
  });
});

describe('CaseloadWorklist (recomputed for the people touched)', () => {
  it('gives the rows of a computation of everyone, with the area of each person', async () => {
    const db = await freshDb(30);
    const worklist = new CaseloadWorklist(db, UNIT, TODAY);
    const rows = await worklist.computeAll();
    const everyone = await computeCaseload(UNIT, TODAY, db);
    expect(rows.map((r) => r.personId)).toEqual(everyone.rows.map((r) => r.personId));
    expect(rows).toHaveLength(10);
    expect(rows[0].area).toMatch(/ต\.สบตุ๋ย อ\.เมืองลำปาง$/);
  });

  it('after an action on one event and a new event for another person, matches a computation of everyone', async () => {
    const db = await freshDb(30);
    const worklist = new CaseloadWorklist(db, UNIT, TODAY);
    const before = sameRows(await worklist.computeAll());
    // Person 3's event gets its action (the row goes); person 4 misses an appointment (a row comes).
    await db.noncompliance.update('noncompliance:1', { actions: [{ kind: 'warning', on: TODAY }] } as never);
    await db.noncompliance.put({
      id: 'noncompliance:new',
      unitId: UNIT,
      personId: person(4),
      kind: 'missed-appointment',
      occurredOn: '2026-11-20',
      actions: []
    } as never);
    expect(await worklist.recompute(new Set([person(3), person(4)]))).toBe(true);
    const after = sameRows(worklist.rows);
    expect(after).not.toEqual(before);
    expect(after.some((r) => r.startsWith(person(3)))).toBe(false);
    expect(after.some((r) => r.startsWith(person(4)))).toBe(true);
    const everyone = new CaseloadWorklist(db, UNIT, TODAY);
    expect(after).toEqual(sameRows(await everyone.computeAll()));
  });

  it('recomputes everyone when a touched person was merged into another record', async () => {
    const db = await freshDb(6);
    const worklist = new CaseloadWorklist(db, UNIT, TODAY);
    await worklist.computeAll();
    await db.people.update(person(3), { mergedInto: person(1) });
    expect(await worklist.recompute(new Set([person(3)]))).toBe(false);
    expect(sameRows(worklist.rows)).toEqual(sameRows(await new CaseloadWorklist(db, UNIT, TODAY).computeAll()));
  });
});

describe('followWorklist (the screen’s subscription)', () => {
  it('gives the list, then the list after a write that concerns one person', async () => {
    const db = await freshDb(9);
    const seen: (readonly CaseloadRow[])[] = [];
    let changed!: () => void;
    const second = new Promise<void>((resolve) => (changed = resolve));
    const stop = followWorklist(
      UNIT,
      TODAY,
      (rows) => {
        seen.push(rows);
        if (seen.length === 2) changed();
      },
      (e) => {
        throw e;
      },
      db
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(seen[0]).toHaveLength(3);
    // As the projection writes: the whole row again (its person named).
    const event = (await db.noncompliance.get('noncompliance:2'))!;
    await db.noncompliance.put({ ...event, actions: [{ kind: 'warning', on: TODAY }] } as never);
    await second;
    stop();
    expect(seen[1].map((r) => r.personId)).toEqual([person(0), person(3)]);
  });
});
