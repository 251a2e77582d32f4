/**
 * The embedded store answers `allDocs({keys})` with one point read per key instead of PouchDB's
 * range iterator per key (sync-server/storage/embedded.ts): the rows must be exactly the ones
 * PouchDB itself gives, for live, deleted, conflicted, unknown, design and repeated ids.
 */
import { describe, expect, it } from 'vitest';
import PouchDB from 'pouchdb-node';
import path from 'node:path';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import { IdFilter } from '../../sync-server/storage/id-filter.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { makeCare01, makePerson, tempDir, UNIT_A } from '../helpers/server.ts';

describe('id filter', () => {
  it('never forgets an id it was given, and rarely claims one it was not', () => {
    const filter = new IdFilter(100_000);
    const held = Array.from({ length: 100_000 }, () => `care01:${crypto.randomUUID()}`);
    for (const id of held) filter.add(id);
    expect(held.every((id) => filter.mightHold(id))).toBe(true);
    const others = Array.from({ length: 20_000 }, () => `care01:${crypto.randomUUID()}`);
    const falsePositives = others.filter((id) => filter.mightHold(id)).length;
    expect(falsePositives / others.length).toBeLessThan(0.02);
    expect(filter.full).toBe(false);
    filter.add('one more');
    expect(filter.full).toBe(true);
  });
});

