/**
 * Integration-test setup: a real sync-server on a random port over a real store, seeded with
 * two units and one account per role; real pouchdb-node clients on temporary LevelDB
 * directories; valid CARE documents.
 *
 * The store is the embedded one in a temporary directory, or with STORAGE=couchdb (the
 * `integration-couchdb` vitest project) the CouchDB adapter talking HTTP to the real CouchDB
 * named by COUCHDB_TEST_URL, or without it to a CouchDB-compatible stand-in (couchdb-target.ts).
 * The CouchDB target belongs to the data directory: a restart test that keeps its data restarts
 * the sync-server against the same, still running, CouchDB and database prefix.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import PouchDB from 'pouchdb-node';
import { newCare01Id, newPersonId } from '../../src/lib/domain/ids.ts';
import { withCheckDigit } from '../../src/lib/domain/national-id.ts';
import { SCHEMA_VERSION, type Care01Doc, type PersonDoc } from '../../src/lib/domain/schemas.ts';
import type { HandoverRequestDoc } from '../../src/lib/domain/services/handover.ts';
import { buildServer, type BuildServerOptions } from '../../sync-server/app.ts';
import { DEFAULT_THROTTLE, type ThrottleLimits } from '../../sync-server/auth/throttle.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import type { StoragePort } from '../../sync-server/storage/port.ts';
import { prepareStorage, unitDatabaseName } from '../../sync-server/system-db.ts';
import { createUnit, createUser } from '../../sync-server/users.ts';
import { startCouchTarget, type CouchTarget } from './couchdb-target.ts';

export type StorageKind = 'embedded' | 'couchdb';

/** The store the integration tests run on: STORAGE=couchdb, or the embedded one. */
export function storageKindFromEnv(): StorageKind {
  return process.env.STORAGE === 'couchdb' ? 'couchdb' : 'embedded';
}

export const PASSWORD = 'Test-Pass-2569!';

export const UNIT_A = 'alpha-prison';
export const UNIT_B = 'beta-probation';

/** One account per role: officers of A and of B, a supervisor of both, an admin of none. */
export const USERS = {
  officerA: 'officer.a',
  officerB: 'officer.b',
  supervisor: 'supervisor',
  admin: 'admin'
} as const;

/** Generous, so tests that are not about throttling never trip it by accident. */
export const RELAXED_THROTTLE: ThrottleLimits = { ...DEFAULT_THROTTLE, perIp: { max: 1000, windowMs: 15 * 60_000 } };

export interface TestServerOptions {
  /** Reuse a data directory (restart tests); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Create the units and accounts (default true). */
  seed?: boolean;
  /** Capture log lines at this level into `logs`. */
  logLevel?: string;
  longpollMaxMs?: number;
  throttle?: ThrottleLimits;
  buildDir?: string | null;
  cookieSecure?: boolean;
  /** Default: storageKindFromEnv(). */
  storage?: StorageKind;
  /** BuildServerOptions.syncBodyBytes: a lower cap on replication bodies. */
  syncBodyBytes?: number;
  /** BuildServerOptions.sessions / trustedProxies (account tests). */
  sessions?: BuildServerOptions['sessions'];
  trustedProxies?: string[];
  /** BuildServerOptions.timeouts: shorter request time limits for the timeout tests. */
  timeouts?: BuildServerOptions['timeouts'];
  /** BuildServerOptions.versions: a test-only schema version policy. */
  versions?: BuildServerOptions['versions'];
  /** BuildServerOptions.idleLockSeconds (IDLE_LOCK_SECONDS): a short idle lock for the tablet e2e. */
  idleLockSeconds?: number;
  /** BuildServerOptions.screenWorkers: 0 checks _bulk_docs batches on the request thread. */
  screenWorkers?: number;
}

