/**
 * Builds the HTTP server: JSON API, replication endpoints, the static app. Used by main.ts and
 * by the integration tests (which pass their own storage, log stream and short timeouts).
 */
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { registerLostDeviceGuard } from './auth/devices.ts';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from './auth/sessions.ts';
import { hashProcess } from './auth/hash-queue.ts';
import { LoginThrottle, DEFAULT_THROTTLE, type ThrottleLimits } from './auth/throttle.ts';
import { VERSION_POLICY, type VersionPolicy } from '../src/lib/domain/schema-versions.ts';
import { LIMITS } from './config.ts';
import { PassThrough, Transform } from 'node:stream';
import type { ConcurrencyLimits } from './concurrency.ts';
import type { ServerContext } from './context.ts';
import { registerCompression } from './compression.ts';
import { closeAfterAnswer, handleError, sendApiError, sendCouchError } from './errors.ts';
import { loggerOptions, logRequest, type LogOptions } from './logging.ts';
import { adminRoutes } from './routes/admin.ts';
import { apiRoutes } from './routes/api.ts';
import { reportRoutes } from './reports/routes.ts';
import { care02Routes } from './review/care02.ts';
import { reviewRoutes } from './review/routes.ts';
import { readyRoutes } from './routes/ready.ts';
import { syncRoutes } from './routes/sync.ts';
import { BULK_DOCS_ROUTE, defaultScreenWorkers, keepBodyText } from './sync/screen-pool.ts';
import { catalogRoutes } from './catalog/routes.ts';
import { handoverRoutes } from './handover/routes.ts';
import { requestRoutes } from './requests/routes.ts';
import { appPolicy, applySecurityHeaders, registerSecurityHeaders } from './security-headers.ts';
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
  /** Reverse proxies whose X-Forwarded-For is believed (config.ts TRUSTED_PROXIES); none by default. */
  trustedProxies?: string[];
  sessions?: SessionSettings;
  idleLockSeconds?: number;
  /** Longest longpoll wait; tests shorten it. */
  longpollMaxMs?: number;
  throttle?: ThrottleLimits;
  /**
   * A lower cap on replication request bodies than LIMITS.syncBodyBytes (SYNC_BODY_LIMIT), for a
   * proxy-like limit in front of small servers and for the tests of the client's answer to 413.
   */
  syncBodyBytes?: number;
  /** Schema version policy; the build's own (VERSION_POLICY) unless a test proves the mechanism with another. */
  versions?: VersionPolicy;
  /** Request time limits; LIMITS (config.ts) unless a test shortens them. */
  timeouts?: Partial<RequestTimeouts>;
  /** Turns per account on /sync/ and per address for sign-ins (concurrency.ts); LIMITS unless a test lowers them. */
  concurrency?: Partial<ConcurrencySettings>;
  /** How long /api/ready waits for the store (routes/ready.ts READY_TIMEOUT_MS); tests shorten it. */
  readyTimeoutMs?: number;
  /**
   * Worker threads that check `_bulk_docs` batches beside the request thread (sync/screen-pool.ts);
   * 0 checks on the request thread. Default SCREEN_WORKERS, else min(2, cores − 1).
   */
  screenWorkers?: number;
}

export interface ConcurrencySettings {
  perAccount: ConcurrencyLimits;
  signInsPerAddress: ConcurrencyLimits;
}

export interface RequestTimeouts {
  /** Whole request received (headers and body). */
  requestMs: number;
  headersMs: number;
  /** An /api/ body received (before sign-in, so short). */
  apiBodyMs: number;
  /** How often Node checks requestMs/headersMs (its connectionsCheckingInterval). */
  checkIntervalMs: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { system, audit } = await prepareStorage(options.storage);
  hashProcess.start(); // password hashing's own process (auth/hash-process.ts), started with the server
  const ctx: ServerContext = {
    storage: options.storage,
    system,
    audit,
    throttle: new LoginThrottle(options.throttle ?? DEFAULT_THROTTLE),
    serverUuid: await getServerUuid(system),
    cookieSecure: options.cookieSecure ?? false,
    longpollMaxMs: options.longpollMaxMs ?? LIMITS.longpollMaxMs,
    sessionSettings: options.sessions ?? DEFAULT_SESSION_SETTINGS,
    idleLockSeconds: options.idleLockSeconds ?? 300,
    versions: options.versions ?? VERSION_POLICY
  };

