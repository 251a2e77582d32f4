import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, type StoredDoc } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  basicAuth,
  closeClients,
  localDb,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { makeFollowUp } from '../helpers/volunteers.ts';

describe('follow-up reports: stamps the server keeps', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const serverDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_B));
  const officer = () => makePerson(UNIT_B, { createdBy: USERS.officerB, updatedBy: USERS.officerB });

  async function bulkDocs(docs: unknown[], newEdits = true): Promise<{ status: number; body: any }> {
    const response = await fetch(`${server.url}/sync/${UNIT_B}/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(USERS.officerB) },
      body: JSON.stringify({ docs, new_edits: newEdits })
    });
    return { status: response.status, body: await response.json() };
  }

  it('refuses a later revision whose recordedAt differs from the one first stored, and keeps the stored one', async () => {
    const person = officer();
    const report = makeFollowUp(person, { recordedAt: '2026-11-02T03:15:00.000Z', visitDate: '2026-11-02' });
    const first = await bulkDocs([person, report]);
    expect(first.status).toBe(201);
    expect(first.body.every((row: { ok?: boolean }) => row.ok)).toBe(true);
    const rev = first.body[1].rev as string;

    // Re-stamped a week later, as if it had been entered then: refused, per document.
    const restamped = { ...report, _rev: rev, recordedAt: '2026-11-09T03:15:00.000Z', updatedAt: '2026-11-09T03:15:00.000Z' };
    const second = await bulkDocs([restamped]);
    expect(second.status).toBe(201);
    expect(second.body).toEqual([
      {
        id: report._id,
        rev,
        error: 'forbidden',
        reason: expect.stringMatching(/recordedAt stamp cannot be changed \(first recorded 2026-11-02T03:15:00.000Z\)/)
      }
    ]);
    expect(second.body[0].reason).toMatch(/เวลาที่บันทึก/);
    const stored = (await serverDb().get(report._id)) as StoredDoc;
    expect(stored).toMatchObject({ _rev: rev, recordedAt: '2026-11-02T03:15:00.000Z' });
  });

  it('refuses an altered stamp arriving by replication as a conflicting revision (not only the winner is compared)', async () => {
    const person = officer();
    const report = makeFollowUp(person, { recordedAt: '2026-11-03T01:00:00.000Z', visitDate: '2026-11-03' });
    await bulkDocs([person, report]);
    const tablet = localDb('tablet');
    // The tablet has its own first revision of the same id (same id, different stamp): pushed
    // with new_edits=false it would become a second leaf beside the stored one.
    await tablet.put({ ...report, recordedAt: '2026-11-10T01:00:00.000Z' });
    const { result, denied } = await replicate(tablet, remoteDb(server, UNIT_B, USERS.officerB));
    expect(result.doc_write_failures).toBe(1);
    expect(denied).toEqual([
      expect.objectContaining({ id: report._id, name: 'forbidden', reason: expect.stringMatching(/recordedAt/) })
    ]);
    const leaves = (await serverDb().get(report._id, { open_revs: 'all' })) as Array<{ ok: StoredDoc }>;
    expect(leaves.map((l) => l.ok.recordedAt)).toEqual(['2026-11-03T01:00:00.000Z']);
  });

  it('refuses, within one batch, a second revision of a new report that changes the stamp set by the first', async () => {
    const person = officer();
    const report = makeFollowUp(person, { recordedAt: '2026-11-04T01:00:00.000Z', visitDate: '2026-11-04' });
    await bulkDocs([person]);
    const a = { ...report, _rev: '1-aaaa', _revisions: { start: 1, ids: ['aaaa'] } };
    const b = { ...report, _rev: '1-bbbb', _revisions: { start: 1, ids: ['bbbb'] }, recordedAt: '2026-11-05T01:00:00.000Z' };
    const { status, body } = await bulkDocs([a, b], false);
    expect(status).toBe(201);
    expect(body).toEqual([{ id: report._id, rev: '1-bbbb', error: 'forbidden', reason: expect.stringMatching(/recordedAt/) }]);
    const leaves = (await serverDb().get(report._id, { open_revs: 'all' })) as Array<{ ok: StoredDoc }>;
    expect(leaves.map((l) => l.ok._rev)).toEqual(['1-aaaa']);
  });

  it('two tablets pushing the same new report with different stamps at the same moment: one is stored, the other refused', async () => {
    const person = officer();
    await bulkDocs([person]);
    for (let round = 0; round < 5; round++) {
      const report = makeFollowUp(person, { recordedAt: '2026-11-04T01:00:00.000Z', visitDate: '2026-11-04' });
      const a = { ...report, _rev: '1-aaaa', _revisions: { start: 1, ids: ['aaaa'] } };
      const b = { ...report, _rev: '1-bbbb', _revisions: { start: 1, ids: ['bbbb'] }, recordedAt: '2026-11-05T01:00:00.000Z' };
      const answers = await Promise.all([bulkDocs([a], false), bulkDocs([b], false)]);
      const refusals = answers.flatMap((x) => x.body);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ id: report._id, error: 'forbidden', reason: expect.stringMatching(/recordedAt/) });
      const leaves = (await serverDb().get(report._id, { open_revs: 'all' })) as Array<{ ok: StoredDoc }>;
      expect(leaves).toHaveLength(1);
    }
  });

  it('refuses a visit dated after the moment it was recorded (in Thai time), and stores nothing of it', async () => {
    const person = officer();
    // 2026-11-05 23:30 in Bangkok is 16:30 UTC: a visit "on the 6th" recorded then is in the future.
    const futureVisit = makeFollowUp(person, { recordedAt: '2026-11-05T16:30:00.000Z', visitDate: '2026-11-06' });
    // 00:30 on the 6th in Bangkok (17:30 UTC on the 5th): the same visit date is fine.
    const sameDay = makeFollowUp(person, { recordedAt: '2026-11-05T17:30:00.000Z', visitDate: '2026-11-06' });
    const { body } = await bulkDocs([person, futureVisit, sameDay]);
    expect(body[0].ok).toBe(true);
    expect(body[1]).toEqual({
      id: futureVisit._id,
      error: 'forbidden',
      reason: expect.stringMatching(/visitDate: .*the visit date is after the moment it was recorded/),
      code: 'visit-after-recorded',
      field: 'visitDate'
    });
    expect(body[2].ok).toBe(true);
    await expect(serverDb().get(futureVisit._id)).rejects.toSatisfy(isNotFound);
  });

  it('accepts a correction of the details with identical stamps (append-only keeps the stamps, not the text)', async () => {
    const person = officer();
    const report = makeFollowUp(person, {
      recordedAt: '2026-11-06T02:00:00.000Z',
      visitDate: '2026-11-05',
      otherDetails: 'พบที่บ้นา'
    });
    const first = await bulkDocs([person, report]);
    const corrected = { ...report, _rev: first.body[1].rev, otherDetails: 'พบที่บ้าน', updatedAt: '2026-11-07T02:00:00.000Z' };
    const second = await bulkDocs([corrected]);
    expect(second.body).toEqual([{ ok: true, id: report._id, rev: expect.stringMatching(/^2-/) }]);
    expect(await serverDb().get(report._id)).toMatchObject({ otherDetails: 'พบที่บ้าน', recordedAt: '2026-11-06T02:00:00.000Z' });
  });

  it('refuses re-dating the visit, or moving the report to another person or visitor', async () => {
    const person = officer();
    const other = officer();
    const report = makeFollowUp(person, { recordedAt: '2026-11-08T02:00:00.000Z', visitDate: '2026-11-08' });
    const first = await bulkDocs([person, other, report]);
    const rev = first.body[2].rev;
    const { body } = await bulkDocs([{ ...report, _rev: rev, visitDate: '2026-10-01' }]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/visitDate cannot be changed/) });
    const moved = await bulkDocs([{ ...report, _rev: rev, personId: other._id }]);
    expect(moved.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/personId cannot be changed/) });
    const visitor = await bulkDocs([{ ...report, _rev: rev, visitor: 'community-leader' }]);
    expect(visitor.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/visitor cannot be changed/) });
    expect(await serverDb().get(report._id)).toMatchObject({
      _rev: rev,
      visitDate: '2026-11-08',
      personId: person._id,
      visitor: 'probation-officer'
    });
  });

  it('refuses an altered stamp through PUT /sync/U/DOCID too, and audits every refusal', async () => {
    const person = officer();
    const report = makeFollowUp(person, { recordedAt: '2026-11-09T02:00:00.000Z', visitDate: '2026-11-09' });
    const first = await bulkDocs([person, report]);
    const response = await fetch(`${server.url}/sync/${UNIT_B}/${encodeURIComponent(report._id)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(USERS.officerB) },
      body: JSON.stringify({ ...report, _rev: first.body[1].rev, recordedAt: '2026-11-20T02:00:00.000Z' })
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/recordedAt/) });
    const audit = (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows.map((r) => r.doc as any);
    expect(
      audit.some(
        (e) =>
          e.endpoint === 'put' &&
          e.refused.some((r: { id: string; reason: string }) => r.id === report._id && /recordedAt/.test(r.reason))
      )
    ).toBe(true);
  });
});
