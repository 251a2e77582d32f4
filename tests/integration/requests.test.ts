/**
 * An assistance request through every step across the accounts of an office (docs/domain/assistance-requests.md):
 * filed offline by the probation officer and synced, accepted by the strategy staff, documents
 * requested and completed by the officer, checked by finance, approved by the director on the
 * desktop (a supervisor account, through the step endpoint), paid by the staff; another one
 * cancelled by finance for insufficient budget. Each step by the wrong account is refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DB } from '../../sync-server/system-db.ts';
import { assistanceRequest } from '../../src/lib/domain/services/test-fixtures.ts';
import {
  basicAuth,
  closeClients,
  localDb,
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

describe('assistance requests across accounts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    // Strategy-group staff and a finance officer: officers of B whose accounts list the duty.
    await createStaffAndFinance(server);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  async function step(username: string, requestId: string, state: string, extra: object = {}, unitId = UNIT_B) {
    const r = await fetch(`${server.url}/api/requests/steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(username) },
      body: JSON.stringify({ unitId, requestId, state, ...extra })
    });
    return { status: r.status, body: (await r.json()) as any };
  }

  async function fileOffline(n: number) {
    const tablet = localDb(`officer-${n}`);
    const person = makePerson(UNIT_B, { createdBy: USERS.officerB, updatedBy: USERS.officerB });
    const request = assistanceRequest(
      UNIT_B,
      {
        createdBy: USERS.officerB,
        updatedBy: USERS.officerB,
        personId: person._id,
        kind: n === 1 ? 'fare' : 'occupation-capital',
        history: [{ state: 'submitted', duty: 'case-officer', by: USERS.officerB, at: new Date().toISOString() }]
      },
      700 + n
    );
    await tablet.bulkDocs([person, request]);
    const push = await replicate(tablet, remoteDb(server, UNIT_B, USERS.officerB));
    expect(push.result.docs_written).toBe(2);
    return request._id;
  }

  it('goes through every step to "paid", each step only by its duty', async () => {
    const id = await fileOffline(1);
    expect(await step(USERS.officerB, id, 'accepted')).toMatchObject({
      status: 403,
      body: { message: expect.stringMatching(/intake/) }
    });
    expect((await step(STAFF, id, 'accepted')).status).toBe(201);
    expect((await step(USERS.officerB, id, 'documents-requested', { note: 'สำเนาทะเบียนบ้าน' })).status).toBe(201);
    expect((await step(USERS.officerB, id, 'documents-complete', { note: 'เห็นควรช่วยเหลือ' })).status).toBe(201);
    expect(await step(USERS.supervisor, id, 'finance-checked')).toMatchObject({
      status: 403,
      body: { message: expect.stringMatching(/finance/) }
    });
    expect((await step(FINANCE, id, 'finance-checked')).status).toBe(201);
    expect(await step(FINANCE, id, 'approved')).toMatchObject({
      status: 403,
      body: { message: expect.stringMatching(/only director/) }
    });
    const approved = await step(USERS.supervisor, id, 'approved', { note: 'อนุมัติ' });
    expect(approved.status).toBe(201);
    const paid = await step(STAFF, id, 'paid');
    expect(paid.status).toBe(201);
    expect(paid.body.history.map((e: { state: string; by: string }) => `${e.state}:${e.by}`)).toEqual([
      `submitted:${USERS.officerB}`,
      `accepted:${STAFF}`,
      `documents-requested:${USERS.officerB}`,
      `documents-complete:${USERS.officerB}`,
      `finance-checked:${FINANCE}`,
      `approved:${USERS.supervisor}`,
      `paid:${STAFF}`
    ]);
    expect((await step(STAFF, id, 'paid')).status).toBe(403);
    // The officer's tablet receives the decisions.
    const tablet = localDb('officer-pull');
    await replicate(remoteDb(server, UNIT_B, USERS.officerB), tablet);
    expect(((await tablet.get(id)) as any).history).toHaveLength(7);
    const audit = (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows
      .map((r) => r.doc as any)
      .filter((d) => d?.action === 'request-step' && d.target === id);
    expect(audit.map((e) => e.why)).toEqual([
      'accepted',
      'documents-requested',
      'documents-complete',
      'finance-checked',
      'approved',
      'paid'
    ]);
  });

  it('"งบประมาณไม่เพียงพอ": finance cancels with the reason; a supervisor out of scope cannot act', async () => {
    const id = await fileOffline(2);
    await step(STAFF, id, 'accepted');
    await step(USERS.officerB, id, 'documents-complete');
    expect((await step(FINANCE, id, 'cancelled')).body.message).toMatch(/insufficient-budget/);
    const cancelled = await step(FINANCE, id, 'cancelled', { reason: 'insufficient-budget' });
    expect(cancelled.status).toBe(201);
    expect(cancelled.body.history.at(-1)).toMatchObject({
      state: 'cancelled',
      reason: 'insufficient-budget',
      duty: 'finance',
      by: FINANCE
    });
    expect((await step(USERS.supervisor, id, 'approved')).status).toBe(403);
    expect((await step(USERS.officerA, id, 'accepted')).status).toBe(403);
    expect((await step(USERS.officerA, id, 'accepted', {}, UNIT_A)).status).toBe(404);
  });
});
