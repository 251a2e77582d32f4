/**
 * The embedded store answers `allDocs({keys})` with one point read per key instead of PouchDB's
 * range iterator per key (sync-server/storage/embedded.ts): the rows must be exactly the ones
 * PouchDB itself gives, for live, deleted, conflicted, unknown, design and repeated ids.
 */
import { describe, expect, it } from 'vitest';
import PouchDB from 'pouchdb-node';
import path from 'node:path';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { makeCare01, makePerson, tempDir, UNIT_A } from '../helpers/server.ts';

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
      // PouchDB's own answer, read from the same directory once our store has closed it.
      await storage.close();
      const pouch = new PouchDB(path.join(dataDir, 'unit-x'));
      try {
        const theirs = [await pouch.allDocs({ keys }), await pouch.allDocs({ keys, include_docs: true })];
        expect(ours[0].rows).toEqual(theirs[0].rows);
        expect(ours[1].rows).toEqual(theirs[1].rows);
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
