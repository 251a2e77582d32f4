/**
 * Compressed JSON answers (sync-server/compression.ts): a client that asks gets the replication
 * feeds brotli- or gzip-compressed, one that does not gets plain JSON as before, small answers
 * stay plain, and a PouchDB tablet replicates through compressed answers as through plain ones.
 */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import PouchDB from 'pouchdb-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES, COMPRESS_ONCE_MAX_BYTES, compressedOnce } from '../../sync-server/compression.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  basicAuth,
  closeClients,
  localDb,
  makeCare01,
  makePerson,
  PASSWORD,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  withoutSeqs,
  type TestServer
} from '../helpers/server.ts';

/** A raw request: exactly the headers given (fetch would add its own Accept-Encoding). */
function exchange(
  url: string,
  headers: Record<string, string>,
  body?: string
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const sent =
      body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
    http
      .request(url, { method: body === undefined ? 'GET' : 'POST', headers: { ...headers, ...sent } }, (res) => {
        const chunks: Uint8Array[] = [];
        res.on('data', (c: Uint8Array) => chunks.push(new Uint8Array(c)));
        res.on('end', () => {
          const whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
          chunks.reduce((at, c) => (whole.set(c, at), at + c.length), 0);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: whole });
        });
        res.on('error', reject);
      })
      .on('error', reject)
      .end(body);
  });
}
const get = (url: string, headers: Record<string, string>) => exchange(url, headers);
const post = (url: string, body: string, headers: Record<string, string>) => exchange(url, headers, body);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('compressed JSON answers', () => {
  let server: TestServer;
  const people = Array.from({ length: 20 }, () => makePerson(UNIT_A));
  const docs = [...people, ...people.map((p) => makeCare01(p))];
  beforeAll(async () => {
    server = await startTestServer();
    await server.storage.openDatabase(unitDatabaseName(UNIT_A)).bulkDocs(docs, { new_edits: true });
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const changesUrl = () => `${server.url}/sync/${UNIT_A}/_changes?include_docs=true`;
  const auth = { Authorization: basicAuth(USERS.officerA) };

  it('without Accept-Encoding: plain JSON, as before', async () => {
    const res = await get(changesUrl(), auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
    expect(JSON.parse(text(res.body)).results).toHaveLength(40);
  });

  it('brotli or gzip when asked: the same JSON in a fraction of the bytes', async () => {
    const plain = await get(changesUrl(), auth);
    const br = await get(changesUrl(), { ...auth, 'Accept-Encoding': 'br' });
    const gz = await get(changesUrl(), { ...auth, 'Accept-Encoding': 'gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    // Compared without the sequences: CouchDB may spell one feed position differently from one
    // request to the next (sequences are opaque), so three requests need not agree on them.
    const expected = withoutSeqs(JSON.parse(text(plain.body)));
    expect(withoutSeqs(JSON.parse(text(new Uint8Array(brotliDecompressSync(br.body)))))).toEqual(expected);
    expect(withoutSeqs(JSON.parse(text(new Uint8Array(gunzipSync(gz.body)))))).toEqual(expected);
    expect(expected.results).toHaveLength(40);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
  });

  it('compresses an answer many tablets receive once, in the encoding the plugin would choose', () => {
    const plain = Buffer.from(JSON.stringify({ results: docs }));
    const exchange = (accept?: string) => {
      const headers = new Map<string, unknown>();
      const reply = {
        getHeader: (name: string) => headers.get(name.toLowerCase()),
        header(name: string, value: unknown) {
          headers.set(name.toLowerCase(), value);
          return reply;
        }
      };
      const request = { headers: accept === undefined ? {} : { 'accept-encoding': accept } };
      return { send: (bytes: Buffer) => compressedOnce(request as never, reply as never, bytes), headers };
    };
    const browser = exchange('gzip, deflate, br');
    const first = browser.send(plain);
    expect(browser.headers.get('content-encoding')).toBe('br');
    expect(browser.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(text(new Uint8Array(brotliDecompressSync(new Uint8Array(first))))).toBe(plain.toString('utf8'));
    // Another tablet, the same bytes: the same compressed answer, not compressed again.
    expect(exchange('gzip, deflate, br').send(Buffer.from(plain))).toBe(first);
    const gzip = exchange('gzip;q=1, br;q=0');
    expect(text(new Uint8Array(gunzipSync(new Uint8Array(gzip.send(plain)))))).toBe(plain.toString('utf8'));
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    // No Accept-Encoding, or a small answer: plain, no header.
    const none = exchange();
    expect(none.send(plain)).toBe(plain);
    expect(none.headers.has('content-encoding')).toBe(false);
    const small = Buffer.from('{"results":[]}');
    expect(exchange('br').send(small)).toBe(small);
    // Over the bound: handed on plain, for the plugin's streaming compression off the event loop.
    const big = Buffer.from(JSON.stringify({ results: [{ photo: 'ก'.repeat(COMPRESS_ONCE_MAX_BYTES / 2) }] }));
    const large = exchange('br');
    expect(large.send(big)).toBe(big);
    expect(large.headers.has('content-encoding')).toBe(false);
  });

  it('a small answer stays plain even when compression is accepted', async () => {
    const res = await get(`${server.url}/sync/${UNIT_A}/_changes?limit=1`, { ...auth, 'Accept-Encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.body.length).toBeLessThan(COMPRESS_MIN_BYTES);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('an answer over the compress-once bound is still compressed, by the plugin, and arrives whole', async () => {
    // Another unit, so the 40 records the other cases count stay as they are.
    const many = Array.from({ length: 700 }, () => makePerson(UNIT_B));
    const written = await server.storage.openDatabase(unitDatabaseName(UNIT_B)).bulkDocs(many, { new_edits: true });
    const body = JSON.stringify({ docs: written.map((row) => ({ id: row.id, rev: (row as { rev: string }).rev })) });
    const ask = (encoding?: string) =>
      post(`${server.url}/sync/${UNIT_B}/_bulk_get?revs=true`, body, {
        Authorization: basicAuth(USERS.officerB),
        ...(encoding ? { 'Accept-Encoding': encoding } : {})
      });
    const plain = await ask();
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(COMPRESS_ONCE_MAX_BYTES);
    const br = await ask('br');
    expect(br.headers['content-encoding']).toBe('br');
    const unpacked = JSON.parse(text(new Uint8Array(brotliDecompressSync(br.body))));
    expect(unpacked).toEqual(JSON.parse(text(plain.body)));
    expect(unpacked.results).toHaveLength(700);
  });

  it('a PouchDB tablet pulls the whole unit through compressed answers', async () => {
    const encodings: string[] = [];
    const pouchFetch = (PouchDB as unknown as { fetch: (url: string | Request, opts?: RequestInit) => Promise<Response> }).fetch;
    const remote = new PouchDB(`${server.url}/sync/${UNIT_A}`, {
      auth: { username: USERS.officerA, password: PASSWORD },
      fetch: async (url: string | Request, opts?: RequestInit) => {
        const res = await pouchFetch(url, opts);
        encodings.push(res.headers.get('content-encoding') ?? 'identity');
        return res;
      }
    } as PouchDB.Configuration.RemoteDatabaseConfiguration);
    const tablet = localDb('compressed-pull');
    const pull = await replicate(remote, tablet);
    await remote.close();
    expect(pull.result.ok).toBe(true);
    expect(pull.result.docs_written).toBe(40);
    expect(encodings).toContain('gzip');
    const onTablet = await tablet.allDocs();
    expect(onTablet.rows.map((r) => r.id).sort()).toEqual(docs.map((d) => d._id).sort());
  });
});
