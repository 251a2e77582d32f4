/**
 * The one deletion a unit accepts: a tablet merging a conflict deletes the versions the officer
 * did not keep. The server stores such a tombstone only while the document keeps a live version,
 * so a document itself can never be deleted through sync. Real pouchdb-node clients, real HTTP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
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

describe('deleting a conflicting version through sync', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const serverLeaves = async (id: string) => {
    const leaves = (await server.storage.openDatabase(unitDatabaseName(UNIT_A)).get(id, { open_revs: 'all' })) as Array<{
      ok?: { _rev: string; _deleted?: boolean; lastName?: string };
    }>;
    return leaves.flatMap((l) => (l.ok ? [l.ok] : []));
  };

  it('stores the merge and the deletion of the losing branch: one live version remains', async () => {
    const remote = remoteDb(server, UNIT_A, USERS.officerA);
    const a = localDb('tablet-a');
    const b = localDb('tablet-b');
    const person = makePerson(UNIT_A);
    await a.put(person);
    await replicate(a, remote);
    await replicate(remote, b);
    // Both edit offline, both push: the server holds two live versions.
    const fromA = await a.get(person._id);
    await a.put({ ...fromA, lastName: 'ฉบับเอ' });
    const fromB = await b.get(person._id);
    await b.put({ ...fromB, lastName: 'ฉบับบี' });
    await replicate(a, remote);
    await replicate(b, remote);
    expect((await serverLeaves(person._id)).filter((l) => !l._deleted)).toHaveLength(2);

    // Tablet B pulls, merges on the winning branch and deletes the other, as conflicts.ts does.
    await replicate(remote, b);
    const winner = (await b.get(person._id, { conflicts: true })) as typeof person & { _rev: string; _conflicts: string[] };
    expect(winner._conflicts).toHaveLength(1);
    const { _conflicts, ...body } = winner;
    void _conflicts;
    await b.put({ ...body, lastName: 'ฉบับเอ / ฉบับบี' });
    await b.remove(person._id, winner._conflicts[0]);
    const push = await replicate(b, remote);
    expect(push.denied).toEqual([]);
    expect(push.result.doc_write_failures).toBe(0);

    const live = (await serverLeaves(person._id)).filter((l) => !l._deleted);
    expect(live).toHaveLength(1);
    expect(live[0].lastName).toBe('ฉบับเอ / ฉบับบี');
    // Tablet A gets the merge and no conflict is left there either.
    await replicate(remote, a);
    const onA = (await a.get(person._id, { conflicts: true })) as { lastName: string; _conflicts?: string[] };
    expect(onA.lastName).toBe('ฉบับเอ / ฉบับบี');
    expect(onA._conflicts ?? []).toEqual([]);
  });

  it('refuses the deletion of the last live version, and one that carries data', async () => {
    const remote = remoteDb(server, UNIT_A, USERS.officerA);
    const tablet = localDb('tablet-c');
    const person = makePerson(UNIT_A);
    await tablet.put(person);
    await replicate(tablet, remote);
    const current = await tablet.get(person._id);
    await tablet.remove(person._id, current._rev);
    const push = await replicate(tablet, remote);
    expect(push.denied.map((d) => d.id)).toEqual([person._id]);
    expect(push.denied[0].reason).toMatch(/last version/);
    expect((await serverLeaves(person._id)).filter((l) => !l._deleted)).toHaveLength(1);

    // A hand-made "deletion" with fields in it is not a tombstone: refused by the normal gate.
    const res = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${USERS.officerA}:Test-Pass-2569!`).toString('base64'),
        'content-type': 'application/json'
      },
      body: JSON.stringify({
        new_edits: false,
        docs: [{ ...person, _rev: '2-abc', _revisions: { start: 2, ids: ['abc', current._rev.split('-')[1]] }, _deleted: true }]
      })
    });
    const rows = (await res.json()) as Array<{ error?: string; reason?: string }>;
    expect(rows[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/cannot be deleted/) });
    expect((await serverLeaves(person._id)).filter((l) => !l._deleted)).toHaveLength(1);
  });
});