  const securityOptions = { httpsDeployment: options.cookieSecure ?? false, buildDir: options.buildDir ?? null };
  const appCsp = appPolicy(securityOptions.buildDir);
  const timeouts: RequestTimeouts = {
    requestMs: LIMITS.requestReceiveMs,
    headersMs: LIMITS.headersReceiveMs,
    apiBodyMs: LIMITS.apiBodyReceiveMs,
    checkIntervalMs: 1_000,
    ...options.timeouts
  };
  const app = Fastify({
    // Slow requests end (issue 9, item 3): Fastify's default is no request timeout at all.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: LIMITS.idleSocketMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs
    },
    logger: options.log ? loggerOptions(options.log) : false,
    // A malformed URL: 400 with the security headers, never echoing the URL (it may hold data).
    frameworkErrors: (_error, request, reply) => {
      applySecurityHeaders(request, reply, securityOptions, appCsp);
      const p = request.url.split('?')[0];
      if (p.startsWith('/sync')) return sendCouchError(reply, 400, 'bad_request', 'ที่อยู่ (URL) ไม่ถูกต้อง / the URL is not valid');
      return sendApiError(reply, 400, 'bad_request', 'ที่อยู่ (URL) ไม่ถูกต้อง / the URL is not valid');
    },
    // Our own single line per request (logging.ts) instead of Fastify's two with full URLs.
    logController: new LogController({ disableRequestLogging: true }),
    // A list, never `true`: proxy-addr then takes the right-most address not in it.
    trustProxy: options.trustedProxies && options.trustedProxies.length > 0 ? options.trustedProxies : false,
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
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, bytes, done) => {
    // Fatal decoding: bytes that are not UTF-8 are refused, not silently turned into U+FFFD.
    let body: string;
    try {
      body = strictUtf8.decode(bytes as Buffer);
    } catch {
      return done(
        Object.assign(new Error('invalid UTF-8'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }),
        undefined
      );
    }
    if (body === '') return done(null, undefined);
    // Screening worker threads parse a batch's text themselves (sync/screen-pool.ts).
    if (request.routeOptions.url === BULK_DOCS_ROUTE) keepBodyText(request, body);
    parseJson(request, body, (err: Error | null, value?: unknown) => {
      if (err) return done(err);
      if (exceedsDepth(value, LIMITS.jsonMaxDepth)) return done(tooDeep(), undefined);
      done(null, value);
    });
  });

  app.setErrorHandler((err: FastifyError, request, reply) => handleError(err, request, reply));
  app.decorateRequest('account', null);
  app.addHook('onResponse', async (request, reply) => {
    logRequest(request.log, request.method, request.url, reply.statusCode, reply.elapsedTime, {
      account: request.account,
      ip: request.ip
    });
  });

  if (options.syncBodyBytes !== undefined && options.syncBodyBytes < LIMITS.syncBodyBytes)
    limitSyncBodies(app, options.syncBodyBytes);

  refuseIdListsByLength(app);
  countValuesWhileReceiving(app);
  limitApiBodyTime(app, timeouts.apiBodyMs);
  closeConnectionsWhenClosing(app);
  registerSecurityHeaders(app, securityOptions, appCsp);
  registerLostDeviceGuard(app, ctx);
  await app.register(fastifyCookie);
  await registerCompression(app);
  const concurrency: ConcurrencySettings = {
    perAccount: { running: LIMITS.accountRunning, queued: LIMITS.accountQueued, waitMs: LIMITS.accountQueueWaitMs },
    signInsPerAddress: LIMITS.signInsPerAddress,
    ...options.concurrency
  };
  await app.register(apiRoutes, { ctx, signInsPerAddress: concurrency.signInsPerAddress });
  await app.register(catalogRoutes, { ctx });
  await app.register(adminRoutes, { ctx });
  await app.register(readyRoutes, { ctx, timeoutMs: options.readyTimeoutMs });
  await app.register(handoverRoutes, { ctx });
  await app.register(requestRoutes, { ctx });
  await app.register(syncRoutes, {
    ctx,
    perAccount: concurrency.perAccount,
    screenWorkers: options.screenWorkers ?? LIMITS.screenWorkers ?? defaultScreenWorkers()
  });
  await app.register(reportRoutes, { ctx });
  await app.register(reviewRoutes, { ctx });
  await app.register(care02Routes, { ctx });
  await registerStaticApp(app, options.buildDir ?? null);
  return app;
}

/** The body-too-large error Fastify itself raises, so errors.ts answers it the same way (413). */
function bodyTooLarge(): Error {
  return Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
}

/**
 * Caps every /sync/ request body at `maxBytes`, below the per-route limits: by Content-Length
 * before reading, and by counting for bodies sent without one.
 */
function limitSyncBodies(app: FastifyInstance, maxBytes: number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/sync/')) return;
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBytes) return sendCouchError(reply, 413, 'too_large', 'the request body is too large');
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.url.startsWith('/sync/')) return payload;
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        seen += chunk.length;
        callback(seen > maxBytes ? bodyTooLarge() : null, chunk);
      }
    });
    return payload.pipe(counter);
  });
}

/** Replication requests that carry only ids (and revisions): their bodies are small (LIMITS.idListBodyBytes). */
export const ID_LIST_ENDPOINT = /^\/sync\/[^/?]+\/(?:_bulk_get|_revs_diff|_changes)(?:[/?]|$)/;

/**
 * A `_bulk_get`, `_revs_diff` or `_changes` body declared larger than any list of
 * LIMITS.idsPerRequest ids can be is refused from its Content-Length, before authentication and
 * before a byte of it is read (the attack of a million ids sent 15 MB that was read, decoded and
 * scanned before being refused). A body sent without a length is held to the same bound by the
 * routes' bodyLimit.
 */
