/**
 * The review queue API for supervisors (desktop, online): the records of each unit in scope that
 * wait for review, any one of them read-only, and the supervisor's decision (reviewed, or sent
 * back with a comment), which the server writes as a `review` document into the unit database so
 * that it replicates to the unit's tablets. Supervisors cannot write through replication, and
 * tablets cannot write reviews (the type is not a replicated one), so this is the only way in.
 * The queue and the review history come from the unit's reporting projection (the same follower
 * of the changes feed as the KPIs), with as of when it was read and whether it is stale.
 * Every read and every decision is audited by id only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { uuid } from '../../src/lib/domain/ids.ts';
import { isReviewableId, MAX_REVIEW_COMMENT, REVIEW_STATES, reviewSchema } from '../../src/lib/domain/review.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import { recordEvent } from '../audit-events.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { accessToUnit, unitsInScope } from '../scope.ts';
import { reportServiceOf } from '../reports/shared-service.ts';
import { isNotFound, type StoredDoc } from '../storage/port.ts';
import { unitDatabaseName } from '../system-db.ts';
import { findUnits, type UserDoc } from '../users.ts';

/** The most queue entries one answer carries (the oldest first; `total` says how many wait). */
export const MAX_QUEUE_PAGE = 500;

const NOT_A_SUPERVISOR = 'เฉพาะผู้บังคับบัญชาตรวจระเบียนได้ / Only a supervisor can review records.';
const OUT_OF_SCOPE = 'ไม่มีสิทธิ์ดูหน่วยงานนี้ / This unit is not in your scope.';
const NOT_FOUND = 'ไม่พบระเบียน / No such record.';
const STALE = 'ระเบียนถูกแก้ไขแล้ว โปรดเปิดใหม่ / The record changed since you opened it: open it again.';

const queueQuery = z.strictObject({
  unit: z.string().max(64, 'unit: ไม่ถูกต้อง / unit: not valid').optional(),
  limit: z.coerce
    .number({ message: 'limit: ตัวเลข / limit: a number' })
    .int()
    .min(1, `limit: 1–${MAX_QUEUE_PAGE}`)
    .max(MAX_QUEUE_PAGE, `limit: 1–${MAX_QUEUE_PAGE}`)
    .default(100)
});

const decisionBody = z.strictObject({
  rev: z
    .string({ message: 'rev: ต้องระบุรุ่นของระเบียนที่ตรวจ / rev: the revision you reviewed is required' })
    .regex(/^\d+-[0-9a-f]{1,64}$/, 'rev: ไม่ใช่รุ่นของระเบียน / rev: not a revision'),
  state: z.enum(REVIEW_STATES, { message: 'state: reviewed หรือ returned / state: reviewed or returned' }),
  comment: z
    .string({ message: 'comment: ข้อความ / comment: text' })
    .max(
      MAX_REVIEW_COMMENT,
      `comment: ยาวเกิน ${MAX_REVIEW_COMMENT} ตัวอักษร / comment: longer than ${MAX_REVIEW_COMMENT} characters`
    )
    .default('')
});

