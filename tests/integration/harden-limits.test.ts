/**
 * Issue 9, items 1 and 6: every size a client chooses is bounded (sync-server/config.ts LIMITS).
 * Bodies that would once have killed the server (18 MB of zeros in `_bulk_docs`, a supervisor's
 * `_bulk_get` of a million ids) are refused fast, naming the limit, while PouchDB's own batches
 * still pass; a refused batch leaves one audit entry of bounded size.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../sync-server/config.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  closeClients,
  localDb,
  login,
  makePerson,
  remoteDbWithCookie,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('bounded client-chosen sizes', () => {
  let server: TestServer;
  let officer: string;
  let supervisor: string;
  beforeAll(async () => {
    server = await startTestServer();
    officer = (await login(server, USERS.officerA)).cookie;
    supervisor = (await login(server, USERS.supervisor)).cookie;
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const post = (path: string, cookie: string, body: string) =>
    fetch(`${server.url}/sync/${UNIT_A}/${path}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(60_000)
    });
  const zeros = (n: number) => `{"docs":[${'0,'.repeat(n - 1)}0]}`;
  const healthy = async () => (await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5_000) })).status === 200;

  it(
    'refuses an 18 MB _bulk_docs of 9 million zeros fast, naming the limit, without a memory blow-up',
    { timeout: 60_000 },
    async () => {
      const body = zeros(9_000_000);
      expect(body.length).toBeGreaterThan(18_000_000);
      const rssBefore = process.memoryUsage().rss;
      const started = Date.now();
      const response = await post('_bulk_docs', officer, body);
      const elapsed = Date.now() - started;
      const answer = await response.json();
      expect(response.status).toBe(413);
      expect(answer.reason).toContain(String(LIMITS.docsPerBulk));
      expect(answer.reason).toMatch(/เอกสาร/);
      // Before the fix: minutes and an out-of-memory crash. Loose bounds: the machine is shared.
      expect(elapsed).toBeLessThan(10_000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(600 * 1024 * 1024);
      expect(await healthy()).toBe(true);
    }
  );

  it('refuses a _bulk_docs of 1 million zeros with 413 and stores and audits a bounded entry', { timeout: 60_000 }, async () => {
    const before = await server.storage.openDatabase(unitDatabaseName(UNIT_A)).info();
    const response = await post('_bulk_docs', officer, zeros(1_000_000));
    expect(response.status).toBe(413);
    expect((await response.text()).length).toBeLessThan(1_000);
    expect((await server.storage.openDatabase(unitDatabaseName(UNIT_A)).info()).update_seq).toEqual(before.update_seq);
  });

  it('audits a batch of refused documents as counts per reason plus the first ids, never one row per entry', async () => {
    const docs = Array.from({ length: LIMITS.docsPerBulk }, (_, i) => ({
      ...makePerson(UNIT_A),
      firstName: '',
      prisonerId: `x${i}`
    }));
    const response = await post('_bulk_docs', officer, JSON.stringify({ docs, new_edits: true }));
    expect(response.status).toBe(201);
    const rows = (await response.json()) as Array<{ error?: string }>;
    expect(rows.filter((r) => r.error === 'forbidden')).toHaveLength(LIMITS.docsPerBulk);
    const entries = (await server.storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows.map(
      (r) => r.doc as Record<string, any>
    );
    const entry = entries.find((e) => e.type === 'audit-write' && e.refusedCount === LIMITS.docsPerBulk);
    expect(entry).toBeDefined();
    expect(entry!.refused.length).toBeLessThanOrEqual(LIMITS.auditRefusedListed);
    expect(entry!.refusedByReason.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(LIMITS.docsPerBulk);
    expect(JSON.stringify(entry).length).toBeLessThan(LIMITS.auditEntryBytes);
  });

  it("refuses a supervisor's _bulk_get of 1 million ids fast", { timeout: 60_000 }, async () => {
    // Short ids, so that the body stays under the 20 MB body limit and reaches the handler.
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `{"id":"p${i}"}`).join(',');
    const started = Date.now();
    const response = await post('_bulk_get?revs=true', supervisor, `{"docs":[${ids}]}`);
    expect(response.status).toBe(413);
    expect((await response.json()).reason).toContain(String(LIMITS.idsPerRequest));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await healthy()).toBe(true);
  });

  it('refuses _revs_diff and _changes doc_ids over the id limit', async () => {
    const many = Array.from({ length: LIMITS.idsPerRequest + 1 }, (_, i) => `person:${String(i).padStart(36, '0')}`);
    const diff = await post('_revs_diff', officer, JSON.stringify(Object.fromEntries(many.map((id) => [id, ['1-a']]))));
    expect(diff.status).toBe(413);
    expect((await diff.json()).reason).toContain(String(LIMITS.idsPerRequest));
    const changes = await post('_changes?filter=_doc_ids', officer, JSON.stringify({ doc_ids: many }));
    expect(changes.status).toBe(413);
    const revs = await post(
      '_revs_diff',
      officer,
      JSON.stringify({ [many[0]]: Array.from({ length: LIMITS.revsPerRequest + 1 }, (_, i) => `1-${i.toString(16)}`) })
    );
    expect(revs.status).toBe(413);
  });

  it('counts JSON values without being fooled by commas inside strings', async () => {
    const { exceedsValueCount } = await import('../../sync-server/app.ts');
    expect(exceedsValueCount('[1,2,3]', 3)).toBe(false);
    expect(exceedsValueCount('[1,2,3,4]', 3)).toBe(true);
    expect(exceedsValueCount(`["${','.repeat(100)}", "a\\\\",1]`, 3)).toBe(false);
  });

  it("still passes PouchDB's own batches (100 documents, 250 in all)", { timeout: 60_000 }, async () => {
    // Another officer's tablet: officer A's refused batches above have spent its refusal budget
    // (sync/refusal-budget.ts), which would answer 429 for a while, as it should.
    const officerB = (await login(server, USERS.officerB)).cookie;
    const tablet = localDb('batches');
    await tablet.bulkDocs(Array.from({ length: 250 }, () => makePerson(UNIT_B)));
    const { result } = await replicate(tablet, remoteDbWithCookie(server, UNIT_B, officerB), { batch_size: 100 });
    expect(result.ok).toBe(true);
    expect(result.docs_written).toBe(250);
    const back = localDb('pull');
    const pulled = await replicate(remoteDbWithCookie(server, UNIT_B, supervisor), back, { batch_size: 100 });
    expect(pulled.result.docs_read).toBeGreaterThanOrEqual(250);
  });
});
