/**
 * The embedded store's read cache (sync-server/storage/read-cache.ts): repeated reads are
 * answered from memory, a write drops what it changed, and a read that overlapped a write never
 * fills the cache with the version it read.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { ReadCache } from '../../sync-server/storage/read-cache.ts';
import { makePerson, tempDir, UNIT_A, closeClients } from '../helpers/server.ts';

describe('embedded read cache', () => {
  it('never stores a read that began before a write of the same id', () => {
    const cache = new ReadCache<{ v: number }>();
    const ticket = cache.begin();
    cache.written(['a']);
    cache.set('a', 'doc', { v: 1 }, ticket);
    expect(cache.get('a', 'doc')).toBeUndefined();
    const later = cache.begin();
    cache.set('a', 'doc', { v: 2 }, later);
    expect(cache.get('a', 'doc')).toEqual({ v: 2 });
    // Another id's write does not drop it; its own does.
    cache.written(['b']);
    expect(cache.get('a', 'doc')).toEqual({ v: 2 });
    cache.written(['a']);
    expect(cache.get('a', 'doc')).toBeUndefined();
  });

  it('hands out frozen values, so a caller cannot change what the next request reads', () => {
    const cache = new ReadCache<{ nested: { v: number } }>();
    cache.set('a', 'doc', { nested: { v: 1 } }, cache.begin());
    expect(() => {
      (cache.get('a', 'doc')!.nested as { v: number }).v = 2;
    }).toThrow(TypeError);
  });

  it('answers _bulk_get and get with the current revision after every kind of write', async () => {
    const storage = new EmbeddedStorage(tempDir('read-cache'));
    try {
      await storage.createDatabase('unit-x');
      const db = storage.openDatabase('unit-x');
      const person = makePerson(UNIT_A) as StoredDoc;
      const first = await db.put(person);
      const ask = async () => (await db.bulkGet({ docs: [{ id: person._id }] }, { revs: true, latest: true })).results[0].docs[0];
      expect(await ask()).toMatchObject({ ok: { _rev: first.rev } });
      expect(await ask()).toMatchObject({ ok: { _rev: first.rev } }); // from the cache
      expect(await db.get(person._id)).toMatchObject({ _rev: first.rev });
      const second = await db.put({ ...person, _rev: first.rev, lastName: 'ใหม่' });
      expect(await ask()).toMatchObject({ ok: { _rev: second.rev, lastName: 'ใหม่' } });
      expect(await db.get(person._id)).toMatchObject({ _rev: second.rev });
      const [third] = await db.bulkDocs([{ ...person, _rev: second.rev, lastName: 'ใหม่กว่า' }], { new_edits: true });
      expect(await ask()).toMatchObject({ ok: { _rev: (third as { rev: string }).rev, lastName: 'ใหม่กว่า' } });
      await db.remove(person._id, (third as { rev: string }).rev);
      await expect(db.get(person._id)).rejects.toMatchObject({ status: 404 });
    } finally {
      await storage.close();
      await closeClients();
    }
  });
});
