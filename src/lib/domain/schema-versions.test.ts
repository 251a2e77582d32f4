import { describe, expect, it } from 'vitest';
import { checkDoc } from './validate-doc.ts';
import { readUpgraded, upgradeDoc, VERSION_POLICY, type VersionPolicy } from './schema-versions.ts';
import { SCHEMA_VERSION } from './schemas.ts';
import { minimalPerson } from './test-fixtures.ts';

// A test-only version bump: version 3 renames `note` to `notes` on followups, 2 → 3.
const BUMPED: VersionPolicy = {
  current: 3,
  registry: { followup: { 1: (d) => d, 2: ({ note, ...d }) => ({ ...d, notes: note }) } }
};

describe('schema versions', () => {
  it('leaves a current document untouched', () => {
    const doc = { type: 'followup', schemaVersion: 3, notes: 'x' };
    expect(upgradeDoc(doc, BUMPED)).toEqual({ ok: true, doc, upgraded: false });
  });
  it('upgrades N−1 step by step, on a copy', () => {
    const doc = { type: 'followup', schemaVersion: 2, note: 'x' };
    expect(upgradeDoc(doc, BUMPED)).toEqual({
      ok: true,
      doc: { type: 'followup', schemaVersion: 3, notes: 'x' },
      upgraded: true
    });
    expect(doc).toEqual({ type: 'followup', schemaVersion: 2, note: 'x' });
  });
  it('refuses "รุ่นของข้อมูลไม่รองรับ … กรุณาอัปเดตแอป": a version newer than this build', () => {
    const r = upgradeDoc({ type: 'followup', schemaVersion: 4 }, BUMPED);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/^schemaVersion: รุ่นของข้อมูลไม่รองรับ \(รับได้ 2–3\) กรุณาอัปเดตแอป/) });
  });
  it('refuses "เก่าเกินไป": a version with a missing step', () => {
    expect(upgradeDoc({ type: 'person', schemaVersion: 2 }, BUMPED)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^schemaVersion: ข้อมูลรุ่น 2 เก่าเกินไป/)
    });
  });
  it('readUpgraded never throws: an unreadable version is returned as it is', () => {
    const doc = { type: 'person', schemaVersion: 9 };
    expect(readUpgraded(doc, BUMPED)).toBe(doc);
  });
  it('a step that throws is a bug of the build: upgradeDoc throws (the start migration changes nothing), readUpgraded serves the document as stored', () => {
    const throwing: VersionPolicy = {
      current: 2,
      registry: { followup: { 1: (d) => ({ ...d, visits: (d.visits as unknown[]).length }) } }
    };
    const odd = { type: 'followup', schemaVersion: 1 };
    expect(() => upgradeDoc(odd, throwing)).toThrow();
    expect(readUpgraded(odd, throwing)).toBe(odd);
    expect(upgradeDoc({ ...odd, visits: [1, 2] }, throwing)).toMatchObject({ ok: true, doc: { visits: 2, schemaVersion: 2 } });
  });
  it('the build today: version 1 is current, and the registry has no steps before it', () => {
    expect(VERSION_POLICY.current).toBe(SCHEMA_VERSION);
    expect(upgradeDoc({ type: 'person', schemaVersion: 0 }).ok).toBe(false);
  });
  it('checkDoc checks an N−1 document as upgraded ("stored as written, checked as upgraded")', () => {
    const person = minimalPerson();
    const { nationalId, ...v0 } = { ...person, schemaVersion: 0 } as Record<string, unknown>;
    void nationalId;
    const policy: VersionPolicy = {
      current: SCHEMA_VERSION,
      registry: { person: { 0: (d) => ({ ...d, nationalId: { status: 'unknown' } }) } }
    };
    expect(checkDoc(v0, person.unitId).ok).toBe(false);
    expect(checkDoc(v0, person.unitId, undefined, policy).ok).toBe(true);
  });
});
