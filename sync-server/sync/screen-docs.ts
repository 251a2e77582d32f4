/**
 * The gate for every document a client asks to store: the shared domain check (`checkDoc`,
 * the same one the tablet runs before saving) plus the ids only the server must refuse.
 * A refused document is answered in CouchDB's per-document shape with `error: 'forbidden'`,
 * which PouchDB's replicator counts in `doc_write_failures` and reports with a 'denied' event
 * instead of aborting the whole replication.
 */
import { checkDoc, checkTombstone, isTombstone } from '../../src/lib/domain/validate-doc.ts';
import type { RefusalCode } from '../../src/lib/domain/refusal-codes.ts';
import { authorshipProblem, eventDateProblem } from '../../src/lib/domain/provenance.ts';
import { VERSION_POLICY, type VersionPolicy } from '../../src/lib/domain/schema-versions.ts';
import { LIMITS } from '../config.ts';
import type { DocumentStore, StoredDoc } from '../storage/port.ts';
import { checkDescent } from './append-only.ts';
import { alteredFollowUps } from './followup-stamps.ts';
import { serviceWriteProblems, type Writer } from './services-gate.ts';
import { volunteerWriteProblem, type VolunteerScope } from './volunteer-scope.ts';

export interface Refusal {
  index: number;
  id: string | undefined;
  rev?: string;
  reason: string;
  /** From the refusal-code catalogue (refusal-codes.ts) when the shared document check refused it: the tablet words it and points at `field`. */
  code?: RefusalCode;
  field?: string;
}

export interface Screened {
  accepted: Array<{ index: number; doc: StoredDoc }>;
  refused: Refusal[];
  /**
   * Replicated deletions of a conflicting version (a tablet's merge): well-formed, but allowed
   * only if the document keeps a live version, which the caller checks against the store.
   */
  tombstones: Array<{ index: number; doc: StoredDoc; id: string; rev: string; ancestors: string[] }>;
  /** Append-only records new on the server when checked (append-only.ts settles races on them). */
  firstVersions: string[];
}

/**
 * Replicated revisions (new_edits=false) must name themselves consistently: `_rev` present and
 * `_revisions` (when sent) ending in that same revision. PouchDB would otherwise either fail
 * the whole batch or store a revision tree that no longer matches the tablet's.
 */
function revisionProblem(doc: { _rev?: unknown; _revisions?: { start?: unknown; ids?: unknown } }): string | null {
  if (typeof doc._rev !== 'string') return 'a replicated document needs its _rev';
  // Generations start at 1; PouchDB silently skips a 0-… revision, which would leave the client
  // without any answer for it.
  if (!/^[1-9]\d*-/.test(doc._rev)) return '_rev must start with a generation of 1 or more';
  // PouchDB stores any "N-x" it is given (even generation 0); CouchDB refuses them. Same rule for both.
  if (!/^[1-9][0-9]{0,8}-[0-9a-f]{1,64}$/.test(doc._rev)) return '_rev is not a revision id (generation-hash)';
  if (doc._revisions === undefined) return null;
  const [generation, hash] = doc._rev.split('-');
  const { start, ids } = doc._revisions;
  const consistent =
    Array.isArray(ids) && ids.length > 0 && start === Number(generation) && ids[0] === hash && ids.length <= (start as number);
  return consistent ? null : '_revisions does not match _rev';
}

/** Why the document is refused: a plain reason, or the shared check's coded refusal; null when it passes. */
function refusalReason(
  doc: unknown,
  unitId: string,
  newEdits: boolean,
  versions: VersionPolicy
): string | { reason: string; code: RefusalCode; field: string } | null {
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const id = (doc as { _id?: unknown })._id;
    if (typeof id === 'string' && id.startsWith('_design/')) return 'design documents cannot be written by clients';
    if (typeof id === 'string' && id.startsWith('_local/'))
      return '_local documents are written through /_local/, not _bulk_docs';
  }
  let check: ReturnType<typeof checkDoc>;
  try {
    check = checkDoc(doc, unitId, LIMITS.docBytes, versions);
  } catch (e) {
    // JSON nested thousands of levels deep overflows the stack while being measured or parsed:
    // no form is shaped like that, so it is a refusal of this document, not a server fault.
    if (e instanceof RangeError) return 'document nested too deeply to be a form';
    throw e;
  }
  if (!check.ok) return check;
  return newEdits ? null : revisionProblem(doc as Parameters<typeof revisionProblem>[0]);
}

