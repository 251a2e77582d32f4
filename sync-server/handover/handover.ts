/**
 * Release hand-over on the server (the ownership rule is in src/lib/domain/services/handover.ts):
 * copies exactly the person's documents from the sending unit to the receiving probation office
 * (same ids and revision histories), passes the person document to the office, writes the
 * hand-over record in both units and audits it. Runs inside the sending unit's write queue, so no
 * write about the person can slip in between the copy and the freeze.
 */
import { consentProblem, type ConsentSource } from '../../src/lib/domain/services/consent.ts';
import {
  handoverIdOf,
  handoverUnitsProblem,
  MAX_HANDOVER_DOCS,
  type HandoverDoc,
  type HandoverRequest
} from '../../src/lib/domain/services/handover.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import { recordEvent, recordEventOnce } from '../audit-events.ts';
import type { ServerContext } from '../context.ts';
import { accessToUnit } from '../scope.ts';
import { isNotFound, type DocumentStore, type StoredDoc } from '../storage/port.ts';
import { serialisedFor } from '../sync/followup-stamps.ts';
import { unitDatabaseName } from '../system-db.ts';
import { findUnit, findUnits, type UserDoc } from '../users.ts';

export type HandoverResult =
  { ok: true; handover: HandoverDoc } | { ok: false; status: 403 | 404 | 409 | 400 | 413; reason: string };

