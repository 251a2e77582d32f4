import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isValidNationalId } from '../../src/lib/domain/national-id.ts';
import { reviewSchema } from '../../src/lib/domain/review.ts';
import { checkDoc } from '../../src/lib/domain/validate-doc.ts';
import { DEMO_PASSWORD, DEMO_REPORT_PEOPLE, seedDemo } from '../../sync-server/demo.ts';
import { EmbeddedStorage } from '../../sync-server/storage/embedded.ts';
import { prepareStorage, unitDatabaseName } from '../../sync-server/system-db.ts';
import { ensureInitialAdmin } from '../../sync-server/users.ts';
import {
  closeClients,
  localDb,
  login,
  remoteDb,
  replicate,
  startTestServer,
  tempDir,
  type TestServer
} from '../helpers/server.ts';

describe('demo data', () => {
  let server: TestServer;
  let summary: Awaited<ReturnType<typeof seedDemo>>;
  beforeAll(async () => {
    server = await startTestServer({ seed: false });
    summary = await seedDemo(server.storage);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  const docsOf = async (unitId: string) =>
    (await server.storage.openDatabase(unitDatabaseName(unitId)).allDocs({ include_docs: true })).rows.map(
      (r) => r.doc as Record<string, any>
    );

  it('seeds two units, four accounts and about fifty valid synthetic people with interviews', async () => {
    expect(summary.unitsCreated).toBe(5); // the Department, two regions, two units
    expect(summary.usersCreated).toBe(5); // four staff accounts and the demo volunteer
    const bkk = await docsOf('bkk-prison');
    const lampang = await docsOf('lampang-probation');
    expect(summary.documentsCreated).toBe(bkk.length + lampang.length);
    const all = [...bkk.map((d) => ['bkk-prison', d] as const), ...lampang.map((d) => ['lampang-probation', d] as const)];
    for (const [unitId, doc] of all) {
      const { _rev: _ignored, ...body } = doc;
      // Review decisions are written by the server only, never replicated in: their own schema.
      const check =
        doc.type === 'review'
          ? reviewSchema.safeParse(doc).success
            ? { ok: true as const }
            : { ok: false as const, reason: 'review' }
          : checkDoc(body, unitId);
      expect(check.ok ? 'ok' : `${doc._id}: ${check.reason}`).toBe('ok');
    }
    const people = all.filter(([, d]) => d.type === 'person').map(([, d]) => d);
    const interviews = all.filter(([, d]) => d.type === 'care01').map(([, d]) => d);
    expect(people).toHaveLength(50 + DEMO_REPORT_PEOPLE); // + the generated caseload behind the KPI screens
    expect(interviews.length).toBeGreaterThan((people.length - DEMO_REPORT_PEOPLE) / 2);
    expect(new Set(interviews.map((i) => i.personId)).size).toBe(interviews.length);
    expect(people.some((p) => p.nationalId.status === 'none' && p.nationalId.reason === 'no-civil-registration')).toBe(true);
    for (const p of people) {
      expect(p.firstName).toMatch(/^[\u0E00-\u0E7F]+$/);
      expect(p.lastName).toMatch(/^[\u0E00-\u0E7F]+$/);
      if (p.nationalId.status === 'number') expect(isValidNationalId(p.nationalId.number)).toBe(true);
    }
    expect(interviews.every((i) => /[\u0E00-\u0E7F]/.test(i.address.province))).toBe(true);
  });

  it('gives the probation office a worklist: episodes, follow-ups and non-compliance for its people', async () => {
    const lampang = await docsOf('lampang-probation');
    const people = new Set(lampang.filter((d) => d.type === 'person').map((d) => d._id));
    const episodes = lampang.filter((d) => d.type === 'episode');
    expect(episodes).toHaveLength(people.size);
    expect(episodes.every((e) => people.has(e.personId))).toBe(true);
    const followUps = lampang.filter((d) => d.type === 'followup');
    expect(followUps.length).toBeGreaterThan(people.size / 2);
    // The demo volunteer's visits are only for people assigned to them.
    const assigned = new Set(
      lampang.filter((d) => d.type === 'person' && d.assignedVolunteers?.includes('volunteer')).map((d) => d._id)
    );
    for (const f of followUps.filter((f) => f.visitor === 'volunteer')) expect(assigned.has(f.personId)).toBe(true);
    const events = lampang.filter((d) => d.type === 'noncompliance');
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['missed-appointment', 'conditions-not-acknowledged']));
    // The prison's CARE centre has none of it.
    expect((await docsOf('bkk-prison')).some((d) => ['episode', 'followup', 'noncompliance'].includes(d.type))).toBe(false);
  });

  it('adds nothing when run again', async () => {
    expect(await seedDemo(server.storage)).toEqual({ unitsCreated: 0, usersCreated: 0, documentsCreated: 0 });
  });

  it('demo accounts sign in and see their units', async () => {
    const officer = await login(server, 'care.officer', DEMO_PASSWORD);
    expect(officer.body).toMatchObject({
      username: 'care.officer',
      role: 'officer',
      mustChangePassword: false,
      units: [
        {
          id: 'bkk-prison',
          name: { th: 'ศูนย์ CARE เรือนจำกลางกรุงเทพ', en: 'CARE centre, Bangkok Central Prison' },
          kind: 'prison-care'
        }
      ]
    });
    expect(officer.body.units).toHaveLength(1);
    const field = await login(server, 'field.officer', DEMO_PASSWORD);
    expect(field.body.units).toEqual([
      {
        id: 'lampang-probation',
        name: { th: 'สำนักงานคุมประพฤติจังหวัดลำปาง', en: 'Lampang Provincial Probation Office' },
        kind: 'probation-office'
      }
    ]);
    const supervisor = await login(server, 'supervisor', DEMO_PASSWORD);
    expect(supervisor.body.units.map((u: { id: string }) => u.id)).toEqual(['bkk-prison', 'lampang-probation']);
    const admin = await login(server, 'admin', DEMO_PASSWORD);
    expect(admin.body).toMatchObject({ user: { role: 'admin' }, units: [] });

    const tablet = localDb('demo-tablet');
    const pull = await replicate(remoteDb(server, 'bkk-prison', 'care.officer', DEMO_PASSWORD), tablet);
    expect(pull.result.docs_written).toBe((await docsOf('bkk-prison')).length);
  });

  it('shows the supervisor a review queue with records waiting and a send-back, and CARE 02 submitted then re-submitted', async () => {
    const cookie = (await login(server, 'supervisor', DEMO_PASSWORD)).cookie;
    const get = async (path: string) => (await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })).json();
    const queue = (await get('/api/review/queue?unit=bkk-prison&limit=500')).units[0];
    expect(queue.total).toBeGreaterThan(20);
    const corrected = queue.entries.filter((e: { lastReview: { state: string } | null }) => e.lastReview?.state === 'returned');
    expect(corrected).toHaveLength(1);
    expect(corrected[0].type).toBe('care03');
    // The interview sent back and not yet corrected is out of the queue and on the officer's tablet.
    const reviews = (await docsOf('bkk-prison')).filter((d) => d.type === 'review');
    const waiting = reviews.filter((r) => r.state === 'returned' && r.targetId.startsWith('care01:'));
    expect(waiting).toHaveLength(1);
    expect(queue.entries.some((e: { id: string }) => e.id === waiting[0].targetId)).toBe(false);

    const [y, m] = new Date().toISOString().split('-').map(Number);
    const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const care02 = await get(`/api/care02/bkk-prison/${month}`);
    expect(care02.submissions.map((x: { version: number }) => x.version)).toEqual([1, 2]);
    expect(care02.submissions[0].submittedBy).toBe('care.officer');
    expect(care02.submissions[1]).toMatchObject({ submittedBy: 'supervisor', why: expect.stringContaining('ล่าช้า') });
    expect(care02.submissions[1].changes.length).toBeGreaterThan(0);
    // Believable: a few dozen visits of thirty people in a month, the latest version equal to the records.
    expect(care02.derived.visits.total).toBeGreaterThan(5);
    expect(care02.derived.visits.total).toBeLessThan(60);
    expect(care02.submissions[1].numbers).toEqual(care02.derived);
  });
});

