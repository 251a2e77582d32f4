import PouchDB from 'pouchdb-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PersonDoc } from '../../src/lib/domain/schemas.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import {
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
  UNIT_B,
  USERS,
  type TestServer
} from '../helpers/server.ts';
import { makeFollowUp, seedVolunteers, VOLUNTEERS } from '../helpers/volunteers.ts';

/**
 * Unit B holds three people: one assigned to volunteer.one, one to volunteer.two, one to nobody,
 * each with an interview, a follow-up and a photo, written by the unit's officer.
 */
describe('a volunteer sees and writes only the people assigned to them', () => {
  let server: TestServer;
  const byOfficer = { createdBy: USERS.officerB, updatedBy: USERS.officerB };
  let mine: PersonDoc;
  let theirs: PersonDoc;
  let nobodys: PersonDoc;
  const docsOf = new Map<string, string[]>();
  const cookies: Record<string, string> = {};

  const officerDb = () => server.storage.openDatabase(unitDatabaseName(UNIT_B));
  const photoOf = (person: PersonDoc) => ({
    _id: `photo:${person._id.slice('person:'.length)}`,
    type: 'photo',
    unitId: UNIT_B,
    schemaVersion: 1,
    createdAt: person.createdAt,
    createdBy: USERS.officerB,
    updatedAt: person.createdAt,
    updatedBy: USERS.officerB,
    personId: person._id,
    image: null
  });
  async function addPersonWithRecords(assigned: string[] | undefined): Promise<PersonDoc> {
    const person = makePerson(UNIT_B, { ...byOfficer, ...(assigned ? { assignedVolunteers: assigned } : {}) });
    const records = [person, makeCare01(person), makeFollowUp(person), photoOf(person)];
    const rows = await officerDb().bulkDocs(records as never[], { new_edits: true });
    expect(rows.every((r) => 'ok' in r)).toBe(true);
    docsOf.set(
      person._id,
      records.map((d) => d._id)
    );
    return person;
  }

  async function sync(username: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(`${server.url}/sync/${UNIT_B}/${path}`, {
      ...init,
      // The session cookie (as the app sends it): Basic would hash the password on every request.
      headers: { 'Content-Type': 'application/json', Cookie: cookies[username], ...(init.headers ?? {}) }
    });
    return { status: response.status, body: await response.json() };
  }

  beforeAll(async () => {
    server = await startTestServer({ longpollMaxMs: 3_000 });
    await seedVolunteers(server);
    for (const name of [VOLUNTEERS.one, VOLUNTEERS.two]) cookies[name] = (await login(server, name)).cookie;
    mine = await addPersonWithRecords([VOLUNTEERS.one]);
    theirs = await addPersonWithRecords([VOLUNTEERS.two]);
    nobodys = await addPersonWithRecords(undefined);
  });
  afterEach(closeClients);
  afterAll(async () => server.stop());

  it('signs in as a volunteer of the unit', async () => {
    const { status, body } = await login(server, VOLUNTEERS.one);
    expect(status).toBe(200);
    expect(body.user).toMatchObject({ username: VOLUNTEERS.one, role: 'volunteer' });
    expect(body.units.map((u: { id: string }) => u.id)).toEqual([UNIT_B]);
    // The database info counts the volunteer's own documents, not the unit's twelve.
    const info = await sync(VOLUNTEERS.one, '');
    expect(info).toMatchObject({ status: 200, body: { db_name: UNIT_B, doc_count: docsOf.get(mine._id)!.length } });
    expect((await officerDb().info()).doc_count).toBe(12);
    const otherUnit = await fetch(`${server.url}/sync/${UNIT_A}/`, { headers: { Authorization: basicAuth(VOLUNTEERS.one) } });
    expect(otherUnit.status).toBe(403);
  });

  it("pull replication receives exactly the assigned person's documents, in small batches too", async () => {
    for (const batchSize of [100, 2]) {
      const tablet = localDb('volunteer-tablet');
      const { result } = await replicate(remoteDbWithCookie(server, UNIT_B, cookies[VOLUNTEERS.one]), tablet, {
        batch_size: batchSize
      });
      expect(result.ok).toBe(true);
      const { rows } = await tablet.allDocs();
      expect(rows.map((r) => r.id).sort()).toEqual([...docsOf.get(mine._id)!].sort());
    }
    // The other volunteer gets theirs; the officer gets everything.
    const other = localDb('other-volunteer');
    await replicate(remoteDbWithCookie(server, UNIT_B, cookies[VOLUNTEERS.two]), other);
    expect((await other.allDocs()).rows.map((r) => r.id).sort()).toEqual([...docsOf.get(theirs._id)!].sort());
    const officer = localDb('officer');
    await replicate(remoteDb(server, UNIT_B, USERS.officerB), officer);
    expect((await officer.allDocs()).rows).toHaveLength(12);
  });

  it("answers 404 for another person's documents on GET, not_found in _bulk_get, and keeps _all_docs closed", async () => {
    for (const id of docsOf.get(theirs._id)!.concat(docsOf.get(nobodys._id)!)) {
      const response = await sync(VOLUNTEERS.one, encodeURIComponent(id));
      expect(response).toEqual({ status: 404, body: { error: 'not_found', reason: 'missing' } });
      const withRevs = await sync(VOLUNTEERS.one, `${encodeURIComponent(id)}?open_revs=all`);
      expect(withRevs.status).toBe(404);
    }
    const own = await sync(VOLUNTEERS.one, encodeURIComponent(mine._id));
    expect(own).toMatchObject({ status: 200, body: { _id: mine._id, firstName: mine.firstName } });

    const asked = [mine._id, theirs._id, ...docsOf.get(nobodys._id)!];
    const bulk = await sync(VOLUNTEERS.one, '_bulk_get?revs=true', {
      method: 'POST',
      body: JSON.stringify({ docs: asked.map((id) => ({ id })) })
    });
    expect(bulk.status).toBe(200);
    const byId = Object.fromEntries(bulk.body.results.map((r: { id: string; docs: unknown[] }) => [r.id, r.docs[0]]));
    expect(Object.keys(byId).sort()).toEqual([...asked].sort());
    expect(byId[mine._id]).toMatchObject({ ok: { _id: mine._id } });
    for (const id of asked.slice(1))
      expect(byId[id]).toEqual({ error: { id, rev: 'undefined', error: 'not_found', reason: 'missing' } });
    expect(JSON.stringify(bulk.body)).not.toContain(theirs.firstName);

    expect((await sync(VOLUNTEERS.one, '_all_docs')).status).toBe(404);
    expect((await sync(VOLUNTEERS.one, '_all_docs', { method: 'POST', body: '{}' })).status).toBe(404);

    // _revs_diff tells nothing about documents out of scope: every revision "missing".
    const stored = (await officerDb().get(theirs._id)) as { _rev: string };
    const diff = await sync(VOLUNTEERS.one, '_revs_diff', {
      method: 'POST',
      body: JSON.stringify({ [theirs._id]: [stored._rev] })
    });
    expect(diff.body).toEqual({ [theirs._id]: { missing: [stored._rev] } });
  });

  it('filters a raw _changes feed (with documents) and its doc_ids filter', async () => {
    const all = await sync(VOLUNTEERS.one, '_changes?include_docs=true');
    expect(all.status).toBe(200);
    expect(all.body.results.map((r: { id: string }) => r.id).sort()).toEqual([...docsOf.get(mine._id)!].sort());
    expect(JSON.stringify(all.body)).not.toContain(theirs.firstName);
    expect(JSON.stringify(all.body)).not.toContain(nobodys.firstName);
    // Paging by limit walks the same rows, and the last page's last_seq resumes correctly.
    const seen: string[] = [];
    let since: string | number = 0;
    for (let page = 0; page < 10; page++) {
      const { body } = await sync(VOLUNTEERS.one, `_changes?limit=1&since=${encodeURIComponent(String(since))}`);
      if (body.results.length === 0) break;
      seen.push(...body.results.map((r: { id: string }) => r.id));
      since = body.last_seq;
    }
    expect(seen.sort()).toEqual([...docsOf.get(mine._id)!].sort());
    const filtered = await sync(VOLUNTEERS.one, '_changes?filter=_doc_ids', {
      method: 'POST',
      body: JSON.stringify({ doc_ids: [mine._id, theirs._id] })
    });
    expect(filtered.body.results.map((r: { id: string }) => r.id)).toEqual([mine._id]);
  });

  it("a longpoll does not answer with other people's changes, and answers at once with the volunteer's own", async () => {
    const { body: start } = await sync(VOLUNTEERS.one, '_changes');
    const since = encodeURIComponent(start.last_seq);

    const started = Date.now();
    const waiting = sync(VOLUNTEERS.one, `_changes?feed=longpoll&timeout=1500&since=${since}`);
    await new Promise((r) => setTimeout(r, 200));
    const noise = makeFollowUp(nobodys, byOfficer);
    await officerDb().bulkDocs([noise, makeFollowUp(theirs, byOfficer)], { new_edits: true });
    const quiet = await waiting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(quiet.body.results).toEqual([]);

    const next = sync(VOLUNTEERS.one, `_changes?feed=longpoll&timeout=3000&since=${encodeURIComponent(quiet.body.last_seq)}`);
    await new Promise((r) => setTimeout(r, 200));
    const report = makeFollowUp(mine, byOfficer);
    const wroteAt = Date.now();
    await officerDb().bulkDocs([report], { new_edits: true });
    const woken = await next;
    expect(Date.now() - wroteAt).toBeLessThan(1000);
    expect(woken.body.results.map((r: { id: string }) => r.id)).toEqual([report._id]);
    docsOf.get(mine._id)!.push(report._id);
  });

  it('accepts only follow-ups of assigned people, by a volunteer, under their own name; refuses the rest per document', async () => {
    const tablet = localDb('volunteer-push');
    const asVolunteer = { createdBy: VOLUNTEERS.one, updatedBy: VOLUNTEERS.one, visitor: 'volunteer' as const };
    const good = makeFollowUp(mine, asVolunteer);
    const notAssigned = makeFollowUp(theirs, asVolunteer);
    const unassigned = makeFollowUp(nobodys, asVolunteer);
    const asOfficer = makeFollowUp(mine, { ...asVolunteer, visitor: 'probation-officer' });
    const otherName = makeFollowUp(mine, { ...asVolunteer, createdBy: USERS.officerB });
    const newPerson = makePerson(UNIT_B, {
      createdBy: VOLUNTEERS.one,
      updatedBy: VOLUNTEERS.one,
      assignedVolunteers: [VOLUNTEERS.one]
    });
    const interview = makeCare01(mine, { createdBy: VOLUNTEERS.one, updatedBy: VOLUNTEERS.one });
    await tablet.bulkDocs([good, notAssigned, unassigned, asOfficer, otherName, newPerson, interview]);

    const { result, denied } = await replicate(tablet, remoteDb(server, UNIT_B, VOLUNTEERS.one));
    expect(result.docs_written).toBe(1);
    expect(result.doc_write_failures).toBe(6);
    const reasons = Object.fromEntries(denied.map((d) => [d.id, d.reason]));
    expect(reasons[notAssigned._id]).toMatch(/not assigned to you/);
    expect(reasons[unassigned._id]).toMatch(/not assigned to you/);
    expect(reasons[asOfficer._id]).toMatch(/visitor "volunteer"/);
    expect(reasons[otherName._id]).toMatch(/your own user name/);
    expect(reasons[newPerson._id]).toMatch(/follow-up reports only/);
    expect(reasons[interview._id]).toMatch(/follow-up reports only/);

    expect(await officerDb().get(good._id)).toMatchObject({ visitor: 'volunteer', createdBy: VOLUNTEERS.one });
    for (const id of [notAssigned._id, unassigned._id, asOfficer._id, otherName._id, newPerson._id, interview._id])
      await expect(officerDb().get(id)).rejects.toMatchObject({ status: 404 });

    // Editing the assigned person's own record (e.g. assigning themselves someone) is refused too.
    const stored = (await officerDb().get(mine._id)) as PersonDoc;
    const put = await sync(VOLUNTEERS.one, encodeURIComponent(mine._id), {
      method: 'PUT',
      body: JSON.stringify({ ...stored, assignedVolunteers: [VOLUNTEERS.one, VOLUNTEERS.two] })
    });
    expect(put.status).toBe(403);
    expect(put.body.reason).toMatch(/follow-up reports only/);
    docsOf.get(mine._id)!.push(good._id);
  });

  it("live pull replication delivers the volunteer's new documents and never anyone else's", async () => {
    const tablet = localDb('volunteer-live');
    const arrived: string[] = [];
    const live = PouchDB.replicate(remoteDb(server, UNIT_B, VOLUNTEERS.one), tablet, { live: true, retry: false });
    live.on('change', (info) => arrived.push(...(info as { docs: Array<{ _id: string }> }).docs.map((d) => d._id)));
    try {
      await eventually(async () => (await tablet.allDocs()).rows.length === docsOf.get(mine._id)!.length, 10_000);
      const elsewhere = [makeFollowUp(theirs, byOfficer), makeFollowUp(nobodys, byOfficer)];
      await officerDb().bulkDocs(elsewhere, { new_edits: true });
      const report = makeFollowUp(mine, byOfficer);
      await officerDb().bulkDocs([report], { new_edits: true });
      await eventually(async () => arrived.includes(report._id), 10_000);
      docsOf.get(mine._id)!.push(report._id);
      // Written before the volunteer's report: had the feed carried them, they would be here now.
      for (const doc of elsewhere) await expect(tablet.get(doc._id)).rejects.toMatchObject({ status: 404 });
      expect(arrived.filter((id) => !docsOf.get(mine._id)!.includes(id))).toEqual([]);
    } finally {
      live.cancel();
    }
  });

  it("corrects their own report's details, but not an officer's report or its stamps", async () => {
    const asVolunteer = { createdBy: VOLUNTEERS.one, updatedBy: VOLUNTEERS.one, visitor: 'volunteer' as const };
    const report = makeFollowUp(mine, { ...asVolunteer, otherDetails: 'ทำงานที่อู่ซ่อมรถ' });
    const first = await sync(VOLUNTEERS.one, '_bulk_docs', { method: 'POST', body: JSON.stringify({ docs: [report] }) });
    expect(first.body[0].ok).toBe(true);
    const corrected = { ...report, _rev: first.body[0].rev, otherDetails: 'ทำงานที่อู่ซ่อมรถจักรยานยนต์' };
    const restamped = { ...corrected, recordedAt: new Date(Date.now() + 60_000).toISOString() };
    const second = await sync(VOLUNTEERS.one, '_bulk_docs', { method: 'POST', body: JSON.stringify({ docs: [restamped] }) });
    expect(second.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/recordedAt/) });
    const third = await sync(VOLUNTEERS.one, '_bulk_docs', { method: 'POST', body: JSON.stringify({ docs: [corrected] }) });
    expect(third.body[0]).toMatchObject({ ok: true, rev: expect.stringMatching(/^2-/) });
    docsOf.get(mine._id)!.push(report._id);

    const officers = (await officerDb().get(docsOf.get(mine._id)![2])) as Record<string, unknown>;
    expect(officers.type).toBe('followup');
    const takeOver = { ...officers, visitor: 'volunteer', createdBy: VOLUNTEERS.one, updatedBy: VOLUNTEERS.one };
    const refused = await sync(VOLUNTEERS.one, '_bulk_docs', { method: 'POST', body: JSON.stringify({ docs: [takeOver] }) });
    expect(refused.body[0]).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/visitor cannot be changed|createdBy cannot be changed/)
    });
    expect(await officerDb().get(officers._id as string)).toMatchObject({ _rev: officers._rev, visitor: 'probation-officer' });
  });

  it('a person assigned later arrives with their whole earlier history on the next pull', async () => {
    const tablet = localDb('volunteer-later');
    const remote = remoteDb(server, UNIT_B, VOLUNTEERS.one);
    await replicate(remote, tablet);
    expect((await tablet.allDocs()).rows.map((r) => r.id).sort()).toEqual([...docsOf.get(mine._id)!].sort());

    // The officer assigns the unassigned person: their interview, follow-ups and photo were
    // stored long before the volunteer's checkpoint.
    const person = (await officerDb().get(nobodys._id)) as PersonDoc;
    await officerDb().put({ ...person, assignedVolunteers: [VOLUNTEERS.one], updatedAt: new Date().toISOString() });
    const { result } = await replicate(remote, tablet);
    expect(result.ok).toBe(true);
    const expected = [...docsOf.get(mine._id)!, ...docsOf.get(nobodys._id)!];
    const ids = (await tablet.allDocs()).rows.map((r) => r.id);
    // Every document of the newly assigned person, including the officer's later follow-up.
    for (const id of expected) expect(ids).toContain(id);
    const theirIds = new Set(docsOf.get(theirs._id));
    expect(ids.filter((id) => theirIds.has(id))).toEqual([]);
    for (const id of ids) {
      const doc = (await tablet.get(id)) as { _id: string; personId?: string };
      expect([mine._id, nobodys._id]).toContain(doc.personId ?? doc._id);
    }

    // Unassigned again: the server stops serving that person to the volunteer at once.
    const assigned = (await officerDb().get(nobodys._id)) as PersonDoc;
    await officerDb().put({ ...assigned, assignedVolunteers: [], updatedAt: new Date().toISOString() });
    for (const id of docsOf.get(nobodys._id)!) expect((await sync(VOLUNTEERS.one, encodeURIComponent(id))).status).toBe(404);
    const write = await sync(VOLUNTEERS.one, '_bulk_docs', {
      method: 'POST',
      body: JSON.stringify({
        docs: [makeFollowUp(nobodys, { createdBy: VOLUNTEERS.one, updatedBy: VOLUNTEERS.one, visitor: 'volunteer' })]
      })
    });
    expect(write.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/not assigned to you/) });
  });
});
