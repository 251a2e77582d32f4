import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth,
  closeClients,
  localDb,
  login,
  makeCare01,
  makePerson,
  PASSWORD,
  remoteDb,
  remoteDbWithCookie,
  replicate,
  startTestServer,
  UNIT_A,
  USERS,
  type TestServer
} from '../helpers/server.ts';

describe('logs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ logLevel: 'debug' });
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  it('hold no names, national IDs, passwords, tokens or query strings during sign-in and replication', async () => {
    const people = [
      makePerson(UNIT_A, { firstName: 'สมศักดิ์ล็อก', lastName: 'ทดลองบันทึก' }),
      makePerson(UNIT_A, { firstName: 'มาลีล็อก', lastName: 'ไม่ควรปรากฏ', title: 'miss', sex: 'female' })
    ];
    const nationalIds = people.map((p) => (p.nationalId.status === 'number' ? p.nationalId.number : ''));
    const refused = makePerson(UNIT_A, {
      firstName: 'ปฏิเสธล็อก',
      nationalId: { status: 'number', number: '1234567890120', source: 'typed' }
    });

    const signedIn = await login(server, USERS.officerA);
    const token = signedIn.cookie.split('=')[1];
    await login(server, USERS.officerA, 'a-wrong-password-LOGMARK');
    await fetch(`${server.url}/api/me?search=QUERYMARK`, { headers: { Cookie: signedIn.cookie } });

    const tablet = localDb('tablet');
    await tablet.bulkDocs([...people, makeCare01(people[0]), refused]);
    const push = await replicate(tablet, remoteDbWithCookie(server, UNIT_A, signedIn.cookie));
    expect(push.result.docs_written).toBe(3);
    expect(push.result.doc_write_failures).toBe(1);
    const other = localDb('other');
    expect((await replicate(remoteDb(server, UNIT_A, USERS.officerA), other)).result.docs_written).toBe(3);
    // A malformed body whose parse error would quote it.
    await fetch(`${server.url}/sync/${UNIT_A}/_bulk_docs`, {
      method: 'POST',
      headers: { Authorization: basicAuth(USERS.officerA), 'Content-Type': 'application/json' },
      body: `{"docs": [{"firstName": "${people[0].firstName}", `
    });

    const text = server.logs.join('');
    expect(server.logs.length).toBeGreaterThan(10);
    const lines = server.logs.map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'POST', path: `/sync/${UNIT_A}/_bulk_docs`, status: 201, ms: expect.any(Number) })
    );
    expect(requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/me', status: 200 }));
    expect(requests).toContainEqual(expect.objectContaining({ path: `/sync/${UNIT_A}/_bulk_docs`, status: 400 }));

    const forbidden = [
      ...people.flatMap((p) => [p.firstName, p.lastName, p.prisonerId]),
      refused.firstName,
      ...nationalIds,
      '1234567890120',
      PASSWORD,
      'LOGMARK',
      'QUERYMARK',
      token,
      basicAuth(USERS.officerA).slice(6),
      'care_session',
      '?'
    ];
    for (const secret of forbidden) expect(text, `log contains ${secret}`).not.toContain(secret);
  });
});