async function getOrNull(db: DocumentStore, id: string): Promise<StoredDoc | null> {
  try {
    return (await db.get(id)) as StoredDoc;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** The ids of the person's documents in a unit: the person's own first, then what names them. */
async function documentIdsOf(db: DocumentStore, personId: string): Promise<string[]> {
  const { rows } = await db.allDocs({ include_docs: true });
  const ids = rows.flatMap((row) => {
    const doc = row.doc as StoredDoc | undefined;
    // The hand-over records and requests are the sending unit's own account of the move, not the person's history.
    if (!doc || doc._deleted || doc._id === personId || doc.type === 'handover' || doc.type === 'handoverrequest') return [];
    return doc.personId === personId ? [doc._id] : [];
  });
  return [personId, ...ids.sort()];
}

/**
 * Hands the person over. `requestId` names the tablet's request being carried out: a hand-over
 * that failed part way (a storage error) is then finished by carrying the same request out again
 * — every step first looks whether an earlier attempt for this request already made it — and
 * answers done rather than "already handed over". The sending unit's record is written last, so
 * its presence means every step is done.
 */
export async function handOver(
  ctx: ServerContext,
  user: UserDoc,
  request: HandoverRequest,
  requestId?: string
): Promise<HandoverResult> {
  if ((await accessToUnit(ctx, user, request.fromUnitId)) !== 'write')
    return { ok: false, status: 403, reason: 'ท่านไม่มีสิทธิ์บันทึกในหน่วยงานนี้ / you cannot write in this unit' };
  const problem = handoverUnitsProblem(request.fromUnitId, await findUnit(ctx.system, request.toUnitId));
  if (problem) return { ok: false, status: 400, reason: problem };
  const from = ctx.storage.openDatabase(unitDatabaseName(request.fromUnitId));
  const to = ctx.storage.openDatabase(unitDatabaseName(request.toUnitId));
  const sameAttempt = (doc: StoredDoc | null): doc is StoredDoc =>
    !!doc && doc.type === 'handover' && doc.fromUnitId === request.fromUnitId && doc.requestId === requestId;

  return serialisedFor(ctx, from.name, [request.personId, handoverIdOf(request.personId)], async (): Promise<HandoverResult> => {
    const handoverId = handoverIdOf(request.personId);
    const sent = await getOrNull(from, handoverId);
    if (sent && requestId && sameAttempt(sent)) return { ok: true, handover: sent as unknown as HandoverDoc };
    if (sent) return { ok: false, status: 409, reason: 'บุคคลนี้ส่งต่อไปแล้ว / this person was already handed over' };
    if (!(await getOrNull(from, request.personId)))
      return { ok: false, status: 404, reason: 'ไม่พบบุคคลนี้ในหน่วยงาน / this person is not in the unit' };
    const basisId = request.consent.basis === 'care01' ? request.consent.care01Id : request.consent.consentId;
    const source = (await getOrNull(from, basisId)) as unknown as ConsentSource | null;
    const refused = consentProblem('handover', request.personId, request.releasedOn, request.consent, source ?? undefined);
    if (refused) return { ok: false, status: 400, reason: refused };

    const ids = await documentIdsOf(from, request.personId);
    if (ids.length > MAX_HANDOVER_DOCS)
      return {
        ok: false,
        status: 413,
        reason: `บันทึกของบุคคลนี้เกิน ${MAX_HANDOVER_DOCS} รายการ / more than ${MAX_HANDOVER_DOCS} records`
      };
    // An office record of another attempt (another request, or another unit) is not ours to finish.
    const received = await getOrNull(to, handoverId);
    if (received && !sameAttempt(received))
      return { ok: false, status: 409, reason: 'บุคคลนี้ส่งต่อไปแล้ว / this person was already handed over' };

    // Winning revisions with their histories: the office stores the very same revisions.
    const { results } = await from.bulkGet({ docs: ids.map((id) => ({ id })) }, { revs: true });
    const copies = results.flatMap((r) => r.docs.flatMap((d) => ('ok' in d ? [d.ok] : [])));
    const person = copies.find((d) => d._id === request.personId)!;
    // Once passed, the office's person document is the office's: copying a later revision of the
    // prison's over it would open a conflict, so an earlier attempt's pass is kept as it is.
    const passedAlready = await passedTo(to, request);
    const toCopy = passedAlready ? copies.filter((d) => d._id !== request.personId) : copies;
    const failed = (await to.bulkDocs(toCopy, { new_edits: false })).filter((row) => 'error' in row);
    if (failed.length) throw new Error(`hand-over copy failed for ${failed.length} documents`);

    // The moment of the hand-over is the first attempt's (kept in the office's record).
    const now = typeof received?.createdAt === 'string' ? received.createdAt : new Date().toISOString();
    if (!passedAlready) {
      const { _revisions, ...personBody } = person;
      void _revisions;
      const passed = await to.bulkDocs([{ ...personBody, unitId: request.toUnitId, updatedAt: now, updatedBy: user.username }], {
        new_edits: true
      });
      // A conflict here is another attempt (another server instance) that passed it first.
      if ('error' in passed[0] && !(await passedTo(to, request)))
        throw new Error('hand-over could not pass the person document to the office');
    }

    const record = (unitId: string): HandoverDoc => ({
      _id: handoverId,
      type: 'handover',
      unitId,
      schemaVersion: SCHEMA_VERSION,
      createdAt: now,
      createdBy: user.username,
      updatedAt: now,
      updatedBy: user.username,
      personId: request.personId,
      fromUnitId: request.fromUnitId,
      toUnitId: request.toUnitId,
      releasedOn: request.releasedOn,
      reason: request.reason,
      consent: request.consent,
      handedOverBy: user.username,
      documentIds: ids,
      ...(requestId && { requestId })
    });
    // The moment the office's record holds (the first attempt's, or another instance's that wrote it first) names the audit entry.
    const moment = received ? now : await writeRecord(to, record(request.toUnitId), request);
    const event = {
      action: 'handover',
      actor: user.username,
      unitId: request.fromUnitId,
      target: `unit:${request.toUnitId}`,
      count: ids.length,
      ids
    };
    if (requestId) await recordEventOnce(ctx.audit, event, new Date(moment), requestId);
    else await recordEvent(ctx.audit, event);
    await writeRecord(from, record(request.fromUnitId), request);
    return { ok: true, handover: record(request.fromUnitId) };
  });
}

/** Whether the office's copy of the person already passed to the office (an earlier attempt did it). */
async function passedTo(to: DocumentStore, request: HandoverRequest): Promise<boolean> {
  const person = await getOrNull(to, request.personId);
  return person?.unitId === request.toUnitId;
}

/**
 * Writes a hand-over record; one already there for the same request (another instance's) is as
 * good. Returns the moment (`createdAt`) of the record stored.
 */
async function writeRecord(db: DocumentStore, record: HandoverDoc, request: HandoverRequest): Promise<string> {
  const [row] = await db.bulkDocs([record as unknown as StoredDoc], { new_edits: true });
  if (!row || !('error' in row)) return record.createdAt;
  const there = await getOrNull(db, record._id);
  if (there?.fromUnitId === request.fromUnitId && there.requestId === record.requestId && typeof there.createdAt === 'string')
    return there.createdAt;
  throw new Error(`the hand-over record could not be written in ${db.name}: ${row.error}`);
}

/**
 * The probation offices a person can be handed over to (names of units: not personal data).
 * Reads the ids without a key range: a startkey/endkey range returns no rows through the CouchDB
 * adapter and its stand-in (reported), so the unit ids are picked from the full id list.
 */
export async function handoverTargets(ctx: ServerContext): Promise<Array<{ id: string; name: { th: string; en: string } }>> {
  const { rows } = await ctx.system.allDocs({});
  const unitIds = rows.flatMap((row) => (row.id?.startsWith('unit:') ? [row.id.slice('unit:'.length)] : []));
  const units = await findUnits(ctx.system, unitIds);
  return units.filter((u) => u.kind === 'probation-office').map((u) => ({ id: u.unitId, name: u.name }));
}
