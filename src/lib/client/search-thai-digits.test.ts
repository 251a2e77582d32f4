import { describe, expect, it } from 'vitest';
import { matchPeople } from './search.ts';
import type { PersonRow } from './local-db.ts';

const row = (id: string, nationalId: string): PersonRow => ({
  id,
  unitId: 'u1',
  prisonerId: 'BK-1',
  name: 'นายสมชาย ใจดี',
  nationalId,
  searchText: `สมชาย ใจดี bk-1 ${nationalId.replace(/-/g, '')}`,
  updatedAt: '2026-11-28T00:00:00.000Z',
  interviewCount: 0,
  complete: false,
  missingCount: 0
});

describe('people search: a national ID typed in Thai digits ("ตัวเลขไทย ๐–๙")', () => {
  it('finds the person stored with Arabic digits', () => {
    const rows = [row('person:1', '1-1037-02345-67-9'), row('person:2', '3-1005-00123-45-6')];
    expect(matchPeople(rows, '๑-๑๐๓๗-๐๒๓๔๕').rows.map((r) => r.id)).toEqual(['person:1']);
    expect(matchPeople(rows, '1103702345679').rows.map((r) => r.id)).toEqual(['person:1']);
  });
});
