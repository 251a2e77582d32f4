/**
 * The gate for every document a client asks to store: the shared domain check (`checkDoc`,
 * the same one the tablet runs before saving) plus the ids only the server must refuse.
 * A refused document is answered in CouchDB's per-document shape with `error: 'forbidden'`,
 * which PouchDB's replicator counts in `doc_write_failures` and reports with a 'denied' event
 * instead of aborting the whole replication.
 */
import { checkDoc } from '../../src/lib/domain/validate-doc.ts';
import type { StoredDoc } from '../storage/port.ts';

export interface Refusal {
  index: number;
  id: string | undefined;
  rev?: string;
  reason: string;
}

export interface Screened {
  accepted: Array<{ index: number; doc: StoredDoc }>;
  refused: Refusal[];
}

/**
 * Replicated revisions (new_edits=false) must name themselves consistently: `_rev` present and
 * `_revisions` (when sent) ending in that same revision. PouchDB would otherwise either fail
 * the whole batch or store a revision tree that no longer matches the tablet's.
 */
function revisionProblem(doc: { _rev?: unknown; _revisions?: { start?: unknown; ids?: unknown } }): string | null {
  if (typeof doc._rev !== 'string') return 'a replicated document needs its _rev';
  if (doc._revisions === undefined) return null;
  const [generation, hash] = doc._rev.split('-');
  const { start, ids } = doc._revisions;
  const consistent =
    Array.isArray(ids) && ids.length > 0 && start === Number(generation) && ids[0] === hash && ids.length <= (start as number);
  return consistent ? null : '_revisions does not match _rev';
}

function refusalReason(doc: unknown, unitId: string, newEdits: boolean): string | null {
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const id = (doc as { _id?: unknown })._id;
    if (typeof id === 'string' && id.startsWith('_design/'))
      return 'design documents cannot be written by clients';
    if (typeof id === 'string' && id.startsWith('_local/'))
      return '_local documents are written through /_local/, not _bulk_docs';
  }
  const check = checkDoc(doc, unitId);
  if (!check.ok) return check.reason;
  return newEdits ? null : revisionProblem(doc as Parameters<typeof revisionProblem>[0]);
}

/**
 * Splits a batch. Accepted documents are stored as they came, not as parsed: with
 * new_edits=false the revision id names this exact body, and storing a normalised copy under
 * the same revision would make the server and the tablet disagree about its content.
 */
export function screenDocs(docs: unknown[], unitId: string, newEdits: boolean): Screened {
  const result: Screened = { accepted: [], refused: [] };
  docs.forEach((doc, index) => {
    const reason = refusalReason(doc, unitId, newEdits);
    if (reason === null) {
      result.accepted.push({ index, doc: doc as StoredDoc });
      return;
    }
    const d = (doc ?? {}) as { _id?: unknown; _rev?: unknown };
    result.refused.push({
      index,
      id: typeof d._id === 'string' ? d._id : undefined,
      ...(typeof d._rev === 'string' ? { rev: d._rev } : {}),
      reason
    });
  });
  return result;
}
