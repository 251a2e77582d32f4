/**
 * The built app (SvelteKit adapter-static output) with a single-page fallback: any GET that
 * is not /api, not /sync and not a file gets index.html, and the app's router takes over.
 *
 * Caching: files under /_app/immutable/ have content hashes in their names, so they are cached
 * for a year. The entry points (index.html, sw.js, the manifest) must be revalidated every
 * time, or a tablet would keep running an old version of the app.
 *
 * Compression: the build writes a brotli and a gzip copy of every text file (adapter-static
 * `precompress`), served when the browser accepts them: a first visit on a slow link and the
 * service worker's precache move a quarter of the bytes, with no compression work per request.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendApiError, sendCouchError } from './errors.ts';

const REVALIDATE = new Set(['index.html', 'sw.js', 'manifest.webmanifest', 'registerSW.js']);

/** The file a precompressed copy stands for (`x.js.br` → `x.js`), for its caching rule. */
const uncompressedName = (filePath: string) => filePath.replace(/\.(br|gz)$/, '');

function cacheControlFor(servedPath: string): string {
  const filePath = uncompressedName(servedPath);
  if (filePath.split(path.sep).join('/').includes('/_app/immutable/')) return 'public, max-age=31536000, immutable';
  if (REVALIDATE.has(path.basename(filePath)) || filePath.endsWith('.html')) return 'no-cache';
  // Everything else (icons, version.json…): short, and revalidated after.
  return 'public, max-age=3600';
}

const NOT_BUILT =
  'CARE Field: the app has not been built yet. Run `npm run build`, then start the server again.\n' +
  'ยังไม่ได้สร้างแอป: สั่ง `npm run build` แล้วเริ่มเซิร์ฟเวอร์ใหม่\n';

const isApi = (p: string) => p === '/api' || p.startsWith('/api/');
const isSync = (p: string) => p === '/sync' || p.startsWith('/sync/');

export async function registerStaticApp(app: FastifyInstance, buildDir: string | null) {
  const built = buildDir !== null && existsSync(path.join(buildDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: buildDir,
      wildcard: true,
      preCompressed: true,
      cacheControl: false, // set per file below
      setHeaders: (res, filePath) => res.setHeader('Cache-Control', cacheControlFor(filePath))
    });
  }

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const p = request.url.split('?')[0];
    if (isSync(p)) return sendCouchError(reply, 404, 'not_found', 'missing');
    if (isApi(p)) return sendApiError(reply, 404, 'not_found', 'no such endpoint');
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendApiError(reply, 404, 'not_found', 'not found');
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    // A missing asset is a 404, not the app: the service worker must not cache HTML as a script.
    if (p.startsWith('/_app/') || path.extname(p) !== '')
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
