/**
 * Assistance requests over HTTP, for desktop use online (docs/domain/assistance-requests.md: the director
 * approves on a desktop): the duties the signed-in account holds, and one step added to a stored
 * request. The step is checked with the same domain functions as the sync gate (the order of
 * steps, the duty of the step, entries only added) and stamped with the account and the server's
 * time. A supervisor reads a unit (never writes records by replication); this endpoint lets the
 * director of a unit in scope add exactly the director's step, and nothing else.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  CANCEL_REASONS,
  REQUEST_ID,
  REQUEST_STATES,
  REQUEST_TRANSITIONS,
  requestDutiesOf,
  requestRevisionProblem,
  type AssistanceRequestDoc,
  type RequestEntry
} from '../../src/lib/domain/services/assistance-request.ts';
import { checkDoc } from '../../src/lib/domain/validate-doc.ts';
import { UNIT_ID } from '../../src/lib/domain/schemas.ts';
import { recordEvent } from '../audit-events.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { accessToUnit } from '../scope.ts';
import { isNotFound, type StoredDoc } from '../storage/port.ts';
import { serialisedFor } from '../sync/followup-stamps.ts';
import { unitDatabaseName } from '../system-db.ts';

const stepBody = z.strictObject({
  unitId: z.string().regex(UNIT_ID),
  requestId: z.string().regex(REQUEST_ID),
  state: z.enum(REQUEST_STATES.values),
  reason: z.enum(CANCEL_REASONS.values).optional(),
  note: z.string().trim().max(2000).optional()
});

export async function requestRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  app.get('/api/requests/duties', async (request, reply) => {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) return sendAuthFailure(reply, auth, 'api');
    return { duties: requestDutiesOf(auth.user as { role: string; duties?: string[] }) };
  });

  app.post('/api/requests/steps', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) return sendAuthFailure(reply, auth, 'api');
    const body = stepBody.safeParse(request.body);
    if (!body.success)
      return sendApiError(
        reply,
        400,
        'bad_request',
        body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      );
    const { unitId, requestId, state, reason, note } = body.data;
    if ((await accessToUnit(ctx, auth.user, unitId)) === 'none')
      return sendApiError(reply, 403, 'forbidden', 'ไม่มีสิทธิ์เข้าถึงหน่วยงานนี้ / no access to this unit');
    const duties = requestDutiesOf(auth.user as { role: string; duties?: string[] });
    const db = ctx.storage.openDatabase(unitDatabaseName(unitId));
    const result = await serialisedFor(ctx, db.name, [requestId], async () => {
      let stored: AssistanceRequestDoc;
      try {
        stored = (await db.get(requestId)) as unknown as AssistanceRequestDoc;
      } catch (e) {
        if (isNotFound(e)) return { status: 404, message: 'ไม่พบคำร้อง / no such request' };
        throw e;
      }
      const last = stored.history[stored.history.length - 1];
      // The duty of this step among the account's duties (the step table decides which).
      const entryFor = (duty: RequestEntry['duty']): RequestEntry => ({
        state,
        at: new Date().toISOString(),
        by: auth.user.username,
        duty,
        ...(reason && { reason }),
        ...(note && { note })
      });
      const candidates = duties.map(entryFor);
      const now = new Date().toISOString();
      const attempts = candidates.map((entry) => ({
        ...stored,
        history: [...stored.history, entry],
        updatedAt: now,
        updatedBy: auth.user.username
      }));
      const next = attempts.find(
        (doc) =>
          checkDoc(doc, unitId).ok && requestRevisionProblem(stored, doc, { username: auth.user.username, duties }) === null
      );
      if (!next) {
        // Explain with the account's duty that the step table names for this step, if any.
        const stepDuties = REQUEST_TRANSITIONS.filter((t) => t.from === last.state && t.to === state).map((t) => t.duty);
        const first = attempts.find((a) => stepDuties.includes(a.history[a.history.length - 1].duty)) ?? attempts[0];
        const why = first
          ? ((checkDoc(first, unitId) as { reason?: string }).reason ??
            requestRevisionProblem(stored, first, { username: auth.user.username, duties }))
          : null;
        return {
          status: 403,
          message: why ?? `บัญชีนี้ไม่มีหน้าที่ในขั้นตอนคำร้อง / this account holds no duty in the request workflow (now ${last.state})`
        };
      }
      const [row] = await db.bulkDocs([next as unknown as StoredDoc], { new_edits: true });
      if ('error' in row)
        return { status: 409, message: 'คำร้องถูกแก้ไขพร้อมกัน กรุณาโหลดใหม่ / the request changed meanwhile: reload' };
      await recordEvent(ctx.audit, { action: 'request-step', actor: auth.user.username, unitId, target: requestId, why: state });
      return { status: 201, doc: { ...next, _rev: row.rev } };
    });
    if ('doc' in result) return reply.code(201).send(result.doc);
    return sendApiError(
      reply,
      result.status,
      result.status === 404 ? 'not_found' : result.status === 409 ? 'conflict' : 'forbidden',
      result.message
    );
  });
}
