import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
  basicAuth,
  closeClients,
  localDb,
  login,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

interface Endpoint {
  name: string;
  method: string;
  path: string;
  body?: unknown;
}

/** Every endpoint of a unit database, as PouchDB and the app use them. */
function endpointsOf(unitId: string): Endpoint[] {
  const doc = makePerson(unitId);
  return [
    { name: 'database info', method: 'GET', path: `/sync/${unitId}/` },
    { name: 'create database', method: 'PUT', path: `/sync/${unitId}/` },
    { name: '_local GET', method: 'GET', path: `/sync/${unitId}/_local/checkpoint` },
    { name: '_local PUT', method: 'PUT', path: `/sync/${unitId}/_local/checkpoint`, body: { last_seq: 1 } },
    { name: '_local DELETE', method: 'DELETE', path: `/sync/${unitId}/_local/checkpoint?rev=0-1` },
    { name: '_revs_diff', method: 'POST', path: `/sync/${unitId}/_revs_diff`, body: { [doc._id]: ['1-abc'] } },
    { name: '_bulk_docs', method: 'POST', path: `/sync/${unitId}/_bulk_docs`, body: { docs: [doc] } },
    {
      name: '_bulk_get',
      method: 'POST',
      path: `/sync/${unitId}/_bulk_get?revs=true&latest=true`,
      body: { docs: [{ id: doc._id }] }
    },
    { name: '_changes GET', method: 'GET', path: `/sync/${unitId}/_changes?since=0&style=all_docs` },
    { name: '_changes longpoll', method: 'GET', path: `/sync/${unitId}/_changes?feed=longpoll&since=now` },
    { name: '_changes POST', method: 'POST', path: `/sync/${unitId}/_changes?filter=_doc_ids`, body: { doc_ids: [doc._id] } },
    { name: 'document GET', method: 'GET', path: `/sync/${unitId}/${doc._id}` },
    { name: 'document GET encoded', method: 'GET', path: `/sync/${unitId}/${encodeURIComponent(doc._id)}?open_revs=all` },
    { name: 'document PUT', method: 'PUT', path: `/sync/${unitId}/${doc._id}`, body: doc },
    { name: 'document DELETE', method: 'DELETE', path: `/sync/${unitId}/${doc._id}?rev=1-abc` },
    { name: 'other endpoint', method: 'GET', path: `/sync/${unitId}/_all_docs` }
  ];
}

