/**
 * Headers on every response, including errors, static files and the 400 for a malformed URL.
 *
 * Content-Security-Policy is sent as an HTTP header (issue 9, item 7), not only as SvelteKit's
 * `<meta>` tag: a header also covers the service worker script and adds `frame-ancestors`, which
 * a meta tag cannot carry. HTML and JavaScript get the app's own policy, read once from the
 * built index.html (kit.csp in svelte.config.js, with the hashes of its inline scripts), so the
 * header and the meta tag never disagree; every other answer (JSON, images, text) gets a policy
 * that allows nothing. HSTS goes out when the connection is HTTPS (directly, or as a trusted
 * proxy says) or the deployment says TLS ends in front of us (COOKIE_SECURE).
 *
 * Hand-written rather than @fastify/helmet: the headers are a short fixed list, and the part
 * that needs care — the app's hashed policy — helmet would need supplied the same way.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // The app records workplace locations (geolocation) and a person's photo (camera).
  'Permissions-Policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin'
};

const HSTS = 'max-age=31536000; includeSubDomains';

/** For answers that are data, never a page or a script: nothing may load or run. */
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The app's policy when there is no build to read it from (same directives, no inline scripts). */
const FALLBACK_APP_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
  "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

const decodeEntities = (s: string) =>
  s
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The policy of the built app's index.html meta tag, plus frame-ancestors. */
export function appPolicy(buildDir: string | null): string {
  let policy = FALLBACK_APP_POLICY;
  const index = buildDir ? path.join(buildDir, 'index.html') : null;
  if (index && existsSync(index)) {
    const html = readFileSync(index, 'utf8');
    const meta = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"/i.exec(html);
    if (meta) policy = decodeEntities(meta[1]).trim().replace(/;\s*$/, '');
  }
  return `${policy}; frame-ancestors 'none'`;
}

export interface SecurityHeaderOptions {
  /** TLS ends in front of the server (COOKIE_SECURE): always send HSTS. */
  httpsDeployment: boolean;
  buildDir: string | null;
}

/** The headers for one answer; also called directly where Fastify's hooks do not run (bad URL). */
export function applySecurityHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  options: SecurityHeaderOptions,
  policy: string
): void {
  for (const [name, value] of Object.entries(HEADERS)) reply.header(name, value);
  if (options.httpsDeployment || request.protocol === 'https') reply.header('Strict-Transport-Security', HSTS);
  const type = String(reply.getHeader('content-type') ?? '');
  reply.header('Content-Security-Policy', /text\/html|javascript/.test(type) ? policy : DATA_POLICY);
  const p = request.url.split('?')[0];
  // Personal data must not linger in browser or proxy caches; the PWA keeps its own copy.
  if (p === '/api' || p.startsWith('/api/') || p === '/sync' || p.startsWith('/sync/')) reply.header('Cache-Control', 'no-store');
}

/** `policy`: the app's, from appPolicy(buildDir), read once at start-up. */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions, policy: string): void {
  app.addHook('onSend', async (request, reply, payload) => {
    applySecurityHeaders(request, reply, options, policy);
    return payload;
  });
}
