/**
 * Settings from the environment, read once at start-up. Limits live here too so that a
 * reviewer finds every number that bounds what a client may do in one place.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const LIMITS = {
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
   * Longpoll waits at most this long before answering "no changes". Below the 30 s that many
   * proxies and PouchDB's own request timeout allow, so an idle feed never looks like a failure.
   */
  longpollMaxMs: 25_000
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

export function readConfig(env: Record<string, string | undefined> = process.env, argv: string[] = process.argv.slice(2)): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const couchdbUrl = env.COUCHDB_URL?.trim() || null;
  if (couchdbUrl && !/^https?:\/\/[^/]/.test(couchdbUrl)) throw new Error('COUCHDB_URL must be an http(s) URL');
  const syncBodyBytes = Number(env.SYNC_BODY_LIMIT ?? LIMITS.syncBodyBytes);
  if (!Number.isSafeInteger(syncBodyBytes) || syncBodyBytes < 1024 || syncBodyBytes > LIMITS.syncBodyBytes)
    throw new Error(`SYNC_BODY_LIMIT must be a byte count from 1024 to ${LIMITS.syncBodyBytes}`);
  if (env.TRUST_PROXY)
    throw new Error('TRUST_PROXY trusted any X-Forwarded-For a client sent: list your proxies instead, e.g. TRUSTED_PROXIES=10.0.0.5,10.1.0.0/16');
  const trustedProxies = (env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const proxy of trustedProxies)
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(proxy) && !['loopback', 'linklocal', 'uniquelocal'].includes(proxy))
      throw new Error(`TRUSTED_PROXIES: "${proxy}" is not an address, a CIDR range or loopback/linklocal/uniquelocal`);
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
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
    syncBodyBytes,
    buildDir: path.resolve(env.BUILD_DIR || path.join(REPO_ROOT, 'build')),
    cookieSecure: env.COOKIE_SECURE === '1',
    logLevel: env.LOG_LEVEL || 'info',
    demo: argv.includes('--demo')
  };
}
