/**
 * One person, one record across tablets, over real HTTP and a real store: two tablets create the
 * same person offline; after both sync, a third sees both records and the duplicate check pairs
 * them; tablet A merges them (two person revisions) and tablet B follows by ordinary replication
 * with no conflicting revisions; undoing the merge syncs the same way.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { duplicatePairs, mergeRedirects, planMerge, planUnmerge } from '../../src/lib/domain/duplicates.ts';
import type { PersonDoc } from '../../src/lib/domain/schemas.ts';
import {
  closeClients,
  localDb,
  makeCare01,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('merging duplicates syncs without conflicts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const people = async (db: PouchDB.Database) =>
    (await db.allDocs({ startkey: 'person:', endkey: 'person:\ufff0', include_docs: true, conflicts: true })).rows.map(
      (r) => r.doc as unknown as PersonDoc & { _conflicts?: string[] }
    );

  it('pairs the records two tablets made offline, merges on one, and the other follows', async () => {
    const a = localDb('merge-a');
    const b = localDb('merge-b');
    const remote = () => remoteDb(server, UNIT_A, USERS.officerA);
    const same = { prisonerId: 'BK-2569-31337', firstName: 'สมหมาย', lastName: 'สองระเบียน', dateOfBirth: '1988-08-08' };
    const onA = makePerson(UNIT_A, same);
    const onB = makePerson(UNIT_A, { ...same, nationalId: { status: 'unknown' } });
    await a.bulkDocs([onA, makeCare01(onA)]);
    await b.bulkDocs([onB, makeCare01(onB)]);
    for (const t of [a, b]) await replicate(t, remote());
    for (const t of [a, b]) await replicate(remote(), t);

    const pairs = duplicatePairs(await people(b));
    expect(pairs).toHaveLength(1);
    expect(pairs[0].reasons).toEqual(['prisoner-id', 'name-and-birth-date']);

    // Tablet A keeps its record and merges B's into it.
    const [kept, retired] = [await a.get(onA._id), await a.get(onB._id)] as unknown as PersonDoc[];
    const plan = planMerge(kept, retired, { username: USERS.officerA, at: new Date().toISOString() });
    if (!plan.ok) throw new Error(plan.problem);
    await a.bulkDocs([plan.retired, plan.kept]);
    const pushed = await replicate(a, remote());
    expect(pushed.denied).toEqual([]);
    await replicate(remote(), b);

    const onTabletB = await people(b);
    expect(onTabletB.every((p) => !p._conflicts)).toBe(true);
    expect(onTabletB.find((p) => p._id === onB._id)?.mergedInto).toBe(onA._id);
    expect(mergeRedirects(onTabletB).get(onB._id)).toBe(onA._id);
    expect(duplicatePairs(onTabletB)).toEqual([]);

    // Tablet B undoes it; A follows, and the history (revisions) keeps both steps.
    const [k2, r2] = [await b.get(onA._id), await b.get(onB._id)] as unknown as PersonDoc[];
    const undo = planUnmerge(k2, r2, { username: USERS.officerA, at: new Date().toISOString() });
    if (!undo.ok) throw new Error(undo.problem);
    await b.bulkDocs([undo.retired, undo.kept]);
    await replicate(b, remote());
    await replicate(remote(), a);
    const onTabletA = await people(a);
    expect(onTabletA.every((p) => !p._conflicts)).toBe(true);
    expect(onTabletA.find((p) => p._id === onB._id)?.mergedInto).toBeUndefined();
    expect(onTabletA.find((p) => p._id === onA._id)?.merges).toMatchObject([{ personId: onB._id, undoneBy: USERS.officerA }]);
    const history = (await a.get(onB._id, { revs: true })) as unknown as { _revisions: { ids: string[] } };
    expect(history._revisions.ids.length).toBe(3); // created, merged, un-merged
  });
});