export async function reviewRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  const service = reportServiceOf(app, ctx);

  /** The signed-in supervisor and the units they may read, or null with the answer already sent. */
  async function supervisor(request: FastifyRequest, reply: FastifyReply): Promise<{ user: UserDoc; units: string[] } | null> {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) {
      sendAuthFailure(reply, auth, 'api');
      return null;
    }
    if (auth.user.role !== 'supervisor') {
      sendApiError(reply, 403, 'forbidden', NOT_A_SUPERVISOR);
      return null;
    }
    const units: string[] = [];
    for (const u of await unitsInScope(ctx, auth.user)) if ((await accessToUnit(ctx, auth.user, u)) !== 'none') units.push(u);
    return { user: auth.user, units };
  }

  function parse<T extends z.ZodType>(schema: T, input: unknown, reply: FastifyReply): z.infer<T> | null {
    const result = schema.safeParse(input ?? {});
    if (result.success) return result.data;
    sendApiError(reply, 400, 'bad_request', result.error.issues.map((i) => i.message).join('; '));
    return null;
  }

  const unitDb = (unitId: string) => ctx.storage.openDatabase(unitDatabaseName(unitId));

  /** The record `id` of `unit`, checked for scope; null with the answer sent. */
  async function recordInScope(request: FastifyRequest, reply: FastifyReply, who: { units: string[] }) {
    const { unit, id } = request.params as { unit: string; id: string };
    if (!who.units.includes(unit)) {
      sendApiError(reply, 403, 'forbidden', OUT_OF_SCOPE);
      return null;
    }
    if (!isReviewableId(id)) {
      sendApiError(reply, 404, 'not_found', NOT_FOUND);
      return null;
    }
    try {
      const doc = (await unitDb(unit).get(id)) as StoredDoc;
      return { unit, doc };
    } catch (e) {
      if (!isNotFound(e)) throw e;
      sendApiError(reply, 404, 'not_found', NOT_FOUND);
      return null;
    }
  }

  app.get('/api/review/queue', async (request, reply) => {
    const who = await supervisor(request, reply);
    if (!who) return reply;
    const q = parse(queueQuery, request.query, reply);
    if (!q) return reply;
    if (q.unit !== undefined && !who.units.includes(q.unit)) return sendApiError(reply, 403, 'forbidden', OUT_OF_SCOPE);
    const units = q.unit ? [q.unit] : who.units;
    const names = new Map((await findUnits(ctx.system, units)).map((u) => [u.unitId, u.name]));
    const stale = await service.catchUp(units);
    const answer = [];
    for (const unitId of units) {
      const projection = service.projection(unitId);
      const queue = projection.review.queue();
      const page = queue.slice(0, q.limit);
      answer.push({
        unitId,
        name: names.get(unitId) ?? { th: unitId, en: unitId },
        // As of when the unit's feed was read; stale when the catch-up did not reach its end in time.
        projection: projection.state(),
        stale: stale.has(unitId),
        total: queue.length,
        entries: page.map(({ record, lastReview }) => ({
          id: record._id,
          rev: record._rev,
          type: record.type,
          personId: record.personId ?? null,
          updatedAt: record.updatedAt ?? null,
          updatedBy: record.updatedBy ?? null,
          lastReview: lastReview
            ? {
                state: lastReview.state,
                comment: lastReview.comment,
                reviewedBy: lastReview.reviewedBy,
                at: lastReview.at,
                rev: lastReview.targetRev
              }
            : null
        }))
      });
      await recordEvent(ctx.audit, {
        action: 'read-report',
        actor: who.user.username,
        unitId,
        target: 'review-queue',
        count: page.length,
        ip: request.ip
      });
    }
    return { units: answer };
  });

  app.get('/api/review/:unit/:id', async (request, reply) => {
    const who = await supervisor(request, reply);
    if (!who) return reply;
    const found = await recordInScope(request, reply, who);
    if (!found) return reply;
    await recordEvent(ctx.audit, {
      action: 'read-record',
      actor: who.user.username,
      unitId: found.unit,
      target: 'review',
      count: 1,
      ids: [found.doc._id],
      ip: request.ip
    });
    // The person's id card line of the record, read with it so the page says whose record it is.
    const personId = typeof found.doc.personId === 'string' ? found.doc.personId : null;
    let person: StoredDoc | null = null;
    if (personId) {
      try {
        person = (await unitDb(found.unit).get(personId)) as StoredDoc;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const stale = await service.catchUp([found.unit]);
    const projection = service.projection(found.unit);
    const history = projection.review.reviewsOf(found.doc._id);
    return {
      unitId: found.unit,
      projection: projection.state(),
      stale: stale.has(found.unit),
      record: found.doc,
      person: person
        ? {
            _id: person._id,
            title: person.title,
            titleOther: person.titleOther,
            firstName: person.firstName,
            lastName: person.lastName,
            prisonerId: person.prisonerId
          }
        : null,
      reviews: history.map(({ state, comment, reviewedBy, at, targetRev }) => ({
        state,
        comment,
        reviewedBy,
        at,
        rev: targetRev
      }))
    };
  });

  app.post('/api/review/:unit/:id', async (request, reply) => {
    const who = await supervisor(request, reply);
    if (!who) return reply;
    const body = parse(decisionBody, request.body, reply);
    if (!body) return reply;
    const found = await recordInScope(request, reply, who);
    if (!found) return reply;
    if (found.doc._rev !== body.rev) return sendApiError(reply, 409, 'conflict', STALE);
    const review = reviewSchema.safeParse({
      _id: `review:${uuid()}`,
      type: 'review',
      unitId: found.unit,
      schemaVersion: SCHEMA_VERSION,
      targetId: found.doc._id,
      targetRev: body.rev,
      ...(typeof found.doc.personId === 'string' && { personId: found.doc.personId }),
      state: body.state,
      comment: body.comment.trim(),
      reviewedBy: who.user.username,
      at: new Date().toISOString()
    });
    if (!review.success) return sendApiError(reply, 400, 'bad_request', review.error.issues.map((i) => i.message).join('; '));
    const written = await unitDb(found.unit).put(review.data as StoredDoc);
    // A decision is a write to the unit's data outside replication: audited as such, ids only.
    await recordEvent(ctx.audit, {
      action: `review-${body.state}`,
      actor: who.user.username,
      unitId: found.unit,
      target: found.doc._id,
      count: 1,
      ids: [written.id, found.doc._id],
      ip: request.ip
    });
    return reply.code(201).send({ id: written.id, rev: written.rev, state: body.state });
  });
}