describe('first start', () => {
  it('creates admin with a one-time password only on an empty store', async () => {
    // On whichever store this project runs (the running server reads accounts from the store).
    const server = await startTestServer({ seed: false });
    try {
      const password = await ensureInitialAdmin(server.storage);
      expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
      expect(await ensureInitialAdmin(server.storage)).toBeNull();
      const admin = await login(server, 'admin', password!);
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({ username: 'admin', role: 'admin', units: [], mustChangePassword: true });
      // The one-time password opens nothing but the password change.
      expect((await fetch(`${server.url}/api/holidays`, { headers: { Cookie: admin.cookie } })).status).toBe(403);
    } finally {
      await server.stop();
      await closeClients();
    }
  });
});

describe('--demo on a store with real accounts', () => {
  it('refuses, and adds nothing', async () => {
    const dataDir = tempDir('demo-refused');
    const storage = new EmbeddedStorage(dataDir);
    await prepareStorage(storage);
    const password = await ensureInitialAdmin(storage); // a real admin, named like the demo one
    expect(password).not.toBeNull();
    await expect(seedDemo(storage)).rejects.toThrow(/--demo refused: this store has 1 account/);
    const { system } = await prepareStorage(storage);
    expect((await system.allDocs({ startkey: 'unit:', endkey: 'unit:\ufff0' })).rows).toHaveLength(0);
    expect((await system.allDocs({ startkey: 'user:', endkey: 'user:\ufff0' })).rows).toHaveLength(1);
    await storage.close();
  });
});

