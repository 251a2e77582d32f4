/**
 * Settings from the environment, read once at start-up. Limits live here too so that a
 * reviewer finds every number that bounds what a client may do in one place.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_DOC_BYTES } from '../src/lib/domain/validate-doc.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A count from the environment (e.g. CARE_MAX_DOCS_PER_BULK=500), within [min, max]; the default
 * otherwise. Read once at start-up: a typo stops the server instead of silently lifting a bound.
 */
function envCount(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${raw}`);
  return value;
}

export const LIMITS = {
  /**
   * Documents in one `_bulk_docs`. PouchDB pushes 100 at a time (its batch_size); the app's
   * client halves a batch on 413. Checked before any document is looked at, so a body of
   * millions of entries costs one JSON parse, not millions of refusals (issue 9, item 1).
   */
  docsPerBulk: envCount('CARE_MAX_DOCS_PER_BULK', 1_000, 1, 10_000),
  /** Ids in one `_bulk_get`, `_revs_diff` or `_changes` `doc_ids` filter (PouchDB asks 100). */
  idsPerRequest: envCount('CARE_MAX_IDS_PER_REQUEST', 1_000, 1, 10_000),
  /** Revisions named in one `_revs_diff` across all its ids (a tablet sends one or a few per id). */
  revsPerRequest: envCount('CARE_MAX_REVS_PER_REQUEST', 10_000, 1, 100_000),
  /**
   * One document's JSON size. A CARE 01 with two signature images is well under 500 kB. With
   * idsPerRequest this also bounds a `_bulk_get` answer (ids × docBytes, plus revision lists).
   */
  docBytes: envCount('CARE_MAX_DOC_BYTES', MAX_DOC_BYTES, 10_000, MAX_DOC_BYTES),
  /**
   * Refused documents named one by one in an audit entry (id, revision, reason); the rest are
   * only counted per reason. Accepted documents are all named: docsPerBulk bounds them.
   */
  auditRefusedListed: envCount('CARE_AUDIT_REFUSED_LISTED', 50, 1, 1_000),
  /**
   * Audit intents left by a crash are settled at start (audit-repair.ts) once older than this:
   * a live instance completes its own long before, so a starting instance never settles a write
   * still in progress elsewhere. 0 only in tests (a single instance restarted at once).
   */
  auditRepairGraceMs: envCount('CARE_AUDIT_REPAIR_GRACE_MS', 5 * 60_000, 0, 24 * 60 * 60_000),
  /** How far back, in hours, and how many audit entries at most, that start-up pass reads. */
  auditRepairHours: 48,
  auditRepairEntries: 20_000,
  /** Distinct refusal reasons counted in one audit entry; the rest are counted together. */
  auditReasons: 20,
  /**
   * Replication body bytes one account may send per minute (sync/body-budget.ts), taken before
   * a body is read: big bodies back to back cannot monopolise the server's JSON parsing.
   */
  bodyBytesPerMinute: envCount('CARE_BODY_BYTES_PER_MINUTE', 100 * 1024 * 1024, 1024 * 1024, 10 * 1024 * 1024 * 1024),
  /**
   * Documents of one account that screening may refuse per minute (sync/refusal-budget.ts).
   * Over it, the account's _bulk_docs and PUT get 429 with Retry-After before their bodies are
   * screened: a flood of forged batches costs the server almost nothing. A tablet's refused
   * documents are rare; two full batches of refusals a minute is far above any honest need.
   */
  refusedDocsPerMinute: envCount('CARE_REFUSED_DOCS_PER_MINUTE', 2_000, 10, 1_000_000),
  /**
   * Refusals an account may spend at once before that rate applies (the bucket's size). As big as
   * the rate, a flood of 100-document forged batches had 20 batches screened back to back before
   * the first 429, and honest tablets' syncs waited behind them (bench step 8); two tablet batches
   * keep the same rate over a minute with a burst of two.
   */
  refusedDocsBurst: envCount('CARE_REFUSED_DOCS_BURST', 200, 1, 1_000_000),
  /**
   * Replication requests of one account running at once (concurrency.ts; longpoll waits are not
   * counted). A tablet's replicator has one or two in flight; the rest of an account's requests
   * wait their turn before their bodies are read, up to accountQueued of them for
   * accountQueueWaitMs, then 503 with Retry-After.
   */
  accountRunning: envCount('CARE_MAX_REQUESTS_PER_ACCOUNT', 8, 1, 1_000),
  accountQueued: envCount('CARE_MAX_QUEUED_PER_ACCOUNT', 1_000, 0, 100_000),
  accountQueueWaitMs: 30_000,
  /**
   * Sign-ins (password checks) from one client address running at once, and waiting. A CARE
   * centre behind one NAT address signs its tablets in a few at a time; a burst of hundreds of
   * guesses gets 429 for all but these, before its bodies are parsed.
   */
  signInsPerAddress: { running: 8, queued: 32, waitMs: 10_000 },
  /**
   * JSON values (commas outside strings, counted by a quick scan before parsing) in one request
   * body over 1 MB. A batch of 1000 CARE 01 forms holds a few hundred thousand; 9 million zeros
   * or a million ids are refused in milliseconds instead of seconds of JSON.parse.
   */
  jsonValuesPerRequest: envCount('CARE_MAX_JSON_VALUES', 500_000, 10_000, 10_000_000),
  /**
   * Body of a `_bulk_get`, `_revs_diff` or `_changes` (ids and revisions only): idsPerRequest ids
   * with their revisions fit in a few hundred kB. Larger is refused from its Content-Length.
   */
  idListBodyBytes: 2 * 1024 * 1024,
  /** Upper bound of one audit entry's JSON, held by the caps above (tested). */
  auditEntryBytes: 256 * 1024,
  /** A replication batch of 100 CARE 01 forms with signature images stays well under this. */
  syncBodyBytes: 20 * 1024 * 1024,
  /** Login bodies are two short strings. */
  apiBodyBytes: 16 * 1024,
  /**
   * JSON bodies nested deeper than this are refused before any handler: a CARE form is a few
   * levels deep, and recursive code (JSON.stringify, zod, PouchDB) overflows the stack on
   * thousands of levels, which a 20 MB body can easily hold.
   */
  jsonMaxDepth: 64,
  /** `_local` documents are replication checkpoints; the cap stops them becoming unchecked storage. */
  localDocBytes: 64 * 1024,
  /**
   * `_local` documents one account keeps per unit (sync/local-docs.ts): a tablet needs one or
   * two checkpoints per replication; past the bound the oldest is dropped, never the sync refused.
   */
  localDocsPerAccount: envCount('CARE_LOCAL_DOCS_PER_ACCOUNT', 20, 2, 1_000),
  /**
   * Time to receive a whole request, headers and body (Node's server.requestTimeout). Generous
   * for a 20 MB batch on a slow line; a drip-fed body is cut off here. A longpoll is not
   * affected: its request is complete at once, it waits on the answer.
   */
  requestReceiveMs: envCount('CARE_REQUEST_RECEIVE_MS', 120_000, 1_000, 600_000),
  /** Time to receive a request's headers (Node's server.headersTimeout). */
  headersReceiveMs: envCount('CARE_HEADERS_RECEIVE_MS', 20_000, 1_000, 120_000),
  /**
   * Time to receive a JSON API body (/api/*: sign-in, password change — a few hundred bytes),
   * sent before anyone is authenticated: cut off quickly so drip-fed logins cannot pile up.
   */
  apiBodyReceiveMs: envCount('CARE_API_BODY_RECEIVE_MS', 10_000, 500, 120_000),
  /**
   * A socket with no traffic at all for this long is closed. Above longpollMaxMs, since a
   * longpoll's socket is silent while the server waits for a change, and above Fastify's 72 s
   * keep-alive timeout: a client reuses an idle connection until then (it is told so).
   */
  idleSocketMs: envCount('CARE_IDLE_SOCKET_MS', 120_000, 80_000, 600_000),
  /**
   * Longpoll waits at most this long before answering "no changes". Below the 30 s that many
   * proxies and PouchDB's own request timeout allow, so an idle feed never looks like a failure.
   */
  longpollMaxMs: 25_000,
  /**
   * Worker threads checking `_bulk_docs` batches (sync/screen-pool.ts), SCREEN_WORKERS; unset:
   * min(2, cores − 1), 0 on one core. 0 checks on the request thread.
   */
  screenWorkers: process.env.SCREEN_WORKERS?.trim() ? envCount('SCREEN_WORKERS', 0, 0, 16) : undefined,
  /** Batches waiting for a screening worker; more answer 503 with Retry-After. */
  screenQueued: envCount('CARE_SCREEN_QUEUED', 64, 1, 10_000)
} as const;

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /**
   * CouchDB 3 server or cluster with credentials (http://admin:secret@couch:5984); when set,
   * it is the store instead of the embedded one under DATA_DIR (docs/scaling.md).
   */
  couchdbUrl: string | null;
  /** COUCHDB_PREFIX: put in front of every database name, so deployments can share a CouchDB. */
  couchdbPrefix: string;
  /** COUCHDB_REQUEST_TIMEOUT_SECONDS: longest wait for a CouchDB answer other than a longpoll. */
  couchdbRequestTimeoutMs: number;
  /** Largest replication request body; LIMITS.syncBodyBytes unless SYNC_BODY_LIMIT lowers it. */
  syncBodyBytes: number;
  buildDir: string;
  /** Secure cookies even when TLS ends at a proxy in front of us. */
  cookieSecure: boolean;
  /**
   * Addresses or CIDR ranges of the reverse proxies in front of us (TRUSTED_PROXIES, comma
   * separated). The client address is then the right-most X-Forwarded-For hop that is not one
   * of them: a client can prepend anything, but not past our own proxy.
   */
  trustedProxies: string[];
  /** Session lifetimes: SESSION_IDLE_MINUTES (720) without use, SESSION_MAX_HOURS (168) after sign-in. */
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** IDLE_LOCK_SECONDS (300): the tablet locks its screen after this long without use. */
  idleLockSeconds: number;
  logLevel: string;
  demo: boolean;
}

export function readConfig(
  env: Record<string, string | undefined> = process.env,
  argv: string[] = process.argv.slice(2)
): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const couchdbUrl = env.COUCHDB_URL?.trim() || null;
  if (couchdbUrl && !/^https?:\/\/[^/]/.test(couchdbUrl)) throw new Error('COUCHDB_URL must be an http(s) URL');
  const syncBodyBytes = Number(env.SYNC_BODY_LIMIT ?? LIMITS.syncBodyBytes);
  if (!Number.isSafeInteger(syncBodyBytes) || syncBodyBytes < 1024 || syncBodyBytes > LIMITS.syncBodyBytes)
    throw new Error(`SYNC_BODY_LIMIT must be a byte count from 1024 to ${LIMITS.syncBodyBytes}`);
  if (env.TRUST_PROXY)
    throw new Error(
      'TRUST_PROXY trusted any X-Forwarded-For a client sent: list your proxies instead, e.g. TRUSTED_PROXIES=10.0.0.5,10.1.0.0/16'
    );
  const trustedProxies = (env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const proxy of trustedProxies)
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(proxy) && !['loopback', 'linklocal', 'uniquelocal'].includes(proxy))
      throw new Error(`TRUSTED_PROXIES: "${proxy}" is not an address, a CIDR range or loopback/linklocal/uniquelocal`);
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const sessionIdleMinutes = whole('SESSION_IDLE_MINUTES', 720, 1, 60 * 24 * 30);
  const sessionMaxHours = whole('SESSION_MAX_HOURS', 168, 1, 24 * 90);
  return {
    trustedProxies,
    sessionIdleMs: sessionIdleMinutes * 60_000,
    sessionMaxMs: sessionMaxHours * 60 * 60_000,
    idleLockSeconds: whole('IDLE_LOCK_SECONDS', 300, 30, 24 * 60 * 60),
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    couchdbUrl,
    couchdbPrefix: env.COUCHDB_PREFIX?.trim() ?? '',
    couchdbRequestTimeoutMs: whole('COUCHDB_REQUEST_TIMEOUT_SECONDS', 60, 1, 600) * 1000,
    syncBodyBytes,
    buildDir: path.resolve(env.BUILD_DIR || path.join(REPO_ROOT, 'build')),
    cookieSecure: env.COOKIE_SECURE === '1',
    logLevel: env.LOG_LEVEL || 'info',
    demo: argv.includes('--demo')
  };
}
