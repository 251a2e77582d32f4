/**
 * The service records in the tablet's projection (the person's timeline): CARE 03 / 04 visits,
 * referrals, assistance requests and hand-over requests saved to the replica become timeline rows of their person,
 * and a later revision (a referral's outcome, a request's next step) replaces the row.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { useFreshAccount } from './test-support.ts';
import { localDb } from './local-db.ts';
import { followReplica } from './projection.ts';
import { putChecked } from './records.ts';
import { serviceEventsOf } from './queries.ts';
import { replicaFor } from './replica.ts';
import { assistanceRequest, care03, care04, referral, SERVICE_PERSON } from '../domain/services/test-fixtures.ts';
import { UNIT } from '../domain/test-fixtures.ts';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** Stores a fixture as the tablet does (the shared gate first), without needing the whole chain of referenced documents. */
async function store(doc: Record<string, unknown> & { _id: string }) {
  const db = await replicaFor(UNIT);
  const res = await db.put(doc as PouchDB.Core.PutDocument<object>);
  return res.rev;
}

describe('the service records on the timeline ("CARE 03 ศูนย์ CARE ผู้ต้องขัง/ผู้พ้นโทษ", "CARE 04 ศูนย์ CARE ญาติ")', () => {
  it('projects CARE 03, CARE 04, a referral and an assistance request as rows of their person', async () => {
    await useFreshAccount('care');
    await putChecked(UNIT, care03(UNIT));
    await putChecked(UNIT, care04(UNIT));
    await store(referral(UNIT));
    await putChecked(UNIT, assistanceRequest(UNIT));
    await store({
      ...assistanceRequest(UNIT),
      _id: 'handoverrequest:5a000000-0000-4000-8000-000000000099',
      type: 'handoverrequest',
      toUnitId: 'lampang-probation',
      requestedAt: '2026-12-01T20:00:00.000Z'
    });
    const f = await followReplica(UNIT);
    stops.push(f.stop);
    await f.caughtUp;

    const rows = (await serviceEventsOf([SERVICE_PERSON])).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(rows.map((r) => r.kind)).toEqual(['care03', 'care04', 'handoverrequest', 'referral', 'request']);
    expect(rows[0]).toMatchObject({ personId: SERVICE_PERSON, unitId: UNIT, on: '2026-12-01', services: ['job-info', 'advice'] });
    expect(rows[1]).toMatchObject({ relativeName: 'สมศรี ใจดี', services: ['advice'] });
    // Recorded 20:00 UTC = 03:00 the next day in Bangkok; no outcome from the server yet.
    expect(rows[2]).toMatchObject({ toUnitId: 'lampang-probation', on: '2026-12-02', status: 'pending' });
    rows.splice(2, 1);
    expect(rows[2]).toMatchObject({ agencyId: 'doe', serviceId: 'job-placement', status: 'sent', expectedBy: '2026-12-15' });
    // Filed 03:00 UTC = 10:00 in Bangkok, the same day.
    expect(rows[3]).toMatchObject({
      requestKind: 'fare',
      status: 'submitted',
      on: '2026-12-01',
      lastStepAt: '2026-12-01T03:00:00.000Z'
    });
    // Another person's timeline does not see them.
    expect(await serviceEventsOf(['person:00000000-0000-4000-8000-000000000000'])).toEqual([]);
  });

  it('replaces a referral row when its outcome ("ได้รับบริการครบ") is added, live', async () => {
    await useFreshAccount('care');
    const f = await followReplica(UNIT);
    stops.push(f.stop);
    await f.caughtUp;
    const sent = referral(UNIT);
    const rev = await store(sent);
    await expect.poll(async () => (await localDb.serviceEvents.get(sent._id))?.status, { timeout: 5000 }).toBe('sent');
    await store({
      ...sent,
      _rev: rev,
      events: [
        ...sent.events,
        { status: 'accepted', on: '2026-12-02', by: 'care.officer' },
        { status: 'started', on: '2026-12-03', by: 'care.officer' },
        { status: 'completed', on: '2026-12-10', by: 'care.officer' }
      ]
    } as typeof sent);
    await expect.poll(async () => (await localDb.serviceEvents.get(sent._id))?.status, { timeout: 5000 }).toBe('completed');
    expect(await localDb.serviceEvents.count()).toBe(1);
  });
});
