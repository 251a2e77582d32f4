/**
 * Interviews (CARE 01) and follow-up reports are append-only records: each one grows a single
 * revision tree from its first stored revision. A replicated revision (new_edits=false) of a
 * record the server already holds is accepted only if it descends from a revision the server
 * has; otherwise it is a rival first version — or a forged `999999999-…` that would win every
 * conflict for ever — and is refused.
 *
 * Checking before the write is enough inside one server process (the unit's write queue keeps
 * check and write together). Several instances on one CouchDB can each see a record as new and
 * both store a first version; `settleRivalFirstVersions`, run after the write for exactly those
 * records, finds the rival trees and keeps one, the same one on every instance.
 */
import type { DocumentStore, OpenRevsResult, StoredDoc } from '../storage/port.ts';

export const APPEND_ONLY_TYPES: ReadonlySet<string> = new Set(['care01', 'followup']);

export const NOT_DESCENDED =
  'ฉบับนี้ไม่ได้ต่อจากฉบับที่เซิร์ฟเวอร์มี บันทึกสัมภาษณ์และรายงานการติดตามเพิ่มได้อย่างเดียว / this revision does not descend from the version the server holds: interviews and follow-up reports are append-only';

export const RIVAL_FIRST_VERSION =
  'มีฉบับแรกของบันทึกนี้อีกฉบับถูกบันทึกพร้อมกัน เซิร์ฟเวอร์เก็บไว้ฉบับเดียว (ฉบับนี้เก็บไว้ในประวัติที่ถูกลบ) / another first version of this record was stored at the same moment; the server keeps one (this one stays readable in the deleted branch)';

/** The revision a replicated document names and its ancestors, newest first. */
export function ancestry(doc: { _rev?: unknown; _revisions?: { start: number; ids: string[] } }): string[] {
  const revisions = doc._revisions;
  if (!revisions || !Array.isArray(revisions.ids)) return typeof doc._rev === 'string' ? [doc._rev] : [];
  return revisions.ids.map((hash, i) => `${revisions.start - i}-${hash}`);
}

export interface DescentResult {
  refusals: Array<{ index: number; reason: string }>;
  /** Records that were new on the server when checked: their first versions may race (see above). */
  firstVersions: string[];
}

/**
 * For the append-only records among `docs` (already valid, in batch order), the replicated
 * revisions that do not descend from the stored tree. `stored` says which of the batch's ids
 * the store holds (deleted ones included), read once for the whole batch by the caller; the
 * revisions named are asked (_revs_diff) only of those, so a batch of new records reads nothing.
 */
export async function checkDescent(
  db: DocumentStore,
  docs: Array<{ index: number; doc: StoredDoc }>,
  newEdits: boolean,
  stored: ReadonlySet<string>
): Promise<DescentResult> {
  const candidates = newEdits
    ? []
    : docs.filter((d) => APPEND_ONLY_TYPES.has(String(d.doc.type)) && typeof d.doc._rev === 'string');
  if (candidates.length === 0) return { refusals: [], firstVersions: [] };
  const named = new Map<string, Set<string>>();
  for (const { doc } of candidates)
    for (const rev of ancestry(doc)) (named.get(doc._id) ?? named.set(doc._id, new Set()).get(doc._id)!).add(rev);
  const exists = new Set([...named.keys()].filter((id) => stored.has(id)));
  const diff = exists.size > 0 ? await db.revsDiff(Object.fromEntries([...exists].map((id) => [id, [...named.get(id)!]]))) : {};
  /** Per record, the revisions of its one tree: the stored ones named here, then those accepted from this batch. */
  const tree = new Map<string, Set<string>>();
  for (const id of exists) {
    const missing = new Set(diff[id]?.missing ?? []);
    tree.set(id, new Set([...named.get(id)!].filter((rev) => !missing.has(rev))));
  }
  const refusals: DescentResult['refusals'] = [];
  const firstVersions = new Set<string>();
  for (const { index, doc } of candidates) {
    const revs = ancestry(doc);
    const known = tree.get(doc._id);
    if (!known) {
      // New on the server: its first revision in this batch starts the tree.
      tree.set(doc._id, new Set(revs));
      firstVersions.add(doc._id);
    } else if (revs.some((rev) => known.has(rev))) {
      for (const rev of revs) known.add(rev);
    } else {
      refusals.push({ index, reason: NOT_DESCENDED });
    }
  }
  return { refusals, firstVersions: [...firstVersions] };
}

/** CouchDB's choice of winner among live leaves: the highest generation, then the highest id. */
function couchWinner(leaves: StoredDoc[]): StoredDoc {
  const key = (doc: StoredDoc) => {
    const [generation, hash] = String(doc._rev).split('-');
    return { generation: Number(generation), hash };
  };
  return leaves.reduce((best, leaf) => {
    const a = key(leaf);
    const b = key(best);
    return a.generation > b.generation || (a.generation === b.generation && a.hash > b.hash) ? leaf : best;
  });
}

/**
 * After a write: for each record, if its live leaves belong to more than one revision tree,
 * keeps the tree of CouchDB's winning leaf (so a reader never sees the record flip) and deletes
 * the live leaves of the others. The deletion carries the leaf's body, so nothing is lost: it
 * stays readable in the deleted branch (open_revs=all). Returns every revision of the trees
 * given up, so the caller can refuse the documents of its batch that were among them.
 */
export async function settleRivalFirstVersions(db: DocumentStore, ids: string[]): Promise<Set<string>> {
  const givenUp = new Set<string>();
  // One request says which records have more than one live leaf; only those are read in full.
  const { rows } = await db.allDocs({ keys: ids, include_docs: true, conflicts: true });
  const conflicted = rows.flatMap((row) => {
    const conflicts = (row.doc as { _conflicts?: unknown } | null | undefined)?._conflicts;
    return Array.isArray(conflicts) && conflicts.length > 0 ? [row.key] : [];
  });
  await Promise.all(
    conflicted.map(async (id) => {
      const leaves = (await db.get(id, { open_revs: 'all', revs: true })) as OpenRevsResult;
      const live = leaves.flatMap((l) => ('ok' in l && !l.ok._deleted ? [l.ok] : []));
      if (live.length < 2) return;
      const family = new Set(ancestry(couchWinner(live)));
      let others = live;
      // Leaves sharing any revision with the winner's tree are in it (conflicts of one record).
      for (let grew = true; grew;) {
        grew = false;
        others = others.filter((leaf) => {
          const revs = ancestry(leaf);
          if (!revs.some((rev) => family.has(rev))) return true;
          for (const rev of revs) family.add(rev);
          grew = true;
          return false;
        });
      }
      for (const leaf of others) {
        for (const rev of ancestry(leaf)) givenUp.add(`${id}\u0000${rev}`);
        const { _revisions: _history, ...body } = leaf;
        void _history;
        // Another instance may have deleted it first (409): the same outcome.
        await db.put({ ...body, _deleted: true }).catch((e: { status?: number }) => {
          if (e?.status !== 409) throw e;
        });
      }
    })
  );
  return givenUp;
}