async function call(server: TestServer, endpoint: Endpoint, headers: Record<string, string>) {
  const response = await fetch(`${server.url}${endpoint.path}`, {
    method: endpoint.method,
    headers: { ...headers, ...(endpoint.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: endpoint.body !== undefined ? JSON.stringify(endpoint.body) : undefined
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe('access to units', () => {
  let server: TestServer;
  let cookieA: string;
  beforeAll(async () => {
    server = await startTestServer({ longpollMaxMs: 1_000 });
    cookieA = (await login(server, USERS.officerA)).cookie;
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  it.each([
    ['another unit', UNIT_B],
    ['a unit that does not exist', 'no-such-unit'],
    ['a malformed unit id', 'NOT_A_UNIT']
  ])('answers 403 on every endpoint of %s, the same way', async (_label, unitId) => {
    const results = [];
    for (const endpoint of endpointsOf(unitId)) {
      const headerSets: Array<Record<string, string>> = [{ Authorization: basicAuth(USERS.officerA) }, { Cookie: cookieA }];
      for (const headers of headerSets) {
        const { status, body } = await call(server, endpoint, headers);
        results.push({ endpoint: endpoint.name, status, error: body.error, reason: body.reason });
      }
    }
    // One answer everywhere: whether the unit exists is not given away.
    const distinct = new Set(results.map((r) => JSON.stringify({ status: r.status, error: r.error, reason: r.reason })));
    expect([...distinct]).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 403, error: 'forbidden' });
    expect(results).toHaveLength(endpointsOf(unitId).length * 2);
  });

  it('nothing reached unit B while officer A was refused', async () => {
    const info = await server.storage.openDatabase(unitDatabaseName(UNIT_B)).info();
    expect(info.doc_count).toBe(0);
  });

  it('answers 401 on every endpoint without credentials, and without a password dialog', async () => {
    for (const endpoint of endpointsOf(UNIT_A)) {
      const { status, body, headers } = await call(server, endpoint, {});
      expect({ endpoint: endpoint.name, status, error: body.error }).toEqual({
        endpoint: endpoint.name,
        status: 401,
        error: 'unauthorized'
      });
      expect(headers.get('www-authenticate')).toBeNull();
    }
  });

  it('an admin without units has no unit data', async () => {
    for (const unitId of [UNIT_A, UNIT_B]) {
      const { status, body } = await call(server, endpointsOf(unitId)[0], { Authorization: basicAuth(USERS.admin) });
      expect(status).toBe(403);
      expect(body.error).toBe('forbidden');
    }
  });

  it('a supervisor pulls both units but cannot write records', async () => {
    // Records written by the officers of each unit.
    for (const [unitId, officer] of [
      [UNIT_A, USERS.officerA],
      [UNIT_B, USERS.officerB]
    ]) {
      const tablet = localDb(`officer-${unitId}`);
      await tablet.bulkDocs([makePerson(unitId), makePerson(unitId)]);
      expect((await replicate(tablet, remoteDb(server, unitId, officer))).result.docs_written).toBe(2);
    }

    for (const unitId of [UNIT_A, UNIT_B]) {
      const desk = localDb(`supervisor-${unitId}`);
      const pull = await replicate(remoteDb(server, unitId, USERS.supervisor), desk);
      expect(pull.result.ok).toBe(true);
      expect(pull.result.docs_written).toBeGreaterThanOrEqual(2);
      // Checkpoints may be kept on the server, so the next pull starts where this one ended.
      const second = await replicate(remoteDb(server, unitId, USERS.supervisor), desk);
      expect(second.result.docs_read).toBe(0);
    }

    const headers = { Authorization: basicAuth(USERS.supervisor) };
    const bulk = await call(
      server,
      endpointsOf(UNIT_A).find((e) => e.name === '_bulk_docs')!,
      headers
    );
    expect(bulk).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const put = await call(
      server,
      endpointsOf(UNIT_A).find((e) => e.name === 'document PUT')!,
      headers
    );
    expect(put).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const local = await call(
      server,
      { name: '_local PUT', method: 'PUT', path: `/sync/${UNIT_A}/_local/desk`, body: { last_seq: 3 } },
      headers
    );
    expect(local.status).toBe(201);

    // Pushing from the supervisor's copy fails as a whole.
    const desk = localDb('supervisor-push');
    await desk.put(makePerson(UNIT_A));
    await expect(replicate(desk, remoteDb(server, UNIT_A, USERS.supervisor))).rejects.toMatchObject({ status: 403 });
    const info = await server.storage.openDatabase(unitDatabaseName(UNIT_A)).info();
    expect(info.doc_count).toBe(2); // the officer's two, nothing from the supervisor
  });

  it('an officer of the unit may use every endpoint', async () => {
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const expected: Record<string, number> = {
      'database info': 200,
      'create database': 412,
      '_local GET': 404,
      '_local PUT': 201,
      '_local DELETE': 200, // the PUT just before made rev 0-1
      _revs_diff: 200,
      _bulk_docs: 201,
      _bulk_get: 200,
      '_changes GET': 200,
      '_changes longpoll': 200,
      '_changes POST': 200,
      // _bulk_docs above stored the document these calls name.
      'document GET': 200,
      'document GET encoded': 200,
      'document PUT': 409, // no _rev: CouchDB's conflict
      'document DELETE': 403,
      'other endpoint': 404
    };
    for (const endpoint of endpointsOf(UNIT_A)) {
      const { status } = await call(server, endpoint, headers);
      expect({ endpoint: endpoint.name, status }).toEqual({ endpoint: endpoint.name, status: expected[endpoint.name] });
    }
  });
});
