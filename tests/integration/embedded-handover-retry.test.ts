/**
 * A hand-over recorded offline whose carrying out fails part way (the store fails once, in the
 * middle of the copy to the office, or when the prison's record is written last) against a real
 * server and the embedded store: the request stays waiting, and is finished by the next push to
 * the prison's unit or by a server restart — the person copied exactly once to exactly the office,
 * a third unit sees nothing, one 'handover' audit entry, the outcome "done" rather than "already
 * handed over". Embedded only: the failure is injected by wrapping the embedded store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../sync-server/app.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import { StoreError, type DocumentStore, type StoragePort, type StoredDoc } from '../../sync-server/storage/port.ts';
import { AUDIT_DB, unitDatabaseName } from '../../sync-server/system-db.ts';
import { care03 } from '../../src/lib/domain/services/test-fixtures.ts';
import type { HandoverDoc, HandoverRequestDoc } from '../../src/lib/domain/services/handover.ts';
import {
  closeClients,
  localDb,
  makeCare01,
  makeHandoverRequest,
  makePerson,
  RELAXED_THROTTLE,
  remoteDb,
  replicate,
  seedAccounts,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { addThirdOffice, OFFICER_C, UNIT_C } from '../helpers/third-unit.ts';

/** One store failure to come: in which database, on which write, and whether half is written first. */
interface Fault {
  dbName: string;
  when: (docs: StoredDoc[], opts: { new_edits: boolean }) => boolean;
}

