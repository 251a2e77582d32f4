/**
 * HTTP surface of the partner-agency catalog: any signed-in account reads it (tablets keep a copy
 * and search it offline); only an administrator edits it, one edit at a time on top of the
 * version the screen showed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { catalogEditSchema } from '../../src/lib/domain/services/catalog.ts';
import { describeZodError } from '../../src/lib/domain/validate-doc.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { catalogInForce, editCatalog } from './store.ts';

/** One edit is small: an office with its address is well under this. */
const EDIT_BODY_BYTES = 32 * 1024;

const editBody = z.strictObject({ version: z.string().min(1).max(100), edit: z.unknown() });

const ADMIN_ONLY = 'เฉพาะผู้ดูแลระบบแก้ไขรายชื่อหน่วยงานเครือข่ายได้ / Only an administrator can edit the partner-agency catalog.';

export async function catalogRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  async function account(request: FastifyRequest, reply: FastifyReply) {
    const auth = await authenticateRequest(ctx, request);
    if (auth.ok) return auth.user;
    sendAuthFailure(reply, auth, 'api');
    return null;
  }

  app.get('/api/catalog', async (request, reply) => {
    if (!(await account(request, reply))) return reply;
    return catalogInForce(ctx.system);
  });

  app.post('/api/catalog/edits', { bodyLimit: EDIT_BODY_BYTES }, async (request, reply) => {
    const user = await account(request, reply);
    if (!user) return reply;
    if (user.role !== 'admin') return sendApiError(reply, 403, 'forbidden', ADMIN_ONLY);
    const body = editBody.safeParse(request.body);
    if (!body.success)
      return sendApiError(reply, 400, 'bad_request', 'ส่ง {"version", "edit"} / send {"version", "edit"} as JSON');
    const edit = catalogEditSchema.safeParse(body.data.edit);
    if (!edit.success) return sendApiError(reply, 400, 'bad_request', describeZodError(edit.error));
    const result = await editCatalog(ctx.system, ctx.audit, user.username, edit.data, body.data.version);
    if (!result.ok) return sendApiError(reply, result.status, result.status === 409 ? 'conflict' : 'bad_request', result.reason);
    return result.inForce;
  });
}
