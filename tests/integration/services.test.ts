/**
 * The write gate for service documents against a real server and store: CARE 03/04 append-only,
 * referrals need consent, assistance-request steps only by the duty of the step, attachments
 * size- and type-limited. Both through _bulk_docs and through a real PouchDB tablet replicating.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  assistanceRequest,
  attachment,
  care03,
  care04,
  consentRecord,
  referral,
  serviceDocId
} from '../../src/lib/domain/services/test-fixtures.ts';
import type { RequestEntry } from '../../src/lib/domain/services/assistance-request.ts';
import { MAX_ATTACHMENT_BYTES } from '../../src/lib/domain/services/request-attachment.ts';
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
import { createStaffAndFinance, FINANCE, STAFF } from '../helpers/duty-accounts.ts';

describe('service documents at the sync gate', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    // Strategy-group staff and a finance officer: officers of B whose accounts list the duty.
    await createStaffAndFinance(server);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  /**
   * The server holds authorship to the session (provenance.ts): each revision names its sender
   * as `updatedBy`, and `createdBy` stays whoever first stored the record. The fixtures name
   * generic authors, so every revision sent here is signed as a tablet would sign it.
   */
  const creators = new Map<string, string>();
  const signedBy = <T>(username: string, doc: T): T => {
    const d = doc as { _id?: string };
    return { ...doc, createdBy: (d._id && creators.get(d._id)) ?? username, updatedBy: username };
  };

  async function bulkDocs(unit: string, username: string, docs: unknown[]): Promise<any[]> {
    const signed = docs.map((d) => signedBy(username, d));
    const response = await fetch(`${server.url}/sync/${unit}/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(username) },
      body: JSON.stringify({ docs: signed })
    });
    expect(response.status).toBe(201);
    const rows = (await response.json()) as any[];
    rows.forEach((row, i) => {
      const id = (signed[i] as { _id?: string })._id;
      if (row.ok && id && !creators.has(id)) creators.set(id, username);
    });
    return rows;
  }
  const stored = (unit: string, id: string) =>
    server.storage
      .openDatabase(unitDatabaseName(unit))
      .get(id)
      .catch(() => null) as Promise<StoredDoc | null>;

  describe('CARE 03 / CARE 04', () => {
    it("stores a visit and a relative's visit, and refuses re-dating a stored visit", async () => {
      const visit = care03(UNIT_A, { createdBy: USERS.officerA, updatedBy: USERS.officerA }, 101);
      const relative = care04(UNIT_A, {}, 102);
      const first = await bulkDocs(UNIT_A, USERS.officerA, [visit, relative]);
      expect(first.map((r) => r.ok)).toEqual([true, true]);
      const redated = await bulkDocs(UNIT_A, USERS.officerA, [{ ...visit, _rev: first[0].rev, visitDate: '2026-11-20' }]);
      expect(redated[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/visitDate cannot be changed/) });
      const corrected = await bulkDocs(UNIT_A, USERS.officerA, [
        { ...visit, _rev: first[0].rev, result: 'แก้ไขผล: ให้ข้อมูล 4 ตำแหน่ง' }
      ]);
      expect(corrected[0].ok).toBe(true);
      expect(await stored(UNIT_A, visit._id)).toMatchObject({ visitDate: '2026-12-01', result: 'แก้ไขผล: ให้ข้อมูล 4 ตำแหน่ง' });
    });
  });

  describe('referrals need consent', () => {
    it('refuses a referral whose consent record is not in the unit, and stores nothing', async () => {
      const r = referral(UNIT_A, { events: [{ status: 'sent', on: '2026-12-01', by: USERS.officerA }] }, 201);
      const rows = await bulkDocs(UNIT_A, USERS.officerA, [r]);
      expect(rows[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/^ไม่มีความยินยอมของบุคคล.*needs consent/) });
      expect(await stored(UNIT_A, r._id)).toBeNull();
    });

    it('refuses a referral based on a CARE 01 that records "does not consent"', async () => {
      const person = makePerson(UNIT_A);
      const interview = makeCare01(person, { consent: 'declines' });
      const r = referral(
        UNIT_A,
        {
          personId: person._id,
          consent: { basis: 'care01', care01Id: interview._id },
          events: [{ status: 'sent', on: '2026-12-01', by: USERS.officerA }]
        },
        202
      );
      const rows = await bulkDocs(UNIT_A, USERS.officerA, [person, interview, r]);
      expect(rows.map((x) => x.ok ?? x.reason)).toEqual([true, true, expect.stringMatching(/consents to disclosure/)]);
    });

    it("accepts one with the signed consent record in the same batch, then only added statuses under the writer's name", async () => {
      const consent = consentRecord(UNIT_A, {}, 203);
      const r = referral(
        UNIT_A,
        {
          consent: { basis: 'consent-record', consentId: consent._id },
          events: [{ status: 'sent', on: '2026-12-01', by: USERS.officerA }]
        },
        203
      );
      const rows = await bulkDocs(UNIT_A, USERS.officerA, [consent, r]);
      expect(rows.map((x) => x.ok)).toEqual([true, true]);
      const accepted = {
        ...r,
        _rev: rows[1].rev,
        events: [...r.events, { status: 'accepted', on: '2026-12-03', by: USERS.officerA }]
      };
      const next = await bulkDocs(UNIT_A, USERS.officerA, [accepted]);
      expect(next[0].ok).toBe(true);
      const rewritten = {
        ...accepted,
        _rev: next[0].rev,
        events: [{ ...accepted.events[0], on: '2026-11-01' }, accepted.events[1]]
      };
      expect((await bulkDocs(UNIT_A, USERS.officerA, [rewritten]))[0].reason).toMatch(/only added/);
      const asSomeoneElse = {
        ...accepted,
        _rev: next[0].rev,
        events: [...accepted.events, { status: 'started', on: '2026-12-04', by: 'someone.else' }]
      };
      expect((await bulkDocs(UNIT_A, USERS.officerA, [asSomeoneElse]))[0].reason).toMatch(/own user name/);
    });
  });

  describe('assistance requests: each step only by its duty', () => {
    const at = (minutes: number) => new Date(Date.parse('2026-12-01T03:00:00Z') + minutes * 60_000).toISOString();
    const step = (
      state: RequestEntry['state'],
      duty: RequestEntry['duty'],
      by: string,
      minutes: number,
      extra: Partial<RequestEntry> = {}
    ): RequestEntry => ({ state, duty, by, at: at(minutes), ...extra });

    it('refuses acceptance by an officer without the strategy duty; the staff account may', async () => {
      const filed = assistanceRequest(UNIT_B, { history: [step('submitted', 'case-officer', USERS.officerB, 0)] }, 301);
      const [created] = await bulkDocs(UNIT_B, USERS.officerB, [filed]);
      expect(created.ok).toBe(true);
      const byOfficer = {
        ...filed,
        _rev: created.rev,
        history: [...filed.history, step('accepted', 'intake', USERS.officerB, 5)]
      };
      const refused = await bulkDocs(UNIT_B, USERS.officerB, [byOfficer]);
      expect(refused[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/does not hold the duty intake/) });
      const byStaff = { ...filed, _rev: created.rev, history: [...filed.history, step('accepted', 'intake', STAFF, 5)] };
      expect((await bulkDocs(UNIT_B, STAFF, [byStaff]))[0].ok).toBe(true);
      expect(await stored(UNIT_B, filed._id)).toMatchObject({
        history: [{ state: 'submitted' }, { state: 'accepted', by: STAFF }]
      });
    });

    it("refuses a step out of order and the director's step by a finance officer", async () => {
      const base = [
        step('submitted', 'case-officer', USERS.officerB, 0),
        step('accepted', 'intake', STAFF, 5),
        step('documents-complete', 'case-officer', USERS.officerB, 10)
      ];
      const skipping = assistanceRequest(
        UNIT_B,
        { history: [...base.slice(0, 2), step('approved', 'director', USERS.officerB, 10)] },
        302
      );
      expect((await bulkDocs(UNIT_B, USERS.officerB, [skipping]))[0].reason).toMatch(/cannot go from accepted to approved/);
      const doc = assistanceRequest(UNIT_B, { history: base }, 303);
      // The whole history at once by one writer: the staff step is not the officer's own.
      expect((await bulkDocs(UNIT_B, USERS.officerB, [doc]))[0].reason).toMatch(/own user name/);
      const [first] = await bulkDocs(UNIT_B, USERS.officerB, [{ ...doc, history: base.slice(0, 1) }]);
      const [second] = await bulkDocs(UNIT_B, STAFF, [{ ...doc, _rev: first.rev, history: base.slice(0, 2) }]);
      const [third] = await bulkDocs(UNIT_B, USERS.officerB, [{ ...doc, _rev: second.rev, history: base }]);
      expect([first.ok, second.ok, third.ok]).toEqual([true, true, true]);
      const checked = [...base, step('finance-checked', 'finance', FINANCE, 15)];
      const [fourth] = await bulkDocs(UNIT_B, FINANCE, [{ ...doc, _rev: third.rev, history: checked }]);
      expect(fourth.ok).toBe(true);
      const approvedByFinance = [...checked, step('approved', 'finance', FINANCE, 20)];
      expect((await bulkDocs(UNIT_B, FINANCE, [{ ...doc, _rev: fourth.rev, history: approvedByFinance }]))[0].reason).toMatch(
        /only director may take this step/
      );
    });

    it('a tablet pushing a step its account may not take gets it refused by replication, the rest stored', async () => {
      const tablet = localDb('officer-b');
      const ok = assistanceRequest(UNIT_B, { history: [step('submitted', 'case-officer', USERS.officerB, 0)] }, 304);
      const bad = assistanceRequest(
        UNIT_B,
        { history: [step('submitted', 'case-officer', USERS.officerB, 0), step('accepted', 'intake', USERS.officerB, 1)] },
        305
      );
      await tablet.bulkDocs([signedBy(USERS.officerB, ok), signedBy(USERS.officerB, bad)]);
      const { result, denied } = await replicate(tablet, remoteDb(server, UNIT_B, USERS.officerB));
      expect(result.doc_write_failures).toBe(1);
      expect(denied).toEqual([expect.objectContaining({ id: bad._id, reason: expect.stringMatching(/intake/) })]);
      expect(await stored(UNIT_B, ok._id)).not.toBeNull();
      expect(await stored(UNIT_B, bad._id)).toBeNull();
    });
  });

  describe('attachments', () => {
    const request = () =>
      assistanceRequest(
        UNIT_B,
        { history: [{ state: 'submitted', duty: 'case-officer', by: USERS.officerB, at: '2026-12-01T03:00:00.000Z' }] },
        401
      );

    it('stores a PNG with its request; refuses a file over the limit, of a refused type, or disguised', async () => {
      const req = request();
      const good = attachment(UNIT_B, { requestId: req._id }, 401);
      const tooBig = attachment(
        UNIT_B,
        {
          requestId: req._id,
          data: `data:image/png;base64,iVBORw0KGgo${'A'.repeat(Math.ceil((MAX_ATTACHMENT_BYTES + 3) / 3) * 4 - 11)}`
        },
        402
      );
      const exe = attachment(
        UNIT_B,
        {
          requestId: req._id,
          mediaType: 'application/x-msdownload',
          data: 'data:application/x-msdownload;base64,TVqQAAMAAAAEAAAA'
        },
        403
      );
      const disguised = attachment(UNIT_B, { requestId: req._id, data: 'data:image/png;base64,TVqQAAMAAAAEAAAA' }, 404);
      const rows = await bulkDocs(UNIT_B, USERS.officerB, [req, good, tooBig, exe, disguised]);
      expect(rows.map((r) => r.ok ?? r.reason)).toEqual([
        true,
        true,
        expect.stringMatching(/larger than 512 KB/),
        expect.stringMatching(/JPEG, PNG or PDF only/),
        expect.stringMatching(/not of its declared type/)
      ]);
      expect(await stored(UNIT_B, tooBig._id)).toBeNull();
    });

    it('refuses a file that names no request of the same person', async () => {
      const orphan = attachment(UNIT_B, { requestId: serviceDocId('request', 499) }, 405);
      expect((await bulkDocs(UNIT_B, USERS.officerB, [orphan]))[0].reason).toMatch(/must belong to a request/);
    });
  });
});