/**
 * Splits a batch. Accepted documents are stored as they came, not as parsed: with
 * new_edits=false the revision id names this exact body, and storing a normalised copy under
 * the same revision would make the server and the tablet disagree about its content.
 */
export function screenDocs(
  docs: unknown[],
  unitId: string,
  newEdits: boolean,
  versions: VersionPolicy = VERSION_POLICY
): Screened {
  const result: Screened = { accepted: [], refused: [], tombstones: [], firstVersions: [] };
  docs.forEach((doc, index) => {
    if (!newEdits && isTombstone(doc)) {
      const t = checkTombstone(doc);
      if (t.ok) {
        result.tombstones.push({ index, doc: doc as StoredDoc, id: t.id, rev: t.rev, ancestors: t.ancestors });
        return;
      }
    }
    const problem = refusalReason(doc, unitId, newEdits, versions);
    if (problem === null) {
      result.accepted.push({ index, doc: doc as StoredDoc });
      return;
    }
    const d = (doc ?? {}) as { _id?: unknown; _rev?: unknown };
    result.refused.push({
      index,
      id: typeof d._id === 'string' ? d._id : undefined,
      ...(typeof d._rev === 'string' ? { rev: d._rev } : {}),
      ...(typeof problem === 'string'
        ? { reason: problem }
        : { reason: problem.reason, code: problem.code, field: problem.field })
    });
  });
  return result;
}

/**
 * `screenDocs` by position only, for the screening pool (screen-pool.ts): what a worker thread
 * answers about a batch it parsed itself. `withDocs` puts the request thread's own documents back.
 */
export interface Verdicts {
  accepted: number[];
  refused: Refusal[];
  tombstones: Array<{ index: number; id: string; rev: string; ancestors: string[] }>;
}

/** One batch for a worker: the request body as received (decoded text) and how to check it. */
export interface ScreenTask {
  id: number;
  text: string;
  unitId: string;
  newEdits: boolean;
}

export type ScreenAnswer = { id: number; ok: true; verdicts: Verdicts } | { id: number; ok: false; error: string };

/** With the build's own schema versions (a policy's upgrade steps are functions: they stay on their thread). */
export function screenVerdicts(docs: unknown[], unitId: string, newEdits: boolean): Verdicts {
  const screened = screenDocs(docs, unitId, newEdits, VERSION_POLICY);
  return {
    accepted: screened.accepted.map((a) => a.index),
    refused: screened.refused,
    tombstones: screened.tombstones.map(({ index, id, rev, ancestors }) => ({ index, id, rev, ancestors }))
  };
}

export function withDocs(verdicts: Verdicts, docs: unknown[]): Screened {
  return {
    accepted: verdicts.accepted.map((index) => ({ index, doc: docs[index] as StoredDoc })),
    refused: verdicts.refused,
    tombstones: verdicts.tombstones.map((t) => ({ ...t, doc: docs[t.index] as StoredDoc })),
    firstVersions: []
  };
}

export interface BatchContext {
  db: DocumentStore;
  unitId: string;
  newEdits: boolean;
  /** The signed-in sender: the author every revision must name (provenance.ts). */
  username: string;
  /** The server's clock when the request arrived: event dates are judged against it. */
  now: Date;
  /** Schema versions accepted (N−1 checked as upgraded, stored as sent). */
  versions: VersionPolicy;
  /** Set when the writer is a volunteer: only follow-ups of their assigned people pass. */
  volunteer: VolunteerScope | null;
  /** Who writes: the service rules (services-gate.ts) check steps against the account's duties. */
  writer: Writer;
  /** `screenDocs` of this batch when a worker thread already ran it (screen-pool.ts); run here otherwise. */
  checked?: Screened;
}

