/**
 * Issue 9 (bench step 8, "forged"): a read-write account sending batch after batch of forged
 * documents, every one refused, still made the server screen each batch. A per-account budget
 * of refused documents (sync/refusal-budget.ts: LIMITS.refusedDocsBurst at once, refilling at
 * LIMITS.refusedDocsPerMinute) answers
 * 429 with Retry-After before the next body is screened once it is spent. Real HTTP server,
 * real store; the bucket's arithmetic on its own below.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../sync-server/config.ts';
import { RefusalBudget } from '../../sync-server/sync/refusal-budget.ts';
import { AUDIT_DB } from '../../sync-server/system-db.ts';
import { login, makePerson, startTestServer, UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';

const forgedRevision = () => `1-${randomBytes(16).toString('hex')}`;

describe('per-account budget of refused documents', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const bulk = (unitId: string, cookie: string, docs: object[]) =>
    fetch(`${server.url}/sync/${unitId}/_bulk_docs`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ docs, new_edits: false })
    });
  const auditCount = async () => (await server.storage.openDatabase(AUDIT_DB).info()).doc_count;

  it('answers 429 with Retry-After, without screening, once an account spent its refusals', { timeout: 60_000 }, async () => {
    expect(LIMITS.refusedDocsPerMinute).toBe(2_000); // the defaults the batches below are measured against
    expect(LIMITS.refusedDocsBurst).toBe(200);
    const { cookie } = await login(server, USERS.officerA);
    // Records credited to someone else: the server refuses each one (its sender is not its author).
    const forgedBatch = () =>
      Array.from({ length: LIMITS.docsPerBulk }, () => ({
        ...makePerson(UNIT_A, { createdBy: 'someone.else', updatedBy: 'someone.else' }),
        _rev: forgedRevision()
      }));

    // The burst's worth of batches is screened (one batch of 1,000 spends 200 and goes 800 into
    // debt); the bucket refills a little while they run, so one more may be, and it ends there.
    const spent = Math.ceil(LIMITS.refusedDocsBurst / LIMITS.docsPerBulk);
    let screened = 0;
    let entriesBefore = await auditCount();
    let refused = await bulk(UNIT_A, cookie, forgedBatch());
    while (refused.status === 201 && screened <= spent) {
      screened++;
      const rows = (await refused.json()) as Array<{ error?: string }>;
      expect(rows.filter((r) => r.error === 'forbidden')).toHaveLength(LIMITS.docsPerBulk);
      entriesBefore = await auditCount();
      refused = await bulk(UNIT_A, cookie, forgedBatch());
    }
    expect(screened).toBeGreaterThanOrEqual(spent);
    expect(screened).toBeLessThanOrEqual(spent + 1);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    // ~800 refusals of debt at 2000 a minute: about 24 s.
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    const error = (await refused.json()) as { error: string; reason: string };
    expect(error.error).toBe('too_many_requests');
    expect(error.reason).toMatch(/ถูกปฏิเสธมากเกินไป.*too many documents refused/);
    // Not screened: no audit entry for it (every screened write leaves one).
    expect(await auditCount()).toBe(entriesBefore);

    // A PUT of a document by the same account waits too; an honest account is untouched.
    const person = makePerson(UNIT_A);
    const put = await fetch(`${server.url}/sync/${UNIT_A}/${person._id}`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(person)
    });
    expect(put.status).toBe(429);
    const { cookie: honest } = await login(server, USERS.officerB);
    const honestWrite = await bulk(UNIT_B, honest, [{ ...makePerson(UNIT_B), _rev: forgedRevision() }]);
    expect(honestWrite.status).toBe(201);
    expect(await honestWrite.json()).toEqual([]);
  });
});

describe('the refusal bucket', () => {
  it('lets writes in while above zero, goes into debt by one batch, and refills at the per-minute rate', () => {
    const budget = new RefusalBudget(600, 600); // 10 a second, as many at once as in a minute
    expect(budget.wait('a', 0)).toBe(0);
    budget.charge('a', 500, 0);
    expect(budget.wait('a', 0)).toBe(0); // 100 left
    budget.charge('a', 400, 0); // 300 in debt
    expect(budget.wait('a', 0)).toBe(31); // back above zero after (300 + 1) / 10 s
    expect(budget.wait('b', 0)).toBe(0); // another account has its own bucket
    expect(budget.wait('a', 30_000)).toBe(1);
    expect(budget.wait('a', 31_000)).toBe(0);
    budget.charge('a', 0, 31_000); // nothing refused costs nothing
    expect(budget.wait('a', 31_000)).toBe(0);
  });

  it('bounds the burst by its size, not by the rate: a flood of 100-document batches waits after two', () => {
    const budget = new RefusalBudget(2_000, 200);
    budget.charge('flood', 100, 0);
    expect(budget.wait('flood', 0)).toBe(0); // one batch refused: 100 left
    budget.charge('flood', 100, 0);
    expect(budget.wait('flood', 0)).toBe(1); // two: empty, back above zero in 0.03 s (at least 1 s said)
    budget.charge('flood', 100, 0); // a third that slipped in meanwhile: 100 in debt
    expect(budget.wait('flood', 0)).toBe(4); // (100 + 1) refusals at 2,000 a minute
    expect(budget.wait('flood', 3_000)).toBe(1);
    // A full bucket never grows past its size while the account stays quiet.
    expect(budget.wait('flood', 600_000)).toBe(0);
    budget.charge('flood', 200, 600_000);
    expect(budget.wait('flood', 600_000)).toBe(1);
  });
});
