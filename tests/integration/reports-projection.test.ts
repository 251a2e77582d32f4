/**
 * The reporting projection over a real store: a catch-up cut short by its time budget says so and
 * resumes from its checkpoint without reading anything twice; an edited person replaces the old
 * version; the checkpoint is the store's sequence, passed back unparsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportService } from '../../sync-server/reports/service.ts';
import type { StoragePort } from '../../sync-server/storage/port.ts';
import { unitDatabaseName } from '../../sync-server/system-db.ts';
import { generateUnit } from '../../sync-server/reports/generate.ts';
import { startTestServer, UNIT_B, type TestServer } from '../helpers/server.ts';
import type { PersonDoc } from '../../src/lib/domain/schemas.ts';

let server: TestServer;
let storage: StoragePort;
const docs = generateUnit({ unitId: UNIT_B, people: 800, fiscalYear: 2568, seed: 3 });

beforeAll(async () => {
  server = await startTestServer();
  storage = server.storage;
  await storage.openDatabase(unitDatabaseName(UNIT_B)).bulkDocs(docs, { new_edits: true });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('UnitProjection', () => {
  it('a catch-up with no time left is reported stale, then resumes to the end', async () => {
    const service = new ReportService(storage);
    const stale = await service.catchUp([UNIT_B], 0);
    expect(stale.has(UNIT_B)).toBe(true);
    const partial = service.projection(UNIT_B).state();
    expect(partial.people).toBeLessThan(800);
    expect(partial.caughtUpAt).toBeNull();
    expect((await service.catchUp([UNIT_B], 30_000)).size).toBe(0);
    const full = service.projection(UNIT_B).state();
    expect(full.people).toBe(800);
    expect(full.caughtUpAt).not.toBeNull();
    expect(
      service
        .projection(UNIT_B)
        .records()
        .reduce((n, r) => n + r.episodes.length + r.followUps.length + r.nonCompliance.length, 0)
    ).toBe(docs.filter((d) => d.type !== 'person').length);
  });

  it('an edited person replaces the old version; nothing else changes', async () => {
    const service = new ReportService(storage);
    await service.catchUp([UNIT_B], 30_000);
    const before = service.projection(UNIT_B).state();
    const db = storage.openDatabase(unitDatabaseName(UNIT_B));
    const person = (await db.get(docs[0]._id)) as unknown as PersonDoc;
    await db.put({ ...person, firstName: 'แก้ไขแล้ว', sex: 'female' } as never);
    await service.catchUp([UNIT_B], 30_000);
    const after = service.projection(UNIT_B);
    expect(after.state().people).toBe(before.people);
    expect(after.state().seq).not.toBe(before.seq);
    expect(after.label(person._id)?.name.startsWith('แก้ไขแล้ว')).toBe(true);
    expect(after.records().find((r) => r.personId === person._id)?.sex).toBe('female');
  });
});

describe('ReportService cache', () => {
  it('a changed holiday calendar recomputes the KPIs instead of serving the cached ones', async () => {
    const service = new ReportService(storage);
    await service.catchUp([UNIT_B], 30_000);
    const db = storage.openDatabase(unitDatabaseName(UNIT_B));
    const episode = docs.find((d) => d.type === 'episode')!;
    // Monday 2025-01-06; the 15th working day with no holidays is Monday 2025-01-27; acted on the 28th.
    await db.put({
      _id: 'noncompliance:cccccccc-0000-4000-8000-000000000001',
      type: 'noncompliance',
      unitId: UNIT_B,
      schemaVersion: 1,
      createdAt: '2025-01-06T04:00:00.000Z',
      createdBy: 'field.officer',
      updatedAt: '2025-01-28T04:00:00.000Z',
      updatedBy: 'field.officer',
      personId: episode.personId,
      kind: 'missed-appointment',
      occurredOn: '2025-01-06',
      actions: [{ kind: 'warning', on: '2025-01-28' }]
    } as never);
    await service.catchUp([UNIT_B], 30_000);
    const q = { fiscalYear: 2568, period: 12 as const };
    const row = (holidays: Set<string>) => {
      const results = service.unitResults(UNIT_B, q, holidays);
      return results['non-compliance'].rows.find((r) => r.caseId === 'noncompliance:cccccccc-0000-4000-8000-000000000001');
    };
    expect(row(new Set())?.outcome).toBe('not-met');
    expect(row(new Set(['2025-01-10']))?.outcome).toBe('met');
  });
});
