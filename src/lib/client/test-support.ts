/**
 * For the client data layer's unit tests (node): PouchDB on the memory adapter in place of
 * IndexedDB's, and a way to point the data layer at one account's databases. The test file
 * imports `fake-indexeddb/auto` first, so Dexie runs on an in-memory IndexedDB.
 */
import { createRequire } from 'node:module';
import PouchDB from 'pouchdb-node';
import { useLocalDb } from './local-db.ts';
import { usePouch, useReplicaPrefix } from './replica.ts';

// No type declarations ship with the adapter; it is a plain PouchDB plugin.
PouchDB.plugin(createRequire(import.meta.url)('pouchdb-adapter-memory') as PouchDB.Plugin);
export const MemoryPouch = PouchDB.defaults({ adapter: 'memory' }) as unknown as PouchDB.Static;
usePouch(MemoryPouch);

let counter = 0;

/** Fresh databases for a made-up account (unique per call, so tests do not share state). */
export async function useFreshAccount(label = 'acct'): Promise<{ dbName: string; replicaPrefix: string }> {
  const id = `${label}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const names = { dbName: `care-field-test-${id}`, replicaPrefix: `care-test-${id}-unit-` };
  useLocalDb(names.dbName);
  await useReplicaPrefix(names.replicaPrefix);
  return names;
}
