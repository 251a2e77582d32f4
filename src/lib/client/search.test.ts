import { describe, expect, it } from 'vitest';
import type { PersonRow } from './local-db.ts';
import { matchPeople, PeopleIndex, searchTerms } from './search.ts';

const FIRST = ['กิตติพงษ์', 'สมชาย', 'สมศักดิ์', 'ประเสริฐ', 'กิตติศักดิ์'];
const LAST = ['บุญมา', 'ใจดี', 'แสงทอง', 'บุญเรือง'];
const rows: PersonRow[] = Array.from({ length: 400 }, (_, i) => {
  const prisonerId = `T-2569-${String(i).padStart(5, '0')}`;
  const nationalId = String(3101200000000 + i * 37);
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i * 7) % LAST.length];
  return {
    id: `person:${i}`,
    unitId: 'u',
    prisonerId,
    name: `นาย${first} ${last}`,
    nationalId,
    searchText: `${first} ${last} ${prisonerId} ${nationalId}`.toLowerCase(),
    updatedAt: String(1000 - i),
    interviewCount: 0,
    complete: false,
    missingCount: 0
  };
});
const index = new PeopleIndex(rows);

describe('people search index', () => {
  it('Thai first and last names match by their beginning, every typed word: "กิตติพงษ์ บุญ"', () => {
    const r = index.search('กิตติพงษ์ บุญ', 1000);
    expect(r.total).toBeGreaterThan(0);
    for (const row of r.rows) expect(row.searchText).toMatch(/^กิตติพงษ์ บุญ/);
    expect(index.search('กิตติ', 1000).total).toBe(rows.filter((x) => x.searchText.startsWith('กิตติ')).length);
    // Words in either order.
    expect(index.search('บุญมา สมชาย', 1000).total).toBe(index.search('สมชาย บุญมา', 1000).total);
  });

  it('IDs typed with or without dashes; national ID digits by their beginning', () => {
    expect(index.search('T-2569-00007').rows.map((r) => r.id)).toEqual(['person:7']);
    expect(index.search('t256900007').rows.map((r) => r.id)).toEqual(['person:7']);
    expect(index.search(rows[5].nationalId.slice(0, 12)).rows.map((r) => r.id)).toContain('person:5');
    expect(index.search('3-1012-00000-18-5').total).toBe(index.search('3101200000185').total);
  });

  it('results keep the list order (newest first) and the limit, with the full count', () => {
    const r = index.search('สม', 5);
    expect(r.rows).toHaveLength(5);
    expect(r.total).toBe(rows.filter((x) => /(^| )สม/.test(x.searchText)).length);
    const positions = r.rows.map((x) => rows.indexOf(x));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('agrees with a scan using the same rules, query after query (marks reused between searches)', () => {
    for (const q of ['ก', 'กิตติ', 'สม ใจ', 'ใจดี สมชาย', '310', 'T-2569-001', 'x', '', 'บุญ', 'บุญเรือง ประ']) {
      const a = index.search(q, 10_000);
      const b = matchPeople(rows, q, 10_000);
      expect({ q, total: a.total, ids: a.rows.map((r) => r.id) }).toEqual({ q, total: b.total, ids: b.rows.map((r) => r.id) });
    }
  });

  it('nothing matches a word no one has; an empty query lists everyone', () => {
    expect(index.search('ไม่มีใคร').total).toBe(0);
    expect(index.search('  ').total).toBe(rows.length);
    expect(searchTerms(' T-2569-1  สมชาย ')).toEqual(['t25691', 'สมชาย']);
  });
});
