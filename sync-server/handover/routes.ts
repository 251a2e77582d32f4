/**
 * HTTP surface of the release hand-over: the probation offices to choose from, and the hand-over
 * itself (an officer of the sending unit; the person's consent to hand over must be recorded).
 */
import type { FastifyInstance } from 'fastify';
import { handoverRequestSchema } from '../../src/lib/domain/services/handover.ts';
import { describeZodError } from '../../src/lib/domain/validate-doc.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { retryWaitingHandoversAtStart } from './carry-out.ts';
import { handOver, handoverTargets } from './handover.ts';

const BODY_BYTES = 16 * 1024;

export async function handoverRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  // Requests left waiting by a failure or a stop are carried out again once the server is up, in
  // the background (start is not held); closing waits for the scan so the store is not shut under it.
  let startScan: Promise<void> = Promise.resolve();
  app.addHook('onReady', async () => {
    startScan = retryWaitingHandoversAtStart(ctx, (unitId, e) =>
      app.log.error({ unitId, err: e.message }, 'waiting hand-over requests not carried out at start')
    ).catch((e: Error) => app.log.error({ err: e.message }, 'waiting hand-over requests could not be listed at start'));
  });
  app.addHook('onClose', async () => startScan);

  app.get('/api/handover-targets', async (request, reply) => {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) return sendAuthFailure(reply, auth, 'api');
    return handoverTargets(ctx);
  });

  app.post('/api/handovers', { bodyLimit: BODY_BYTES }, async (request, reply) => {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) return sendAuthFailure(reply, auth, 'api');
    const body = handoverRequestSchema.safeParse(request.body);
    if (!body.success) return sendApiError(reply, 400, 'bad_request', describeZodError(body.error));
    const result = await handOver(ctx, auth.user, body.data);
    if (!result.ok) return sendApiError(reply, result.status, result.status === 403 ? 'forbidden' : 'bad_request', result.reason);
    return reply.code(201).send(result.handover);
  });
}