function refuseIdListsByLength(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST' || !ID_LIST_ENDPOINT.test(request.url)) return;
    if (Number(request.headers['content-length'] ?? 0) <= LIMITS.idListBodyBytes) return;
    closeAfterAnswer(request, reply);
    return sendCouchError(
      reply,
      413,
      'too_large',
      `ส่งรหัสเอกสารได้ไม่เกิน ${LIMITS.idsPerRequest} ต่อคำขอ (ไม่เกิน ${LIMITS.idListBodyBytes} ไบต์) / at most ${LIMITS.idsPerRequest} document ids per request (${LIMITS.idListBodyBytes} bytes)`
    );
  });
}

/**
 * Counts a large body's JSON values (commas outside strings) as its chunks arrive, and refuses it
 * (413, connection closed) as soon as it holds more than LIMITS.jsonValuesPerRequest: 18 MB of
 * zeros is cut off after its first megabyte, without being received in full, decoded to a
 * string or parsed. Bodies declared under 256 kB cannot hold that many values and skip it.
 */
function countValuesWhileReceiving(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, reply, payload) => {
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) < 256 * 1024) return payload;
    if (request.headers['transfer-encoding'] === undefined && declared === undefined) return payload;
    const counter = new JsonValueCounter(LIMITS.jsonValuesPerRequest);
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (!counter.feed(chunk)) return callback(null, chunk);
        closeAfterAnswer(request, reply);
        callback(tooManyValues());
      }
    });
    return payload.pipe(counting);
  });
}

/** Commas outside JSON strings, counted over chunks of UTF-8 bytes (all three bytes are ASCII). */
export class JsonValueCounter {
  private commas = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly max: number) {}

  /** Counts `chunk`; true once more than `max` values were seen. */
  feed(chunk: Buffer): boolean {
    let { commas, inString, escaped } = this;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92 /* \\ */) escaped = true;
        else if (c === 34 /* " */) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 44 /* , */ && ++commas >= this.max) return true;
    }
    Object.assign(this, { commas, inString, escaped });
    return false;
  }
}

/**
 * An /api/ body (sign-in: two short strings) must arrive within `ms`, or the request ends with
 * 408 and the connection closes. Node's own request timeout is minutes long, for replication
 * batches; a login body needs no more than a few seconds even on a poor line.
 */
function limitApiBodyTime(app: FastifyInstance, ms: number): void {
  app.addHook('preParsing', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) return payload;
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return payload;
    // A stream of our own in between: erroring it answers 408 through Fastify's body reader,
    // where destroying the request itself would drop the socket without any answer.
    const timed = new PassThrough();
    // Fastify's reader reports the error; should nobody read any more, it must not crash us.
    timed.on('error', () => undefined);
    const timer = setTimeout(() => {
      // The body was read, or the exchange is over: nothing is waiting for it any more.
      if (reply.sent || timed.destroyed || timed.readableEnded || request.raw.destroyed) return;
      reply.header('Connection', 'close');
      payload.unpipe(timed);
      timed.destroy(Object.assign(new Error('request body too slow'), { code: 'CARE_BODY_TIMEOUT', statusCode: 408 }));
    }, ms);
    const stop = () => clearTimeout(timer);
    payload.once('end', stop);
    timed.once('close', stop);
    reply.raw.once('close', stop);
    return payload.pipe(timed);
  });
}

/**
 * While the server shuts down, every answer ends its keep-alive connection. Otherwise a request
 * answered after close() began (a longpoll that was still authenticating) leaves an idle
 * connection open, and close() waits for the keep-alive timeout (72 s in Fastify).
 */
function closeConnectionsWhenClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('Connection', 'close');
    return payload;
  });
}

/** True when `value` nests objects/arrays deeper than `maxDepth`; iterative, so any depth is safe. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return true;
    // Arrays walked by index: Object.values would copy a body's million-entry array first.
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++)
        if (current[i] !== null && typeof current[i] === 'object') stack.push([current[i], depth + 1]);
      continue;
    }
    for (const child of Object.values(current)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** True when `json` holds more than `max` values (JsonValueCounter over a whole string). */
export function exceedsValueCount(json: string, max: number): boolean {
  return new JsonValueCounter(max).feed(Buffer.from(json));
}

function tooManyValues(): Error {
  const max = LIMITS.jsonValuesPerRequest;
  return Object.assign(
    new Error(
      `คำขอมีค่ามากกว่า ${max} ค่า (ส่งเอกสารหรือรหัสเอกสารได้ไม่เกิน ${LIMITS.docsPerBulk} ต่อคำขอ) / the request holds more than ${max} JSON values (at most ${LIMITS.docsPerBulk} documents or ids per request)`
    ),
    { code: 'CARE_JSON_TOO_MANY_VALUES', statusCode: 413 }
  );
}

function tooDeep(): Error {
  return Object.assign(new Error(`JSON nested deeper than ${LIMITS.jsonMaxDepth} levels`), {
    code: 'CARE_JSON_TOO_DEEP',
    statusCode: 400
  });
}
