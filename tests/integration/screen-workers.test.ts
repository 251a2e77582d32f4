/**
 * `_bulk_docs` batches checked in worker threads (sync-server/sync/screen-pool.ts) answer exactly
 * as when checked on the request thread: the same rows, refusals, reasons, codes and fields for
 * every hostile batch, on either store. A worker that dies during a batch fails that request
 * cleanly (500, nothing stored) and is replaced; the queue in front of the workers is bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { exceedsDepth } from '../../sync-server/app.ts';
import { LIMITS } from '../../sync-server/config.ts';
import { screenVerdicts } from '../../sync-server/sync/screen-docs.ts';
import { ScreenPool, ScreenQueueFull } from '../../sync-server/sync/screen-pool.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { hostileCases, type HostileCase } from '../helpers/hostile-payloads.ts';
import { login, makeCare01, makePerson, startTestServer, UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';

async function send(
  server: TestServer,
  cookie: string,
  c: Pick<HostileCase, 'method' | 'path' | 'body' | 'contentType' | 'unit'>
) {
  const unit = c.unit === 'other' ? UNIT_B : c.unit === 'unknown' ? 'no-such-unit' : UNIT_A;
  const headers: Record<string, string> = { Cookie: cookie };
  if (c.contentType) headers['Content-Type'] = c.contentType;
  const body =
    c.body === undefined ? undefined : new Uint8Array(typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body);
  const response = await fetch(`${server.url}/sync/${unit}/${c.path}`, { method: c.method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

/** Stored rows name the revision the store made (random with new_edits=true): compared by id. */
const comparable = (body: unknown) =>
  Array.isArray(body) ? body.map((row) => ('ok' in row ? { ok: row.ok, id: row.id } : row)) : body;

