/**
 * The administration API under /api/admin/ (administrator role only), a thin HTTP layer over
 * admin/service.ts: units, accounts, sessions, devices, the audit log and its CSV export.
 * Bad input answers 400 `{error:'bad_request', field, message}` with nothing written.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadInput } from '../admin/bad-input.ts';
import * as admin from '../admin/service.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import { recordEvent } from '../audit-events.ts';
import { LIMITS } from '../config.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';

const ADMIN_ONLY = 'เฉพาะผู้ดูแลระบบ / Only an administrator can do this.';

type Params = Record<string, string>;

export async function adminRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  /** Every route: an administrator, or the failure answered. */
  app.addHook('onRequest', async (request, reply) => {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) return sendAuthFailure(reply, auth, 'api');
    if (auth.user.role !== 'admin') return sendApiError(reply, 403, 'forbidden', ADMIN_ONLY);
    request.adminActor = { username: auth.user.username, ip: request.ip };
  });
  app.decorateRequest('adminActor', null);

  /** Runs a service call and answers its errors in the API's shape. */
  const handle =
    (work: (request: FastifyRequest, actor: admin.Actor, reply: FastifyReply) => Promise<unknown>, status = 200) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const result = await work(request, request.adminActor!, reply);
        if (reply.sent) return reply;
        if (result === undefined) return reply.code(204).send();
        return reply.code(status).send(result);
      } catch (e) {
        if (e instanceof BadInput) return reply.code(400).send({ error: 'bad_request', field: e.field, message: e.message });
        if (e instanceof admin.NotFound) return reply.code(404).send({ error: 'not_found', field: e.field, message: e.message });
        throw e;
      }
    };
  const opts = { bodyLimit: LIMITS.apiBodyBytes };
  const p = (r: FastifyRequest) => r.params as Params;

  app.get(
    '/api/admin/units',
    handle(async () => admin.listUnitNodes(ctx))
  );
  app.post(
    '/api/admin/units',
    opts,
    handle(async (r, actor) => admin.addUnit(ctx, actor, r.body), 201)
  );
  app.patch(
    '/api/admin/units/:unitId',
    opts,
    handle(async (r, actor) => admin.editUnit(ctx, actor, p(r).unitId, r.body))
  );
  app.post(
    '/api/admin/units/:unitId/close',
    opts,
    handle(async (r, actor) => admin.setUnitClosed(ctx, actor, p(r).unitId, true, r.body))
  );
  app.post(
    '/api/admin/units/:unitId/reopen',
    opts,
    handle(async (r, actor) => admin.setUnitClosed(ctx, actor, p(r).unitId, false, r.body))
  );

  app.get(
    '/api/admin/accounts',
    handle(async () => admin.listAccounts(ctx))
  );
  app.post(
    '/api/admin/accounts',
    opts,
    handle(async (r, actor) => admin.addAccount(ctx, actor, r.body), 201)
  );
  app.patch(
    '/api/admin/accounts/:username',
    opts,
    handle(async (r, actor) => admin.editAccount(ctx, actor, p(r).username, r.body))
  );
  app.post(
    '/api/admin/accounts/:username/disable',
    opts,
    handle(async (r, actor) => admin.setAccountDisabled(ctx, actor, p(r).username, true, r.body))
  );
  app.post(
    '/api/admin/accounts/:username/enable',
    opts,
    handle(async (r, actor) => admin.setAccountDisabled(ctx, actor, p(r).username, false, r.body))
  );
  app.post(
    '/api/admin/accounts/:username/reset-password',
    opts,
    handle(async (r, actor) => admin.resetPassword(ctx, actor, p(r).username, r.body))
  );
  app.post(
    '/api/admin/accounts/:username/unlock',
    opts,
    handle(async (r, actor) => admin.unlockAccount(ctx, actor, p(r).username, r.body))
  );
  app.post(
    '/api/admin/accounts/:username/revoke-sessions',
    opts,
    handle(async (r, actor) => ({ ended: await admin.revokeSessionsOf(ctx, actor, { username: p(r).username }, r.body) }))
  );

  app.get(
    '/api/admin/sessions',
    handle(async (r) => {
      const q = r.query as Params;
      return admin.listSessionViews(ctx, { username: q.username || undefined, deviceId: q.deviceId || undefined });
    })
  );
  app.post(
    '/api/admin/sessions/:sessionId/revoke',
    opts,
    handle(async (r, actor) => admin.revokeSession(ctx, actor, p(r).sessionId, r.body))
  );

  app.get(
    '/api/admin/devices',
    handle(async () => admin.listDeviceViews(ctx))
  );
  app.post(
    '/api/admin/devices/:deviceId/lost',
    opts,
    handle(async (r, actor) => admin.markLost(ctx, actor, p(r).deviceId, r.body))
  );
  app.post(
    '/api/admin/devices/:deviceId/revoke-sessions',
    opts,
    handle(async (r, actor) => ({ ended: await admin.revokeSessionsOf(ctx, actor, { deviceId: p(r).deviceId }, r.body) }))
  );

  app.get(
    '/api/admin/audit',
    handle(async (r) => admin.queryAudit(ctx, r.query))
  );
  app.get(
    '/api/admin/audit.csv',
    handle(async (r, actor, reply) => {
      const { rows } = await admin.queryAudit(ctx, r.query);
      // The export itself is a read of the audit log: recorded, with how many entries left.
      await recordEvent(ctx.audit, {
        action: 'export',
        actor: actor.username,
        target: 'audit-log',
        count: rows.length,
        ip: actor.ip
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="care-field-audit-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(admin.auditCsv(rows));
    })
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    adminActor: import('../admin/service.ts').Actor | null;
  }
}
