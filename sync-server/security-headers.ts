/**
 * Headers on every response, including errors and static files.
 * The Content-Security-Policy of the app comes from SvelteKit (kit.csp, hashed inline scripts)
 * as a <meta> tag in the built pages, so it is not repeated here.
 */
import type { FastifyInstance } from 'fastify';

const HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // The app records workplace locations (geolocation) and a person's photo (camera).
  'Permissions-Policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin'
};

export function registerSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(HEADERS)) reply.header(name, value);
    const path = request.url.split('?')[0];
    // Personal data must not linger in browser or proxy caches; the PWA keeps its own copy.
    if (path === '/api' || path.startsWith('/api/') || path === '/sync' || path.startsWith('/sync/'))
      reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
