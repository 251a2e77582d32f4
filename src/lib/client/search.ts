/** People search over the projection rows: name, prisoner ID or national ID (typed with or without dashes). */
import type { PersonRow } from './local-db.ts';
import { thaiDigitsToArabic } from '../domain/national-id.ts';

export function matchPeople(rows: PersonRow[], query: string, limit = 200): { rows: PersonRow[]; total: number } {
  const q = query.trim().toLowerCase();
  if (!q) return { rows: rows.slice(0, limit), total: rows.length };
  // An ID typed in Thai digits (๐–๙) finds the same person as in Arabic digits.
  const digits = thaiDigitsToArabic(q).replace(/[\s-]/g, '');
  const terms = q.split(/\s+/);
  const isIdLike = /^\d{3,13}$/.test(digits);
  const out: PersonRow[] = [];
  let total = 0;
  for (const r of rows) {
    // Every word must match (first and last name typed together), or the digits match an ID.
    const hit = terms.every((t) => r.searchText.includes(t)) || (isIdLike && r.searchText.includes(digits));
    if (hit) {
      total++;
      if (out.length < limit) out.push(r);
    }
  }
  return { rows: out, total };
}
