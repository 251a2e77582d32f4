/**
 * People search over the projection rows: name, prisoner ID or national ID (typed with or without
 * dashes). An index instead of a scan of every row per keystroke: a unit of 20,000 people took
 * ~260 ms per keystroke on a throttled tablet when scanned.
 *
 * Thai writes no spaces inside a name, but a person's first and last names are separate words,
 * and so are the two IDs: each is one term, matched by its beginning (what an officer types).
 * Dashes inside an ID are ignored on both sides. Every typed word must match.
 *
 * The index is every (term, row) pair sorted by term: the terms starting with a prefix are one
 * contiguous range, found by binary search. MiniSearch 7.2 was tried first and kept out: its
 * prefix search scores every distinct matching term, and one typed digit matches all 20,000
 * national IDs (0.3–0.9 s per keystroke unthrottled in a node micro-benchmark).
 */
import type { PersonRow } from './local-db.ts';
import { thaiDigitsToArabic } from '../domain/national-id.ts';

/** The searchable words of a row, as indexed and as typed: lower case, Arabic digits, IDs without dashes. */
export function searchTerms(text: string): string[] {
  return (
    text
      .toLowerCase()
      .split(/\s+/)
      // An ID typed in Thai digits (๐–๙) finds the same person as in Arabic digits.
      .map((t) => thaiDigitsToArabic(t).replace(/-/g, ''))
      .filter(Boolean)
  );
}

export class PeopleIndex {
  /** Rows in list order (newest first): results keep this order. */
  private readonly rows: readonly PersonRow[];
  private readonly terms: string[] = [];
  /** rowOf[i]: position in `rows` of the row whose term is terms[i]. */
  private readonly rowOf: Uint32Array;
  /** Scratch marks, one per row, reused by every search (no allocation per keystroke). */
  private readonly marks: Uint32Array;
  private epoch = 0;

  constructor(rows: readonly PersonRow[]) {
    this.rows = rows;
    const pairs: [string, number][] = [];
    rows.forEach((r, i) => {
      for (const t of new Set(searchTerms(r.searchText))) pairs.push([t, i]);
    });
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    this.rowOf = new Uint32Array(pairs.length);
    pairs.forEach(([t, i], k) => {
      this.terms.push(t);
      this.rowOf[k] = i;
    });
    this.marks = new Uint32Array(rows.length);
  }

  get size(): number {
    return this.rows.length;
  }

  /** First position whose term is not below `prefix`. */
  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.terms[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The positions in `terms` of the terms starting with `prefix`: [from, to). */
  private range(prefix: string): [number, number] {
    // The range ends at the first term above every extension of the prefix (no term holds U+FFFF).
    return [this.lowerBound(prefix), this.lowerBound(prefix + '\uffff')];
  }

  /** The first `limit` matches in list order, and how many there are in all. */
  search(query: string, limit = 200): { rows: PersonRow[]; total: number } {
    const typed = searchTerms(query);
    if (typed.length === 0) return { rows: this.rows.slice(0, limit), total: this.rows.length };
    // Each typed word marks the rows it matches; a row matching all of them has the last mark.
    const ranges = typed.map((t) => this.range(t)).sort((a, b) => a[1] - a[0] - (b[1] - b[0]));
    const base = this.epoch;
    this.epoch += ranges.length;
    if (this.epoch > 0xfffffff0) {
      this.marks.fill(0);
      this.epoch = ranges.length;
      return this.search(query, limit);
    }
    ranges.forEach(([from, to], step) => {
      const need = base + step; // marked by every earlier word
      const mark = base + step + 1;
      for (let k = from; k < to; k++) {
        const row = this.rowOf[k];
        if (step === 0 || this.marks[row] === need) this.marks[row] = mark;
      }
    });
    const done = base + ranges.length;
    const rows: PersonRow[] = [];
    let total = 0;
    for (let i = 0; i < this.rows.length; i++) {
      if (this.marks[i] !== done) continue;
      total++;
      if (rows.length < limit) rows.push(this.rows[i]);
    }
    return { rows, total };
  }
}

/** A scan with the same rules as the index, for lists too small to be worth indexing. */
export function matchPeople(rows: PersonRow[], query: string, limit = 200): { rows: PersonRow[]; total: number } {
  const terms = searchTerms(query);
  if (terms.length === 0) return { rows: rows.slice(0, limit), total: rows.length };
  const out: PersonRow[] = [];
  let total = 0;
  for (const r of rows) {
    const words = searchTerms(r.searchText);
    if (terms.every((t) => words.some((w) => w.startsWith(t)))) {
      total++;
      if (out.length < limit) out.push(r);
    }
  }
  return { rows: out, total };
}
