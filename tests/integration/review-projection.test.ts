/**
 * The review part of the reporting projection over a real store: what the queue, CARE 02 and the
 * CARE 03 / 04 workbooks read follows edits and deletions of the unit's records (a deleted visit
 * leaves all three; an edited record waits again; a deleted decision puts its record back), and
 * equals the shared rules applied to the raw documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { care02Numbers } from '../../src/lib/domain/care02.ts';
import { reviewQueue, type ReviewDoc } from '../../src/lib/domain/review.ts';
import type { Care03Doc, Care04Doc } from '../../src/lib/domain/services/care-visits.ts';
import { generateCareVisits } from '../../sync-server/reports/generate-visits.ts';
import { ReportService } from '../../sync-server/reports/service.ts';
import type { DocumentStore, StoredDoc } from '../../sync-server/storage/port.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { makeCare01, makePerson, startTestServer, UNIT_A, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let db: DocumentStore;
const people = Array.from({ length: 12 }, () => makePerson(UNIT_A));
const visits = generateCareVisits({
  unitId: UNIT_A,
  personIds: people.map((p) => p._id),
  perPerson: 3,
  from: '2026-10-01',
  to: '2026-10-31',
  seed: 4
});
const interview = makeCare01(people[0], { interviewDate: '2026-10-10' });

/** Every document of the unit as stored (the independent side of each comparison). */
async function raw() {
  const docs = (await db.allDocs({ include_docs: true })).rows.flatMap((r) => (r.doc ? [r.doc] : []));
  const of = <T>(type: string) => docs.filter((d) => d.type === type) as unknown as T[];
  return {
    records: docs.filter((d) => ['care01', 'followup', 'care03', 'care04', 'noncompliance'].includes(String(d.type))),
    reviews: of<ReviewDoc>('review'),
    care01: of<{ interviewDate: string }>('care01'),
    care03: of<Care03Doc>('care03'),
    care04: of<Care04Doc>('care04')
  };
}

async function expectSameAsRaw(service: ReportService) {
  expect((await service.catchUp([UNIT_A], 30_000)).size).toBe(0);
  const index = service.projection(UNIT_A).review;
  const r = await raw();
  const fromRaw = reviewQueue(r.records as never, r.reviews);
  expect(index.queue().map((e) => [e.record._id, e.record._rev, e.lastReview?._id ?? null])).toEqual(
    fromRaw.map((e) => [e.record._id, e.record._rev, e.lastReview?._id ?? null])
  );
  expect(care02Numbers('2026-10', index.care02Sources())).toEqual(care02Numbers('2026-10', r));
  expect(index.visitsBetween('care04', '2026-10-01', '2026-10-31').map((v) => v._id)).toEqual(
    r.care04
      .sort((a, b) => (a.visitDate + a.recordedAt + a._id).localeCompare(b.visitDate + b.recordedAt + b._id))
      .map((v) => v._id)
  );
}

beforeAll(async () => {
  server = await startTestServer();
  db = server.storage.openDatabase(unitDatabaseName(UNIT_A));
  await db.bulkDocs([...people, interview, ...visits] as unknown as StoredDoc[], { new_edits: true });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('review index of the reporting projection', () => {
  it('follows edits and deletions: queue, CARE 02 and workbook rows equal the rules over the raw documents', async () => {
    const service = new ReportService(server.storage);
    await expectSameAsRaw(service);
    const before = service.projection(UNIT_A).review.queue().length;
    expect(before).toBe(visits.length + 1);

    // A decision takes its record out of the queue.
    const target = (await db.get(visits[0]._id)) as StoredDoc & { _rev: string };
    const decision = {
      _id: 'review:7e000000-0000-4000-8000-0000000000aa',
      type: 'review',
      unitId: UNIT_A,
      schemaVersion: 1,
      targetId: target._id,
      targetRev: target._rev,
      state: 'reviewed',
      comment: '',
      reviewedBy: 'supervisor',
      at: '2026-11-01T03:00:00.000Z'
    };
    const written = await db.put(decision as unknown as StoredDoc);
    await expectSameAsRaw(service);
    expect(service.projection(UNIT_A).review.queue()).toHaveLength(before - 1);

    // The record edited after the decision waits again.
    await db.put({ ...target, result: 'แก้ไขผลการให้บริการ' } as StoredDoc);
    await expectSameAsRaw(service);
    expect(service.projection(UNIT_A).review.queue()).toHaveLength(before);

    // A deleted visit leaves the queue, CARE 02 and the workbook; a deleted decision is forgotten.
    const gone = visits.find((v) => v.type === 'care04')!;
    await db.put({ ...((await db.get(gone._id)) as StoredDoc), _deleted: true } as StoredDoc);
    await db.put({ ...decision, _rev: written.rev, _deleted: true } as unknown as StoredDoc);
    await expectSameAsRaw(service);
    const index = service.projection(UNIT_A).review;
    expect(index.queue()).toHaveLength(before - 1);
    expect(index.visitsBetween('care04', '2026-10-01', '2026-10-31').some((v) => v._id === gone._id)).toBe(false);
    expect(index.reviewsOf(visits[0]._id)).toEqual([]);

    // A CARE 01 whose interview day is corrected moves between months.
    const stored = (await db.get(interview._id)) as StoredDoc;
    await db.put({ ...stored, interviewDate: '2026-09-30' } as StoredDoc);
    await expectSameAsRaw(service);
    expect(care02Numbers('2026-10', index.care02Sources()).interviews).toBe(0);
  });
});
