/**
 * Stores a screened batch (screen-docs.ts) so that the rules checked before the write still hold
 * after it, also when several server instances write to one CouchDB at once:
 *
 * - append-only records: rival first versions stored through two instances are settled to one
 *   tree, the same on every instance (append-only.ts);
 * - conflict deletions: a tablet's merge may delete a conflicting version only while the record
 *   keeps another live one. Two instances deleting each other's version at once can both pass
 *   the check; whoever then finds no live version left brings its deleted one back.
 *
 * Both repairs read what is stored after the write, so in any interleaving the later of two
 * racing writers sees both writes and repairs them.
 */
import { randomBytes } from 'node:crypto';
import { conflictDeletionProblem } from '../../src/lib/domain/validate-doc.ts';
import type { BulkDocsRow, DocumentStore, OpenRevsResult, StoredDoc } from '../storage/port.ts';
import { RIVAL_FIRST_VERSION, settleRivalFirstVersions } from './append-only.ts';
import type { Refusal, Screened } from './screen-docs.ts';

export interface StoredBatch {
  /** The store's rows for `screened.accepted` (new_edits=false: failures only). */
  stored: BulkDocsRow[];
  /** Accepted documents given up after the write (a rival first version kept instead). */
  givenUp: Refusal[];
  /** Conflict deletions stored (with their revisions, for the audit) and refused. */
  deletions: { stored: number; storedRefs: Array<{ id: string; rev: string }>; refused: Refusal[] };
}

/**
 * `shared`: other server instances may write to the same store (CouchDB). The embedded store has
 * one writer, whose per-unit queue already keeps check and write together: the after-write reads
 * would find nothing to repair, so they are skipped there.
 */
export async function storeScreened(
  db: DocumentStore,
  screened: Screened,
  newEdits: boolean,
  shared: boolean
): Promise<StoredBatch> {
  const stored = await db.bulkDocs(
    screened.accepted.map((a) => a.doc),
    { new_edits: newEdits }
  );
  const givenUp: Refusal[] = [];
  if (shared && screened.firstVersions.length > 0) {
    const revisions = await settleRivalFirstVersions(db, screened.firstVersions);
    screened.accepted.forEach((entry, i) => {
      const row = stored[i];
      const rev = newEdits ? (row && 'ok' in row ? row.rev : undefined) : entry.doc._rev;
      if (rev !== undefined && revisions.has(`${entry.doc._id}\u0000${rev}`))
        givenUp.push({ index: entry.index, id: entry.doc._id, rev, reason: RIVAL_FIRST_VERSION });
    });
  }
  // After the batch's live revisions are stored (a merge and its deletions travel together).
  const deletions = await storeConflictDeletions(db, screened.tombstones, shared);
  return { stored, givenUp, deletions };
}

const liveLeavesOf = (leaves: OpenRevsResult): StoredDoc[] => leaves.flatMap((l) => ('ok' in l && !l.ok._deleted ? [l.ok] : []));

async function leavesOf(db: DocumentStore, id: string): Promise<OpenRevsResult> {
  try {
    return (await db.get(id, { open_revs: 'all' })) as OpenRevsResult;
  } catch {
    return []; // unknown document: nothing would survive, refused below
  }
}

/**
 * A tombstone on a conflict branch is stored only while the document keeps another live leaf
 * (`conflictDeletionProblem`). One at a time, each against the leaves as they are after the
 * previous one, so two deletions in one batch can never remove every version between them.
 * After each, the leaves are read again: if another instance's deletion took the last other
 * version meanwhile, the version this one deleted is written back on top of its tombstone (a
 * live child of it, so the tablet that sent the deletion receives it on its next pull).
 */
async function storeConflictDeletions(
  db: DocumentStore,
  tombstones: Screened['tombstones'],
  shared: boolean
): Promise<StoredBatch['deletions']> {
  const refused: Refusal[] = [];
  const storedRefs: Array<{ id: string; rev: string }> = [];
  for (const t of tombstones) {
    const before = liveLeavesOf(await leavesOf(db, t.id));
    const problem = conflictDeletionProblem(
      t,
      before.map((leaf) => String(leaf._rev))
    );
    if (problem) {
      refused.push({ index: t.index, id: t.id, rev: t.rev, reason: problem });
      continue;
    }
    const [row] = await db.bulkDocs([t.doc], { new_edits: false });
    if (row && 'error' in row) {
      refused.push({ index: t.index, id: t.id, rev: t.rev, reason: row.reason });
      continue;
    }
    if (!shared || liveLeavesOf(await leavesOf(db, t.id)).length > 0) {
      storedRefs.push({ id: t.id, rev: t.rev });
      continue;
    }
    const deleted = before.find((leaf) => t.ancestors.includes(String(leaf._rev)));
    if (deleted) {
      const { _revisions: _history, _conflicts: _others, ...body } = deleted as StoredDoc & { _conflicts?: unknown };
      void _history;
      void _others;
      // As a replicated child of the tombstone: CouchDB refuses a PUT on a deleted leaf's _rev.
      const hash = randomBytes(16).toString('hex');
      const generation = Number(t.rev.split('-')[0]) + 1;
      const tombstoneIds = [t.rev.split('-')[1], ...t.ancestors.map((rev) => rev.split('-')[1])];
      await db.bulkDocs(
        [{ ...body, _rev: `${generation}-${hash}`, _revisions: { start: generation, ids: [hash, ...tombstoneIds] } }],
        { new_edits: false }
      );
    }
    refused.push({ index: t.index, id: t.id, rev: t.rev, reason: conflictDeletionProblem(t, [])! });
  }
  return { stored: storedRefs.length, storedRefs, refused };
}
