import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/admin-api.ts';
import { basicAuth, login, PASSWORD, startTestServer, UNIT_A, USERS, type TestServer } from '../helpers/server.ts';

describe('POST /api/account/password (the owner changes their password)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.stop());

  it('refuses a weak, reused or malformed new password naming the field, and a wrong current one; changes nothing', async () => {
    const { cookie } = await login(server, USERS.officerA);
    const cases: Array<[unknown, number, string, string]> = [
      [{ current: PASSWORD, next: 'short' }, 400, 'weak_password', 'next'],
      [{ current: PASSWORD, next: 'alllowercase-2569' }, 400, 'weak_password', 'next'],
      [{ current: PASSWORD, next: 'Password-2569!' }, 400, 'weak_password', 'next'],
      [{ current: PASSWORD, next: 'Officer.A-2569!' }, 400, 'weak_password', 'next'],
      [{ current: PASSWORD, next: PASSWORD }, 400, 'weak_password', 'next'],
      [{ current: PASSWORD }, 400, 'bad_request', 'next'],
      [{ next: 'Another-Pass-2569!' }, 400, 'bad_request', 'current'],
      [{ current: 'Not-The-Pass-1!', next: 'Another-Pass-2569!' }, 401, 'invalid_credentials', 'current']
    ];
    for (const [body, status, error, field] of cases) {
      const answer = await call(server, 'POST', '/api/account/password', cookie, body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body, JSON.stringify(body)).toMatchObject({ error, field });
      expect(answer.body.message).toMatch(/[\u0E00-\u0E7F].* \/ /);
    }
    expect((await login(server, USERS.officerA)).status).toBe(200); // the password is unchanged
  });

  it('changes it: the current session stays, the account’s other sessions and the old password end', async () => {
    const here = (await login(server, USERS.officerB)).cookie;
    const elsewhere = (await login(server, USERS.officerB)).cookie;
    expect(
      (await call(server, 'POST', '/api/account/password', here, { current: PASSWORD, next: 'Brand-New-Pass-2570!' })).status
    ).toBe(204);
    expect((await call(server, 'GET', '/api/me', here)).status).toBe(200);
    expect((await call(server, 'GET', '/api/me', elsewhere)).status).toBe(401);
    expect(
      (await call(server, 'GET', `/sync/beta-probation/`, null, undefined, { Authorization: basicAuth(USERS.officerB) })).status
    ).toBe(401);
    expect(
      (
        await call(server, 'GET', `/sync/beta-probation/`, null, undefined, {
          Authorization: basicAuth(USERS.officerB, 'Brand-New-Pass-2570!')
        })
      ).status
    ).toBe(200);
  });

  it('needs a signed-in account', async () => {
    expect(
      (await call(server, 'POST', '/api/account/password', null, { current: PASSWORD, next: 'Brand-New-Pass-2570!' })).status
    ).toBe(401);
  });

  it('answers the session in the shape the tablet expects, with the device remembered', async () => {
    const device = crypto.randomUUID();
    const answer = await call(
      server,
      'POST',
      '/api/session',
      null,
      { username: USERS.supervisor, password: PASSWORD },
      { 'X-Device-Id': device }
    );
    expect(answer.body).toMatchObject({
      username: USERS.supervisor,
      role: 'supervisor',
      mustChangePassword: false,
      idleLockSeconds: 300,
      units: [
        { id: UNIT_A, kind: 'prison-care' },
        { id: 'beta-probation', kind: 'probation-office' }
      ]
    });
    expect(Date.parse(answer.body.sessionExpiresAt)).toBeGreaterThan(Date.now());
    const admin = (await login(server, USERS.admin)).cookie;
    const devices = (await call(server, 'GET', '/api/admin/devices', admin)).body;
    expect(devices.find((d: { deviceId: string }) => d.deviceId === device)?.accounts).toEqual([USERS.supervisor]);
  });
});
