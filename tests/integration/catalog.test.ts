/**
 * The partner-agency catalog over real HTTP: every signed-in account reads it, only an
 * administrator edits it (on top of the version shown), edits are audited, retired entries stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DB } from '../../sync-server/system-db.ts';
import { basicAuth, startTestServer, USERS, type TestServer } from '../helpers/server.ts';

describe('partner-agency catalog API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.stop());

  const get = async (username?: string) => {
    const r = await fetch(`${server.url}/api/catalog`, { headers: username ? { Authorization: basicAuth(username) } : {} });
    return { status: r.status, body: (await r.json()) as any };
  };
  const edit = async (username: string, version: string, e: unknown) => {
    const r = await fetch(`${server.url}/api/catalog/edits`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(username) },
      body: JSON.stringify({ version, edit: e })
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const office = { id: 'doe-lampang', agencyId: 'doe', th: 'สำนักงานจัดหางานจังหวัดลำปาง', phone: '054265051', provinces: ['52'] };

  it('an officer reads the shipped catalog; nobody signed in does not', async () => {
    expect((await get()).status).toBe(401);
    const { status, body } = await get(USERS.officerA);
    expect(status).toBe(200);
    expect(body.version).toBe('initial');
    expect(body.catalog.agencies.find((a: { id: string }) => a.id === 'doe').th).toBe('กรมการจัดหางาน');
  });

  it('only an administrator edits: an officer gets 403 and nothing changes', async () => {
    const refused = await edit(USERS.officerA, 'initial', { op: 'add-office', office });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/^เฉพาะผู้ดูแลระบบ/);
    expect((await get(USERS.officerA)).body.version).toBe('initial');
  });

  it('an administrator adds a local office and retires a service; a stale version gets 409; edits are audited', async () => {
    const added = await edit(USERS.admin, 'initial', { op: 'add-office', office });
    expect(added.status).toBe(200);
    expect(added.body.catalog.offices).toEqual([office]);
    const stale = await edit(USERS.admin, 'initial', { op: 'retire', agencyId: 'doe', serviceId: 'home-worker-fund' });
    expect(stale.status).toBe(409);
    const retired = await edit(USERS.admin, added.body.version, { op: 'retire', agencyId: 'doe', serviceId: 'home-worker-fund' });
    expect(retired.status).toBe(200);
    const now = (await get(USERS.officerB)).body;
    const service = now.catalog.agencies
      .find((a: { id: string }) => a.id === 'doe')
      .services.find((s: { id: string }) => s.id === 'home-worker-fund');
    expect(service).toMatchObject({ retired: true, th: expect.stringMatching(/กองทุน/) });
    const audit = server.storage.openDatabase(AUDIT_DB);
    const events = (await audit.allDocs({ include_docs: true })).rows
      .map((r: any) => r.doc)
      .filter((d: any) => d?.action === 'catalog-change');
    expect(events.map((e: any) => [e.actor, e.target, e.why])).toEqual([
      [USERS.admin, 'office/doe-lampang', 'add-office'],
      [USERS.admin, 'doe/home-worker-fund', 'retire']
    ]);
  });

  it('a bad edit is refused with the field named, in Thai and English', async () => {
    const version = (await get(USERS.admin)).body.version;
    const bad = await edit(USERS.admin, version, { op: 'add-office', office: { ...office, id: 'x-2', phone: '12' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/office\.phone: เบอร์โทรไม่ถูกต้อง \/ not a Thai phone number/);
    const unknown = await edit(USERS.admin, version, { op: 'retire', agencyId: 'no-such-agency' });
    expect(unknown).toMatchObject({ status: 400, body: { message: expect.stringMatching(/no agency no-such-agency/) } });
  });
});
