/**
 * The embedded store's LevelDB binding (sync-server/storage/coalesced-gets.ts): point reads asked
 * for in one tick go to LevelDB as one `getMany`, and every caller still gets exactly what its own
 * `get` would have answered — the value, or NotFound — on a real LevelDB directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import { afterEach, describe, expect, it } from 'vitest';
import { coalescedLeveldown } from '../../sync-server/storage/coalesced-gets.ts';

type Db = ReturnType<typeof coalescedLeveldown> & {
  open(cb: (err?: Error) => void): void;
  close(cb: (err?: Error) => void): void;
  put(key: string, value: string, cb: (err?: Error) => void): void;
  get(key: string | Buffer, options: object, cb: (err: Error | null, value?: unknown) => void): void;
  _getMany(keys: unknown[], options: object, cb: (err: Error | null, values?: unknown[]) => void): void;
};

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coalesced-gets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const call = <T>(f: (cb: (err?: Error | null, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value as T))));

/** A leveldown database with `n` keys k0…k(n-1) holding v0…, and a count of the native multi-reads. */
async function openWith(n: number) {
  const db = coalescedLeveldown(path.join(tempDir(), 'db')) as Db;
  await call((cb) => db.open(cb));
  for (let i = 0; i < n; i++) await call((cb) => db.put(`k${i}`, `v${i}`, cb));
  const batches: number[] = [];
  const getMany = db._getMany;
  db._getMany = function (keys, options, cb) {
    batches.push(keys.length);
    return getMany.call(this, keys, options, cb);
  };
  return { db, batches };
}

const getOf = (db: Db, key: string | Buffer, options: object = {}) =>
  new Promise<{ value?: unknown; error?: string }>((resolve) =>
    db.get(key, options, (err, value) => resolve(err ? { error: err.message } : { value }))
  );

describe('coalesced LevelDB point reads', () => {
  it('answers each read of one tick as its own get would, present and missing keys mixed, through one getMany', async () => {
    const { db, batches } = await openWith(50);
    const keys = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? `k${i / 2}` : `missing${i}`));
    const answers = await Promise.all(keys.map((key) => getOf(db, key, { asBuffer: false })));
    expect(batches).toEqual([100]);
    answers.forEach((answer, i) => {
      if (i % 2 === 0) expect(answer).toEqual({ value: `v${i / 2}` });
      // leveldown's own NotFound message: levelup turns it into the NotFoundError PouchDB checks for.
      else expect(answer.error).toMatch(/^NotFound/);
    });
    await call((cb) => db.close(cb));
  });

  it('keeps reads asking for buffers apart from reads asking for strings', async () => {
    const { db, batches } = await openWith(3);
    const [asString, asBuffer, asString2, asBuffer2] = await Promise.all([
      getOf(db, 'k0', { asBuffer: false }),
      getOf(db, 'k1'),
      getOf(db, 'k2', { asBuffer: false }),
      getOf(db, Buffer.from('k0'))
    ]);
    expect(asString).toEqual({ value: 'v0' });
    expect(asString2).toEqual({ value: 'v2' });
    expect(Buffer.isBuffer(asBuffer.value) && asBuffer.value.toString()).toBe('v1');
    expect(Buffer.isBuffer(asBuffer2.value) && asBuffer2.value.toString()).toBe('v0');
    expect(batches.sort()).toEqual([2, 2]);
    await call((cb) => db.close(cb));
  });

  it('a read asked for just before the database closes is still answered, not lost or crashed', async () => {
    const { db } = await openWith(2);
    const pending = getOf(db, 'k1', { asBuffer: false });
    const alsoPending = getOf(db, 'k0', { asBuffer: false });
    await call((cb) => db.close(cb));
    expect(await pending).toEqual({ value: 'v1' });
    expect(await alsoPending).toEqual({ value: 'v0' });
  });

  it('PouchDB over it: a replicated batch of new and known documents is stored as by the plain binding', async () => {
    const dir = tempDir();
    const ours = new PouchDB(path.join(dir, 'ours'), { db: coalescedLeveldown } as object);
    const plain = new PouchDB(path.join(dir, 'plain'));
    try {
      const first = Array.from({ length: 30 }, (_, i) => ({ _id: `doc:${i}`, _rev: `1-${'a'.repeat(31)}${i % 10}`, n: i }));
      const second = first.map((d) => ({
        ...d,
        _rev: `2-${'b'.repeat(32)}`,
        _revisions: { start: 2, ids: ['b'.repeat(32), d._rev.slice(2)] },
        n: d.n + 100
      }));
      for (const db of [ours, plain]) {
        expect(await db.bulkDocs(first, { new_edits: false })).toEqual([]);
        expect(await db.bulkDocs([...second, { _id: 'doc:new', _rev: '1-cccc', n: -1 }], { new_edits: false })).toEqual([]);
      }
      const read = (db: PouchDB.Database) => db.allDocs({ include_docs: true, conflicts: true });
      expect((await read(ours)).rows).toEqual((await read(plain)).rows);
      expect((await ours.allDocs({ include_docs: true })).total_rows).toBe(31);
    } finally {
      await ours.close();
      await plain.close();
    }
  });
});
