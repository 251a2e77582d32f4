/**
 * Fault (e): tablets whose clocks are a day wrong, one ahead and one behind. Their records
 * carry createdAt/updatedAt a day in the future or the past; they must sync all the same, and
 * which version wins an edit is decided by the revision tree, never by a client's clock.
 * Ends with the server and both tablets holding the same documents and winning revisions.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { idsWithSeveralLeaves, winningRevisions } from '../helpers/faults.ts';
import {
  closeClients,
  localDb,
  login,
  makeCare01,
  makePerson,
  remoteDbWithCookie,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

const DAY = 24 * 60 * 60_000;

describe('tablets with clocks a day wrong', () => {
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer();
    cookie = (await login(server, USERS.officerA)).cookie;
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const remote = () => remoteDbWithCookie(server, UNIT_A, cookie);
  const serverDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_A));

  it('syncs records stamped a day ahead and a day behind, and the revision tree decides', async () => {
    const ahead = new Date(Date.now() + DAY).toISOString();
    const behind = new Date(Date.now() - DAY).toISOString();
    const fast = localDb('fast-clock');
    const slow = localDb('slow-clock');

    const fromFuture = Array.from({ length: 10 }, () => makePerson(UNIT_A, { createdAt: ahead, updatedAt: ahead }));
    await fast.bulkDocs([...fromFuture, makeCare01(fromFuture[0], { createdAt: ahead, updatedAt: ahead })]);
    const fromPast = Array.from({ length: 10 }, () => makePerson(UNIT_A, { createdAt: behind, updatedAt: behind }));
    await slow.bulkDocs(fromPast);

    for (const tablet of [fast, slow]) {
      const push = await replicate(tablet, remote());
      expect(push.result.doc_write_failures).toBe(0);
      expect(push.denied).toEqual([]);
    }
    for (const tablet of [fast, slow]) await replicate(remote(), tablet);

    // The slow tablet edits a record from the fast one: its updatedAt is two days "older" than
    // the version it replaces, and still it is the newer revision and must win everywhere.
    const record = await slow.get(fromFuture[1]._id);
    const { rev: slowEdit } = await slow.put({ ...record, firstName: 'แก้ไขจากเครื่องช้า', updatedAt: behind });
    expect((await replicate(slow, remote())).result.docs_written).toBe(1);
    await replicate(remote(), fast);
    expect(await fast.get(fromFuture[1]._id)).toMatchObject({ _rev: slowEdit, firstName: 'แก้ไขจากเครื่องช้า', updatedAt: behind });

    const onServer = new Map((await serverDb().allDocs({})).rows.map((r) => [r.id, r.value!.rev]));
    expect(onServer.size).toBe(21);
    expect(await winningRevisions(fast)).toEqual(onServer);
    expect(await winningRevisions(slow)).toEqual(onServer);
    expect(await idsWithSeveralLeaves(serverDb())).toEqual([]);
  });
});
