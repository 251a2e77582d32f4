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
import { constants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Below this a compressed answer saves less than a network packet. */
export const COMPRESS_MIN_BYTES = 1024;

/** Registered before the routes: the plugin adds its hook to each route as it is declared. */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    threshold: COMPRESS_MIN_BYTES,
    encodings: ['br', 'gzip'],
    customTypes: /^application\/json\b/,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 4 }
  });
}
