import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_VOLUNTEER_PEOPLE, seedDemo } from '../../sync-server/demo.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { closeClients, localDb, login, remoteDb, replicate, startTestServer, type TestServer } from '../helpers/server.ts';

describe('the demo volunteer', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seed: false });
    await seedDemo(server.storage);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  it('signs in on the Lampang unit and pulls only the people assigned to them', async () => {
    const session = await login(server, 'volunteer', DEMO_PASSWORD);
    expect(session.body).toMatchObject({
      user: { username: 'volunteer', role: 'volunteer' },
      units: [{ id: 'lampang-probation' }]
    });

    const all = (
      await server.storage.openDatabase(unitDatabaseName('lampang-probation')).allDocs({ include_docs: true })
    ).rows.map((r) => r.doc as Record<string, any>);
    const assigned = all.filter((d) => d.type === 'person' && d.assignedVolunteers?.includes('volunteer')).map((d) => d._id);
    expect(assigned).toHaveLength(DEMO_VOLUNTEER_PEOPLE);
    const expected = all
      .filter((d) => assigned.includes(d.personId ?? d._id))
      .map((d) => d._id)
      .sort();
    expect(expected.length).toBeGreaterThan(DEMO_VOLUNTEER_PEOPLE);
    expect(expected.length).toBeLessThan(all.length);

    const phone = localDb('volunteer-phone');
    const { result } = await replicate(remoteDb(server, 'lampang-probation', 'volunteer', DEMO_PASSWORD), phone);
    expect(result.ok).toBe(true);
    expect((await phone.allDocs()).rows.map((r) => r.id).sort()).toEqual(expected);

    const prison = await fetch(`${server.url}/sync/bkk-prison/`, { headers: { Cookie: session.cookie } });
    expect(prison.status).toBe(403);
  });
});
