import { describe, expect, it } from 'vitest';
import { checkDoc, checkTombstone, conflictDeletionProblem } from './validate-doc.ts';

const ID = 'person:0b5c2a4e-1f7d-4c1e-9a55-2c3d4e5f6a7b';
const tombstone = (extra: Record<string, unknown> = {}) => ({
  _id: ID,
  _rev: '3-ccc',
  _deleted: true,
  _revisions: { start: 3, ids: ['ccc', 'bbb', 'aaa'] },
  ...extra
});

describe('checkTombstone: the only deletion a unit accepts is of a conflicting version', () => {
  it('accepts a replicated tombstone and names its ancestors, newest first', () => {
    expect(checkTombstone(tombstone())).toEqual({ ok: true, id: ID, rev: '3-ccc', ancestors: ['2-bbb', '1-aaa'] });
  });

  it('refuses a tombstone that carries fields (data cannot hide in a deletion)', () => {
    const check = checkTombstone(tombstone({ firstName: 'x' }));
    expect(check.ok).toBe(false);
  });

  it('refuses a deletion without its revision history (not replicated, e.g. a plain PUT)', () => {
    const { _revisions, ...plain } = tombstone();
    void _revisions;
    expect(checkTombstone(plain)).toMatchObject({ ok: false });
  });

  it('refuses a history that does not end in the tombstone revision or has no parent', () => {
    expect(checkTombstone(tombstone({ _revisions: { start: 3, ids: ['ddd', 'bbb', 'aaa'] } }))).toMatchObject({ ok: false });
    expect(checkTombstone(tombstone({ _rev: '1-ccc', _revisions: { start: 1, ids: ['ccc'] } }))).toMatchObject({ ok: false });
  });

  it('refuses ids that are not synced document types', () => {
    expect(checkTombstone(tombstone({ _id: '_design/x' }))).toMatchObject({ ok: false });
    expect(checkTombstone(tombstone({ _id: 'user:0b5c2a4e-1f7d-4c1e-9a55-2c3d4e5f6a7b' }))).toMatchObject({ ok: false });
  });

  it('checkDoc itself still refuses every deletion', () => {
    expect(checkDoc(tombstone(), 'alpha-prison')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cannot be deleted')
    });
  });
});

describe('conflictDeletionProblem: a live version must survive the deletion', () => {
  const t = { ancestors: ['2-bbb', '1-aaa'] };
  it('allows deleting one branch while another live leaf remains', () => {
    expect(conflictDeletionProblem(t, ['2-bbb', '2-zzz'])).toBeNull();
    // The losing branch never reached the server: the server's own leaf still survives.
    expect(conflictDeletionProblem(t, ['2-zzz'])).toBeNull();
  });

  it('refuses deleting the last live version (the document itself)', () => {
    expect(conflictDeletionProblem(t, ['2-bbb'])).toMatch(/last version/);
    expect(conflictDeletionProblem(t, ['1-aaa'])).toMatch(/last version/);
    expect(conflictDeletionProblem(t, [])).toMatch(/last version/);
  });
});
