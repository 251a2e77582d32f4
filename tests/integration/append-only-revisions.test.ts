/**
 * Interviews (CARE 01) and follow-up reports are append-only: every revision the server stores
 * must descend from what it already holds of that record. A replicated revision from outside the
 * stored revision tree (a forged `999999999-…` that would win every conflict for ever, or a
 * second "first version" of a record) is refused, and the stored one stays the record.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  basicAuth,
  closeClients,
  makeCare01,
  makePerson,
  startTestServer,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { makeFollowUp, seedVolunteers, VOLUNTEERS } from '../helpers/volunteers.ts';

describe('append-only records: revisions must descend from what the server holds', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await seedVolunteers(server);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const serverDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_B));
  const liveLeaves = async (id: string) =>
    ((await serverDb().get(id, { open_revs: 'all' })) as Array<{ ok?: StoredDoc }>).flatMap((l) =>
      l.ok && !l.ok._deleted ? [l.ok] : []
    );

  async function bulkDocs(username: string, docs: unknown[], newEdits = true): Promise<{ status: number; body: any }> {
    const response = await fetch(`${server.url}/sync/${UNIT_B}/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(username) },
      body: JSON.stringify({ docs, new_edits: newEdits })
    });
    return { status: response.status, body: await response.json() };
  }

  const replicated = (doc: object, generation: number, ids: string[]) => ({
    ...doc,
    _rev: `${generation}-${ids[0]}`,
    _revisions: { start: generation, ids }
  });

  it("refuses a forged 999999999-… revision that would replace a volunteer's report, and keeps the report", async () => {
    const person = makePerson(UNIT_B, {
      createdBy: USERS.officerB,
      updatedBy: USERS.officerB,
      assignedVolunteers: [VOLUNTEERS.one]
    });
    expect((await bulkDocs(USERS.officerB, [person])).body[0].ok).toBe(true);
    const report = makeFollowUp(person, {
      visitor: 'volunteer',
      createdBy: VOLUNTEERS.one,
      updatedBy: VOLUNTEERS.one,
      otherDetails: 'พบตัว สบายดี'
    });
    const written = await bulkDocs(VOLUNTEERS.one, [report]);
    expect(written.body[0]).toMatchObject({ ok: true, id: report._id });
    const volunteerRev = written.body[0].rev as string;

    // Same stamps (so the stamp rule alone lets it through), other text, a revision outside the tree.
    const forged = replicated({ ...report, otherDetails: 'ไม่พบตัว', updatedBy: USERS.officerB }, 999_999_999, ['f'.repeat(32)]);
    const answer = await bulkDocs(USERS.officerB, [forged], false);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual([
      {
        id: report._id,
        rev: forged._rev,
        error: 'forbidden',
        reason: expect.stringMatching(/does not descend from the version the server holds/)
      }
    ]);
    expect(answer.body[0].reason).toMatch(/ไม่ได้ต่อจากฉบับที่เซิร์ฟเวอร์มี/);
    const leaves = await liveLeaves(report._id);
    expect(leaves.map((l) => l._rev)).toEqual([volunteerRev]);
    expect(await serverDb().get(report._id)).toMatchObject({ _rev: volunteerRev, otherDetails: 'พบตัว สบายดี' });
  });

  it('accepts a replicated correction that descends from the stored revision, and a re-sent stored revision', async () => {
    const person = makePerson(UNIT_B, { createdBy: USERS.officerB, updatedBy: USERS.officerB });
    const report = makeFollowUp(person);
    await bulkDocs(USERS.officerB, [person]);
    const first = replicated(report, 1, ['a'.repeat(32)]);
    expect(await bulkDocs(USERS.officerB, [first], false)).toEqual({ status: 201, body: [] });
    const correction = replicated({ ...report, otherDetails: 'แก้คำผิด' }, 2, ['b'.repeat(32), 'a'.repeat(32)]);
    // The first again (a retried push) and its correction: both fine.
    expect(await bulkDocs(USERS.officerB, [first, correction], false)).toEqual({ status: 201, body: [] });
    expect((await liveLeaves(report._id)).map((l) => l._rev)).toEqual([correction._rev]);
  });

  it('refuses a second first version of a stored interview, and accepts two revisions of a new one sent together', async () => {
    const person = makePerson(UNIT_B, { createdBy: USERS.officerB, updatedBy: USERS.officerB });
    await bulkDocs(USERS.officerB, [person]);
    const interview = makeCare01(person);
    const stored = replicated(interview, 1, ['1'.repeat(32)]);
    const edited = replicated({ ...interview, offence: 'ฉ้อโกง' }, 2, ['2'.repeat(32), '1'.repeat(32)]);
    expect((await bulkDocs(USERS.officerB, [stored, edited], false)).body).toEqual([]);
    const rival = replicated({ ...interview, offence: 'ยักยอก' }, 1, ['3'.repeat(32)]);
    const { body } = await bulkDocs(USERS.officerB, [rival], false);
    expect(body).toEqual([
      { id: interview._id, rev: rival._rev, error: 'forbidden', reason: expect.stringMatching(/does not descend/) }
    ]);
    expect((await liveLeaves(interview._id)).map((l) => l._rev)).toEqual([edited._rev]);
  });
});