describe('embedded allDocs by keys', () => {
  it('answers the same rows as PouchDB allDocs({keys}) for every kind of id', async () => {
    const dataDir = tempDir('keys-lookup');
    const storage = new EmbeddedStorage(dataDir);
    try {
      await storage.createDatabase('unit-x');
      const db = storage.openDatabase('unit-x');
      const person = makePerson(UNIT_A);
      const live = person as StoredDoc;
      const interview = makeCare01(person) as StoredDoc;
      const gone = makePerson(UNIT_A) as StoredDoc;
      const conflicted = makePerson(UNIT_A) as StoredDoc;
      await db.bulkDocs([live, interview, gone], { new_edits: true });
      const goneRev = ((await db.get(gone._id)) as StoredDoc)._rev!;
      await db.remove(gone._id, goneRev);
      // Two rival first versions: a document with a conflict.
      await db.bulkDocs(
        [
          { ...conflicted, _rev: '1-aaaa', _revisions: { start: 1, ids: ['aaaa'] } },
          { ...conflicted, lastName: 'อีกฉบับ', _rev: '1-bbbb', _revisions: { start: 1, ids: ['bbbb'] } }
        ] as StoredDoc[],
        { new_edits: false }
      );
      await db.bulkDocs([{ _id: '_design/x', views: {} } as unknown as StoredDoc], { new_edits: true });
      const keys = [
        live._id,
        'person:00000000-0000-4000-8000-000000000000',
        gone._id,
        conflicted._id,
        interview._id,
        live._id,
        '_design/x',
        '_design/missing',
        'not a document id'
      ];
      const ours = [await db.allDocs({ keys }), await db.allDocs({ keys, include_docs: true })];
      // Again once the id filter (id-filter.ts) that the first lookup started is ready.
      const state = () => (db as unknown as { ids: { ready: boolean } | null }).ids;
      for (let i = 0; i < 200 && !state()?.ready; i++) await new Promise((r) => setTimeout(r, 25));
      expect(state()?.ready).toBe(true);
      const filtered = [await db.allDocs({ keys }), await db.allDocs({ keys, include_docs: true })];
      // _revs_diff answers unknown ids from the filter: the same as PouchDB reading each tree.
      const liveRev = ((await db.get(live._id)) as StoredDoc)._rev!;
      const diffAsked = {
        [live._id]: [liveRev, '2-cccc'],
        [gone._id]: ['1-dddd'],
        [conflicted._id]: ['1-aaaa', '1-bbbb'],
        'person:00000000-0000-4000-8000-000000000000': ['1-eeee', '2-ffff'],
        'person:00000000-0000-4000-8000-000000000001': ['3-abcd']
      };
      const ourDiff = await db.revsDiff(diffAsked);
      // PouchDB's own answer, read from the same directory once our store has closed it.
      await storage.close();
      const pouch = new PouchDB(path.join(dataDir, 'unit-x'));
      try {
        const theirs = [await pouch.allDocs({ keys }), await pouch.allDocs({ keys, include_docs: true })];
        expect(ours[0].rows).toEqual(theirs[0].rows);
        expect(ours[1].rows).toEqual(theirs[1].rows);
        expect(filtered[0].rows).toEqual(theirs[0].rows);
        expect(filtered[1].rows).toEqual(theirs[1].rows);
        expect(ourDiff).toEqual(await pouch.revsDiff(diffAsked));
        expect(Object.keys(ourDiff).sort()).toEqual(
          [
            live._id,
            gone._id,
            'person:00000000-0000-4000-8000-000000000000',
            'person:00000000-0000-4000-8000-000000000001'
          ].sort()
        );
        // Not vacuous: each kind of row is there.
        expect(ours[1].rows.map((r) => (r.error ? 'missing' : r.value?.deleted ? 'deleted' : 'live'))).toEqual([
          'live',
          'missing',
          'deleted',
          'live',
          'live',
          'live',
          'live',
          'missing',
          'missing'
        ]);
        expect(ours[1].rows[3].value?.rev).toBe('1-bbbb');
      } finally {
        await pouch.close();
      }
    } finally {
      await storage.close();
    }
  });

  it('answers ids it certainly does not hold without a read, and finds every id stored before, during and after its filter was built', async () => {
    const dataDir = tempDir('keys-filter');
    const earlier = new EmbeddedStorage(dataDir);
    await earlier.createDatabase('unit-x');
    const before = makePerson(UNIT_A) as StoredDoc;
    const deletedBefore = makePerson(UNIT_A) as StoredDoc;
    await earlier.openDatabase('unit-x').bulkDocs([before, deletedBefore], { new_edits: true });
    const { _rev } = (await earlier.openDatabase('unit-x').get(deletedBefore._id)) as StoredDoc;
    await earlier.openDatabase('unit-x').remove(deletedBefore._id, _rev!);
    await earlier.close(); // as a server restarting on its data

    const storage = new EmbeddedStorage(dataDir);
    try {
      const db = storage.openDatabase('unit-x');
      const pouch = (db as unknown as { db: { get: (...args: unknown[]) => Promise<unknown> } }).db;
      const realGet = pouch.get.bind(pouch);
      let reads = 0;
      pouch.get = (...args: unknown[]) => {
        reads++;
        return realGet(...args);
      };
      const during = makePerson(UNIT_A) as StoredDoc;
      // The first lookup starts the filter; a write runs while it is built.
      const [first] = await Promise.all([db.allDocs({ keys: [before._id] }), db.bulkDocs([during], { new_edits: true })]);
      expect(first.rows[0]).toMatchObject({ id: before._id });
      const state = () => (db as unknown as { ids: { ready: boolean } | null }).ids;
      for (let i = 0; i < 200 && !state()?.ready; i++) await new Promise((r) => setTimeout(r, 25));
      expect(state()?.ready).toBe(true);
      const after = makePerson(UNIT_A) as StoredDoc;
      await db.bulkDocs([after], { new_edits: true });

      const unknown = Array.from({ length: 50 }, () => `person:${crypto.randomUUID()}`);
      reads = 0;
      const none = await db.allDocs({ keys: unknown, include_docs: true });
      expect(none.rows).toEqual(unknown.map((key) => ({ key, error: 'not_found' })));
      expect(reads).toBe(0);

      const known = await db.allDocs({ keys: [before._id, deletedBefore._id, during._id, after._id], include_docs: true });
      expect(reads).toBe(4);
      expect(known.rows.map((r) => (r.error ? 'missing' : r.value?.deleted ? 'deleted' : 'live'))).toEqual([
        'live',
        'deleted',
        'live',
        'live'
      ]);
    } finally {
      await storage.close();
    }
  });

  it('builds its filter from the moment the database opens, ending while writes keep coming, and holds every id', async () => {
    const dataDir = tempDir('keys-filter-open');
    const earlier = new EmbeddedStorage(dataDir);
    await earlier.createDatabase('unit-x');
    const stored = Array.from({ length: 300 }, () => makePerson(UNIT_A) as StoredDoc);
    await earlier.openDatabase('unit-x').bulkDocs(stored, { new_edits: true });
    await earlier.close();

    const storage = new EmbeddedStorage(dataDir);
    try {
      const db = storage.openDatabase('unit-x');
      const state = () => (db as unknown as { ids: { ready: boolean; filter: IdFilter } | null }).ids;
      // No lookup asked for it: opening started it.
      expect(state()).not.toBeNull();
      const written: StoredDoc[] = [];
      let readyWhileWriting = false;
      for (let batch = 0; batch < 40; batch++) {
        const docs = Array.from({ length: 25 }, () => makePerson(UNIT_A) as StoredDoc);
        await db.bulkDocs(docs, { new_edits: true });
        written.push(...docs);
        if (state()?.ready) readyWhileWriting = true;
      }
      expect(readyWhileWriting).toBe(true);
      const filter = state()!.filter;
      expect([...stored, ...written].every((doc) => filter.mightHold(doc._id))).toBe(true);
    } finally {
      await storage.close();
    }
  });

  it('leaves other options (conflicts, ranges, _local ids) to PouchDB', async () => {
    const storage = new EmbeddedStorage(tempDir('keys-lookup-other'));
    try {
      await storage.createDatabase('unit-x');
      const db = storage.openDatabase('unit-x');
      const doc = makePerson(UNIT_A) as StoredDoc;
      await db.bulkDocs(
        [
          { ...doc, _rev: '1-aaaa', _revisions: { start: 1, ids: ['aaaa'] } },
          { ...doc, lastName: 'อีกฉบับ', _rev: '1-bbbb', _revisions: { start: 1, ids: ['bbbb'] } }
        ] as StoredDoc[],
        { new_edits: false }
      );
      await db.putLocal({ _id: '_local/checkpoint', last_seq: 1 });
      const withConflicts = await db.allDocs({ keys: [doc._id], include_docs: true, conflicts: true });
      expect(withConflicts.rows[0].doc).toMatchObject({ _rev: '1-bbbb', _conflicts: ['1-aaaa'] });
      const local = await db.allDocs({ keys: ['_local/checkpoint'] });
      expect(local.rows).toEqual([{ key: '_local/checkpoint', error: 'not_found' }]);
    } finally {
      await storage.close();
    }
  });
});
