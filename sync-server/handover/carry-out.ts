/**
 * Carries out the hand-overs officers recorded on their tablets (offline, `handoverrequest:`
 * documents, src/lib/domain/services/handover.ts): when a push has stored one, the server makes
 * the hand-over itself — the same copy, checks and audit as `POST /api/handovers` — and writes
 * the outcome (done, or refused with the reason) as a new revision of the request in the sending
 * unit, which syncs back to the tablet. A request that already has an outcome is left alone, so
 * pushing it again changes nothing. A request whose carrying out failed (a storage error) stays
 * waiting and is carried out again at the next push to its unit and at server start; handOver
 * finishes what the failed attempt left, so the person is copied and audited once.
 */
import { handoverRequestDocSchema, handoverRequestOf, type HandoverRequestDoc } from '../../src/lib/domain/services/handover.ts';
import { recordEvent } from '../audit-events.ts';
import type { ServerContext } from '../context.ts';
import { isNotFound, type DocumentStore, type StoredDoc } from '../storage/port.ts';
import { serialisedFor } from '../sync/followup-stamps.ts';
import { unitDatabaseName } from '../system-db.ts';
import { allUnits, findUser, type UserDoc } from '../users.ts';
import { handOver, type HandoverResult } from './handover.ts';

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

/** Requests read from a unit at a time when looking for the ones still waiting (memory stays bounded). */
const REQUESTS_PER_PAGE = 200;

/**
 * The units known to hold a request not yet carried out, per server instance: filled by the scan
 * at start and by failures, so a push to any other unit costs nothing.
 */
const waitingByServer = new WeakMap<ServerContext, Set<string>>();
const waitingUnits = (ctx: ServerContext) => {
  let units = waitingByServer.get(ctx);
  if (!units) waitingByServer.set(ctx, (units = new Set()));
  return units;
};

/** Whether `unitId` may hold a hand-over request that an earlier attempt failed to carry out. */
export const hasWaitingHandovers = (ctx: ServerContext, unitId: string) => waitingUnits(ctx).has(unitId);

/**
 * Carries out each stored, not yet answered request among `ids` of `unitId`, as `actor` (the
 * officer whose push brought it) or, for a retry, as the officer who recorded it. Every request is
 * tried; one that fails leaves its unit marked as waiting for a retry, and the first failure is
 * thrown after the others were tried. Returns the outcomes written.
 */
export async function carryOutHandoverRequests(
  ctx: ServerContext,
  unitId: string,
  db: DocumentStore,
  actor: UserDoc | 'recorder',
  ids: readonly string[]
): Promise<Array<{ id: string; status: 'done' | 'refused' }>> {
  const written: Array<{ id: string; status: 'done' | 'refused' }> = [];
  let failure: unknown;
  for (const id of new Set(ids)) {
    try {
      const outcome = await carryOutOne(ctx, unitId, db, actor, id);
      if (outcome) written.push({ id, status: outcome });
    } catch (e) {
      waitingUnits(ctx).add(unitId);
      failure ??= e;
    }
  }
  if (failure) throw failure;
  return written;
}

/**
 * After a push to a unit: the hand-over requests it brought, and — when the unit is known to hold
 * requests an earlier attempt failed to carry out — those too.
 */
export async function carryOutAfterPush(
  ctx: ServerContext,
  unitId: string,
  db: DocumentStore,
  user: UserDoc,
  docs: readonly unknown[]
): Promise<void> {
  const ids = handoverRequestIds(docs);
  if (ids.length) await carryOutHandoverRequests(ctx, unitId, db, user, ids);
  if (hasWaitingHandovers(ctx, unitId)) await retryWaitingHandovers(ctx, unitId, db);
}

