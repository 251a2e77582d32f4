/**
 * `_local` documents (replication checkpoints) kept private to the account that wrote them and
 * bounded in number and size (issue 9, item 7: read-only accounts wrote unlimited `_local`
 * documents, volunteers read or deleted any `_local` whose id they knew).
 *
 * The client's id `_local/X` is stored as `_local/u-<account tag>-X`, the tag a hash of the
 * user name, so one account can neither read nor delete another's, and answers carry the
 * client's own id back. For accounts that can write nothing else (supervisors, admins,
 * volunteers) a small registry document per account and unit lists its ids; past
 * LIMITS.localDocsPerAccount the oldest is removed to make room (a checkpoint that is gone
 * only means a replication re-checks from the start, which _revs_diff keeps cheap), so a
 * legitimate sync never fails on the bound and an abusive one cannot grow the store.
 *
 * Checkpoints written before this scheme stay where they are and are no longer read: each
 * tablet's first sync after the update starts its checkpoint over.
 */
import { createHash } from 'node:crypto';
import { LIMITS } from '../config.ts';
import { isNotFound, StoreError, type DocumentStore, type LocalDoc, type WriteResult } from '../storage/port.ts';
import { serialisedFor } from './followup-stamps.ts';

/** The queue owner of this process's per-account registries of `_local` documents. */
const LOCAL_QUEUES = {};

/** PouchDB's checkpoint ids are base64 MD5s with `/` → `.` and `+` → `_` (24 characters). */
export const LOCAL_ID = /^[A-Za-z0-9._=-]{1,64}$/;

const tagOf = (username: string) => createHash('sha256').update(username).digest('hex').slice(0, 16);
const storedId = (username: string, id: string) => `u-${tagOf(username)}-${id}`;
const registryId = (username: string) => `u-${tagOf(username)}`;

interface Registry extends LocalDoc {
  /** The account's client ids, oldest first. */
  ids: string[];
}

const missing = () => new StoreError(404, 'not_found', 'missing');

export async function getOwnLocal(db: DocumentStore, username: string, id: string): Promise<LocalDoc> {
  if (!LOCAL_ID.test(id)) throw missing();
  const doc = await db.getLocal(storedId(username, id));
  return { ...doc, _id: `_local/${id}` };
}

async function readRegistry(db: DocumentStore, username: string): Promise<Registry> {
  try {
    const doc = (await db.getLocal(registryId(username))) as Registry;
    return Array.isArray(doc.ids) ? doc : { ...doc, ids: [] };
  } catch (e) {
    if (isNotFound(e)) return { _id: `_local/${registryId(username)}`, ids: [] };
    throw e;
  }
}

/**
 * Stores the account's `_local/<id>`. `counted`: register a new id (evicting the oldest past the
 * bound) — for accounts that may write nothing else (read-only, volunteers). An officer can store
 * records anyway, so their checkpoints skip the registry and its per-account queue, which would
 * otherwise serialise every tablet of a busy shared account.
 */
export async function putOwnLocal(
  db: DocumentStore,
  username: string,
  id: string,
  doc: LocalDoc,
  counted: boolean
): Promise<WriteResult> {
  if (!counted) {
    const result = await db.putLocal({ ...doc, _id: `_local/${storedId(username, id)}` });
    return { ...result, id: `_local/${id}` };
  }
  return serialisedFor(LOCAL_QUEUES, `${db.name}|local`, [tagOf(username)], async () => {
    const registry = await readRegistry(db, username);
    if (!registry.ids.includes(id)) {
      const evicted =
        registry.ids.length >= LIMITS.localDocsPerAccount
          ? registry.ids.splice(0, registry.ids.length - LIMITS.localDocsPerAccount + 1)
          : [];
      for (const old of evicted) await removeStored(db, storedId(username, old));
      registry.ids.push(id);
      await db.putLocal({ ...registry, _id: `_local/${registryId(username)}` });
    }
    const result = await db.putLocal({ ...doc, _id: `_local/${storedId(username, id)}` });
    return { ...result, id: `_local/${id}` };
  });
}

export function deleteOwnLocal(db: DocumentStore, username: string, id: string, rev: string): Promise<WriteResult> {
  if (!LOCAL_ID.test(id)) return Promise.reject(missing());
  return serialisedFor(LOCAL_QUEUES, `${db.name}|local`, [tagOf(username)], async () => {
    const result = await db.deleteLocal(storedId(username, id), rev);
    const registry = await readRegistry(db, username);
    if (registry.ids.includes(id))
      await db.putLocal({ ...registry, _id: `_local/${registryId(username)}`, ids: registry.ids.filter((x) => x !== id) });
    return { ...result, id: `_local/${id}` };
  });
}

async function removeStored(db: DocumentStore, id: string): Promise<void> {
  try {
    const doc = await db.getLocal(id);
    if (doc._rev) await db.deleteLocal(id, doc._rev);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
