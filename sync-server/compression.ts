/**
 * Compresses the server's JSON answers (replication feeds and documents, the API) for clients
 * that ask for it: a tablet's first sync over a slow mobile link reads the unit's documents as
 * `_changes` pages and `_bulk_get` batches of plain JSON, several times larger than their brotli.
 *
 * Bounded CPU: only JSON bodies of at least COMPRESS_MIN_BYTES, brotli at quality 4 and gzip at
 * level 4 (fast settings; the highest levels cost many times the CPU for a few percent). A client
 * that sends no Accept-Encoding gets the plain JSON as before. The app's own files are compressed
 * once at build time (static.ts) and never again here; request bodies are never decompressed
 * (the body limits count the bytes as sent).
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Below this a compressed answer saves less than a network packet. */
export const COMPRESS_MIN_BYTES = 1024;

const ENCODINGS: Array<'br' | 'gzip'> = ['br', 'gzip'];
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
const GZIP_OPTIONS = { level: 4 };

/** Registered before the routes: the plugin adds its hook to each route as it is declared. */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    threshold: COMPRESS_MIN_BYTES,
    encodings: ENCODINGS,
    customTypes: /^application\/json\b/,
    brotliOptions: BROTLI_OPTIONS,
    zlibOptions: GZIP_OPTIONS
  });
}

/** Compressed replication answers kept, by encoding and SHA-256 of the plain bytes (bounded in bytes). */
const SHARED_MAX_BYTES = 16 * 2 ** 20;
/**
 * Larger answers are left to the plugin, which compresses them as a stream on libuv's threads:
 * compressing here is synchronous, on the one JavaScript thread, and a first-sync `_bulk_get` of
 * follow-ups with photos can be tens of MB — seconds in which no other tablet is answered.
 * Measured: brotli q4 of 464 KB of JSON, 3.5 ms; at this bound about 2 ms, once per shared answer
 * (a step-3 `_bulk_get` of 50 records is ~50 KB).
 */
export const COMPRESS_ONCE_MAX_BYTES = 256 * 1024;
const shared = new Map<string, Buffer>();
let sharedBytes = 0;

/**
 * A replication answer many tablets receive byte for byte (the same `_bulk_get` batch, the same
 * `_changes` page: sync/answer-json.ts) compressed once, not once per tablet: brotli was a third
 * of the server's CPU per sync with 500 tablets asking for compressed answers. Same encoding
 * choice and settings as the plugin, which passes an answer already encoded through untouched.
 * Keyed by a hash of the whole plain answer, so a hit is exactly the compression of these bytes.
 */
export function compressedOnce(request: FastifyRequest, reply: FastifyReply, plain: Buffer): Buffer {
  const accepted = request.headers['accept-encoding'];
  if (plain.length < COMPRESS_MIN_BYTES || plain.length > COMPRESS_ONCE_MAX_BYTES || typeof accepted !== 'string') return plain;
  // As the plugin reads the header: `*` and x-gzip stand for gzip.
  const encoding = negotiate(accepted.toLowerCase().replace(/\*|x-gzip/gu, 'gzip'), ENCODINGS);
  if (encoding !== 'br' && encoding !== 'gzip') return plain;
  // (This TypeScript's Uint8Array and @types/node's Buffer disagree on ArrayBufferLike.)
  const bytes = plain as unknown as Uint8Array;
  const key = `${encoding} ${createHash('sha256').update(bytes).digest('base64')}`;
  let compressed = shared.get(key);
  if (!compressed) {
    compressed = encoding === 'br' ? brotliCompressSync(bytes, BROTLI_OPTIONS) : gzipSync(bytes, GZIP_OPTIONS);
    shared.set(key, compressed);
    sharedBytes += compressed.length;
    while (sharedBytes > SHARED_MAX_BYTES) {
      const [oldest, dropped] = shared.entries().next().value as [string, Buffer];
      shared.delete(oldest);
      sharedBytes -= dropped.length;
    }
  }
  const vary = reply.getHeader('Vary');
  if (!vary) reply.header('Vary', 'accept-encoding');
  else if (!/accept-encoding/i.test(String(vary))) reply.header('Vary', `${String(vary)}, accept-encoding`);
  reply.header('Content-Encoding', encoding);
  return compressed;
}
