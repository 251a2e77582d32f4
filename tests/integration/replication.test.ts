import PouchDB from 'pouchdb-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  seqPosition,
  basicAuth,
  closeClients,
  eventually,
  localDb,
  login,
  makeCare01,
  makePerson,
  remoteDb,
  remoteDbWithCookie,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('replication with PouchDB clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A long longpoll cap: live delivery below must come from the wake-up, not from a timeout.
    server = await startTestServer({ longpollMaxMs: 20_000 });
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const serverDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_A));

  it('replicates persons and interviews both ways, and a second tablet of the unit receives them', async () => {
    // Already on the server: records another tablet synced earlier.
    const earlierPerson = makePerson(UNIT_A);
    const earlierInterview = makeCare01(earlierPerson);
    await serverDb().bulkDocs([earlierPerson, earlierInterview], { new_edits: true });

    // On this tablet, made offline.
    const tablet = localDb('tablet1');
    const people = [
      makePerson(UNIT_A),
      makePerson(UNIT_A),
      makePerson(UNIT_A, { nationalId: { status: 'none', reason: 'no-civil-registration' } })
    ];
    const interviews = people.slice(0, 2).map((p) => makeCare01(p));
    await tablet.bulkDocs([...people, ...interviews]);

    const remote = remoteDb(server, UNIT_A, USERS.officerA);
    const push = await replicate(tablet, remote);
    expect(push.result.ok).toBe(true);
    expect(push.result.docs_written).toBe(5);
    expect(push.result.doc_write_failures).toBe(0);
    expect(push.denied).toEqual([]);
    const pull = await replicate(remote, tablet);
    expect(pull.result.docs_written).toBe(2);

    // Both sides now hold the same seven documents with the same revisions.
    const ids = [earlierPerson, earlierInterview, ...people, ...interviews].map((d) => d._id).sort();
    const onTablet = await tablet.allDocs({ include_docs: true });
    const onServer = await serverDb().allDocs({ include_docs: true });
    expect(onTablet.rows.map((r) => r.id)).toEqual(ids);
    expect(onServer.rows.map((r) => r.id)).toEqual(ids);
    expect(onTablet.rows.map((r) => r.doc)).toEqual(onServer.rows.map((r) => r.doc));
    const stored = (await serverDb().get(interviews[0]._id)) as Record<string, unknown>;
    expect(stored).toMatchObject({
      personId: people[0]._id,
      address: interviews[0].address,
      unmetNeeds: interviews[0].unmetNeeds
    });

    // A second tablet of the unit, signed in with the app's session cookie.
    const { cookie } = await login(server, USERS.officerA);
    const tablet2 = localDb('tablet2');
    const pull2 = await replicate(remoteDbWithCookie(server, UNIT_A, cookie), tablet2);
    expect(pull2.result.docs_written).toBe(7);
    const onTablet2 = await tablet2.allDocs({ include_docs: true });
    expect(onTablet2.rows.map((r) => r.doc)).toEqual(onServer.rows.map((r) => r.doc));

    // An edit on the second tablet comes back to the first one.
    const edited = { ...(await tablet2.get(people[1]._id)), firstName: 'แก้ไขแล้ว', updatedAt: new Date().toISOString() };
    const { rev } = await tablet2.put(edited);
    expect((await replicate(tablet2, remoteDbWithCookie(server, UNIT_A, cookie))).result.docs_written).toBe(1);
    expect((await replicate(remote, tablet)).result.docs_written).toBe(1);
    expect(await tablet.get(people[1]._id)).toMatchObject({ _rev: rev, firstName: 'แก้ไขแล้ว' });

    // Nothing new: a repeated sync moves nothing (checkpoints on both sides).
    const again = await replicate(remote, tablet);
    expect(again.result.docs_read).toBe(0);
  });

  it('delivers a new document to a live client within seconds (longpoll)', async () => {
    const watcher = localDb('watcher');
    const live = PouchDB.replicate(remoteDb(server, UNIT_A, USERS.supervisor), watcher, { live: true, retry: true });
    try {
      // Wait until the live replication has caught up and sits in a longpoll.
      await new Promise<void>((resolve) => live.on('paused', () => resolve()));
      const writer = localDb('writer');
      const person = makePerson(UNIT_A);
      await writer.put(person);
      const pushedAt = Date.now();
      await replicate(writer, remoteDb(server, UNIT_A, USERS.officerA));
      await eventually(
        () =>
          watcher.get(person._id).then(
            () => true,
            () => false
          ),
        5_000
      );
      // Well under the 20 s longpoll cap: the write woke the waiting request.
      expect(Date.now() - pushedAt).toBeLessThan(5_000);
    } finally {
      live.cancel();
    }
  });

  it('ends a longpoll wait as soon as the client goes away', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' };
    const base = `${server.url}/sync/${UNIT_A}`;
    const { update_seq } = await (await fetch(`${base}/`, { headers })).json();
    // One per waiting request: the embedded adapter's wake-up listeners, or CouchDB's open longpolls.
    const waiters = () => server.longpollWaiters(UNIT_A);
    for (const method of ['GET', 'POST']) {
      const client = new AbortController();
      const request = fetch(
        `${base}/_changes?feed=longpoll&since=${update_seq}&filter=_doc_ids&doc_ids=${encodeURIComponent('["person:x"]')}`,
        {
          method,
          headers,
          body: method === 'POST' ? JSON.stringify({ doc_ids: ['person:x'] }) : undefined,
          signal: client.signal
        }
      ).catch(() => 'aborted');
      await eventually(async () => waiters() === 1, 2_000);
      client.abort();
      expect(await request).toBe('aborted');
      // Well before the 20 s cap, the wait is over and nothing is left listening.
      await eventually(async () => waiters() === 0, 1_000);
    }
  });

  it('replicates only the documents asked for with doc_ids (POST _changes, filter=_doc_ids)', async () => {
    const tablet = localDb('source');
    const [one, two] = [makePerson(UNIT_A), makePerson(UNIT_A)];
    await tablet.bulkDocs([one, two]);
    await replicate(tablet, remoteDb(server, UNIT_A, USERS.officerA));
    const picky = localDb('picky');
    const pull = await replicate(remoteDb(server, UNIT_A, USERS.officerA), picky, { doc_ids: [two._id] });
    expect(pull.result.docs_written).toBe(1);
    const rows = (await picky.allDocs()).rows.map((r) => r.id);
    expect(rows).toEqual([two._id]);
  });

  it('serves documents by id, with ":" plain or encoded, and revisions', async () => {
    const person = makePerson(UNIT_A);
    const [row] = await serverDb().bulkDocs([person], { new_edits: true });
    const rev = row.rev ?? '';
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const base = `${server.url}/sync/${UNIT_A}`;
    const plain = await fetch(`${base}/${person._id}`, { headers });
    const encoded = await fetch(`${base}/${encodeURIComponent(person._id)}`, { headers });
    expect(plain.status).toBe(200);
    expect(encoded.status).toBe(200);
    const doc = await plain.json();
    expect(doc).toMatchObject({ _id: person._id, _rev: rev, firstName: person.firstName });
    expect(await encoded.json()).toEqual(doc);

    const withRevs = await (await fetch(`${base}/${person._id}?revs=true&rev=${rev}`, { headers })).json();
    expect(withRevs._revisions).toEqual({ start: 1, ids: [rev.split('-')[1]] });
    const all = await (await fetch(`${base}/${person._id}?open_revs=all`, { headers })).json();
    expect(all).toEqual([{ ok: doc }]);
    const some = await (
      await fetch(`${base}/${person._id}?open_revs=${encodeURIComponent(JSON.stringify([rev, '1-abc']))}&latest=true`, {
        headers
      })
    ).json();
    expect(some).toEqual([{ ok: doc }, { missing: '1-abc' }]);
    const missing = await fetch(`${base}/person:00000000-0000-4000-8000-000000000000`, { headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers requests for revisions it does not have (PouchDB would throw on latest=true)', async () => {
    const person = makePerson(UNIT_A);
    const [row] = await serverDb().bulkDocs([person], { new_edits: true });
    const rev = row.rev ?? '';
    const headers = { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' };
    const base = `${server.url}/sync/${UNIT_A}`;
    const single = await fetch(`${base}/${person._id}?rev=1-abc&latest=true`, { headers });
    expect(single.status).toBe(404);
    const bulk = await fetch(`${base}/_bulk_get?revs=true&latest=true`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        docs: [
          { id: person._id, rev: '1-abc' },
          { id: person._id, rev },
          { id: person._id, rev: 'garbage' }
        ]
      })
    });
    expect(bulk.status).toBe(200);
    const { results } = await bulk.json();
    const entries = results.flatMap((r: { docs: unknown[] }) => r.docs);
    expect(entries).toContainEqual({ missing: '1-abc' });
    expect(entries).toContainEqual({ missing: 'garbage' });
    expect(entries.find((e: { ok?: { _rev: string } }) => e.ok)?.ok).toMatchObject({ _id: person._id, _rev: rev });
    expect(JSON.stringify(results)).not.toContain('stack');
    // Still alive.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('answers database info and refuses to create or delete the database', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const info = await (await fetch(`${server.url}/sync/${UNIT_A}/`, { headers })).json();
    expect(info).toMatchObject({ db_name: UNIT_A, doc_del_count: 0 });
    expect(typeof info.doc_count).toBe('number');
    expect(info.update_seq).toBeDefined();
    const put = await fetch(`${server.url}/sync/${UNIT_A}/`, { method: 'PUT', headers });
    expect(put.status).toBe(412);
    expect(await put.json()).toMatchObject({ error: 'file_exists' });
    const del = await fetch(`${server.url}/sync/${UNIT_A}/`, { method: 'DELETE', headers });
    expect(del.status).toBe(403);
  });

  it('server root gives the stable uuid PouchDB names replications with', async () => {
    const root = await (await fetch(`${server.url}/sync/`)).json();
    expect(root).toMatchObject({ couchdb: 'Welcome', vendor: { name: 'care-field' } });
    expect(root.uuid).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('longpoll without changes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ longpollMaxMs: 800 });
  });
  afterAll(async () => server.stop());

  it('waits up to the cap, then answers with no results and the same last_seq', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const base = `${server.url}/sync/${UNIT_A}`;
    const info = await (await fetch(`${base}/`, { headers })).json();
    const started = Date.now();
    const response = await fetch(
      `${base}/_changes?feed=longpoll&since=${encodeURIComponent(info.update_seq)}&heartbeat=10000&timeout=60000`,
      { headers }
    );
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.results).toEqual([]);
    expect(seqPosition(body.last_seq)).toBe(seqPosition(info.update_seq));
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('gives every change once when paging with since and limit', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const base = `${server.url}/sync/${UNIT_A}`;
    const db = server.storage.openDatabase(unitDatabaseName(UNIT_A));
    const docs = [makePerson(UNIT_A), makePerson(UNIT_A), makePerson(UNIT_A)];
    await db.bulkDocs(docs, { new_edits: true });
    const seen: string[] = [];
    let since: unknown = 0;
    for (let page = 0; page < 10; page++) {
      const body = await (
        await fetch(`${base}/_changes?since=${since}&limit=2&style=all_docs&seq_interval=2`, { headers })
      ).json();
      seen.push(...body.results.map((r: { id: string }) => r.id));
      since = body.last_seq;
      if (body.results.length < 2) break;
    }
    expect(seen.sort()).toEqual(docs.map((d) => d._id).sort());
  });
});
