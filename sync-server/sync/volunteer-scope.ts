/**
 * A probation volunteer "records visits only for the people assigned to them, and sees nothing
 * else" (docs/domain/people-and-roles.md). On a unit listed on their account a volunteer reaches exactly:
 * the person documents whose winning revision names them in `assignedVolunteers`, and the
 * documents whose `personId` is one of those people. Every read endpoint is filtered here, on the
 * server; the write rule (follow-ups of assigned people only) is in screen-docs.ts.
 *
 * Sequences. A filtered feed must keep CouchDB's checkpoint semantics: `last_seq` and every row's
 * `seq` are sequences the client may hand back as `since`. They are the store's sequences wrapped
 * with a fingerprint of the volunteer's assignment (`a~<fingerprint>~<store seq as JSON>`). When
 * the assignment changes, a `since` with the old fingerprint starts again from the beginning:
 * a person assigned today brings their whole history (interviews, earlier visits stored long
 * before the volunteer's checkpoint), which a plain filtered feed would skip. The restart costs
 * one filtered scan; the client's _revs_diff step skips what it already has.
 */
import { createHash } from 'node:crypto';
import type {
  BulkGetOptions,
  BulkGetRequest,
  BulkGetResponse,
  ChangeRow,
  ChangesOptions,
  ChangesResponse,
  DatabaseInfo,
  DocumentStore,
  RevsDiffRequest,
  RevsDiffResponse,
  Seq
} from '../storage/port.ts';
import type { PersonIndex } from './person-index.ts';

export interface VolunteerScope {
  username: string;
  /** Person ids assigned to the volunteer when the request began. */
  people: ReadonlySet<string>;
  fingerprint: string;
  index: PersonIndex;
}

/** Fresh index, then the volunteer's people: call once per request. */
export async function volunteerScope(index: PersonIndex, username: string): Promise<VolunteerScope> {
  await index.refresh();
  const people = index.assignedTo(username);
  return { username, people, fingerprint: fingerprintOf(people), index };
}

function fingerprintOf(people: ReadonlySet<string>): string {
  return createHash('sha256')
    .update([...people].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/** May the volunteer read this document? Unknown ids (not stored, or newer than the index) are no. */
export function canSee(scope: VolunteerScope, id: string): boolean {
  const personId = scope.index.personOfDoc(id);
  return personId !== undefined && scope.people.has(personId);
}

// --- sequences -------------------------------------------------------------------------------

const WRAPPED = /^a~([0-9a-f]{16})~(.+)$/s;

export const wrapSeq = (fingerprint: string, seq: Seq): string => `a~${fingerprint}~${JSON.stringify(seq)}`;

/**
 * The store sequence to read on from. Anything but a sequence of the current assignment (a new
 * client's 0, another assignment's sequence, a raw store sequence) starts from the beginning:
 * never skipping is what matters, and re-sending costs only a _revs_diff on the client.
 */
function storeSince(scope: VolunteerScope, since: ChangesOptions['since']): Seq | 'now' {
  if (since === 'now') return 'now';
  if (typeof since !== 'string') return 0;
  const match = WRAPPED.exec(since);
  if (!match || match[1] !== scope.fingerprint) return 0;
  try {
    const inner = JSON.parse(match[2]) as unknown;
    return typeof inner === 'string' || typeof inner === 'number' ? inner : 0;
  } catch {
    return 0;
  }
}

// --- _changes ----------------------------------------------------------------------------------

/** A well-formed id no client generates (random UUIDs carry version 4, this one is version 0). */
const NEVER_AN_ID = 'person:00000000-0000-0000-0000-000000000000';

/** Store rows read per page while filtering. */
const SCAN_PAGE = 500;

interface Scan {
  results: ChangeRow[];
  /** Where the next read starts: the last row returned when `limit` was reached, else the end. */
  cursor: Seq;
}

/** Reads the store's feed from `since` until `limit` visible rows were found or the feed ends. */
async function scan(db: DocumentStore, scope: VolunteerScope, since: Seq, opts: ChangesOptions): Promise<Scan> {
  const want = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
  const results: ChangeRow[] = [];
  let cursor = since;
  for (;;) {
    const page = await db.changes({
      since: cursor,
      limit: SCAN_PAGE,
      style: opts.style,
      include_docs: opts.include_docs,
      doc_ids: opts.doc_ids,
      feed: 'normal'
    });
    // Rows written after the index was refreshed: read them into the index first (fail closed:
    // an id the index still does not know is not shown).
    if (page.results.some((row) => !scope.index.knows(row.id))) await scope.index.refresh();
    for (const row of page.results) {
      if (!canSee(scope, row.id)) continue;
      results.push(row);
      if (results.length >= want) return { results, cursor: row.seq };
    }
    cursor = page.last_seq;
    if (page.results.length < SCAN_PAGE) return { results, cursor };
  }
}

export interface ScopedChangesOptions extends ChangesOptions {
  /** A fresh scope for the longpoll loop to notice an assignment made while it waits. */
  rescope: () => Promise<VolunteerScope>;
}

/**
 * The volunteer's changes feed. A longpoll answers only when a change the volunteer may see
 * arrives (or at the timeout with no rows), never with other people's changes; if the
 * assignment changes while it waits, it answers at once with the old assignment's sequence,
 * so the client's next request starts over and receives the newly assigned people.
 */
export async function volunteerChanges(
  db: DocumentStore,
  scope: VolunteerScope,
  opts: ScopedChangesOptions
): Promise<ChangesResponse> {
  const wrap = (s: Seq) => wrapSeq(scope.fingerprint, s);
  const answer = ({ results, cursor }: Scan): ChangesResponse => ({
    results: results.map((row) => ({ ...row, seq: wrap(row.seq) })),
    last_seq: wrap(cursor)
  });
  // Hidden ids are dropped before the store is asked, so the answer for one is the answer for
  // an id that does not exist (its sequence would otherwise show in last_seq). An id that can
  // never exist stands in for an emptied list: an empty doc_ids would mean "no filter".
  if (opts.doc_ids) {
    const visible = opts.doc_ids.filter((id) => canSee(scope, id));
    opts = { ...opts, doc_ids: visible.length > 0 ? visible : [NEVER_AN_ID] };
  }
  let since = storeSince(scope, opts.since);
  if (since === 'now') since = (await db.changes({ since: 'now', limit: 1, feed: 'normal' })).last_seq;
  let found = await scan(db, scope, since, opts);
  if (opts.feed !== 'longpoll' || found.results.length > 0) return answer(found);

  const deadline = Date.now() + (opts.timeoutMs ?? 25_000);
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0 || opts.signal?.aborted) return answer(found);
    // The store's own longpoll is the wake-up: it answers on any write to the unit.
    const woke = await db.changes({ since: found.cursor, limit: 1, feed: 'longpoll', timeoutMs: remaining, signal: opts.signal });
    if (woke.results.length === 0) return answer(found);
    const fresh = await opts.rescope();
    if (fresh.fingerprint !== scope.fingerprint) return answer(found);
    found = await scan(db, scope, found.cursor, opts);
    if (found.results.length > 0) return answer(found);
  }
}

