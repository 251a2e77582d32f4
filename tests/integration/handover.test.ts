/**
 * Release hand-over against a real server and store: the prison's CARE centre hands a person to a
 * probation office. Exactly the person's records move (nothing of another person), the office
 * owns the person document from then on and cannot change the prison's records, the prison's
 * history is closed, both tablets sync afterwards without conflicts, a third unit sees nothing,
 * consent is required, and the hand-over is audited without personal data.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenRevsResult, StoredDoc } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import { care03, referral } from '../../src/lib/domain/services/test-fixtures.ts';
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
import { addThirdOffice, OFFICER_C, UNIT_C } from '../helpers/third-unit.ts';

describe('release hand-over', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await addThirdOffice(server.storage);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const byA = { createdBy: USERS.officerA, updatedBy: USERS.officerA };
  async function bulkDocs(unit: string, username: string, docs: unknown[]): Promise<any[]> {
    const r = await fetch(`${server.url}/sync/${unit}/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(username) },
      body: JSON.stringify({ docs })
    });
    expect(r.status).toBe(201);
    return (await r.json()) as any[];
  }
  async function handOver(username: string, body: object) {
    const r = await fetch(`${server.url}/api/handovers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(username) },
      body: JSON.stringify(body)
    });
    return { status: r.status, body: (await r.json()) as any };
  }
  const idsIn = async (db: PouchDB.Database) => (await db.allDocs()).rows.map((r) => r.id).sort();

  it("moves exactly the person's records, closes the prison's history, and leaks nothing to a third unit", async () => {
    // The prison's records: person P (consents on CARE 01) with a visit and a referral, and person Q.
    const p = makePerson(UNIT_A, byA);
    const interview = makeCare01(p, { consent: 'consents' });
    const visit = care03(UNIT_A, { personId: p._id, ...byA, servedBy: USERS.officerA }, 901);
    const sent = referral(
      UNIT_A,
      {
        personId: p._id,
        ...byA,
        consent: { basis: 'care01', care01Id: interview._id },
        events: [{ status: 'sent', on: '2026-12-01', by: USERS.officerA }]
      },
      901
    );
    const q = makePerson(UNIT_A, byA);
    const qInterview = makeCare01(q, { consent: 'declines' });
    const stored = await bulkDocs(UNIT_A, USERS.officerA, [p, interview, visit, sent, q, qInterview]);
    expect(stored.every((r) => r.ok)).toBe(true);

    const request = {
      personId: p._id,
      fromUnitId: UNIT_A,
      toUnitId: UNIT_B,
      releasedOn: '2026-12-02',
      reason: 'พ้นโทษ กลับภูมิลำเนาจังหวัดลำปาง',
      consent: { basis: 'care01', care01Id: interview._id }
    };

    // Refused: without consent, by someone outside the sending unit, to a unit that is not a probation office.
    const noConsent = await handOver(USERS.officerA, {
      ...request,
      personId: q._id,
      consent: { basis: 'care01', care01Id: qInterview._id }
    });
    expect(noConsent).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^ไม่มีความยินยอมของบุคคล/) } });
    expect((await handOver(USERS.officerB, request)).status).toBe(403);
    expect((await handOver(USERS.officerA, { ...request, toUnitId: UNIT_A })).body.message).toMatch(/same unit/);

    const done = await handOver(USERS.officerA, request);
    expect(done.status).toBe(201);
    expect(done.body.documentIds).toEqual([p._id, ...[interview._id, visit._id, sent._id].sort()]);

    // The office's tablet receives exactly P's records and the hand-over record; nothing of Q.
    const office = localDb('office');
    await replicate(remoteDb(server, UNIT_B, USERS.officerB), office);
    expect(await idsIn(office)).toEqual([p._id, interview._id, visit._id, sent._id, `handover:${p._id.slice(7)}`].sort());
    const received = (await office.get(p._id)) as unknown as StoredDoc;
    expect(received).toMatchObject({ unitId: UNIT_B, firstName: p.firstName });
    // Same revision of the prison's CARE 01 on both sides: the copy is the record, not a re-typed one.
    const original = (await server.storage.openDatabase(unitDatabaseName(UNIT_A)).get(interview._id)) as StoredDoc;
    expect(((await office.get(interview._id)) as unknown as StoredDoc)._rev).toBe(original._rev);

    // The office updates the person; it cannot change the prison's CARE 01.
    await office.put({
      ...received,
      occupationWanted: 'ช่างเชื่อม',
      updatedBy: USERS.officerB,
      updatedAt: new Date().toISOString()
    });
    const care01Copy = (await office.get(interview._id)) as unknown as StoredDoc;
    await office.put({ ...care01Copy, officerOpinion: 'แก้โดยสำนักงาน' });
    const push = await replicate(office, remoteDb(server, UNIT_B, USERS.officerB));
    expect(push.denied).toEqual([expect.objectContaining({ id: interview._id, reason: expect.stringMatching(/another unit/) })]);
    const officePerson = (await server.storage
      .openDatabase(unitDatabaseName(UNIT_B))
      .get(p._id, { open_revs: 'all' })) as OpenRevsResult;
    expect(officePerson).toHaveLength(1); // no conflict
    expect(officePerson[0]).toMatchObject({ ok: { occupationWanted: 'ช่างเชื่อม' } });

    // The prison's tablet syncs on: its history of P is read-only, Q is still its own.
    const prison = localDb('prison');
    await replicate(remoteDb(server, UNIT_A, USERS.officerA), prison);
    const pAtPrison = (await prison.get(p._id)) as unknown as StoredDoc;
    await prison.put({ ...pAtPrison, helpWantedNote: 'แก้หลังส่งต่อ' });
    await prison.put(care03(UNIT_A, { personId: p._id, ...byA, servedBy: USERS.officerA }, 902));
    const qAtPrison = (await prison.get(q._id)) as unknown as StoredDoc;
    await prison.put({ ...qAtPrison, helpWantedNote: 'ยังดูแลอยู่' });
    const prisonPush = await replicate(prison, remoteDb(server, UNIT_A, USERS.officerA));
    expect(prisonPush.denied.map((d) => d.id).sort()).toEqual([p._id, care03(UNIT_A, {}, 902)._id].sort());
    expect(prisonPush.denied[0].reason).toMatch(/handed over to beta-probation/);
    expect(prisonPush.result.docs_written).toBe(1); // Q's change

    // A third office sees nothing of P, and cannot read the other units.
    const third = localDb('third');
    await replicate(remoteDb(server, UNIT_C, OFFICER_C), third);
    expect(await idsIn(third)).toEqual([]);
    const peek = await fetch(`${server.url}/sync/${UNIT_B}/${encodeURIComponent(p._id)}`, {
      headers: { Authorization: basicAuth(OFFICER_C) }
    });
    expect(peek.status).toBe(403);

    // Once only; audited by ids, with no names.
    expect((await handOver(USERS.officerA, request)).status).toBe(409);
    const audit = (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows.map(
      (r) => r.doc as Record<string, unknown>
    );
    const event = audit.find((e) => e?.action === 'handover')!;
    expect(event).toMatchObject({ actor: USERS.officerA, unitId: UNIT_A, target: `unit:${UNIT_B}`, count: 4 });
    expect(JSON.stringify(event)).not.toContain(p.firstName);
  });

  it('lists the probation offices to hand over to', async () => {
    const r = await fetch(`${server.url}/api/handover-targets`, { headers: { Authorization: basicAuth(USERS.officerA) } });
    expect(((await r.json()) as Array<{ id: string }>).map((u) => u.id).sort()).toEqual([UNIT_B, UNIT_C]);
  });
});