export interface TestServer {
  app: FastifyInstance;
  storage: StoragePort;
  storageKind: StorageKind;
  /** The CouchDB behind the couchdb store (real or stand-in; null for the embedded one). */
  couch: CouchTarget | null;
  /** http://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  logs: string[];
  /**
   * Longpoll waits the store holds for this unit right now: the embedded adapter's in-process
   * wake-up listeners, or the longpolls CouchDB is answering right now.
   */
  longpollWaiters(unitId: string): number;
  /** Stops the server and releases the store; removes the data unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

const cleanups: Array<() => void> = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `care-field-${prefix}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function seedAccounts(storage: StoragePort): Promise<void> {
  await prepareStorage(storage);
  await createUnit(storage, { unitId: UNIT_A, name: { th: 'ศูนย์ทดสอบ เอ', en: 'Test centre A' }, kind: 'prison-care' });
  await createUnit(storage, { unitId: UNIT_B, name: { th: 'สำนักงานทดสอบ บี', en: 'Test office B' }, kind: 'probation-office' });
  await Promise.all([
    createUser(storage, {
      username: USERS.officerA,
      displayName: 'Officer A',
      role: 'officer',
      units: [UNIT_A],
      password: PASSWORD
    }),
    createUser(storage, {
      username: USERS.officerB,
      displayName: 'Officer B',
      role: 'officer',
      units: [UNIT_B],
      password: PASSWORD
    }),
    createUser(storage, {
      username: USERS.supervisor,
      displayName: 'Supervisor',
      role: 'supervisor',
      units: [UNIT_A, UNIT_B],
      password: PASSWORD
    }),
    createUser(storage, { username: USERS.admin, displayName: 'Admin', role: 'admin', units: [], password: PASSWORD })
  ]);
}

/** CouchDB targets by data directory, alive until a stop() that drops the data. */
const couchTargets = new Map<string, CouchTarget>();

async function openStorage(kind: StorageKind, dataDir: string): Promise<{ storage: StoragePort; couch: CouchTarget | null }> {
  if (kind === 'embedded') return { storage: new EmbeddedStorage(dataDir), couch: null };
  let couch = couchTargets.get(dataDir);
  if (!couch) {
    couch = await startCouchTarget();
    couchTargets.set(dataDir, couch);
  }
  return { storage: couch.storage(), couch };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'care-field-server-'));
  const storageKind = options.storage ?? storageKindFromEnv();
  const { storage, couch } = await openStorage(storageKind, dataDir);
  if (options.seed !== false) await seedAccounts(storage);
  const logs: string[] = [];
  const serverOptions: BuildServerOptions = {
    storage,
    buildDir: options.buildDir ?? null,
    log: options.logLevel ? { level: options.logLevel, stream: { write: (line: string) => logs.push(line) } } : false,
    longpollMaxMs: options.longpollMaxMs ?? 5_000,
    throttle: options.throttle ?? RELAXED_THROTTLE,
    cookieSecure: options.cookieSecure ?? false,
    syncBodyBytes: options.syncBodyBytes,
    sessions: options.sessions,
    trustedProxies: options.trustedProxies,
    timeouts: options.timeouts,
    versions: options.versions,
    idleLockSeconds: options.idleLockSeconds,
    screenWorkers: options.screenWorkers
  };
  const app = await buildServer(serverOptions);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    app,
    storage,
    storageKind,
    couch,
    url: `http://127.0.0.1:${address.port}`,
    dataDir,
    logs,
    longpollWaiters(unitId: string) {
      if (couch) return couch.longpollsInFlight();
      const store = storage.openDatabase(unitDatabaseName(unitId)) as unknown as { writes: { listenerCount(e: string): number } };
      return store.writes.listenerCount('write');
    },
    async stop({ keepData = false } = {}) {
      await app.close();
      await storage.close();
      if (keepData) return;
      rmSync(dataDir, { recursive: true, force: true });
      const target = couchTargets.get(dataDir);
      couchTargets.delete(dataDir);
      await target?.stop();
    }
  };
}

// --- clients -----------------------------------------------------------------------------

type PouchDatabase = PouchDB.Database;

const openClients: PouchDatabase[] = [];

/** A tablet's local database: pouchdb-node on LevelDB in a temporary directory. */
export function localDb(name = 'client'): PouchDatabase {
  const db = new PouchDB(path.join(tempDir(name), 'db'));
  openClients.push(db);
  return db;
}

/** The server's database of a unit, as PouchDB sees it, with HTTP Basic credentials. */
export function remoteDb(server: TestServer, unitId: string, username: string, password = PASSWORD): PouchDatabase {
  const db = new PouchDB(`${server.url}/sync/${unitId}`, { auth: { username, password } });
  openClients.push(db);
  return db;
}

/** The same, signed in with the session cookie the app would hold. */
export function remoteDbWithCookie(server: TestServer, unitId: string, cookie: string): PouchDatabase {
  const pouchFetch = (PouchDB as unknown as { fetch: (url: string | Request, opts?: RequestInit) => Promise<Response> }).fetch;
  const db = new PouchDB(`${server.url}/sync/${unitId}`, {
    fetch: (url: string | Request, opts?: RequestInit) => {
      (opts!.headers as Headers).set('Cookie', cookie);
      return pouchFetch(url, opts);
    }
  });
  openClients.push(db);
  return db;
}

export async function closeClients(): Promise<void> {
  const clients = openClients.splice(0);
  await Promise.all(clients.map((db) => db.close().catch(() => undefined)));
  for (const cleanup of cleanups.splice(0)) cleanup();
}

export interface ReplicationOutcome {
  result: {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
    errors: unknown[];
  };
  denied: Array<{ id: string; name: string; reason: string; error: string }>;
}

/** One-off replication, collecting 'denied' events (documents the target refused). */
export async function replicate(
  source: PouchDatabase,
  target: PouchDatabase,
  opts: Record<string, unknown> = {}
): Promise<ReplicationOutcome> {
  const denied: ReplicationOutcome['denied'] = [];
  const replication = PouchDB.replicate(source, target, opts);
  replication.on('denied', (e) => denied.push(e as ReplicationOutcome['denied'][number]));
  const result = await replication;
  return { result: result as unknown as ReplicationOutcome['result'], denied };
}