/** The embedded store, with writes that fail once when a fault is armed. */
function faultyStorage(real: StoragePort, faults: Fault[]): StoragePort {
  const wrap = (db: DocumentStore): DocumentStore =>
    new Proxy(db, {
      get(target, prop) {
        if (prop === 'bulkDocs')
          return async (docs: StoredDoc[], opts: { new_edits: boolean }) => {
            const i = faults.findIndex((f) => f.dbName === target.name && f.when(docs, opts));
            if (i < 0) return target.bulkDocs(docs, opts);
            faults.splice(i, 1);
            // Part of the write reaches the store before it fails, as a disk or a network would.
            await target.bulkDocs(docs.slice(0, Math.floor(docs.length / 2)), opts);
            throw new StoreError(500, 'io_error', 'the store failed (injected)');
          };
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
    });
  return {
    kind: real.kind,
    createDatabase: (name) => real.createDatabase(name),
    databaseExists: (name) => real.databaseExists(name),
    openDatabase: (name) => wrap(real.openDatabase(name)),
    close: () => real.close()
  };
}

describe('a hand-over that failed part way is finished later ("ส่งต่อการดูแลให้สำนักงานคุมประพฤติ")', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'care-field-handover-retry-'));
  const faults: Fault[] = [];
  let storage: StoragePort;
  let app: FastifyInstance;
  let server: TestServer;

  async function start(): Promise<void> {
    storage = faultyStorage(new EmbeddedStorage(dataDir), faults);
    app = await buildServer({ storage, log: false, throttle: RELAXED_THROTTLE, longpollMaxMs: 5_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    server = { url: `http://127.0.0.1:${address.port}` } as TestServer;
  }
  async function stop(): Promise<void> {
    await app.close();
    await storage.close();
  }

  beforeAll(async () => {
    const seeding = new EmbeddedStorage(dataDir);
    await seedAccounts(seeding);
    await addThirdOffice(seeding);
    await seeding.close();
    await start();
  });
  afterEach(closeClients);
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const byA = { createdBy: USERS.officerA, updatedBy: USERS.officerA };
  const unitStore = (unitId: string) => storage.openDatabase(unitDatabaseName(unitId));
  const requestDoc = (personId: string, care01Id: string) => makeHandoverRequest(personId, care01Id);
  const copyToOffice: Fault['when'] = (docs, opts) => !opts.new_edits && docs.length > 1;
  const prisonRecord: Fault['when'] = (docs) => docs.some((d) => d.type === 'handover');

  let visits = 960;
  /** A person with records and a hand-over request pushed from the prison's tablet; the push itself succeeds. */
  async function pushHandover(tablet: PouchDB.Database) {
    const p = makePerson(UNIT_A, byA);
    const interview = makeCare01(p, { consent: 'consents' });
    const visit = care03(UNIT_A, { personId: p._id, ...byA, servedBy: USERS.officerA }, ++visits);
    const request = requestDoc(p._id, interview._id);
    for (const doc of [p, interview, visit, request]) await tablet.put(doc as never);
    const push = await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(push.denied).toEqual([]);
    return { p, ids: [p._id, interview._id, visit._id], request };
  }

  const outcomeOf = async (id: string) => ((await unitStore(UNIT_A).get(id)) as unknown as HandoverRequestDoc).outcome;

  /** Handed over exactly once: the office holds the person's records and one record, no conflicts, one audit entry. */
  async function expectHandedOverOnce(personId: string, ids: string[], requestId: string) {
    const office = await unitStore(UNIT_B).allDocs({
      keys: [...ids, `handover:${personId.slice(7)}`],
      include_docs: true,
      conflicts: true
    });
    for (const row of office.rows) {
      expect(row.doc, row.key).toBeTruthy();
      expect(row.doc?._conflicts, row.key).toBeUndefined();
    }
    const person = office.rows[0].doc!;
    expect(person).toMatchObject({ unitId: UNIT_B });
    // One pass: the prison's first revision, then the office's.
    expect(person._rev).toMatch(/^2-/);
    expect(office.rows.at(-1)!.doc as unknown as HandoverDoc).toMatchObject({ requestId, fromUnitId: UNIT_A, documentIds: ids });
    expect((await unitStore(UNIT_A).get(`handover:${personId.slice(7)}`)) as unknown as HandoverDoc).toMatchObject({ requestId });
    // Nothing else of the person in the office, nothing at all in a third unit.
    const officeIds = (await unitStore(UNIT_B).allDocs({ include_docs: true })).rows.filter(
      (r) => r.doc?.personId === personId || r.id === personId
    );
    expect(officeIds.map((r) => r.id).sort()).toEqual([...ids, `handover:${personId.slice(7)}`].sort());
    const third = localDb('third');
    await replicate(remoteDb(server, UNIT_C, OFFICER_C), third);
    expect((await third.allDocs()).rows).toEqual([]);
    const audit = (await storage.openDatabase(AUDIT_DB).allDocs({ include_docs: true })).rows.map(
      (r) => r.doc as Record<string, unknown>
    );
    expect(audit.filter((e) => e?.action === 'handover' && (e.ids as string[] | undefined)?.includes(personId))).toHaveLength(1);
  }

  it('a copy that fails in the middle leaves the request waiting; the next push to the unit finishes it', async () => {
    const tablet = localDb('prison-tablet');
    faults.push({ dbName: unitDatabaseName(UNIT_B), when: copyToOffice });
    const { p, ids, request } = await pushHandover(tablet);
    expect(faults).toEqual([]);
    expect(await outcomeOf(request._id)).toBeUndefined();
    // Part of the copy reached the office: the person, still the prison's.
    expect((await unitStore(UNIT_B).get(p._id)) as unknown as StoredDoc).toMatchObject({ unitId: UNIT_A });

    // Any later push to the prison's unit (here another person's record) carries it out again.
    const q = makePerson(UNIT_A, byA);
    await tablet.put(q as never);
    expect((await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA))).denied).toEqual([]);
    expect(await outcomeOf(request._id)).toMatchObject({ status: 'done' });
    await expectHandedOverOnce(p._id, ids, request._id);
    expect((await unitStore(UNIT_B).allDocs({ keys: [q._id] })).rows[0]).toMatchObject({ error: 'not_found' });

    // A further push changes nothing in the office.
    const officeSeq = (await unitStore(UNIT_B).info()).update_seq;
    await tablet.put(makePerson(UNIT_A, byA) as never);
    await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect((await unitStore(UNIT_B).info()).update_seq).toEqual(officeSeq);
  });

  it("failing when the prison's record is written last, after the audit, is finished as done and audited once", async () => {
    const tablet = localDb('prison-tablet-2');
    faults.push({ dbName: unitDatabaseName(UNIT_A), when: prisonRecord });
    const { p, ids, request } = await pushHandover(tablet);
    expect(faults).toEqual([]);
    expect(await outcomeOf(request._id)).toBeUndefined();
    await tablet.put(makePerson(UNIT_A, byA) as never);
    await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    expect(await outcomeOf(request._id)).toMatchObject({ status: 'done' });
    await expectHandedOverOnce(p._id, ids, request._id);
  });

  it('a request left waiting is carried out when the server starts again', async () => {
    const tablet = localDb('prison-tablet-3');
    faults.push({ dbName: unitDatabaseName(UNIT_B), when: copyToOffice });
    const { p, ids, request } = await pushHandover(tablet);
    expect(await outcomeOf(request._id)).toBeUndefined();

    await stop();
    await start();
    // The scan at start runs in the background: wait for its outcome (bounded).
    const until = Date.now() + 20_000;
    while (!(await outcomeOf(request._id)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await outcomeOf(request._id)).toMatchObject({ status: 'done' });
    await expectHandedOverOnce(p._id, ids, request._id);

    // The outcome syncs back to the tablet.
    await replicate(remoteDb(server, UNIT_A, USERS.officerA), tablet);
    expect(((await tablet.get(request._id)) as unknown as HandoverRequestDoc).outcome).toMatchObject({ status: 'done' });
  });

  it('two server instances carrying out the same waiting request hand over once, with one outcome', async () => {
    // Stored without passing through a server, as if the instance that took the push had stopped.
    const p = makePerson(UNIT_A, byA);
    const interview = makeCare01(p, { consent: 'consents' });
    const request = requestDoc(p._id, interview._id);
    const rows = await unitStore(UNIT_A).bulkDocs([p, interview, request] as unknown as StoredDoc[], { new_edits: true });
    expect(rows.filter((r) => 'error' in r)).toEqual([]);

    // Two instances on the same store start together: each one's start scan carries the request out.
    await stop();
    storage = faultyStorage(new EmbeddedStorage(dataDir), faults);
    const first = await buildServer({ storage, log: false, throttle: RELAXED_THROTTLE });
    const second = await buildServer({ storage, log: false, throttle: RELAXED_THROTTLE });
    await Promise.all([first.ready(), second.ready()]);
    // Both scans are under way; the first instance then serves the checks below.
    await first.listen({ port: 0, host: '127.0.0.1' });
    app = first;
    server = { url: `http://127.0.0.1:${(first.server.address() as { port: number }).port}` } as TestServer;
    try {
      const until = Date.now() + 20_000;
      while (!(await outcomeOf(request._id)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await second.close();
    }
    const stored = (await unitStore(UNIT_A).get(request._id)) as unknown as HandoverRequestDoc & { _rev: string };
    expect(stored.outcome).toMatchObject({ status: 'done' });
    expect(stored._rev).toMatch(/^2-/);
    const withConflicts = await unitStore(UNIT_A).allDocs({ keys: [request._id], include_docs: true, conflicts: true });
    expect(withConflicts.rows[0].doc?._conflicts).toBeUndefined();
    await expectHandedOverOnce(p._id, [p._id, interview._id], request._id);
  });
});