describe('static app', () => {
  let built: TestServer;
  let unbuilt: TestServer;
  beforeAll(async () => {
    const buildDir = tempDir('build');
    mkdirSync(path.join(buildDir, '_app/immutable/entry'), { recursive: true });
    writeFileSync(path.join(buildDir, 'index.html'), '<!doctype html><title>CARE Field</title><div id="app"></div>');
    writeFileSync(path.join(buildDir, 'sw.js'), 'self.addEventListener("install", () => {});');
    writeFileSync(path.join(buildDir, 'manifest.webmanifest'), '{"name":"CARE Field"}');
    writeFileSync(path.join(buildDir, '_app/immutable/entry/app.3f2a1b.js'), 'export const x = 1;');
    writeFileSync(path.join(buildDir, 'icon-192.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    built = await startTestServer({ buildDir });
    unbuilt = await startTestServer({ buildDir: path.join(buildDir, 'no-such-dir') });
  });
  afterAll(async () => {
    await built.stop();
    await unbuilt.stop();
    await closeClients();
  });

  it('serves the entry points revalidated and hashed assets cached for good', async () => {
    const home = await fetch(`${built.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>CARE Field</title>');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    expect(home.headers.get('x-frame-options')).toBe('DENY');

    for (const file of ['/sw.js', '/manifest.webmanifest', '/index.html']) {
      const r = await fetch(`${built.url}${file}`);
      expect({ file, status: r.status, cache: r.headers.get('cache-control') }).toEqual({ file, status: 200, cache: 'no-cache' });
    }
    const asset = await fetch(`${built.url}/_app/immutable/entry/app.3f2a1b.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('falls back to index.html for app routes, but not for /api, /sync or missing files', async () => {
    const route = await fetch(`${built.url}/people/person:123/care01`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="app">');
    expect(route.headers.get('cache-control')).toBe('no-cache');

    const api = await fetch(`${built.url}/api/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not_found' });
    const root = await fetch(`${built.url}/sync/`);
    expect(await root.json()).toMatchObject({ couchdb: 'Welcome' });
    // `/sync` is also the app's sync centre: a browser opening it as a page gets the app.
    const syncPage = await fetch(`${built.url}/sync`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(syncPage.status).toBe(200);
    expect(await syncPage.text()).toContain('<div id="app">');
    expect(syncPage.headers.get('content-security-policy')).not.toContain("default-src 'none'");
    expect(await (await fetch(`${built.url}/sync`, { headers: { accept: 'application/json' } })).json()).toMatchObject({
      couchdb: 'Welcome'
    });
    expect(await (await fetch(`${built.url}/sync/`, { headers: { accept: 'text/html' } })).json()).toMatchObject({
      couchdb: 'Welcome'
    });
    expect((await fetch(`${built.url}/_app/immutable/entry/gone.js`)).status).toBe(404);
    expect((await fetch(`${built.url}/missing.png`)).status).toBe(404);
  });

  it('says to run npm run build when there is no build, and the API still works', async () => {
    const home = await fetch(`${unbuilt.url}/`);
    expect(home.status).toBe(503);
    expect(await home.text()).toContain('npm run build');
    expect((await fetch(`${unbuilt.url}/api/health`)).status).toBe(200);
  });
});
