/**
 * Issue 9, "Schema versions": the server accepts version N−1 and N, stores a document as written
 * and serves it upgraded; a tablet that updates migrates its unsynced work and drafts
 * (src/lib/client/migrate-local.ts), loses nothing, and syncs it. Proven with a test-only
 * version 0 of person records (tests/helpers/schema-v0.ts) while the app is at version 1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrateLocal, type MigrationDeps, type ReplicaPort } from '../../src/lib/client/migrate-local.ts';
import type { Draft, OutboxEntry } from '../../src/lib/client/local-db.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  basicAuth,
  closeClients,
  localDb,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { asVersion0, TEST_VERSIONS } from '../helpers/schema-v0.ts';

describe('schema versions across an app update', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ versions: TEST_VERSIONS });
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const push = async (docs: unknown[]) => {
    const response = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' },
      body: JSON.stringify({ docs })
    });
    return (await response.json()) as Array<{ ok?: boolean; rev?: string; reason?: string }>;
  };

  it('accepts N−1 from a tablet not yet updated, stores it as written, serves it upgraded; refuses N−2 and N+1', async () => {
    const person = makePerson(UNIT_A);
    const old = asVersion0(person);
    const [row] = await push([old]);
    expect(row.ok).toBe(true);
    const stored = await server.storage.openDatabase(unitDatabaseName(UNIT_A)).get(person._id);
    expect(stored).toMatchObject({ schemaVersion: 0, nationalIdNumber: (person.nationalId as { number: string }).number });
    const served = await (
      await fetch(`${server.url}/sync/${UNIT_A}/${person._id}`, { headers: { Authorization: basicAuth(USERS.officerA) } })
    ).json();
    expect(served).toMatchObject({ schemaVersion: 1, nationalId: person.nationalId, _rev: row.rev });
    expect(served.nationalIdNumber).toBeUndefined();
    const pulled = await (
      await fetch(`${server.url}/sync/${UNIT_A}/_bulk_get?revs=true`, {
        method: 'POST',
        headers: { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' },
        body: JSON.stringify({ docs: [{ id: person._id }] })
      })
    ).json();
    expect(pulled.results[0].docs[0].ok).toMatchObject({ schemaVersion: 1, nationalId: person.nationalId });

    const [tooOld, tooNew] = await push([
      { ...asVersion0(makePerson(UNIT_A)), schemaVersion: -1 },
      { ...makePerson(UNIT_A), schemaVersion: 2 }
    ]);
    expect(tooOld.reason).toMatch(/^schemaVersion: ข้อมูลรุ่น -1 เก่าเกินไป/);
    expect(tooNew.reason).toMatch(/^schemaVersion: รุ่นของข้อมูลไม่รองรับ .*update the app/);
  });

  it('a tablet with unsynced version-0 work and a draft upgrades, loses nothing, and syncs it', async () => {
    // The tablet before the update: an unsynced record (in the outbox) and an open draft.
    const tablet = localDb('v0-tablet');
    const unsynced = makePerson(UNIT_A);
    const { rev } = await tablet.put(asVersion0(unsynced) as never);
    const outbox = new Map<string, OutboxEntry>([
      [unsynced._id, { docId: unsynced._id, unitId: UNIT_A, rev, savedAt: new Date().toISOString(), status: 'pending' }]
    ]);
    const draftKey = `person:${crypto.randomUUID()}`;
    const drafts = new Map<string, Draft>([
      [
        draftKey,
        {
          key: draftKey,
          unitId: UNIT_A,
          title: 'ร่าง',
          href: '/people/new',
          data: { firstName: 'ร่าง', lastName: 'ทดสอบ', nationalIdNumber: '1103702345679' },
          updatedAt: new Date().toISOString()
        }
      ]
    ]);
    let marker: number | undefined = 0;
    const deps: MigrationDeps = {
      unitId: UNIT_A,
      replica: tablet as unknown as ReplicaPort,
      drafts: {
        list: async (u) => [...drafts.values()].filter((d) => d.unitId === u),
        put: async (d) => void drafts.set(d.key, d)
      },
      outbox: {
        list: async (u) => [...outbox.values()].filter((e) => e.unitId === u),
        put: async (e) => void outbox.set(e.docId, e)
      },
      marker: { get: async () => marker, set: async (_u, v) => void (marker = v) },
      versions: TEST_VERSIONS
    };

    // The app updates: the migration runs before sync.
    const first = await migrateLocal(deps);
    expect(first).toMatchObject({ from: 0, to: 1, documents: 1, drafts: 1, problems: [] });
    const local = (await tablet.get(unsynced._id)) as Record<string, unknown>;
    expect(local).toMatchObject({
      schemaVersion: 1,
      nationalId: unsynced.nationalId,
      firstName: unsynced.firstName,
      createdBy: unsynced.createdBy
    });
    expect(local.nationalIdNumber).toBeUndefined();
    expect(outbox.get(unsynced._id)).toMatchObject({ rev: local._rev, status: 'pending' });
    expect(drafts.get(draftKey)!.data).toEqual({
      firstName: 'ร่าง',
      lastName: 'ทดสอบ',
      nationalId: { status: 'number', number: '1103702345679', source: 'typed' }
    });
    expect(marker).toBe(1);

    // Idempotent: a second start changes nothing.
    expect(await migrateLocal(deps)).toMatchObject({ documents: 0, drafts: 0 });
    expect(((await tablet.get(unsynced._id)) as { _rev: string })._rev).toBe(local._rev);

    // And the upgraded work syncs.
    const { result, denied } = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(denied).toEqual([]);
    expect(result.docs_written).toBe(1);
    const onServer = await server.storage.openDatabase(unitDatabaseName(UNIT_A)).get(unsynced._id);
    expect(onServer).toMatchObject({ _rev: local._rev, schemaVersion: 1, nationalId: unsynced.nationalId });
  });
  it('a draft holding form state (not a document) is left as written; the marker is written once when absent', async () => {
    const key = `person:${crypto.randomUUID()}`;
    const formDraft: Draft = {
      key,
      unitId: UNIT_A,
      title: 'แก้ไข',
      href: '/people/x?edit=1',
      data: { person: { firstName: 'แก้ไขแล้ว', idStatus: 'number', idNumber: '1103702345679' }, record: { phone: '' } },
      updatedAt: new Date().toISOString()
    };
    const drafts = new Map([[key, formDraft]]);
    let marker: number | undefined = 0;
    const deps: MigrationDeps = {
      unitId: UNIT_A,
      replica: {
        get: async () => Promise.reject(new Error('not asked')),
        put: async () => Promise.reject(new Error('not asked'))
      },
      drafts: { list: async () => [...drafts.values()], put: async (d) => void drafts.set(d.key, d) },
      outbox: { list: async () => [], put: async () => undefined },
      marker: { get: async () => marker, set: async (_u, v) => void (marker = v) },
      versions: TEST_VERSIONS
    };
    expect(await migrateLocal(deps)).toMatchObject({ from: 0, to: 1, drafts: 0 });
    expect(drafts.get(key)).toEqual(formDraft);
    expect(marker).toBe(1);

    // A tablet that never had a marker (data of version 1, the current one): recorded as 1, nothing else.
    marker = undefined;
    expect(await migrateLocal({ ...deps, versions: undefined })).toMatchObject({ from: 1, to: 1, drafts: 0, documents: 0 });
    expect(marker).toBe(1);
  });
});
