import { afterEach, describe, expect, it } from 'vitest';
import {
  basicAuth,
  closeClients,
  localDb,
  login,
  makeCare01,
  makePerson,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  USERS
} from '../helpers/server.ts';

describe('restart on the same DATA_DIR', () => {
  afterEach(closeClients);

  it('keeps records, accounts, sessions and the server uuid, so tablets resume from their checkpoints', async () => {
    const first = await startTestServer({ longpollMaxMs: 20_000 });
    const uuid = (await (await fetch(`${first.url}/sync/`)).json()).uuid;

    const tablet = localDb('tablet');
    const person = makePerson(UNIT_A);
    await tablet.bulkDocs([person, makeCare01(person)]);
    expect((await replicate(tablet, remoteDb(first, UNIT_A, USERS.officerA))).result.docs_written).toBe(2);
    const { cookie } = await login(first, USERS.officerA);

    // A longpoll in flight must not hold up the shutdown for its 20 s.
    const headers = { Authorization: basicAuth(USERS.officerA) };
    const info = await (await fetch(`${first.url}/sync/${UNIT_A}/`, { headers })).json();
    const pending = fetch(`${first.url}/sync/${UNIT_A}/_changes?feed=longpoll&since=${info.update_seq}`, { headers }).then(
      (r) => r.status,
      () => 'closed'
    );
    await new Promise((r) => setTimeout(r, 200));
    const stopping = Date.now();
    await first.stop({ keepData: true });
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect([200, 'closed']).toContain(await pending);

    const second = await startTestServer({ dataDir: first.dataDir, seed: false });
    try {
      expect((await (await fetch(`${second.url}/sync/`)).json()).uuid).toBe(uuid);
      // The session made before the restart still works: sessions live in the store.
      const me = await fetch(`${second.url}/api/me`, { headers: { Cookie: cookie } });
      expect(me.status).toBe(200);
      expect((await me.json()).user.username).toBe(USERS.officerA);
      expect((await login(second, USERS.supervisor)).status).toBe(200);

      // Same uuid, same replication id: the tablet's checkpoint is found and nothing is re-sent.
      const resumed = await replicate(tablet, remoteDb(second, UNIT_A, USERS.officerA));
      expect(resumed.result.docs_read).toBe(0);
      // And the records are there for a new tablet.
      const fresh = localDb('fresh');
      expect((await replicate(remoteDb(second, UNIT_A, USERS.officerA), fresh)).result.docs_written).toBe(2);
      expect(await fresh.get(person._id)).toMatchObject({ firstName: person.firstName });
    } finally {
      await second.stop();
    }
  });
});
