/**
 * The rule corrections as the server enforces them, over real HTTP and a real store: a CARE 01
 * dated after the day it was saved is refused (the tablet's "Save anyway" cannot store one), with
 * the human reason naming the field; a life sentence, a person's new basic fields, a person record
 * made before them, and a merged (retired) person record are all accepted.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkDoc } from '../../src/lib/domain/validate-doc.ts';
import { planMerge } from '../../src/lib/domain/duplicates.ts';
import {
  closeClients,
  localDb,
  makeCare01,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';

describe('rule corrections at the sync gate', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  it('refuses a CARE 01 dated in the future and stores the valid rest of the batch', async () => {
    const tablet = localDb('rules-tablet');
    const person = makePerson(UNIT_A, {
      nationality: 'ไทย',
      personStatus: 'thai',
      religion: 'islam',
      registeredAddress: { subdistrict: 'บ้านเป้า', district: 'เมืองลำปาง', province: 'ลำปาง' }
    });
    const updatedAt = '2026-11-20T03:00:00.000Z';
    const future = makeCare01(person, { interviewDate: '2026-11-21', createdAt: updatedAt, updatedAt });
    const life = makeCare01(person, {
      interviewDate: '2026-11-20',
      createdAt: updatedAt,
      updatedAt,
      sentence: { years: 0, months: 0, days: 0, life: true }
    });
    const oldStyle = makePerson(UNIT_A);
    const other = makePerson(UNIT_A);
    const merge = planMerge(person, other, { username: USERS.officerA, at: updatedAt });
    if (!merge.ok) throw new Error(merge.problem);
    await tablet.bulkDocs([merge.kept, future, life, oldStyle, merge.retired]);
    const { result, denied } = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));

    expect(denied.map((d) => d.id)).toEqual([future._id]);
    expect(denied[0].reason).toBe('interviewDate: วันที่สัมภาษณ์อยู่ในอนาคต / the interview date is in the future');
    expect(result.doc_write_failures).toBe(1);
    // The same gate gives the tablet a code and the field.
    expect(checkDoc(future, UNIT_A)).toMatchObject({ ok: false, code: 'future-date', field: 'interviewDate' });

    const db = server.storage.openDatabase(unitDatabaseName(UNIT_A));
    expect(await db.get(life._id)).toMatchObject({ sentence: { life: true } });
    expect(await db.get(person._id)).toMatchObject({
      religion: 'islam',
      registeredAddress: { province: 'ลำปาง' },
      merges: [{ personId: other._id }]
    });
    expect(await db.get(oldStyle._id)).toMatchObject({ prisonerId: oldStyle.prisonerId });
    expect(await db.get(other._id)).toMatchObject({ mergedInto: person._id });
  });
});
