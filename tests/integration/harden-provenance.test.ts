/**
 * Issue 9, item 4 (authorship and time): the server holds every revision to the session that
 * sends it — `updatedBy` is the sender, `createdBy` the sender for a new record and the stored
 * author afterwards — and refuses visit/interview dates outside 2000-01-01 … tomorrow (Bangkok),
 * each with a readable reason, storing nothing of the refused document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound } from '../../sync-server/storage/port.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { createUser } from '../../sync-server/users.ts';
import {
  basicAuth,
  makeCare01,
  makePerson,
  PASSWORD,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { makeFollowUp } from '../helpers/volunteers.ts';

const SECOND_OFFICER = 'officer.a2';

describe('authorship and dates stamped against the session and the server clock', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await createUser(server.storage, {
      username: SECOND_OFFICER,
      displayName: 'Officer A2',
      role: 'officer',
      units: [UNIT_A],
      password: PASSWORD
    });
  });
  afterAll(async () => server.stop());

  const push = async (docs: unknown[], username: string = USERS.officerA) => {
    const response = await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { Authorization: basicAuth(username), 'Content-Type': 'application/json' },
      body: JSON.stringify({ docs })
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Array<{ id: string; ok?: boolean; rev?: string; error?: string; reason?: string }>;
  };
  const absent = (id: string) =>
    server.storage
      .openDatabase(unitDatabaseName(UNIT_A))
      .get(id)
      .then(() => false, isNotFound);

  it("refuses a new record credited to another unit's user, or to nobody the session knows", async () => {
    const forged = makePerson(UNIT_A, { createdBy: USERS.officerB, updatedBy: USERS.officerA });
    const [row] = await push([forged]);
    expect(row).toMatchObject({
      id: forged._id,
      error: 'forbidden',
      reason: expect.stringMatching(/^createdBy: ระเบียนใหม่ต้องบันทึกในชื่อของผู้ส่ง \(officer\.a\)/)
    });
    expect(await absent(forged._id)).toBe(true);
    const [other] = await push([makePerson(UNIT_A, { updatedBy: 'nobody' })]);
    expect(other.reason).toMatch(/^updatedBy: .*must be the signed-in user who sends it/);
  });

  it("accepts another officer's edit that keeps the author, and refuses one that rewrites it", async () => {
    const person = makePerson(UNIT_A);
    const [created] = await push([person]);
    expect(created.ok).toBe(true);
    const edit = { ...person, _rev: created.rev, createdBy: SECOND_OFFICER, updatedBy: SECOND_OFFICER, lastName: 'แก้ไข' };
    const [rewritten] = await push([edit], SECOND_OFFICER);
    expect(rewritten.reason).toMatch(/^createdBy: ผู้สร้างระเบียนเปลี่ยนไม่ได้ \(officer\.a\)/);
    const [kept] = await push([{ ...edit, createdBy: USERS.officerA }], SECOND_OFFICER);
    expect(kept.ok).toBe(true);
  });

  it('refuses follow-ups and interviews dated before 2000 or after tomorrow in Bangkok', async () => {
    const person = makePerson(UNIT_A);
    await push([person]);
    const old = makeFollowUp(person, { visitDate: '1999-06-01' });
    const future = makeFollowUp(person, { visitDate: '2099-06-01', recordedAt: '2099-06-01T03:00:00.000Z' });
    const interview = makeCare01(person, { interviewDate: '2099-01-01' });
    const fine = makeFollowUp(person, { visitDate: '2019-06-01' });
    const rows = await push([old, future, interview, fine]);
    expect(rows[0].reason).toMatch(/^visitDate: วันที่ก่อน 2000-01-01/);
    expect(rows[1].reason).toMatch(/^visitDate: วันที่อยู่ในอนาคต/);
    // The CARE 01 schema itself refuses a future interview date (the tablet's own check), before
    // the server's plausibility window is asked.
    expect(rows[2].reason).toMatch(/^interviewDate: วันที่(สัมภาษณ์)?อยู่ในอนาคต/);
    // A late entry of an old visit is allowed: its recordedAt (now) shows the gap (follow-up rules).
    expect(rows[3].ok).toBe(true);
    for (const doc of [old, future, interview]) expect(await absent(doc._id)).toBe(true);
  });
});
