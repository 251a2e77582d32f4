/**
 * The server's own databases and names. Users, units, sessions and the server uuid live in
 * `system`, the bulk-write audit trail in `audit`, each unit's records in `unit-<unitId>`.
 * Keeping them in storage (not in memory) lets several server instances share one CouchDB.
 */
import { randomUUID } from 'node:crypto';
import { isConflict, isNotFound, type DocumentStore, type StoragePort } from './storage/port.ts';

export const SYSTEM_DB = 'system';
export const AUDIT_DB = 'audit';

export const unitDatabaseName = (unitId: string) => `unit-${unitId}`;

const SERVER_DOC_ID = 'server';

/** Creates the system and audit databases if they are missing. */
export async function prepareStorage(storage: StoragePort): Promise<{ system: DocumentStore; audit: DocumentStore }> {
  await storage.createDatabase(SYSTEM_DB);
  await storage.createDatabase(AUDIT_DB);
  return { system: storage.openDatabase(SYSTEM_DB), audit: storage.openDatabase(AUDIT_DB) };
}

/**
 * The uuid PouchDB reads from GET /sync/ to name replications (checkpoint ids). It must never
 * change, or every tablet would start its replication over from the beginning.
 */
export async function getServerUuid(system: DocumentStore): Promise<string> {
  try {
    const doc = await system.get(SERVER_DOC_ID);
    return (doc as unknown as { uuid: string }).uuid;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    const uuid = randomUUID().replaceAll('-', '');
    await system.put({ _id: SERVER_DOC_ID, type: 'server', uuid, createdAt: new Date().toISOString() });
    return uuid;
  } catch (e) {
    // Another instance created it first: use theirs.
    if (!isConflict(e)) throw e;
    const doc = await system.get(SERVER_DOC_ID);
    return (doc as unknown as { uuid: string }).uuid;
  }
}