describe('_bulk_docs checked in worker threads', () => {
  let inThread: TestServer;
  let pooled: TestServer;
  let cookies: { inThread: string; pooled: string };
  const crashId = `person:${randomUUID()}`;

  beforeAll(async () => {
    // Test-only fault (screen-worker.ts): read by a worker when it starts, i.e. at the first batch.
    process.env.CARE_TEST_SCREEN_CRASH_ID = crashId;
    [inThread, pooled] = await Promise.all([startTestServer({ screenWorkers: 0 }), startTestServer({ screenWorkers: 2 })]);
    cookies = { inThread: (await login(inThread, USERS.officerA)).cookie, pooled: (await login(pooled, USERS.officerA)).cookie };
  });
  afterAll(async () => {
    delete process.env.CARE_TEST_SCREEN_CRASH_ID;
    await Promise.all([inThread?.stop(), pooled?.stop()]);
  });

  it(
    'answers every hostile _bulk_docs batch exactly as the request thread does (refusals name the field, Thai first)',
    { timeout: 240_000 },
    async () => {
      const cases = hostileCases(UNIT_A, UNIT_B).filter((c) => c.path.startsWith('_bulk_docs'));
      const valid = makePerson(UNIT_A);
      const batches: Array<Pick<HostileCase, 'method' | 'path' | 'body' | 'contentType'> & { name: string }> = [
        ...cases,
        {
          name: 'valid and invalid documents together, new_edits=false',
          method: 'POST',
          path: '_bulk_docs',
          contentType: 'application/json',
          body: JSON.stringify({
            new_edits: false,
            docs: [
              { ...valid, _rev: '1-abc', _revisions: { start: 1, ids: ['abc'] } },
              { ...makeCare01(valid), _rev: '1-def' },
              { ...makePerson(UNIT_A), firstName: '', _rev: '1-0a', _revisions: { start: 1, ids: ['0a'] } },
              { ...makePerson(UNIT_A), _rev: '0-abc' },
              { _id: valid._id, _rev: '2-ff', _revisions: { start: 2, ids: ['ff', 'abc'] }, _deleted: true },
              { ...makePerson(UNIT_B), _rev: '1-aa', _revisions: { start: 1, ids: ['aa'] } }
            ]
          })
        }
      ];
      let perDocRefusals = 0;
      let lastPooled: { status: number; body: unknown } | undefined;
      const differences: string[] = [];
      for (const c of batches) {
        const [a, b] = [await send(inThread, cookies.inThread, c), await send(pooled, cookies.pooled, c)];
        if (a.status !== b.status || JSON.stringify(comparable(a.body)) !== JSON.stringify(comparable(b.body)))
          differences.push(
            `${c.name}: request thread ${a.status} ${JSON.stringify(a.body).slice(0, 200)} / worker ${b.status} ${JSON.stringify(b.body).slice(0, 200)}`
          );
        lastPooled = b;
        if (b.status === 201 && Array.isArray(b.body)) perDocRefusals += b.body.filter((row) => row.error === 'forbidden').length;
      }
      expect(differences).toEqual([]);
      // Not vacuous: the batches reached the document check and were refused there, document by document.
      expect(perDocRefusals).toBeGreaterThan(20);
      // new_edits=false answers only the refused documents; the valid one is stored.
      const rows = lastPooled!.body as Array<Record<string, string>>;
      expect(rows.map((r) => r.error)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden']);
      expect(rows.find((r) => r.field === 'firstName')?.reason).toBe('firstName: ต้องกรอก / required');
      expect(await pooled.storage.openDatabase(unitDatabaseName(UNIT_A)).get(valid._id)).toMatchObject({ _rev: '1-abc' });
    }
  );

  it('a worker that dies during a batch fails that request with 500, stores nothing, and is replaced', async () => {
    const db = pooled.storage.openDatabase(unitDatabaseName(UNIT_A));
    const before = await db.info();
    const innocent = makePerson(UNIT_A);
    const doomed = { ...makePerson(UNIT_A), _id: crashId };
    const crashed = await send(pooled, cookies.pooled, {
      method: 'POST',
      path: '_bulk_docs',
      contentType: 'application/json',
      body: JSON.stringify({ docs: [innocent, doomed] })
    });
    expect(crashed.status).toBe(500);
    expect(crashed.body).toMatchObject({
      error: 'screening_failed',
      reason: expect.stringMatching(/^การตรวจเอกสารล้มเหลว.*nothing from this request was stored/)
    });
    expect((await db.info()).update_seq).toEqual(before.update_seq);
    await expect(db.get(innocent._id)).rejects.toMatchObject({ status: 404 });
    // The next batch is checked by a new worker and stored (two documents: one is checked on the request thread).
    const another = makePerson(UNIT_A);
    const retried = await send(pooled, cookies.pooled, {
      method: 'POST',
      path: '_bulk_docs',
      contentType: 'application/json',
      body: JSON.stringify({ docs: [innocent, another] })
    });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject([
      { id: innocent._id, ok: true },
      { id: another._id, ok: true }
    ]);
  });
});

describe('screening pool', () => {
  it('gives the verdicts of screenVerdicts on the request thread for every hostile batch', { timeout: 120_000 }, async () => {
    const pool = new ScreenPool(1, 10);
    try {
      let compared = 0;
      for (const c of hostileCases(UNIT_A, UNIT_B)) {
        if (!c.path.startsWith('_bulk_docs') || typeof c.body !== 'string') continue;
        let body: { docs?: unknown; new_edits?: unknown };
        try {
          body = JSON.parse(c.body);
        } catch {
          continue; // refused before any screening
        }
        // Only bodies the server's JSON parser lets through reach screening (app.ts refuses deeper
        // ones with 400); past the stack's depth the two threads would differ only in which
        // refusal a document gets.
        if (!Array.isArray(body?.docs) || exceedsDepth(body, LIMITS.jsonMaxDepth)) continue;
        const newEdits = body.new_edits !== false;
        expect(await pool.screen(c.body, UNIT_A, newEdits), c.name).toEqual(screenVerdicts(body.docs, UNIT_A, newEdits));
        compared++;
      }
      expect(compared).toBeGreaterThan(20);
    } finally {
      await pool.close();
    }
  });

  it('keeps at most maxQueued batches waiting and refuses the next at once', async () => {
    const pool = new ScreenPool(1, 2);
    try {
      const batch = JSON.stringify({ docs: Array.from({ length: 50 }, () => makePerson(UNIT_A)) });
      const running = [pool.screen(batch, UNIT_A, true), pool.screen(batch, UNIT_A, true), pool.screen(batch, UNIT_A, true)];
      expect(pool.stats()).toMatchObject({ workers: 1, busy: 1, queued: 2 });
      await expect(pool.screen(batch, UNIT_A, true)).rejects.toBeInstanceOf(ScreenQueueFull);
      const answered = await Promise.all(running);
      for (const verdicts of answered)
        expect(verdicts).toMatchObject({ refused: [], accepted: Array.from({ length: 50 }, (_, i) => i) });
      expect(pool.stats()).toMatchObject({ queued: 0, busy: 0 });
    } finally {
      await pool.close();
    }
  });
});
