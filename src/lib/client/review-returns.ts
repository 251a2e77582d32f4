/**
 * On the tablet: the records of a person a supervisor sent back with a comment and the officer has
 * not corrected since, read from the unit's replica (the server writes `review` documents into the
 * unit; they arrive with the ordinary pull). Also a watch, so a send-back arriving while the
 * person page is open shows at once.
 */
import { openReturns, type ReviewDoc } from '../domain/review.ts';
import { replicaFor } from './replica.ts';

export type OpenReturn = Pick<ReviewDoc, 'targetId' | 'targetRev' | 'comment' | 'reviewedBy' | 'at'>;

/** The open send-backs of the records of `personIds` (the person and records merged into it). */
export async function returnedRecords(unitId: string, personIds: readonly string[]): Promise<OpenReturn[]> {
  const db = await replicaFor(unitId);
  const wanted = new Set(personIds);
  const { rows } = await db.allDocs({ startkey: 'review:', endkey: 'review:\ufff0', include_docs: true });
  const reviews = rows.flatMap((r) => {
    const doc = r.doc as unknown as ReviewDoc | undefined;
    return doc?.type === 'review' && doc.personId && wanted.has(doc.personId) ? [doc] : [];
  });
  if (reviews.length === 0) return [];
  const targets = [...new Set(reviews.map((r) => r.targetId))];
  const current = await db.allDocs({ keys: targets });
  const revs = new Map(
    current.rows.flatMap((r) => ('value' in r && r.value && !r.value.deleted ? [[r.key, r.value.rev] as const] : []))
  );
  return openReturns(reviews, (id) => revs.get(id)).map(({ targetId, targetRev, comment, reviewedBy, at }) => ({
    targetId,
    targetRev,
    comment,
    reviewedBy,
    at
  }));
}

/** Changes are gathered this long before `onChange` runs: a sync batch brings many at once. */
const GATHER_MS = 250;

/** Calls `onChange` when reviews or reviewable records change in the replica; returns the stop. */
export async function watchReviews(unitId: string, onChange: () => void): Promise<() => void> {
  const db = await replicaFor(unitId);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const feed = db.changes({ since: 'now', live: true }).on('change', (c) => {
    if (!/^(review|care01|followup|care03|care04|noncompliance):/.test(c.id) || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, GATHER_MS);
  });
  return () => {
    clearTimeout(timer);
    feed.cancel();
  };
}
