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
  /** COUCHDB_PREFIX: put in front of every database name, so deployments can share a CouchDB. */
  couchdbPrefix: string;
  /** Largest replication request body; LIMITS.syncBodyBytes unless SYNC_BODY_LIMIT lowers it. */
  syncBodyBytes: number;
  buildDir: string;
  /** Secure cookies even when TLS ends at a proxy in front of us. */
  cookieSecure: boolean;
  /** Behind a reverse proxy, take the client address from X-Forwarded-For (login throttling). */
  trustProxy: boolean;
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
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    couchdbUrl,
    couchdbPrefix: env.COUCHDB_PREFIX?.trim() ?? '',
    syncBodyBytes,
    buildDir: path.resolve(env.BUILD_DIR || path.join(REPO_ROOT, 'build')),
    cookieSecure: env.COOKIE_SECURE === '1',
    trustProxy: env.TRUST_PROXY === '1',
    logLevel: env.LOG_LEVEL || 'info',
    demo: argv.includes('--demo')
  };
}