/** Carries out again every request of the unit that has no outcome yet, as the officer who recorded it. */
export async function retryWaitingHandovers(ctx: ServerContext, unitId: string, db: DocumentStore): Promise<void> {
  // Taken off first: a failure below puts it back, and a push meanwhile does not start a second scan.
  waitingUnits(ctx).delete(unitId);
  try {
    await carryOutHandoverRequests(ctx, unitId, db, 'recorder', await waitingRequestIds(db));
  } catch (e) {
    waitingUnits(ctx).add(unitId);
    throw e;
  }
}

/** The ids of the unit's hand-over requests without an outcome, read by id range page by page. */
async function waitingRequestIds(db: DocumentStore): Promise<string[]> {
  const waiting: string[] = [];
  let startkey = 'handoverrequest:';
  for (;;) {
    const page = await db
      .allDocs({ startkey, endkey: 'handoverrequest:\ufff0', include_docs: true, limit: REQUESTS_PER_PAGE + 1 })
      .catch((e: unknown) => {
        // A unit whose database was never created holds no requests.
        if (isNotFound(e)) return { rows: [] };
        throw e;
      });
    const { rows } = page;
    for (const row of rows.slice(0, REQUESTS_PER_PAGE)) {
      const doc = row.doc as { type?: string; outcome?: unknown } | null | undefined;
      if (row.id && doc?.type === 'handoverrequest' && !doc.outcome) waiting.push(row.id);
    }
    if (rows.length <= REQUESTS_PER_PAGE) return waiting;
    startkey = rows[REQUESTS_PER_PAGE].key;
  }
}

/**
 * At server start: every unit's requests still waiting (a failure, or a server stopped part way)
 * are carried out again. A unit whose scan fails is left marked, so its next push retries.
 */
export async function retryWaitingHandoversAtStart(
  ctx: ServerContext,
  onError: (unitId: string, e: Error) => void
): Promise<void> {
  for (const unit of await allUnits(ctx.system)) {
    const db = ctx.storage.openDatabase(unitDatabaseName(unit.unitId));
    await retryWaitingHandovers(ctx, unit.unitId, db).catch((e: Error) => onError(unit.unitId, e));
  }
}

async function carryOutOne(
  ctx: ServerContext,
  unitId: string,
  db: DocumentStore,
  actor: UserDoc | 'recorder',
  id: string
): Promise<'done' | 'refused' | undefined> {
  // One at a time per request: two pushes of the same request cannot both carry it out.
  return serialisedFor(ctx, `${db.name}\u0000handoverrequest`, [id], async () => {
    const request = await storedRequest(db, id);
    if (!request || request.outcome || request.unitId !== unitId) return undefined;
    const user = actor === 'recorder' ? await findUser(ctx.system, request.createdBy) : actor;
    const result: HandoverResult = user
      ? await handOver(ctx, user, handoverRequestOf(request), id)
      : { ok: false, status: 403, reason: 'ไม่พบบัญชีผู้บันทึกคำขอ / the account that recorded the request no longer exists' };
    const actorName = user?.username ?? request.createdBy;
    const at = new Date().toISOString();
    const answered: HandoverRequestDoc = {
      ...request,
      updatedAt: at,
      updatedBy: actorName,
      outcome: result.ok ? { status: 'done', at } : { status: 'refused', at, reason: result.reason }
    };
    const [row] = await db.bulkDocs([answered as unknown as StoredDoc], { new_edits: true });
    if (row && 'error' in row) {
      // Another server instance answered it first: its outcome is kept.
      const first = await storedRequest(db, id);
      if (first?.outcome) return undefined;
      throw new Error(`the outcome of ${id} could not be stored: ${row.error}`);
    }
    // A done hand-over is audited by handOver itself ('handover'); a refusal is audited here.
    if (!result.ok)
      await recordEvent(ctx.audit, {
        action: 'handover-refused',
        actor: actorName,
        unitId,
        target: `unit:${request.toUnitId}`,
        ids: [id, request.personId],
        why: `status-${result.status}`
      });
    return answered.outcome!.status;
  });
}
