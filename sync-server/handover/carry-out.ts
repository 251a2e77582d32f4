/**
 * Carries out the hand-overs officers recorded on their tablets (offline, `handoverrequest:`
 * documents, src/lib/domain/services/handover.ts): when a push has stored one, the server makes
 * the hand-over itself — the same copy, checks and audit as `POST /api/handovers` — and writes
 * the outcome (done, or refused with the reason) as a new revision of the request in the sending
 * unit, which syncs back to the tablet. A request that already has an outcome is left alone, so
 * pushing it again changes nothing.
 */
import { handoverRequestDocSchema, handoverRequestOf, type HandoverRequestDoc } from '../../src/lib/domain/services/handover.ts';
import { recordEvent } from '../audit-events.ts';
import type { ServerContext } from '../context.ts';
import { isNotFound, type DocumentStore, type StoredDoc } from '../storage/port.ts';
import { serialisedFor } from '../sync/followup-stamps.ts';
import type { UserDoc } from '../users.ts';
import { handOver } from './handover.ts';

/** The ids of the hand-over requests among the documents of a push. */
export function handoverRequestIds(docs: readonly unknown[]): string[] {
  return docs.flatMap((d) => {
    const doc = d as { _id?: unknown; type?: unknown } | null;
    return doc && doc.type === 'handoverrequest' && typeof doc._id === 'string' ? [doc._id] : [];
  });
}

async function storedRequest(db: DocumentStore, id: string): Promise<HandoverRequestDoc | undefined> {
  try {
    const parsed = handoverRequestDocSchema.safeParse(await db.get(id));
    return parsed.success ? parsed.data : undefined;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Carries out each stored, not yet answered request among `ids` of `unitId`, as `user` (the
 * officer whose push brought it). Returns the outcomes written.
 */
export async function carryOutHandoverRequests(
  ctx: ServerContext,
  unitId: string,
  db: DocumentStore,
  user: UserDoc,
  ids: readonly string[]
): Promise<Array<{ id: string; status: 'done' | 'refused' }>> {
  const written: Array<{ id: string; status: 'done' | 'refused' }> = [];
  for (const id of new Set(ids)) {
    // One at a time per request: two pushes of the same request cannot both carry it out.
    const outcome = await serialisedFor(ctx, `${db.name}\u0000handoverrequest`, [id], async () => {
      const request = await storedRequest(db, id);
      if (!request || request.outcome || request.unitId !== unitId) return undefined;
      const result = await handOver(ctx, user, handoverRequestOf(request));
      const at = new Date().toISOString();
      const answered: HandoverRequestDoc = {
        ...request,
        updatedAt: at,
        updatedBy: user.username,
        outcome: result.ok ? { status: 'done', at } : { status: 'refused', at, reason: result.reason }
      };
      const [row] = await db.bulkDocs([answered as unknown as StoredDoc], { new_edits: true });
      if (row && 'error' in row) throw new Error(`the outcome of ${id} could not be stored: ${row.error}`);
      // A done hand-over is audited by handOver itself ('handover'); a refusal is audited here.
      if (!result.ok)
        await recordEvent(ctx.audit, {
          action: 'handover-refused',
          actor: user.username,
          unitId,
          target: `unit:${request.toUnitId}`,
          ids: [id, request.personId],
          why: `status-${result.status}`
        });
      return answered.outcome!.status;
    });
    if (outcome) written.push({ id, status: outcome });
  }
  return written;
}