/**
 * The whole write gate for one batch: the document checks above, then the volunteer rule, then
 * authorship and event dates against the session and the server's clock, then the follow-up stamps against what is stored (follow-ups are append-only, followup-stamps.ts).
 * The caller stores `accepted` while still holding the unit's write queue, so the stamp check
 * and the write cannot interleave with another batch.
 */
/**
 * What the server holds of the batch's ids, in one read for the whole batch: which ids it has
 * at all (deleted ones included: a revision tree exists), and the `createdBy` of each one's
 * winning revision (absent when it holds none, or only deleted ones).
 */
async function storedState(
  db: DocumentStore,
  entries: Array<{ doc: StoredDoc }>
): Promise<{ ids: Set<string>; authors: Map<string, string> }> {
  const keys = [...new Set(entries.map((e) => e.doc._id))];
  const ids = new Set<string>();
  const authors = new Map<string, string>();
  if (keys.length === 0) return { ids, authors };
  const { rows } = await db.allDocs({ keys, include_docs: true });
  for (const row of rows) {
    if (row.value) ids.add(row.key);
    if (row.doc && !row.value?.deleted && typeof row.doc.createdBy === 'string') authors.set(row.key, row.doc.createdBy);
  }
  return { ids, authors };
}

/**
 * Authorship and event date of one accepted document (src/lib/domain/provenance.ts). Within a
 * batch, the first revision of a new id fixes its author for the rest of the batch.
 */
function provenanceProblem(doc: StoredDoc, batch: BatchContext, authors: Map<string, string>): string | null {
  const problem = authorshipProblem(doc, batch.username, authors.get(doc._id) ?? null) ?? eventDateProblem(doc, batch.now);
  if (problem === null && !authors.has(doc._id)) authors.set(doc._id, batch.username);
  return problem;
}

export async function screenBatch(docs: unknown[], batch: BatchContext): Promise<Screened> {
  const first = batch.checked ?? screenDocs(docs, batch.unitId, batch.newEdits, batch.versions);
  const refused = [...first.refused];
  const refuse = (entry: { index: number; doc: StoredDoc }, reason: string) =>
    refused.push({
      index: entry.index,
      id: entry.doc._id,
      ...(typeof entry.doc._rev === 'string' ? { rev: entry.doc._rev } : {}),
      reason
    });

  let accepted = first.accepted;
  let tombstones = first.tombstones;
  if (batch.volunteer) {
    // A volunteer adds visit reports; resolving conflicts (deleting a version) is an officer's job.
    for (const t of tombstones) refuse(t, 'อาสาสมัครลบข้อมูลไม่ได้ / a volunteer cannot delete any version of a record');
    tombstones = [];
    const scope = batch.volunteer;
    accepted = accepted.filter((entry) => {
      const problem = volunteerWriteProblem(scope, entry.doc);
      if (problem) refuse(entry, problem);
      return problem === null;
    });
  }
  const stored = await storedState(batch.db, accepted);
  accepted = accepted.filter((entry) => {
    const problem = provenanceProblem(entry.doc, batch, stored.authors);
    if (problem) refuse(entry, problem);
    return problem === null;
  });
  const [altered, descent] = await Promise.all([
    alteredFollowUps(batch.db, accepted),
    checkDescent(batch.db, accepted, batch.newEdits, stored.ids)
  ]);
  const refusedNow = new Map([...descent.refusals, ...altered].map((r) => [r.index, r.reason]));
  accepted = accepted.filter((entry) => {
    const reason = refusedNow.get(entry.index);
    if (reason !== undefined) refuse(entry, reason);
    return reason === undefined;
  });
  const serviceRefusals = new Map(
    (await serviceWriteProblems(batch.db, batch.unitId, accepted, batch.writer, batch.newEdits)).map((r) => [r.index, r.reason])
  );
  accepted = accepted.filter((entry) => {
    const reason = serviceRefusals.get(entry.index);
    if (reason !== undefined) refuse(entry, reason);
    return reason === undefined;
  });
  refused.sort((a, b) => a.index - b.index);
  return { accepted, refused, tombstones, firstVersions: descent.firstVersions };
}
