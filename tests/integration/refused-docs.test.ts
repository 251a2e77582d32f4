import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/lib/domain/national-id.ts';
import { isNotFound } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  basicAuth,
  closeClients,
  localDb,
  makeCare01,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('documents the server refuses', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const serverDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_A));
  const absentOnServer = (id: string) =>
    serverDb()
      .get(id)
      .then(
        () => false,
        (e) => isNotFound(e)
      );
  const auditEntries = async () =>
    (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows.map((r) => r.doc as Record<string, any>);

  it('counts them as doc_write_failures with reasons, and stores the valid rest of the batch', async () => {
    const tablet = localDb('tablet');
    const person = makePerson(UNIT_A);
    const interview = makeCare01(person);
    const { firstName: _dropped, ...wrongShape } = makePerson(UNIT_A);
    const otherUnit = makePerson(UNIT_B);
    const valid = withCheckDigit('310120000042');
    const badDigit = makePerson(UNIT_A, {
      nationalId: { status: 'number', number: valid.slice(0, 12) + ((Number(valid[12]) + 1) % 10), source: 'typed' }
    });
    const deletedLocally = makePerson(UNIT_A);
    await tablet.bulkDocs([person, interview, wrongShape, otherUnit, badDigit, deletedLocally]);
    await tablet.remove(deletedLocally._id, (await tablet.get(deletedLocally._id))._rev);
    await tablet.put({ _id: '_design/reports', views: { all: { map: 'function (doc) { emit(doc._id); }' } } });

    const { result, denied } = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(result.ok).toBe(true);
    expect(result.docs_written).toBe(2);
    expect(result.doc_write_failures).toBe(5);
    expect(result.errors).toHaveLength(5);

    const reasons = Object.fromEntries(denied.map((d) => [d.id, d.reason]));
    expect(denied.every((d) => d.name === 'forbidden')).toBe(true);
    expect(Object.keys(reasons).sort()).toEqual(
      [wrongShape._id, otherUnit._id, badDigit._id, deletedLocally._id, '_design/reports'].sort()
    );
    expect(reasons[wrongShape._id]).toMatch(/firstName/);
    expect(reasons[otherUnit._id]).toMatch(/another unit/);
    expect(reasons[badDigit._id]).toMatch(/check digit/);
    expect(reasons[deletedLocally._id]).toMatch(/cannot be deleted/);
    expect(reasons['_design/reports']).toMatch(/design documents/);

    // PouchDB's checkpoint moves past refused documents: the next sync does not offer them
    // again. The app has to remember 'denied' ids itself to show them to the officer.
    const again = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(again.result.docs_read).toBe(0);
    expect(again.result.doc_write_failures).toBe(0);

    expect(await serverDb().get(person._id)).toMatchObject({ firstName: person.firstName });
    expect(await serverDb().get(interview._id)).toMatchObject({ personId: person._id });
    for (const id of [wrongShape._id, otherUnit._id, badDigit._id, deletedLocally._id, '_design/reports'])
      expect(await absentOnServer(id)).toBe(true);

    // The audit trail: who, where, how many, which ids and why, and no names.
    const entry = (await auditEntries()).find((e) => e.refused?.length === 5);
    expect(entry).toMatchObject({
      username: USERS.officerA,
      unitId: UNIT_A,
      endpoint: '_bulk_docs',
      newEdits: false,
      accepted: 2
    });
    expect(entry!.refused.map((r: { id: string }) => r.id).sort()).toEqual(Object.keys(reasons).sort());
    const auditText = JSON.stringify(await auditEntries());
    for (const doc of [person, otherUnit, badDigit, deletedLocally]) {
      expect(auditText).not.toContain(doc.firstName);
      expect(auditText).not.toContain(doc.lastName);
    }
    expect(auditText).not.toContain(valid.slice(0, 12));
  });

  it('refuses to delete a record the server holds, and keeps it', async () => {
    const tablet = localDb('deleter');
    const remote = remoteDb(server, UNIT_A, USERS.officerA);
    const person = makePerson(UNIT_A);
    await tablet.put(person);
    expect((await replicate(tablet, remote)).result.docs_written).toBe(1);
    await tablet.remove(person._id, (await tablet.get(person._id))._rev);
    const { result, denied } = await replicate(tablet, remote);
    expect(result.doc_write_failures).toBe(1);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ id: person._id, name: 'forbidden' });
    const kept = (await serverDb().get(person._id)) as Record<string, unknown>;
    expect(kept._deleted).toBeUndefined();
    expect(kept.firstName).toBe(person.firstName);
  });

  it('answers _bulk_docs per document in order, in CouchDB shape', async () => {
    const url = `${server.url}/sync/${UNIT_A}/_bulk_docs`;
    const headers = { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' };
    const good1 = makePerson(UNIT_A);
    const bad = makePerson(UNIT_A, { title: 'sir' as never });
    const good2 = makeCare01(good1);
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ docs: [good1, bad, good2] }) });
    expect(response.status).toBe(201);
    const rows = await response.json();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ ok: true, id: good1._id });
    expect(rows[0].rev).toMatch(/^1-[0-9a-f]{32}$/);
    expect(rows[1]).toMatchObject({ id: bad._id, error: 'forbidden' });
    expect(rows[1].reason).toMatch(/title/);
    // Beside the human reason, the catalogue's code and the field, for the tablet to word and point at.
    expect(rows[1]).toMatchObject({ code: 'not-a-choice', field: 'title' });
    expect(rows[2]).toMatchObject({ ok: true, id: good2._id });
    expect(await absentOnServer(bad._id)).toBe(true);

    // Replicated revisions whose history does not match their _rev are refused, not stored.
    const odd = { ...makePerson(UNIT_A), _rev: '3-abc', _revisions: { start: 1, ids: ['abc'] } };
    const replicated = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ docs: [odd], new_edits: false }) });
    expect(await replicated.json()).toEqual([
      { id: odd._id, rev: '3-abc', error: 'forbidden', reason: '_revisions does not match _rev' }
    ]);

    for (const body of ['{"docs": [', JSON.stringify({ nodocs: [] }), JSON.stringify({ docs: [], new_edits: 'no' })]) {
      const r = await fetch(url, { method: 'POST', headers, body });
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ error: 'bad_request' });
    }
  });

  it('screens a single PUT the same way and never deletes', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' };
    const good = makePerson(UNIT_A);
    const put = await fetch(`${server.url}/sync/${UNIT_A}/${good._id}`, { method: 'PUT', headers, body: JSON.stringify(good) });
    expect(put.status).toBe(201);
    const { rev } = await put.json();
    const bad = makePerson(UNIT_B);
    const refused = await fetch(`${server.url}/sync/${UNIT_A}/${bad._id}`, { method: 'PUT', headers, body: JSON.stringify(bad) });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'forbidden' });
    const del = await fetch(`${server.url}/sync/${UNIT_A}/${good._id}?rev=${rev}`, { method: 'DELETE', headers });
    expect(del.status).toBe(403);
    expect(await serverDb().get(good._id)).toMatchObject({ _rev: rev });
  });
});
