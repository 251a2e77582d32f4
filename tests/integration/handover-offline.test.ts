/**
 * A hand-over recorded offline on the prison's tablet (a `handoverrequest:` document) against a
 * real server and store: pushed by replication, the server carries it out — the person's records
 * copied to exactly the receiving office, a third unit sees nothing — and writes the outcome,
 * which the tablet pulls back. Pushing the same request again changes nothing. Without consent
 * the outcome is "refused" with the reason; a client cannot write an outcome itself.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import { care03 } from '../../src/lib/domain/services/test-fixtures.ts';
import type { HandoverRequestDoc } from '../../src/lib/domain/services/handover.ts';
import {
  basicAuth,
  closeClients,
  localDb,
  makeCare01,
  makeHandoverRequest,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { addThirdOffice, OFFICER_C, UNIT_C } from '../helpers/third-unit.ts';

describe('a hand-over recorded offline ("ส่งต่อการดูแลให้สำนักงานคุมประพฤติ")', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await addThirdOffice(server.storage);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const byA = { createdBy: USERS.officerA, updatedBy: USERS.officerA };
  const at = new Date().toISOString();
  const requestDoc = (personId: string, care01Id: string) => makeHandoverRequest(personId, care01Id, at);
  const idsIn = async (db: PouchDB.Database) => (await db.allDocs()).rows.map((r) => r.id).sort();
  const unitStore = (unitId: string) => server.storage.openDatabase(unitDatabaseName(unitId));

  it('is carried out when replication brings it: exactly the person to the office, nothing to a third unit, once', async () => {
    const p = makePerson(UNIT_A, byA);
    const interview = makeCare01(p, { consent: 'consents' });
    const visit = care03(UNIT_A, { personId: p._id, ...byA, servedBy: USERS.officerA }, 951);
    const q = makePerson(UNIT_A, byA);
    const tablet = localDb('prison-tablet');
    // Recorded on the tablet, offline: the person's records and the hand-over request wait there.
    const request = requestDoc(p._id, interview._id);
    for (const doc of [p, interview, visit, q, request]) await tablet.put(doc as never);
    expect((await unitStore(UNIT_B).allDocs({ keys: [p._id] })).rows[0]).toMatchObject({ error: 'not_found' });

    // Signal returns: one push.
    const push = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(push.denied).toEqual([]);

    // The office holds exactly P's records (not Q, not the request) and the hand-over record.
    const office = localDb('office');
    await replicate(remoteDb(server, UNIT_B, USERS.officerB), office);
    expect(await idsIn(office)).toEqual([p._id, interview._id, visit._id, `handover:${p._id.slice(7)}`].sort());
    expect((await office.get(p._id)) as unknown as StoredDoc).toMatchObject({ unitId: UNIT_B });

    // The outcome syncs back to the tablet.
    await replicate(remoteDb(server, UNIT_A, USERS.officerA), tablet);
    const answered = (await tablet.get(request._id)) as unknown as HandoverRequestDoc;
    expect(answered.outcome).toMatchObject({ status: 'done' });
    expect((await tablet.get(`handover:${p._id.slice(7)}`)) as unknown as StoredDoc).toMatchObject({ toUnitId: UNIT_B });

    // A third unit sees nothing.
    const third = localDb('third');
    await replicate(remoteDb(server, UNIT_C, OFFICER_C), third);
    expect(await idsIn(third)).toEqual([]);

    // Pushing the same request again (as replicated, and as a plain write of the original) changes nothing.
    const officeSeq = (await unitStore(UNIT_B).info()).update_seq;
    const again = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(USERS.officerA) },
      body: JSON.stringify({ docs: [{ ...request, _rev: await revOf(request._id, 1) }], new_edits: false })
    });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual([]);
    expect((await unitStore(UNIT_B).info()).update_seq).toEqual(officeSeq);
    const stored = (await unitStore(UNIT_A).get(request._id)) as unknown as HandoverRequestDoc & { _rev: string };
    expect(stored._rev).toMatch(/^2-/);
    expect(stored.outcome?.status).toBe('done');
    const audit = (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows.map(
      (r) => r.doc as Record<string, unknown>
    );
    const events = audit.filter((e) => e?.action === 'handover' && (e.ids as string[] | undefined)?.includes(p._id));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).not.toContain(p.firstName);
  });

  /** The revision of generation `n` the server holds for `id`. */
  async function revOf(id: string, n: number): Promise<string> {
    const doc = (await unitStore(UNIT_A).get(id, { revs: true })) as StoredDoc & { _revisions: { start: number; ids: string[] } };
    return `${n}-${doc._revisions.ids[doc._revisions.start - n]}`;
  }

  it('without consent the server refuses it, with the reason on the request; nothing reaches the office', async () => {
    const p = makePerson(UNIT_A, byA);
    const interview = makeCare01(p, { consent: 'declines' });
    const tablet = localDb('prison-tablet-2');
    const request = requestDoc(p._id, interview._id);
    for (const doc of [p, interview, request]) await tablet.put(doc as never);
    await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    await replicate(remoteDb(server, UNIT_A, USERS.officerA), tablet);
    const answered = (await tablet.get(request._id)) as unknown as HandoverRequestDoc;
    expect(answered.outcome).toMatchObject({ status: 'refused', reason: expect.stringMatching(/^ไม่มีความยินยอมของบุคคล/) });
    expect((await unitStore(UNIT_B).allDocs({ keys: [p._id] })).rows[0]).toMatchObject({ error: 'not_found' });
    // The prison still owns the person and records for them.
    const later = care03(UNIT_A, { personId: p._id, ...byA, servedBy: USERS.officerA }, 952);
    await tablet.put(later as never);
    expect((await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA))).denied).toEqual([]);
  });

  it('a client cannot write the outcome itself, nor change a stored request', async () => {
    const p = makePerson(UNIT_A, byA);
    const interview = makeCare01(p, { consent: 'consents' });
    const forged = { ...requestDoc(p._id, interview._id), outcome: { status: 'done', at } };
    const r = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(USERS.officerA) },
      body: JSON.stringify({ docs: [p, interview, forged] })
    });
    const rows = (await r.json()) as Array<{ id: string; ok?: boolean; error?: string; reason?: string }>;
    expect(rows.find((row) => row.id === forged._id)).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/only the server/)
    });
    expect((await unitStore(UNIT_B).allDocs({ keys: [p._id] })).rows[0]).toMatchObject({ error: 'not_found' });
  });
});
