/**
 * Hostile and malformed replication requests over real HTTP (tests/helpers/hostile-payloads.ts
 * generates the table). For every one: a clear 4xx with a reason, or per-document refusals;
 * the server keeps answering; and neither unit's database changes at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { hostileCases, type HostileCase } from '../helpers/hostile-payloads.ts';
import { login, makeCare01, makePerson, startTestServer, UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';

interface StoreState {
  seq: string;
  docCount: number;
}

describe('hostile replication payloads', () => {
  let server: TestServer;
  /** A session cookie: Basic would run scrypt on every one of the hundreds of requests. */
  let cookie: string;
  const cases = hostileCases(UNIT_A, UNIT_B);

  beforeAll(async () => {
    server = await startTestServer();
    cookie = (await login(server, USERS.officerA)).cookie;
    // Something to lose: records already on the server in both units.
    const person = makePerson(UNIT_A);
    await server.storage.openDatabase(unitDatabaseName(UNIT_A)).bulkDocs([person, makeCare01(person)], { new_edits: true });
    await server.storage.openDatabase(unitDatabaseName(UNIT_B)).bulkDocs([makePerson(UNIT_B)], { new_edits: true });
  });
  afterAll(async () => server.stop());

  const state = async (unitId: string): Promise<StoreState> => {
    const info = await server.storage.openDatabase(unitDatabaseName(unitId)).info();
    return { seq: JSON.stringify(info.update_seq), docCount: info.doc_count };
  };

  async function send(c: HostileCase): Promise<{ status: number; body: unknown; text: string }> {
    const unit = c.unit === 'other' ? UNIT_B : c.unit === 'unknown' ? 'no-such-unit' : UNIT_A;
    const headers: Record<string, string> = { Cookie: cookie };
    if (c.contentType) headers['Content-Type'] = c.contentType;
    // Bytes, so that fetch adds no Content-Type of its own when the case has none.
    const body =
      c.body === undefined ? undefined : new Uint8Array(typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body);
    const response = await fetch(`${server.url}/sync/${unit}/${c.path}`, {
      method: c.method,
      headers,
      body,
      signal: AbortSignal.timeout(30_000)
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text };
  }

  it('generates at least 200 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it('answers every case with a clear refusal, stays up, and changes nothing', { timeout: 240_000 }, async () => {
    const initial = { a: await state(UNIT_A), b: await state(UNIT_B) };
    let before = initial;
    const failures: string[] = [];
    const timings: Array<[number, string]> = [];
    for (const c of cases) {
      const started = Date.now();
      const { status, body, text } = await send(c);
      timings.push([Date.now() - started, c.name]);
      const problem = judge(c, status, body);
      if (problem) failures.push(`${c.name}: ${problem} (HTTP ${status} ${text.slice(0, 160)})`);
      const health = await fetch(`${server.url}/api/health`);
      if (health.status !== 200) failures.push(`${c.name}: the server stopped answering (health ${health.status})`);
      const after = { a: await state(UNIT_A), b: await state(UNIT_B) };
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`${c.name}: the store changed from ${JSON.stringify(before)} to ${JSON.stringify(after)}`);
      before = after; // one case that gets through is reported once, not blamed on every later one
    }
    if (process.env.HOSTILE_TIMINGS) console.log(timings.sort((x, y) => y[0] - x[0]).slice(0, 15));
    expect(failures).toEqual([]);
    expect({ a: await state(UNIT_A), b: await state(UNIT_B) }).toEqual(initial);
  });
});

const hasReason = (x: unknown): x is { error: string; reason: string } =>
  !!x &&
  typeof x === 'object' &&
  typeof (x as any).error === 'string' &&
  typeof (x as any).reason === 'string' &&
  (x as any).reason.length > 0;

/** What is wrong with an answer, or null when it is the refusal the case calls for. */
function judge(c: HostileCase, status: number, body: unknown): string | null {
  if (c.expect === 'client-error') {
    if (status < 400 || status >= 500) return 'expected a 4xx';
    if (!hasReason(body)) return 'expected {error, reason}';
    return null;
  }
  // refused-per-doc: a 4xx for the whole request is also a clear refusal (e.g. the body parser
  // refusing a prototype-pollution key before any document is looked at).
  if (status >= 400 && status < 500) return hasReason(body) ? null : 'expected {error, reason}';
  if (status !== 201) return 'expected 201 with per-document refusals, or a 4xx';
  if (!Array.isArray(body) || body.length === 0) return 'expected a row per document';
  const accepted = body.filter((row) => !hasReason(row) || row.error !== 'forbidden');
  return accepted.length
    ? `expected every row to be {error: 'forbidden', reason}, got ${JSON.stringify(accepted).slice(0, 120)}`
    : null;
}
