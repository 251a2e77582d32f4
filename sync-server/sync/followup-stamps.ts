/**
 * Follow-up reports are append-only (docs/domain/follow-up.md: a report "cannot be back-dated", it shows the
 * date it was entered). The schema refuses a visit dated after its own `recordedAt`; this module
 * refuses what only the server can see: a later revision that alters what was first stored.
 *
 * Decision: a second revision of a follow-up IS accepted when it keeps the report's stamps and
 * identity — `recordedAt`, `visitDate`, `personId`, `visitor`, `createdAt`, `createdBy` — so an
 * officer (or the volunteer who wrote it) can correct a typo in the housing, work or notes text;
 * `updatedAt` / `updatedBy` then say who corrected it and when, and the revision history keeps
 * the earlier text. Changing any of those six fields is refused: re-dating a visit or re-stamping
 * the moment it was recorded is exactly the back-dating the rule forbids, and changing the person
 * or the visitor would make it a different report (write a new one instead).
 *
 * "First stored" is checked against every stored leaf revision of the id (the winning one and
 * any conflicting ones): every accepted revision keeps the first one's values, so all leaves
 * carry them. Within one batch, the first revision of a new id sets them for the rest.
 */
import { isNotFound, type DocumentStore, type OpenRevsResult, type StoredDoc } from '../storage/port.ts';

export const FOLLOW_UP_FIXED_FIELDS = ['recordedAt', 'visitDate', 'personId', 'visitor', 'createdAt', 'createdBy'] as const;

type Fixed = Pick<Record<string, unknown>, (typeof FOLLOW_UP_FIXED_FIELDS)[number]>;

function fixedOf(doc: Record<string, unknown>): Fixed {
  return Object.fromEntries(FOLLOW_UP_FIXED_FIELDS.map((f) => [f, doc[f]])) as Fixed;
}

export function followUpChangeReason(field: string, stored: unknown): string {
  if (field === 'recordedAt')
    return `เวลาที่บันทึกรายงานการติดตามแก้ไขไม่ได้ (บันทึกครั้งแรก ${String(stored)}) / a follow-up's recordedAt stamp cannot be changed (first recorded ${String(stored)})`;
  return `รายงานการติดตามที่บันทึกแล้วแก้ไข ${field} ไม่ได้ แก้ไขได้เฉพาะรายละเอียด / a stored follow-up's ${field} cannot be changed: follow-ups are append-only, only their details may be corrected`;
}

/** The stored leaf revisions of `id` (none when the id is new). */
async function storedLeaves(db: DocumentStore, id: string): Promise<Fixed[]> {
  try {
    const leaves = (await db.get(id, { open_revs: 'all' })) as OpenRevsResult;
    return leaves.flatMap((leaf) => ('ok' in leaf && !leaf.ok._deleted ? [fixedOf(leaf.ok)] : []));
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

export interface StampRefusal {
  index: number;
  reason: string;
}

/**
 * For the follow-ups among `docs` (already valid), the ones that would alter a stored report.
 * `docs` are positions in the client's batch, checked in order.
 */
export async function alteredFollowUps(
  db: DocumentStore,
  docs: Array<{ index: number; doc: StoredDoc }>
): Promise<StampRefusal[]> {
  const followUps = docs.filter((d) => d.doc.type === 'followup');
  if (followUps.length === 0) return [];
  const ids = [...new Set(followUps.map((d) => d.doc._id))];
  const stored = new Map(await Promise.all(ids.map(async (id) => [id, await storedLeaves(db, id)] as const)));
  const refusals: StampRefusal[] = [];
  for (const { index, doc } of followUps) {
    const references = stored.get(doc._id)!;
    const mine = fixedOf(doc);
    const changed = FOLLOW_UP_FIXED_FIELDS.find((f) => references.some((ref) => ref[f] !== mine[f]));
    if (changed) {
      const first = references.find((ref) => ref[changed] !== mine[changed])!;
      refusals.push({ index, reason: followUpChangeReason(changed, first[changed]) });
    } else if (references.length === 0) {
      references.push(mine); // a new id: its first accepted revision fixes the values
    }
  }
  return refusals;
}

/**
 * Check-then-write must not interleave for the same document, or two revisions with different
 * stamps could both pass the check and be stored as conflicting leaves. Every rule checked
 * against the store is about one document id at a time (stamps, revision trees, conflict
 * deletions), so a batch waits only for the earlier batches that share one of its ids: pushes of
 * different records to one unit run side by side. Queues belong to one server instance
 * (`owner`: its context); what they cannot serialise across instances on one CouchDB is repaired
 * after the write (append-only.ts `settleRivalFirstVersions`, write-rules.ts conflict deletions).
 */
const queuesByOwner = new WeakMap<object, Map<string, Promise<unknown>>>();

export function serialisedFor<T>(owner: object, scope: string, ids: Iterable<string>, work: () => Promise<T>): Promise<T> {
  let queues = queuesByOwner.get(owner);
  if (!queues) queuesByOwner.set(owner, (queues = new Map()));
  const keys = [...new Set(ids)].map((id) => `${scope}\u0000${id}`);
  const before = Promise.all(keys.map((key) => queues.get(key)));
  const next = before.then(work, work);
  const settled = next.catch(() => undefined);
  for (const key of keys) queues.set(key, settled);
  void settled.then(() => {
    for (const key of keys) if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}
