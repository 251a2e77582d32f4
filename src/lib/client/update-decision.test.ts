import { describe, expect, it } from 'vitest';
import { decideUpdate } from './update-decision.ts';

describe('a new app version is offered, not forced mid-form', () => {
  it('nothing waiting: nothing to do, whatever else holds', () => {
    expect(decideUpdate({ waiting: false, accepted: true, formDirty: false })).toBe('none');
    expect(decideUpdate({ waiting: false, accepted: false, formDirty: true })).toBe('none');
  });
  it('a waiting version is only offered until the officer accepts it', () => {
    expect(decideUpdate({ waiting: true, accepted: false, formDirty: false })).toBe('offer');
    expect(decideUpdate({ waiting: true, accepted: false, formDirty: true })).toBe('offer');
  });
  it('accepted while a form has unsaved changes: waits for the form', () => {
    expect(decideUpdate({ waiting: true, accepted: true, formDirty: true })).toBe('wait-for-form');
  });
  it('accepted and no dirty form: applied', () => {
    expect(decideUpdate({ waiting: true, accepted: true, formDirty: false })).toBe('apply');
  });
});
