/**
 * Statistics 2, 3, 6, 7 and 8 of the follow-up system on a generated dataset (people, episodes,
 * follow-ups with workplace locations, referrals, CARE 03 visits, assistance requests), on a real
 * server and store: every number equals a count made by hand from the raw documents (without the
 * shared formulas); a supervisor of one unit never sees the other; reads and exports are audited
 * with ids, never names; bad parameters get a Thai/English error naming the field.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpisodeDoc, FollowUpDoc } from '../../src/lib/domain/followup-schemas.ts';
import type { PersonDoc } from '../../src/lib/domain/schemas.ts';
import type { Care03Doc } from '../../src/lib/domain/services/care-visits.ts';
import type { ReferralDoc } from '../../src/lib/domain/services/referral.ts';
import type { AssistanceRequestDoc } from '../../src/lib/domain/services/assistance-request.ts';
import { checkDoc } from '../../src/lib/domain/validate-doc.ts';
import { generateUnit } from '../../sync-server/reports/generate.ts';
import { generateServices } from '../../sync-server/reports/generate-services.ts';
import { mapSettings } from '../../sync-server/reports/map-settings.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { createUser } from '../../sync-server/users.ts';
import { closeClients, login, PASSWORD, startTestServer, UNIT_A, UNIT_B, USERS, type TestServer } from '../helpers/server.ts';

const FY = 2568;
const FROM = '2024-10';
const TO = '2025-09';
const START = '2024-10-01';
const END = '2025-09-30';
let server: TestServer;
let cookie: string;
type AnyDoc = { _id: string; type: string; personId?: string };
const raw = new Map<string, AnyDoc[]>();

async function get(path: string, as = cookie) {
  const response = await fetch(`${server.url}${path}`, { headers: { Cookie: as } });
  return { status: response.status, body: await response.json() };
}

/**
 * The answer once every unit's projection has read its feed to the end: a loaded machine may
 * answer first with `stale: true` (the numbers as of an earlier point), as the API promises.
 */
async function settled(path: string, as = cookie) {
  for (let i = 0; ; i++) {
    const r = await get(path, as);
    if (r.status !== 200 || r.body.units.every((u: { stale: boolean }) => !u.stale) || i === 30) return r;
  }
}

const inRange = (day: string) => day >= START && day <= END;
const thaiDay = (iso: string) => new Date(Date.parse(iso) + 7 * 3600_000).toISOString().slice(0, 10);
const of = <T>(unitId: string, type: string) => raw.get(unitId)!.filter((d) => d.type === type) as unknown as T[];

