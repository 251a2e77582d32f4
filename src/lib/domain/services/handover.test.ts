import { describe, expect, it } from 'vitest';
import { checkDoc } from '../validate-doc.ts';
import { handoverRequestOf, handoverRequestWriteProblem, type HandoverRequestDoc } from './handover.ts';
import { SERVICE_PERSON } from './test-fixtures.ts';

const UNIT = 'bkk-prison';
const AT = '2026-12-01T03:00:00.000Z';

const request = (overrides: Partial<HandoverRequestDoc> = {}): HandoverRequestDoc => ({
  _id: 'handoverrequest:5a000000-0000-4000-8000-000000000077',
  type: 'handoverrequest',
  unitId: UNIT,
  schemaVersion: 1,
  createdAt: AT,
  createdBy: 'care.officer',
  updatedAt: AT,
  updatedBy: 'care.officer',
  personId: SERVICE_PERSON,
  toUnitId: 'lampang-probation',
  releasedOn: '2026-12-01',
  reason: 'พ้นโทษ กลับภูมิลำเนา',
  consent: { basis: 'care01', care01Id: 'care01:5a000000-0000-4000-8000-000000000001' },
  requestedAt: AT,
  ...overrides
});

describe('a hand-over recorded on the tablet ("ส่งต่อการดูแลให้สำนักงานคุมประพฤติ")', () => {
  it('is a synced document of the sending unit, carried out as a hand-over from that unit', () => {
    expect(checkDoc(request(), UNIT)).toMatchObject({ ok: true });
    expect(handoverRequestOf(request())).toMatchObject({
      fromUnitId: UNIT,
      toUnitId: 'lampang-probation',
      personId: SERVICE_PERSON
    });
  });

  it('needs the receiving office and the reason', () => {
    expect(checkDoc(request({ toUnitId: '' }), UNIT)).toMatchObject({ ok: false, field: 'toUnitId' });
    expect(checkDoc(request({ reason: '' }), UNIT)).toMatchObject({ ok: false, field: 'reason' });
  });

  it('"ผลการส่งต่อบันทึกโดยเซิร์ฟเวอร์เท่านั้น": a client cannot write or change the outcome', () => {
    const done = { status: 'done' as const, at: AT };
    expect(handoverRequestWriteProblem(undefined, request())).toBeNull();
    expect(handoverRequestWriteProblem(undefined, request({ outcome: done }))).toMatch(/only the server/);
    expect(handoverRequestWriteProblem(request({ outcome: { status: 'refused', at: AT } }), request({ outcome: done }))).toMatch(
      /only the server/
    );
    // The server's answered revision, sent back unchanged (a second push), is no change.
    expect(handoverRequestWriteProblem(request({ outcome: done }), request({ outcome: done }))).toBeNull();
  });

  it('is written once: the office, date, reason and consent of a stored request cannot change', () => {
    expect(handoverRequestWriteProblem(request(), request({ toUnitId: 'chiang-mai-probation' }))).toMatch(/toUnitId/);
    expect(handoverRequestWriteProblem(request(), request({ reason: 'อื่น' }))).toMatch(/reason/);
    // Replaying the original over the answered one changes nothing the officer wrote.
    expect(handoverRequestWriteProblem(request({ outcome: { status: 'done', at: AT } }), request())).toBeNull();
  });
});