// --- database info ---------------------------------------------------------------------------------

/** GET /sync/U/ for a volunteer: counts and sequence of their own view, not the unit's. */
export async function volunteerInfo(db: DocumentStore, scope: VolunteerScope): Promise<DatabaseInfo> {
  const info = await db.info();
  return { ...info, doc_count: scope.index.countFor(scope.people), update_seq: wrapSeq(scope.fingerprint, info.update_seq) };
}

// --- _bulk_get, _revs_diff -----------------------------------------------------------------------

const hiddenRow = (id: string, rev: string | undefined) => ({
  id,
  docs: [{ error: { id, rev: rev ?? 'undefined', error: 'not_found', reason: 'missing' } }]
});

/** Documents outside the scope are answered as CouchDB answers ids it does not have. */
export async function volunteerBulkGet(
  db: DocumentStore,
  scope: VolunteerScope,
  body: BulkGetRequest,
  opts: BulkGetOptions
): Promise<BulkGetResponse> {
  const visible = body.docs.filter((d) => canSee(scope, d.id));
  const hidden = body.docs.filter((d) => !canSee(scope, d.id)).map((d) => hiddenRow(d.id, d.rev));
  const answered = visible.length ? await db.bulkGet({ docs: visible }, opts) : { results: [] };
  return { results: [...answered.results, ...hidden] };
}

/**
 * Ids outside the scope are answered "all missing" without asking the store, so the answer
 * tells nothing about them; a push of such a document then meets the write rule and is refused.
 */
export async function volunteerRevsDiff(
  db: DocumentStore,
  scope: VolunteerScope,
  body: RevsDiffRequest
): Promise<RevsDiffResponse> {
  const visible: RevsDiffRequest = {};
  const answer: RevsDiffResponse = {};
  for (const [id, revs] of Object.entries(body)) {
    if (canSee(scope, id)) visible[id] = revs;
    else answer[id] = { missing: revs };
  }
  return Object.keys(visible).length ? { ...answer, ...(await db.revsDiff(visible)) } : answer;
}

// --- writes --------------------------------------------------------------------------------------

const NOT_ASSIGNED = 'บุคคลนี้ไม่ได้อยู่ในความดูแลของท่าน / this person is not assigned to you';

/**
 * The volunteer's write rule for a document that already passed checkDoc: a follow-up report of
 * an assigned person, made by a volunteer, written under their own name. Null when allowed.
 */
export function volunteerWriteProblem(scope: VolunteerScope, doc: Record<string, unknown>): string | null {
  // An existing document the volunteer cannot see gets the answer of someone else's person, and
  // goes no further: the later checks against stored values would tell what is stored.
  if (typeof doc._id === 'string' && scope.index.knows(doc._id) && !canSee(scope, doc._id)) return NOT_ASSIGNED;
  if (doc.type !== 'followup') return 'อาสาสมัครบันทึกได้เฉพาะรายงานการติดตาม / a volunteer may record follow-up reports only';
  if (typeof doc.personId !== 'string' || !scope.people.has(doc.personId)) return NOT_ASSIGNED;
  if (doc.visitor !== 'volunteer') return 'ผู้ติดตามต้องเป็นอาสาสมัคร / a volunteer records visits with visitor "volunteer"';
  if (doc.createdBy !== scope.username || doc.updatedBy !== scope.username)
    return 'บันทึกได้ในชื่อของท่านเท่านั้น / createdBy and updatedBy must be your own user name';
  return null;
}