/** People released in the range, counted by hand per "province/district" of the registration address. */
function areasByHand(unitId: string): Map<string, number> {
  const people = new Map(of<PersonDoc>(unitId, 'person').map((p) => [p._id, p]));
  const released = new Set(
    of<EpisodeDoc>(unitId, 'episode')
      .filter((e) => inRange(e.releaseDate))
      .map((e) => e.personId)
  );
  const counts = new Map<string, number>();
  for (const id of released) {
    const a = people.get(id)!.registeredAddress;
    const key = `${a?.province ?? '-'}/${a?.district ?? '-'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** People helped per agency in the range, by hand from referrals, CARE 03 visits and paid requests. */
function helpedByHand(unitId: string): Map<string, Set<string>> {
  const helped = new Map<string, Set<string>>();
  const add = (agency: string, person: string) => helped.set(agency, (helped.get(agency) ?? new Set()).add(person));
  for (const r of of<ReferralDoc>(unitId, 'referral')) {
    const last = r.events[r.events.length - 1];
    if ((last.status === 'started' || last.status === 'completed') && inRange(last.on)) add(r.agencyId, r.personId);
  }
  for (const v of of<Care03Doc>(unitId, 'care03'))
    if (v.services.some((s) => s !== 'referral') && inRange(v.visitDate)) add('care-centre', v.personId);
  for (const q of of<AssistanceRequestDoc>(unitId, 'request')) {
    const last = q.history[q.history.length - 1];
    if (last.state === 'paid' && inRange(thaiDay(last.at))) add('probation', q.personId);
  }
  return helped;
}

/** Each person's latest workplace located in the range, by hand. */
function pointsByHand(unitId: string): Map<string, { lat: number; lng: number; on: string }> {
  const points = new Map<string, { lat: number; lng: number; on: string }>();
  for (const f of of<FollowUpDoc>(unitId, 'followup')) {
    if (!f.workplaceLocation || !inRange(f.visitDate)) continue;
    const had = points.get(f.personId);
    if (!had || f.visitDate > had.on)
      points.set(f.personId, { lat: f.workplaceLocation.lat, lng: f.workplaceLocation.lng, on: f.visitDate });
  }
  return points;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const [unitId, people, seed] of [
    [UNIT_A, 150, 21],
    [UNIT_B, 250, 22]
  ] as const) {
    const people_ = generateUnit({ unitId, people, fiscalYear: FY, seed });
    const docs = [...people_, ...generateServices(people_, { unitId, seed: seed + 100 })];
    for (const d of docs) expect(checkDoc(d, unitId)).toMatchObject({ ok: true });
    raw.set(unitId, docs as AnyDoc[]);
    await server.storage.openDatabase(unitDatabaseName(unitId)).bulkDocs(docs, { new_edits: true });
  }
  await createUser(server.storage, {
    username: 'supervisor.a',
    displayName: 'Supervisor A',
    role: 'supervisor',
    units: [UNIT_A],
    password: PASSWORD
  });
  cookie = (await login(server, USERS.supervisor)).cookie;
}, 120_000);

afterAll(async () => {
  await closeClients();
  await server?.stop();
});

describe('statistics 2, 3 and 8 (/api/reports/statistics)', () => {
  it('equal counts made by hand from the raw documents, per unit', async () => {
    const r = await settled(`/api/reports/statistics?from=${FROM}&to=${TO}`);
    expect(r.status).toBe(200);
    expect(r.body.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual([UNIT_A, UNIT_B]);
    expect(r.body.map).toEqual({ tileUrl: null, attribution: '' });
    expect(r.body.agencyNames.doe.th).toMatch(/กรมการจัดหางาน/);
    for (const u of r.body.units) {
      // 3: people released in the range by province / district.
      const areas = new Map<string, number>();
      for (const a of u.areas.areas) for (const d of a.districts) areas.set(`${a.province}/${d.district}`, d.people);
      expect(areas).toEqual(areasByHand(u.unitId));
      expect(areas.size).toBeGreaterThan(3);
      // 2: people helped per agency.
      const helped = helpedByHand(u.unitId);
      expect(
        Object.fromEntries(
          u.agencies
            .filter((a: { helped: number }) => a.helped > 0)
            .map((a: { agencyId: string; helped: number }) => [a.agencyId, a.helped])
        )
      ).toEqual(Object.fromEntries([...helped].map(([k, v]) => [k, v.size])));
      expect(helped.size).toBeGreaterThan(2);
      // 8: counts of the unit.
      const episodes = of<EpisodeDoc>(u.unitId, 'episode');
      const everyoneHelped = new Set([...helped.values()].flatMap((s) => [...s]));
      expect(u.counts).toEqual({
        people: of<PersonDoc>(u.unitId, 'person').length,
        released: new Set(episodes.filter((e) => inRange(e.releaseDate)).map((e) => e.personId)).size,
        onSupervision: new Set(
          episodes.filter((e) => e.supervisionStart! <= END && e.supervisionEnd! >= END).map((e) => e.personId)
        ).size,
        followedUp: new Set(
          of<FollowUpDoc>(u.unitId, 'followup')
            .filter((f) => inRange(f.visitDate))
            .map((f) => f.personId)
        ).size,
        helped: everyoneHelped.size,
        located: pointsByHand(u.unitId).size
      });
    }
  });

  it('a supervisor of one unit sees only that unit; out-of-scope units are refused', async () => {
    const a = (await login(server, 'supervisor.a')).cookie;
    const r = await settled(`/api/reports/statistics?from=${FROM}&to=${TO}`, a);
    expect(r.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([UNIT_A]);
    expect(JSON.stringify(r.body)).not.toContain(UNIT_B);
    const map = await settled(`/api/reports/statistics/workplaces?from=${FROM}&to=${TO}`, a);
    expect(map.body.points.every((p: { unitId: string }) => p.unitId === UNIT_A)).toBe(true);
    expect(map.body.points.length).toBe(pointsByHand(UNIT_A).size);
    for (const path of ['workplaces', 'people', 'people/export']) {
      const refused = await get(
        `/api/reports/statistics/${path}?from=${FROM}&to=${TO}&unit=${UNIT_B}${path.endsWith('export') ? '&format=csv' : ''}`,
        a
      );
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/^ไม่มีสิทธิ์/);
    }
    const list = await get(`/api/reports/statistics/people?from=${FROM}&to=${TO}&limit=500`, a);
    expect(list.body.rows.every((row: { unitId: string }) => row.unitId === UNIT_A)).toBe(true);
  });
});

describe('statistic 6: the workplace map', () => {
  it('one point per located person, the latest in the range, with the coordinates the follow-up recorded', async () => {
    const r = await settled(`/api/reports/statistics/workplaces?from=${FROM}&to=${TO}&unit=${UNIT_B}`);
    expect(r.status).toBe(200);
    const expected = pointsByHand(UNIT_B);
    expect(r.body.total).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(20);
    for (const p of r.body.points) {
      expect({ lat: p.lat, lng: p.lng, on: p.on }).toEqual(expected.get(p.personId));
      // Generated workplaces are in Thailand.
      expect(p.lat).toBeGreaterThan(5);
      expect(p.lat).toBeLessThan(21);
      expect(p.prisonerId).toMatch(/^G-/);
    }
  });
});

describe('statistic 7: the list of released people, and the people behind 2 and 3', () => {
  it('lists one row per release in the range, pages it, and the export has the same rows', async () => {
    const expected = of<EpisodeDoc>(UNIT_A, 'episode').filter((e) => inRange(e.releaseDate));
    const first = await settled(`/api/reports/statistics/people?from=${FROM}&to=${TO}&unit=${UNIT_A}&limit=50`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(expected.length);
    expect(first.body.rows).toHaveLength(50);
    const dates = first.body.rows.map((r: { releaseDate: string }) => r.releaseDate);
    expect([...dates].sort().reverse()).toEqual(dates);
    const csv = await fetch(
      `${server.url}/api/reports/statistics/people/export?from=${FROM}&to=${TO}&unit=${UNIT_A}&format=csv`,
      {
        headers: { Cookie: cookie }
      }
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('x-export-rows')).toBe(String(expected.length));
    const bytes = Buffer.from(await csv.arrayBuffer());
    // UTF-8 with a byte-order mark, so Excel shows Thai.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.trim().split('\n')).toHaveLength(expected.length + 1);
    const xlsx = await fetch(
      `${server.url}/api/reports/statistics/people/export?from=${FROM}&to=${TO}&unit=${UNIT_A}&format=xlsx`,
      {
        headers: { Cookie: cookie }
      }
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(expected.length + 1);
    const ids = new Set<string>();
    sheet.eachRow((row, n) => n > 1 && ids.add(String(row.getCell(2).value)));
    const people = new Map(of<PersonDoc>(UNIT_A, 'person').map((p) => [p._id, p.prisonerId]));
    expect(ids).toEqual(new Set(expected.map((e) => people.get(e.personId))));
  });

  it('the people behind a district bar and behind an agency bar are exactly the counted ones', async () => {
    const stats = (await settled(`/api/reports/statistics?from=${FROM}&to=${TO}`)).body;
    const unit = stats.units.find((u: { unitId: string }) => u.unitId === UNIT_B);
    const area = unit.areas.areas[0];
    const district = area.districts[0];
    const behind = await get(
      `/api/reports/statistics/people?from=${FROM}&to=${TO}&unit=${UNIT_B}&province=${encodeURIComponent(area.province)}&district=${encodeURIComponent(district.district)}&limit=500`
    );
    expect(new Set(behind.body.rows.map((r: { personId: string }) => r.personId)).size).toBe(district.people);
    const agency = unit.agencies[0];
    const helped = await get(
      `/api/reports/statistics/people?from=${FROM}&to=${TO}&unit=${UNIT_B}&agency=${agency.agencyId}&limit=500`
    );
    expect(helped.body.total).toBe(agency.helped);
    expect(new Set(helped.body.rows.map((r: { personId: string }) => r.personId))).toEqual(
      helpedByHand(UNIT_B).get(agency.agencyId)
    );
  });
});

describe('the projection follows changes', () => {
  it('a new located follow-up adds a point; a referral reaching "started" counts its person as helped', async () => {
    const db = server.storage.openDatabase(unitDatabaseName(UNIT_A));
    const person = of<PersonDoc>(UNIT_A, 'person').find((p) => !pointsByHand(UNIT_A).has(p._id))!;
    const before = await settled(`/api/reports/statistics/workplaces?from=${FROM}&to=${TO}&unit=${UNIT_A}`);
    const at = '2025-06-15T05:00:00.000Z';
    const followUp: FollowUpDoc = {
      _id: 'followup:5a000000-0000-4000-8000-00000000f001',
      type: 'followup',
      unitId: UNIT_A,
      schemaVersion: 1,
      createdAt: at,
      createdBy: 'officer.a',
      updatedAt: at,
      updatedBy: 'officer.a',
      personId: person._id,
      visitDate: '2025-06-15',
      recordedAt: at,
      method: 'workplace-visit',
      visitor: 'probation-officer',
      housing: {},
      work: { employed: true },
      workplaceLocation: { lat: 18.2888, lng: 99.4908, source: 'gps', accuracyM: 8 }
    };
    expect(checkDoc(followUp, UNIT_A)).toMatchObject({ ok: true });
    await db.bulkDocs([followUp], { new_edits: true });
    raw.get(UNIT_A)!.push(followUp);
    const after = await settled(`/api/reports/statistics/workplaces?from=${FROM}&to=${TO}&unit=${UNIT_A}`);
    expect(after.body.total).toBe(before.body.total + 1);
    expect(after.body.points).toContainEqual(
      expect.objectContaining({ personId: person._id, lat: 18.2888, lng: 99.4908, on: '2025-06-15' })
    );

    // A referral still "sent" moves on to "started" inside the range.
    const open = of<ReferralDoc>(UNIT_A, 'referral').find(
      (r) => r.events.length === 1 && r.events[0].on >= START && r.events[0].on < '2025-09-01'
    )!;
    const stats = async () =>
      (await settled(`/api/reports/statistics?from=${FROM}&to=${TO}`)).body.units.find(
        (u: { unitId: string }) => u.unitId === UNIT_A
      );
    const agencyBefore = (await stats()).agencies.find((a: { agencyId: string }) => a.agencyId === open.agencyId);
    const stored = (await db.get(open._id)) as unknown as ReferralDoc;
    const day = (n: number) => new Date(Date.parse(open.events[0].on) + n * 86_400_000).toISOString().slice(0, 10);
    await db.bulkDocs(
      [
        {
          ...stored,
          events: [
            ...stored.events,
            { status: 'accepted', on: day(1), by: 'officer.a' },
            { status: 'started', on: day(2), by: 'officer.a' }
          ]
        }
      ],
      { new_edits: true }
    );
    const agencyAfter = (await stats()).agencies.find((a: { agencyId: string }) => a.agencyId === open.agencyId);
    const alreadyHelped = helpedByHand(UNIT_A).get(open.agencyId)?.has(open.personId) ?? false;
    expect(agencyAfter.helped).toBe((agencyBefore?.helped ?? 0) + (alreadyHelped ? 0 : 1));
    expect(agencyAfter.records.helped).toBe((agencyBefore?.records.helped ?? 0) + 1);
  });
});

describe('audit and input', () => {
  it('every read and export is audited per unit with the count (and ids), never a name', async () => {
    await get(`/api/reports/statistics/workplaces?from=${FROM}&to=${TO}&unit=${UNIT_A}`);
    await get(`/api/reports/statistics/people?from=${FROM}&to=${TO}&unit=${UNIT_A}&province=-&limit=20`);
    const events = (await server.storage.openDatabase('audit').allDocs({ include_docs: true })).rows
      .map(
        (r) =>
          r.doc as unknown as {
            type: string;
            action: string;
            actor: string;
            unitId?: string;
            target?: string;
            count?: number;
            ids?: string[];
          }
      )
      .filter((d) => d?.type === 'audit-event' && d.actor === USERS.supervisor);
    // The read that answered with the whole unit (earlier ones may have been stale).
    const read = events.filter((e) => e.target === `statistics:${FROM}:${TO}` && e.unitId === UNIT_B);
    expect(Math.max(...read.map((e) => e.count ?? 0))).toBe(250);
    // The latest map read of unit A: the one just made (entries list in time order).
    const map = events.filter((e) => e.target === `statistics-map:${FROM}:${TO}` && e.unitId === UNIT_A).at(-1);
    expect(map?.count).toBe(pointsByHand(UNIT_A).size);
    expect(map?.ids?.length).toBe(Math.min(200, pointsByHand(UNIT_A).size));
    const list = events.find((e) => e.target === `statistics-people:${FROM}:${TO}:-` && e.unitId === UNIT_A);
    expect(list?.count).toBeGreaterThan(0);
    const exported = events.find(
      (e) => e.action === 'export' && e.target?.startsWith('statistics-people:') && e.target.endsWith(':csv')
    );
    expect(exported?.count).toBeGreaterThan(0);
    const names = of<PersonDoc>(UNIT_A, 'person').map((p) => `${p.firstName} ${p.lastName}`);
    const audit = JSON.stringify(events);
    expect(names.some((n) => audit.includes(n))).toBe(false);
  });

  it.each([
    ['people?from=2024-10&to=2025-09&limit=501', /^limit: 1–500/],
    ['people?from=2024-10&to=2025-09&agency=DOE!', /^agency: รหัสหน่วยงาน/],
    ['people?from=2024-10&to=2025-09&province=' + 'ก'.repeat(101), /^province: ยาวเกิน/],
    ['workplaces?from=2024-13&to=2025-09', /^from: เดือน/],
    ['workplaces?from=2020-01&to=2025-09', /^to: ช่วงไม่เกิน/],
    ['people?from=2024-10&to=2025-09&sort=name', /sort|Unrecognized|ไม่รู้จัก/i]
  ])('refuses %s with a Thai-first message naming the field', async (query, message) => {
    const r = await get(`/api/reports/statistics/${query}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(message);
  });
});

describe('the map setting', () => {
  it('takes a tile template with {z}, {x}, {y} (a same-origin path or http(s)); a typo stops the server', () => {
    expect(mapSettings({})).toEqual({ tileUrl: null, attribution: '' });
    expect(mapSettings({ CARE_MAP_TILE_URL: '/tiles/{z}/{x}/{y}.png', CARE_MAP_ATTRIBUTION: '© OpenStreetMap' })).toEqual({
      tileUrl: '/tiles/{z}/{x}/{y}.png',
      attribution: '© OpenStreetMap'
    });
    expect(() => mapSettings({ CARE_MAP_TILE_URL: 'https://tiles.example/{z}/{x}.png' })).toThrow(/CARE_MAP_TILE_URL/);
    expect(() => mapSettings({ CARE_MAP_TILE_URL: 'javascript:alert(1)//{z}{x}{y}' })).toThrow(/CARE_MAP_TILE_URL/);
  });
});
