/**
 * Builds the HTTP server: JSON API, replication endpoints, the static app. Used by main.ts and
 * by the integration tests (which pass their own storage, log stream and short timeouts).
 */
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { LoginThrottle, DEFAULT_THROTTLE, type ThrottleLimits } from './auth/throttle.ts';
import { LIMITS } from './config.ts';
import type { ServerContext } from './context.ts';
import { handleError } from './errors.ts';
import { loggerOptions, logRequest, type LogOptions } from './logging.ts';
import { apiRoutes } from './routes/api.ts';
import { syncRoutes } from './routes/sync.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerStaticApp } from './static.ts';
import type { StoragePort } from './storage/port.ts';
import { getServerUuid, prepareStorage } from './system-db.ts';

export interface BuildServerOptions {
  storage: StoragePort;
  /** The SvelteKit build output; null or a missing directory serves a "run npm run build" note. */
  buildDir?: string | null;
  /** false: no logging at all. */
  log?: LogOptions | false;
  cookieSecure?: boolean;
  trustProxy?: boolean;
  /** Longest longpoll wait; tests shorten it. */
  longpollMaxMs?: number;
  throttle?: ThrottleLimits;
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { system, audit } = await prepareStorage(options.storage);
  const ctx: ServerContext = {
    storage: options.storage,
    system,
    audit,
    throttle: new LoginThrottle(options.throttle ?? DEFAULT_THROTTLE),
    serverUuid: await getServerUuid(system),
    cookieSecure: options.cookieSecure ?? false,
    longpollMaxMs: options.longpollMaxMs ?? LIMITS.longpollMaxMs
  };

  const app = Fastify({
    logger: options.log ? loggerOptions(options.log) : false,
    // Our own single line per request (logging.ts) instead of Fastify's two with full URLs.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: LIMITS.apiBodyBytes,
    routerOptions: {
      // PouchDB asks for /sync/unit/ with the slash; curl users type it without.
      ignoreTrailingSlash: true,
      maxParamLength: 300
    }
  });

  // JSON only. An empty body is allowed (PouchDB and browsers send Content-Type: application/json
  // on DELETE and GET without a body). Without a text/plain parser, a cross-site <form> cannot
  // produce a body any endpoint accepts.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => handleError(err, request, reply));
  app.addHook('onResponse', async (request, reply) => {
    logRequest(request.log, request.method, request.url, reply.statusCode, reply.elapsedTime);
  });

  registerSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(apiRoutes, { ctx });
  await app.register(syncRoutes, { ctx });
  await registerStaticApp(app, options.buildDir ?? null);
  return app;
}
