/**
 * The embedded store's read cache (sync-server/storage/read-cache.ts): repeated reads are
 * answered from memory, a write drops what it changed, and a read that overlapped a write never
 * fills the cache with the version it read.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedStorage, SHARED_READ_LINGER_MS } from '../../sync-server/storage/embedded.ts';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { InFlightReads, ReadCache } from '../../sync-server/storage/read-cache.ts';
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

  it('offers a read in progress to identical requests until it settles or its id is written', async () => {
    const cache = new ReadCache<string>();
    let finish!: (value: string) => void;
    const shared = cache.share('a', 'v', new Promise<string>((resolve) => (finish = resolve)), cache.begin());
    expect(cache.pending('a', 'v')).toBe(shared);
    expect(cache.pending('a', 'other')).toBeUndefined();
    cache.written(['b']);
    expect(cache.pending('a', 'v')).toBe(shared);
    cache.written(['a']);
    expect(cache.pending('a', 'v')).toBeUndefined();
    finish('old');
    expect(await shared).toBe('old'); // its own caller still gets what it read
    // A read begun before a write of its id is never offered.
    const ticket = cache.begin();
    cache.written(['a']);
    await cache.share('a', 'v', Promise.resolve('stale'), ticket);
    expect(cache.pending('a', 'v')).toBeUndefined();
    // Settled: the next request reads (or finds it in the cache), it does not join.
    const done = cache.share('c', 'v', Promise.resolve('x'), cache.begin());
    await done;
    await Promise.resolve();
    expect(cache.pending('c', 'v')).toBeUndefined();
  });

  it('shares a whole read in progress (InFlightReads, the CouchDB store) until it settles or the database is written', async () => {
    const reads = new InFlightReads();
    let started = 0;
    let finish!: (value: { v: number }) => void;
    const slow = () => {
      started++;
      return new Promise<{ v: number }>((resolve) => (finish = resolve));
    };
    const first = reads.join('k', slow);
    expect(reads.join('k', slow)).toBe(first);
    expect(started).toBe(1);
    reads.written(); // a request made after a write does not join the read begun before it
    const second = reads.join('k', slow);
    expect(second).not.toBe(first);
    expect(started).toBe(2);
    finish({ v: 2 });
    expect(Object.isFrozen(await second)).toBe(true);
    // Settled: nothing kept.
    expect(reads.join('k', () => Promise.resolve({ v: 3 }))).not.toBe(second);
  });

  it('answers identical _bulk_get requests made at once from one read', async () => {
    const storage = new EmbeddedStorage(tempDir('bulk-get-shared'));
    try {
      await storage.createDatabase('unit-x');
      const db = storage.openDatabase('unit-x');
      const people = [makePerson(UNIT_A), makePerson(UNIT_A)] as StoredDoc[];
      const written = await db.bulkDocs(people, { new_edits: true });
      const wanted = people.map((p, i) => ({ id: p._id, rev: (written[i] as { rev: string }).rev }));
      const ask = () => db.bulkGet({ docs: wanted }, { revs: true, latest: true });
      const [a, b, c] = await Promise.all([ask(), ask(), ask()]);
      for (const other of [b, c]) for (const [i, entry] of other.results.entries()) expect(entry.docs).toBe(a.results[i].docs);
      expect(a.results.map((r) => (r.docs[0] as { ok: StoredDoc }).ok._rev)).toEqual(wanted.map((w) => w.rev));
      expect(Object.isFrozen(a.results[0].docs)).toBe(true);
    } finally {
      await storage.close();
      await closeClients();
    }
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

  it('shares one _changes and info read between identical requests, and never past a write', async () => {
    const storage = new EmbeddedStorage(tempDir('shared-reads'));
    try {
      await storage.createDatabase('unit-x');
      const db = storage.openDatabase('unit-x');
      await db.bulkDocs([makePerson(UNIT_A) as StoredDoc, makePerson(UNIT_A) as StoredDoc], { new_edits: true });
      const feed = () => db.changes({ since: 0, limit: 100, style: 'all_docs', feed: 'normal' });
      const [a, b] = await Promise.all([feed(), feed()]);
      expect(a).toBe(b); // one read answered both
      expect(a.results).toHaveLength(2);
      expect(Object.isFrozen(a.results[0])).toBe(true);
      const infoBefore = await db.info();
      expect(await db.info()).toBe(infoBefore);

      // A request made after a write gets a read of its own, which includes it.
      const third = makePerson(UNIT_A) as StoredDoc;
      const reading = feed(); // began before the write
      await db.put(third);
      const after = await feed();
      expect(after).not.toBe(await reading);
      expect(after.results.map((row) => row.id)).toContain(third._id);
      expect((await db.info()).doc_count).toBe(3);
      expect(await db.info()).not.toBe(infoBefore);

      // With no write, a finished read is still joined for a moment only, then read anew: a quiet
      // unit's pages do not stay in memory.
      const settled = await feed();
      expect(await feed()).toBe(settled);
      await new Promise((resolve) => setTimeout(resolve, SHARED_READ_LINGER_MS + 200));
      const later = await feed();
      expect(later).not.toBe(settled);
      expect(later.results).toEqual(settled.results);
    } finally {
      await storage.close();
      await closeClients();
    }
  });
});