// --- HTTP --------------------------------------------------------------------------------

export interface LoginResult {
  status: number;
  body: any;
  /** `care_session=<token>`, ready for a Cookie header. */
  cookie: string;
  setCookie: string;
  headers: Headers;
}

export async function login(server: TestServer, username: string, password = PASSWORD): Promise<LoginResult> {
  const response = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password })
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  return {
    status: response.status,
    body: await response.json(),
    cookie: setCookie.split(';')[0],
    setCookie,
    headers: response.headers
  };
}

export const basicAuth = (username: string, password = PASSWORD) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

// --- documents ---------------------------------------------------------------------------

let counter = 0;
const stamp = () => new Date().toISOString();

/** A valid person record of `unitId`; override any field. */
export function makePerson(unitId: string, overrides: Partial<PersonDoc> = {}): PersonDoc {
  counter++;
  const now = stamp();
  // The unit's own officer: the server refuses a record credited to anyone but its sender.
  const officer = unitId === UNIT_B ? USERS.officerB : USERS.officerA;
  return {
    _id: newPersonId(),
    type: 'person',
    unitId,
    schemaVersion: SCHEMA_VERSION,
    createdAt: now,
    createdBy: officer,
    updatedAt: now,
    updatedBy: officer,
    prisonerId: `T-2569-${String(counter).padStart(5, '0')}`,
    title: 'mr',
    firstName: `ทดสอบ${counter}`,
    lastName: `นามสมมุติ${counter}`,
    sex: 'male',
    dateOfBirth: '1990-04-13',
    nationalId: { status: 'number', number: withCheckDigit(`31012${String(1000000 + counter).slice(-7)}`), source: 'typed' },
    ...overrides
  };
}

/**
 * A hand-over request filed by officerA at unit A's tablet for `personId` (consent: its CARE 01),
 * to unit B's probation office — as the tablet writes it offline.
 */
export function makeHandoverRequest(personId: string, care01Id: string, at = stamp()): HandoverRequestDoc {
  return {
    _id: `handoverrequest:${randomUUID()}`,
    type: 'handoverrequest',
    unitId: UNIT_A,
    schemaVersion: SCHEMA_VERSION,
    createdAt: at,
    updatedAt: at,
    createdBy: USERS.officerA,
    updatedBy: USERS.officerA,
    personId,
    toUnitId: UNIT_B,
    releasedOn: '2026-12-02',
    reason: 'พ้นโทษ กลับภูมิลำเนาจังหวัดลำปาง',
    consent: { basis: 'care01', care01Id },
    requestedAt: at
  };
}

/** A valid CARE 01 interview of `person`; override any field. */
export function makeCare01(person: PersonDoc, overrides: Partial<Care01Doc> = {}): Care01Doc {
  const now = stamp();
  return {
    _id: newCare01Id(),
    type: 'care01',
    unitId: person.unitId,
    schemaVersion: SCHEMA_VERSION,
    createdAt: now,
    createdBy: person.createdBy,
    updatedAt: now,
    updatedBy: person.updatedBy,
    personId: person._id,
    interviewDate: '2026-11-02',
    age: 36,
    offence: 'ลักทรัพย์',
    sentence: { years: 1, months: 6, days: 0 },
    sentenceEndDate: '2026-11-30',
    address: { houseNo: '12/3', moo: '4', subdistrict: 'สบตุ๋ย', district: 'เมืองลำปาง', province: 'ลำปาง', postcode: '52100' },
    education: 'lower-secondary',
    skills: ['motorcycle-licensed'],
    trainings: [],
    desiredOccupations: ['trading'],
    helpWanted: { choice: 'wants', needs: ['capital'], capitalTrade: 'ขายอาหาร' },
    consent: 'consents',
    helpGiven: [],
    unmetNeeds: [{ need: 'capital', reason: 'รอประสานกองทุน' }],
    ...overrides
  };
}

/**
 * The position a sequence names, comparable across spellings: CouchDB 3 may spell one position
 * differently in GET /db and in _changes ("12-g1AA…"), but the number before the dash is the
 * same; the embedded store's sequences are plain numbers.
 */
export const seqPosition = (seq: unknown): string => String(seq).split('-')[0];

/** Polls until `check` passes or `timeoutMs` is over; returns the time it took. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000, stepMs = 50): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/**
 * A `_changes` answer without its opaque sequences, rows by id: CouchDB merges its shards' feeds, so
 * two requests may also order the rows differently.
 */
export function withoutSeqs(feed: { results: Array<Record<string, unknown>> }) {
  const rows = feed.results.map(({ seq: _seq, ...row }) => (void _seq, row));
  return { results: rows.sort((a, b) => String(a.id).localeCompare(String(b.id))) };
}
