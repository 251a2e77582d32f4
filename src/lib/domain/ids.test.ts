import { afterEach, describe, expect, it, vi } from 'vitest';
import { newCare01Id, newPersonId, uuid } from './ids.ts';
import { CARE01_ID, PERSON_ID } from './schemas.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('document ids', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('uuid() is a lower-case version 4 UUID', () => {
    for (let n = 0; n < 100; n++) expect(uuid()).toMatch(UUID_V4);
  });

  it('person and interview ids have the shape the schemas require', () => {
    expect(newPersonId()).toMatch(PERSON_ID);
    expect(newCare01Id()).toMatch(CARE01_ID);
    expect(newPersonId()).not.toMatch(CARE01_ID);
    expect(newCare01Id()).not.toMatch(PERSON_ID);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newPersonId()));
    expect(ids.size).toBe(2000);
  });

  it('falls back to getRandomValues where randomUUID is missing (plain http on a tablet)', () => {
    const real = globalThis.crypto;
    const getRandomValues = vi.fn(<T extends Uint8Array>(array: T) => real.getRandomValues(array));
    vi.stubGlobal('crypto', { getRandomValues });
    const ids = Array.from({ length: 200 }, () => uuid());
    expect(getRandomValues).toHaveBeenCalledTimes(200);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(200);
    expect(newCare01Id()).toMatch(CARE01_ID);
  });

  it('the fallback sets the version and variant bits even from all-ones bytes', () => {
    vi.stubGlobal('crypto', { getRandomValues: <T extends Uint8Array>(a: T) => a.fill(0xff) });
    expect(uuid()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    vi.stubGlobal('crypto', { getRandomValues: <T extends Uint8Array>(a: T) => a.fill(0) });
    expect(uuid()).toBe('00000000-0000-4000-8000-000000000000');
    expect(newPersonId()).toMatch(PERSON_ID);
  });
});
