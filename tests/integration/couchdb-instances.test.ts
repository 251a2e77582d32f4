/**
 * Two sync-server instances (two `buildServer`s on two ports, each with its own write queues)
 * on one real CouchDB, raced: the rules a single process serialises must hold across instances.
 * - two first versions of one follow-up sent at once through the two instances: never both live;
 * - two tablets deleting each other's conflicting version at once: never a record left deleted.
 * Needs a real CouchDB (COUCHDB_TEST_URL): the stand-in serialises every write itself.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenRevsResult, StoredDoc } from '../../sync-server/storage/port.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { realCouchUrl } from '../helpers/couchdb-target.ts';
import { login, makePerson, startTestServer, UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';
import { makeFollowUp } from '../helpers/volunteers.ts';

const TRIALS = 25;
const real = realCouchUrl();
if (!real)
  console.info('couchdb-instances: skipped, no real CouchDB (set COUCHDB_TEST_URL to an admin URL, e.g. `couchdb-local url`)');

const hex = () => randomBytes(16).toString('hex');

describe.skipIf(!real)('two instances on one CouchDB', () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    one = await startTestServer({ storage: 'couchdb' });
    // The same CouchDB and database prefix: a second instance of the same deployment.
    two = await startTestServer({ storage: 'couchdb', dataDir: one.dataDir, seed: false });
  });
  afterAll(async () => {
    await two?.stop({ keepData: true });
    await one?.stop();
  });

  /** Session cookies per server and user: HTTP Basic would hash the password on every push. */
  const cookies = new Map<string, string>();
  async function push(server: TestServer, unitId: string, username: string, docs: unknown[]): Promise<any[]> {
    const key = `${server.url} ${username}`;
    if (!cookies.has(key)) cookies.set(key, (await login(server, username)).cookie);
    const response = await fetch(`${server.url}/sync/${unitId}/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookies.get(key)! },
      body: JSON.stringify({ docs, new_edits: false })
    });
    expect(response.status).toBe(201);
    return response.json();
  }
  const leaves = async (unitId: string, id: string) =>
    ((await one.storage.openDatabase(unitDatabaseName(unitId)).get(id, { open_revs: 'all' })) as OpenRevsResult).flatMap((l) =>
      'ok' in l ? [l.ok] : []
    );

  it(`never keeps two first versions of one follow-up live (${TRIALS} races)`, async () => {
    const person = makePerson(UNIT_B, { createdBy: USERS.officerB, updatedBy: USERS.officerB });
    await push(one, UNIT_B, USERS.officerB, [{ ...person, _rev: `1-${hex()}` }]);
    let bothStored = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const report = makeFollowUp(person, { visitDate: '2026-11-01' });
      const [a, b] = [hex(), hex()];
      const first = { ...report, _rev: `1-${a}`, _revisions: { start: 1, ids: [a] } };
      const rival = {
        ...report,
        _rev: `1-${b}`,
        _revisions: { start: 1, ids: [b] },
        visitDate: '2026-10-31',
        otherDetails: 'อีกฉบับ'
      };
      const [answerOne, answerTwo] = await Promise.all([
        push(one, UNIT_B, USERS.officerB, [first]),
        push(two, UNIT_B, USERS.officerB, [rival])
      ]);
      const all = await leaves(UNIT_B, report._id);
      const live = all.filter((leaf) => !leaf._deleted);
      expect(live).toHaveLength(1);
      // The live one was answered as stored; a version given up after it was stored keeps its body.
      const acceptedRevs = [...(answerOne.length ? [] : [first._rev]), ...(answerTwo.length ? [] : [rival._rev])];
      expect(acceptedRevs).toContain(live[0]._rev);
      for (const row of [...answerOne, ...answerTwo]) expect(row).toMatchObject({ id: report._id, error: 'forbidden' });
      const deleted = all.filter((leaf) => leaf._deleted);
      if (deleted.length > 0) {
        bothStored++;
        expect(deleted).toHaveLength(1);
        expect(deleted[0]).toMatchObject({ personId: person._id, type: 'followup' });
      }
    }
    console.info(
      `couchdb-instances: follow-up races in which both first versions reached CouchDB and one was settled: ${bothStored}/${TRIALS}`
    );
  });

  it(`never leaves a person deleted when two tablets delete each other's version at once (${TRIALS} races)`, async () => {
    const db = one.storage.openDatabase(unitDatabaseName(UNIT_A));
    let revived = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const person = makePerson(UNIT_A) as StoredDoc;
      const [x, a, b, ta, tb] = [hex(), hex(), hex(), hex(), hex()];
      await db.bulkDocs(
        [
          { ...person, _rev: `1-${x}`, _revisions: { start: 1, ids: [x] } },
          { ...person, lastName: 'ฉบับเอ', _rev: `2-${a}`, _revisions: { start: 2, ids: [a, x] } },
          { ...person, lastName: 'ฉบับบี', _rev: `2-${b}`, _revisions: { start: 2, ids: [b, x] } }
        ],
        { new_edits: false }
      );
      const deleteA = { _id: person._id, _rev: `3-${ta}`, _deleted: true, _revisions: { start: 3, ids: [ta, a, x] } };
      const deleteB = { _id: person._id, _rev: `3-${tb}`, _deleted: true, _revisions: { start: 3, ids: [tb, b, x] } };
      const answers = await Promise.all([
        push(one, UNIT_A, USERS.officerA, [deleteA]),
        push(two, UNIT_A, USERS.officerA, [deleteB])
      ]);
      const live = (await leaves(UNIT_A, person._id)).filter((leaf) => !leaf._deleted);
      expect(live.length).toBeGreaterThanOrEqual(1);
      for (const leaf of live) expect(['ฉบับเอ', 'ฉบับบี']).toContain(leaf.lastName);
      // Every deletion answered as refused left its version alive (brought back if need be),
      // and every one answered as stored left the other alive.
      expect(live).toHaveLength(answers.flat().length);
      if (live.some((leaf) => Number(String(leaf._rev).split('-')[0]) === 4)) revived++;
    }
    console.info(
      `couchdb-instances: deletion races in which both deletions reached CouchDB and one version was brought back: ${revived}/${TRIALS}`
    );
  });
});
