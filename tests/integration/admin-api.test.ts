import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { call } from '../helpers/admin-api.ts';
import {
  basicAuth,
  closeClients,
  localDb,
  login,
  makePerson,
  PASSWORD,
  remoteDb,
  replicate,
  startTestServer,
  UNIT_A,
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';

const WHY = 'ทดสอบการตั้งค่า / set-up test';

describe('admin API', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = (await login(server, USERS.admin)).cookie;
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const unitCount = async () => (await call(server, 'GET', '/api/admin/units', admin)).body.length;
  const userCount = async () => (await call(server, 'GET', '/api/admin/accounts', admin)).body.length;

  it('is for administrators only', async () => {
    const officer = (await login(server, USERS.officerA)).cookie;
    for (const [method, path] of [
      ['GET', '/api/admin/units'],
      ['POST', '/api/admin/accounts'],
      ['GET', '/api/admin/audit'],
      ['GET', '/api/admin/audit.csv']
    ]) {
      expect((await call(server, method, path, officer, method === 'POST' ? {} : undefined)).status, path).toBe(403);
      expect((await call(server, method, path, null, method === 'POST' ? {} : undefined)).status, path).toBe(401);
    }
  });

  it('builds the tree: department, regions, units; a region supervisor sees a unit created later, never a sibling region', async () => {
    const created = [
      { unitId: 'dept', name: { th: 'กรมคุมประพฤติ', en: 'Department of Probation' }, kind: 'department', parentId: null },
      { unitId: 'north', name: { th: 'ภาค 5', en: 'Region 5' }, kind: 'probation-region', parentId: 'dept' },
      { unitId: 'south', name: { th: 'ภาค 9', en: 'Region 9' }, kind: 'probation-region', parentId: 'dept' },
      {
        unitId: 'chiangmai',
        name: { th: 'สำนักงานคุมประพฤติเชียงใหม่', en: 'Chiang Mai office' },
        kind: 'probation-office',
        parentId: 'north'
      },
      {
        unitId: 'songkhla',
        name: { th: 'สำนักงานคุมประพฤติสงขลา', en: 'Songkhla office' },
        kind: 'probation-office',
        parentId: 'south'
      }
    ];
    for (const unit of created)
      expect((await call(server, 'POST', '/api/admin/units', admin, { ...unit, why: WHY })).status, unit.unitId).toBe(201);
    const sup = await call(server, 'POST', '/api/admin/accounts', admin, {
      username: 'north.sup',
      displayName: 'ผอ.ภาค 5',
      role: 'supervisor',
      units: ['north'],
      why: WHY
    });
    expect(sup.status).toBe(201);
    expect(sup.body.oneTimePassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    // One-time password: signs in, but must change it before anything else.
    const first = await login(server, 'north.sup', sup.body.oneTimePassword);
    expect(first.body.mustChangePassword).toBe(true);
    expect((await call(server, 'GET', `/sync/chiangmai/`, first.cookie)).status).toBe(403);
    expect(
      (
        await call(server, 'POST', '/api/account/password', first.cookie, {
          current: sup.body.oneTimePassword,
          next: 'North-Region-5!'
        })
      ).status
    ).toBe(204);
    const cookie = (await login(server, 'north.sup', 'North-Region-5!')).cookie;
    const me = await call(server, 'GET', '/api/me', cookie);
    expect(me.body.units.map((u: { id: string }) => u.id)).toEqual(['chiangmai']);

    // A unit created later under the region: reached at once, replication included.
    expect(
      (
        await call(server, 'POST', '/api/admin/units', admin, {
          unitId: 'lamphun',
          name: { th: 'ลำพูน', en: 'Lamphun' },
          kind: 'probation-office',
          parentId: 'north',
          why: WHY
        })
      ).status
    ).toBe(201);
    await server.storage.openDatabase(unitDatabaseName('lamphun')).bulkDocs([makePerson('lamphun')], { new_edits: true });
    const pulled = await replicate(remoteDb(server, 'lamphun', 'north.sup', 'North-Region-5!'), localDb());
    expect(pulled.result.docs_written).toBe(1);
    expect((await call(server, 'GET', '/sync/lamphun/', cookie)).status).toBe(200);
    expect((await call(server, 'GET', '/sync/songkhla/', cookie)).status).toBe(403);
    expect((await call(server, 'GET', `/sync/${UNIT_A}/`, cookie)).status).toBe(403);
    // Read-only: a supervisor never writes records.
    expect((await call(server, 'POST', '/sync/lamphun/_bulk_docs', cookie, { docs: [makePerson('lamphun')] })).status).toBe(403);
  });

  it('answers bad input with 400 naming the field, and writes nothing', async () => {
    const units = await unitCount();
    const users = await userCount();
    const bad: Array<[string, string, unknown, string]> = [
      ['POST', '/api/admin/units', { unitId: 'x1', name: { th: 'ก', en: 'a' }, kind: 'prison-care' }, 'why'],
      ['POST', '/api/admin/units', { unitId: 'Bad Id', name: { th: 'ก', en: 'a' }, kind: 'prison-care', why: WHY }, 'unitId'],
      ['POST', '/api/admin/units', { unitId: 'x2', name: { th: '', en: 'a' }, kind: 'prison-care', why: WHY }, 'name.th'],
      ['POST', '/api/admin/units', { unitId: 'x3', name: { th: 'ก', en: 'a' }, kind: 'castle', why: WHY }, 'kind'],
      [
        'POST',
        '/api/admin/units',
        { unitId: 'x4', name: { th: 'ก', en: 'a' }, kind: 'prison-care', parentId: 'north', why: WHY },
        'parentId'
      ],
      ['POST', '/api/admin/units', { unitId: UNIT_A, name: { th: 'ก', en: 'a' }, kind: 'prison-care', why: WHY }, 'unitId'],
      ['POST', '/api/admin/units', { unitId: 'x5', name: { th: 'ก', en: 'a' }, kind: 'prison-care', why: WHY, extra: 1 }, 'body'],
      ['PATCH', '/api/admin/units/north', { parentId: 'chiangmai', why: WHY }, 'parentId'],
      ['PATCH', '/api/admin/units/north', { why: WHY }, 'name'],
      [
        'POST',
        '/api/admin/accounts',
        { username: 'new.one', displayName: 'N', role: 'officer', units: ['north'], why: WHY },
        'units'
      ],
      ['POST', '/api/admin/accounts', { username: 'new.one', displayName: 'N', role: 'officer', units: [], why: WHY }, 'units'],
      [
        'POST',
        '/api/admin/accounts',
        { username: 'new one', displayName: 'N', role: 'officer', units: [UNIT_A], why: WHY },
        'username'
      ],
      ['POST', '/api/admin/accounts', { username: 'new.one', displayName: 'N', role: 'king', units: [UNIT_A], why: WHY }, 'role'],
      [
        'POST',
        '/api/admin/accounts',
        { username: 'new.one', displayName: 'N', role: 'officer', units: [UNIT_A], password: 'password1', why: WHY },
        'password'
      ],
      [
        'POST',
        '/api/admin/accounts',
        { username: USERS.officerA, displayName: 'N', role: 'officer', units: [UNIT_A], why: WHY },
        'username'
      ],
      ['PATCH', `/api/admin/accounts/${USERS.officerB}`, { role: 'officer', units: ['dept'], why: WHY }, 'units'],
      ['PATCH', `/api/admin/accounts/${USERS.admin}`, { role: 'officer', units: [UNIT_A], why: WHY }, 'role'],
      ['POST', `/api/admin/accounts/${USERS.admin}/disable`, { why: WHY }, 'username'],
      ['POST', `/api/admin/accounts/${USERS.officerB}/disable`, {}, 'why'],
      ['POST', `/api/admin/accounts/${USERS.officerB}/reset-password`, { password: 'Short1!', why: WHY }, 'password'],
      ['POST', '/api/admin/devices/not-a-uuid/lost', { why: WHY }, 'deviceId'],
      ['GET', '/api/admin/audit?from=yesterday', undefined, 'from'],
      ['GET', '/api/admin/audit?limit=999999', undefined, 'limit']
    ];
    for (const [method, path, body, field] of bad) {
      const answer = await call(server, method, path, admin, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body, path).toMatchObject({ error: 'bad_request', field });
      expect(answer.body.message, path).toMatch(/[\u0E00-\u0E7F].* \/ [A-Za-z]/); // Thai / English
    }
    expect(await unitCount()).toBe(units);
    expect(await userCount()).toBe(users);
    const officerB = (await call(server, 'GET', '/api/admin/accounts', admin)).body.find(
      (a: { username: string }) => a.username === USERS.officerB
    );
    expect(officerB).toMatchObject({ role: 'officer', units: [UNIT_B], disabledAt: null, mustChangePassword: false });
    expect((await call(server, 'POST', '/api/admin/accounts/nobody/disable', admin, { why: WHY })).status).toBe(404);
    expect((await call(server, 'POST', '/api/admin/units/nowhere/close', admin, { why: WHY })).status).toBe(404);
  });

  it('renames, moves and closes a unit: closed is read-only, history kept', async () => {
    await call(server, 'POST', '/api/admin/units', admin, {
      unitId: 'region-x',
      name: { th: 'เขต X', en: 'Region X' },
      kind: 'prison-region',
      parentId: 'dept',
      why: WHY
    });
    await call(server, 'POST', '/api/admin/units', admin, {
      unitId: 'region-y',
      name: { th: 'เขต Y', en: 'Region Y' },
      kind: 'prison-region',
      parentId: 'dept',
      why: WHY
    });
    await call(server, 'POST', '/api/admin/units', admin, {
      unitId: 'care-x',
      name: { th: 'ศูนย์ X', en: 'Centre X' },
      kind: 'prison-care',
      parentId: 'region-x',
      why: WHY
    });
    const officer = await call(server, 'POST', '/api/admin/accounts', admin, {
      username: 'officer.x',
      displayName: 'X',
      role: 'officer',
      units: ['care-x'],
      password: 'Centre-X-2569!',
      why: WHY
    });
    expect(officer.status).toBe(201);
    const supY = await call(server, 'POST', '/api/admin/accounts', admin, {
      username: 'sup.y',
      displayName: 'Y',
      role: 'supervisor',
      units: ['region-y'],
      password: 'Region-Y-2569!',
      why: WHY
    });
    expect(supY.status).toBe(201);
    const renamed = await call(server, 'PATCH', '/api/admin/units/care-x', admin, {
      name: { th: 'ศูนย์ X ใหม่', en: 'Centre X (new)' },
      parentId: 'region-y',
      why: 'ย้ายสังกัด / moved region'
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ parentId: 'region-y', name: { en: 'Centre X (new)' } });
    expect(renamed.body.history.map((h: { action: string }) => h.action)).toEqual(['create', 'move', 'rename']);
    // The supervisor of the new region reaches it now; the officer keeps it.
    const supYCookie = async () => {
      const first = await login(server, 'sup.y', 'Region-Y-2569!');
      await call(server, 'POST', '/api/account/password', first.cookie, { current: 'Region-Y-2569!', next: 'Region-Y-2570!' });
      return (await login(server, 'sup.y', 'Region-Y-2570!')).cookie;
    };
    expect((await call(server, 'GET', '/sync/care-x/', await supYCookie())).status).toBe(200);

    const closed = await call(server, 'POST', '/api/admin/units/care-x/close', admin, { why: 'ปิดศูนย์ / centre closed' });
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).toBeTruthy();
    expect((await call(server, 'POST', '/api/admin/units/care-x/close', admin, { why: WHY })).status).toBe(400);
    const officerHeaders = { Authorization: basicAuth('officer.x', 'Centre-X-2569!') };
    // The officer's one-time password must be changed first.
    expect((await call(server, 'GET', '/sync/care-x/', null, undefined, officerHeaders)).body).toMatchObject({
      error: 'password_change_required'
    });
    const first = await login(server, 'officer.x', 'Centre-X-2569!');
    expect(
      (await call(server, 'POST', '/api/account/password', first.cookie, { current: 'Centre-X-2569!', next: 'Centre-X-2570!' }))
        .status
    ).toBe(204);
    const changed = { Authorization: basicAuth('officer.x', 'Centre-X-2570!') };
    expect((await call(server, 'GET', '/sync/care-x/', null, undefined, changed)).status).toBe(200);
    const write = await call(server, 'POST', '/sync/care-x/_bulk_docs', null, { docs: [makePerson('care-x')] }, changed);
    expect(write.status).toBe(403);
    const reopened = await call(server, 'POST', '/api/admin/units/care-x/reopen', admin, { why: 'เปิดใหม่ / reopened' });
    expect(reopened.body.closedAt).toBeNull();
    expect(reopened.body.history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'move',
      'rename',
      'close',
      'reopen'
    ]);
  });

  it('disables an account: sessions end, cookie and Basic refused at the next request; enabling restores', async () => {
    const cookie = (await login(server, USERS.officerB)).cookie;
    expect((await call(server, 'GET', '/api/me', cookie)).status).toBe(200);
    const disabled = await call(server, 'POST', `/api/admin/accounts/${USERS.officerB}/disable`, admin, {
      why: 'ลาออก / left the office'
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toBeTruthy();
    const me = await call(server, 'GET', '/api/me', cookie);
    expect(me.status).toBe(401); // the session is gone
    const basic = await call(server, 'GET', `/sync/${UNIT_B}/`, null, undefined, { Authorization: basicAuth(USERS.officerB) });
    expect(basic.status).toBe(403);
    expect(basic.body.error).toBe('account_disabled');
    const again = await login(server, USERS.officerB);
    expect(again.status).toBe(403);
    expect(again.body.error).toBe('account_disabled');
    expect(
      (await call(server, 'POST', `/api/admin/accounts/${USERS.officerB}/enable`, admin, { why: 'กลับมา / came back' })).status
    ).toBe(200);
    expect((await login(server, USERS.officerB)).status).toBe(200);
  });

  it('resets a password to a one-time one, lists and revokes sessions by account and device, marks a device lost', async () => {
    const device = crypto.randomUUID();
    const signIn = await call(
      server,
      'POST',
      '/api/session',
      null,
      { username: USERS.supervisor, password: PASSWORD },
      { 'X-Device-Id': device }
    );
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const other = (await login(server, USERS.supervisor)).cookie;

    const listed = await call(server, 'GET', `/api/admin/sessions?username=${USERS.supervisor}`, admin);
    expect(listed.body.length).toBe(2);
    const byDevice = await call(server, 'GET', `/api/admin/sessions?deviceId=${device}`, admin);
    expect(byDevice.body).toEqual([expect.objectContaining({ username: USERS.supervisor, deviceId: device })]);
    expect(JSON.stringify(listed.body)).not.toContain(cookie.split('=')[1]); // ids are hashes, not tokens

    expect((await call(server, 'POST', `/api/admin/sessions/${byDevice.body[0].id}/revoke`, admin, { why: WHY })).status).toBe(
      204
    );
    expect((await call(server, 'GET', '/api/me', cookie)).status).toBe(401);
    expect((await call(server, 'GET', '/api/me', other)).status).toBe(200);
    const all = await call(server, 'POST', `/api/admin/accounts/${USERS.supervisor}/revoke-sessions`, admin, { why: WHY });
    expect(all.body).toEqual({ ended: 1 });
    expect((await call(server, 'GET', '/api/me', other)).status).toBe(401);

    const devices = await call(server, 'GET', '/api/admin/devices', admin);
    expect(devices.body.find((d: { deviceId: string }) => d.deviceId === device)).toMatchObject({
      accounts: [USERS.supervisor],
      lost: null
    });
    expect(
      (await call(server, 'POST', `/api/admin/devices/${device}/lost`, admin, { why: 'ทำหาย / lost in the field' })).status
    ).toBe(200);
    for (const path of ['/api/me', '/api/health', `/sync/${UNIT_A}/`]) {
      const answer = await call(server, 'GET', path, null, undefined, { 'X-Device-Id': device });
      expect(answer.status, path).toBe(410);
      expect(answer.body, path).toMatchObject({ error: 'device_lost', wipe: true });
    }
    // Told once to wipe; the server records that it told it (at most once a minute per device).
    const told = (await call(server, 'GET', '/api/admin/audit?action=device-wiped-notified', admin)).body.rows;
    expect(told).toEqual([expect.objectContaining({ target: `device:${device}`, ip: '127.0.0.1' })]);

    const reset = await call(server, 'POST', `/api/admin/accounts/${USERS.supervisor}/reset-password`, admin, {
      why: 'ลืมรหัส / forgot'
    });
    expect(reset.status).toBe(200);
    expect((await login(server, USERS.supervisor)).status).toBe(401); // the old password is gone
    const fresh = await login(server, USERS.supervisor, reset.body.oneTimePassword);
    expect(fresh.body.mustChangePassword).toBe(true);
    expect((await call(server, 'GET', '/api/holidays', fresh.cookie)).body).toMatchObject({ error: 'password_change_required' });
    const unlocked = await call(server, 'POST', `/api/admin/accounts/${USERS.supervisor}/unlock`, admin, { why: WHY });
    expect(unlocked.body).toMatchObject({ username: USERS.supervisor, lockedForSeconds: 0 });
  });

  it('keeps an audit log of every action with actor and reason, filtered, and exports it as CSV', async () => {
    const all = await call(server, 'GET', '/api/admin/audit?actor=admin&limit=5000', admin);
    const actions = new Set(all.body.rows.map((r: { action: string }) => r.action));
    for (const action of [
      'unit-create',
      'unit-change',
      'unit-close',
      'unit-reopen',
      'account-create',
      'account-disable',
      'account-enable',
      'password-reset',
      'account-unlock',
      'session-revoke',
      'device-lost'
    ])
      expect(actions, action).toContain(action);
    expect(all.body.rows.every((r: { why: string | null; actor: string }) => r.actor === 'admin')).toBe(true);
    expect(
      all.body.rows
        .filter((r: { action: string }) => r.action !== 'sign-in')
        .every((r: { why: string | null }) => r.why && r.why.length >= 3)
    ).toBe(true);

    const closes = await call(server, 'GET', '/api/admin/audit?action=unit-close&unitId=care-x', admin);
    expect(closes.body.rows).toEqual([
      expect.objectContaining({ action: 'unit-close', unitId: 'care-x', why: 'ปิดศูนย์ / centre closed' })
    ]);
    const signIns = await call(server, 'GET', `/api/admin/audit?action=sign-in&actor=${USERS.officerB}`, admin);
    expect(signIns.body.rows.length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await call(server, 'GET', `/api/admin/audit?to=2000-01-01`, admin)).body.rows).toEqual([]);
    expect(
      (await call(server, 'GET', `/api/admin/audit?from=${today}&target=user:${USERS.officerB}&action=account-disable`, admin))
        .body.rows.length
    ).toBe(1);

    const csv = await call(server, 'GET', '/api/admin/audit.csv?action=unit-close', admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = String(csv.body)
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('at,action,actor,unitId,target,count,why,ip');
    expect(lines[1]).toContain('unit-close,admin,care-x,unit:care-x');
    // Nothing personal: no password or hash anywhere in the log.
    expect(JSON.stringify(all.body)).not.toMatch(/scrypt|Region-Y-25|Centre-X-25/);
  });
});
