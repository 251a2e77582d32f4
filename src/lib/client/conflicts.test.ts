import { describe, expect, it } from 'vitest';
import { bothTexts, differingFields } from './conflicts.ts';
import { formatBytes, storageLevel, tooManyDocs, usageRatio } from './device-storage.svelte.ts';

describe('differingFields', () => {
  it('lists the content fields whose values differ, never bookkeeping', () => {
    const base = {
      _id: 'person:x',
      _rev: '2-a',
      updatedAt: '2026-11-01T00:00:00Z',
      firstName: 'สมชาย',
      lastName: 'ใจดี',
      contacts: [{ name: 'ก' }]
    };
    const other = {
      ...base,
      _rev: '2-b',
      updatedAt: '2026-11-02T00:00:00Z',
      firstName: 'สมหมาย',
      contacts: [{ name: 'ข' }],
      sex: 'male'
    };
    expect(differingFields([{ doc: base }, { doc: other }]).sort()).toEqual(['contacts', 'firstName', 'sex']);
    expect(differingFields([{ doc: base }, { doc: { ...base, _rev: '2-c' } }])).toEqual([]);
  });
});

describe('bothTexts', () => {
  it('joins the distinct non-empty texts in order', () => {
    expect(bothTexts(['ช่างเชื่อม', 'ช่างไฟ'])).toBe('ช่างเชื่อม / ช่างไฟ');
    expect(bothTexts(['ช่างเชื่อม', 'ช่างเชื่อม'])).toBe('ช่างเชื่อม');
    expect(bothTexts([undefined, 'ช่างไฟ', ''])).toBe('ช่างไฟ');
  });
});

describe('device storage thresholds', () => {
  it('warns at 50% and 75% of the quota', () => {
    expect(storageLevel(usageRatio({ usage: 49, quota: 100 }))).toBe('ok');
    expect(storageLevel(usageRatio({ usage: 50, quota: 100 }))).toBe('warn');
    expect(storageLevel(usageRatio({ usage: 75, quota: 100 }))).toBe('danger');
    expect(storageLevel(usageRatio({ usage: null, quota: 100 }))).toBe('unknown');
  });
  it('warns past 10,000 documents', () => {
    expect(tooManyDocs(10_000)).toBe(false);
    expect(tooManyDocs(10_001)).toBe(true);
  });
  it('formats sizes', () => {
    expect(formatBytes(1_810_026)).toBe('1.8 MB');
    expect(formatBytes(512)).toBe('512 B');
  });
});
