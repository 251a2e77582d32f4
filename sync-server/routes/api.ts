/**
 * The app's JSON API: sign in, sign out, who am I, health, the holiday calendar.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkPasswordPolicy } from '../../src/lib/domain/password-policy.ts';
import { recordEvent } from '../audit-events.ts';
import {
  authenticateRequest,
  callerOf,
  checkPassword,
  cookieIsSecure,
  sendAuthFailure,
  type AuthOptions
} from '../auth/authenticate.ts';
import { rememberSignIn } from '../auth/devices.ts';
import { MAX_PASSWORD_LENGTH } from '../auth/passwords.ts';
import {
  createSession,
  endSession,
  endSessionsWhere,
  resolveSession,
  SESSION_COOKIE,
  sessionCookieOptions,
  sessionIdOfToken
} from '../auth/sessions.ts';
import { sessionView } from '../auth/session-view.ts';
import { KeyedConcurrency, type ConcurrencyLimits } from '../concurrency.ts';
import { LIMITS } from '../config.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { calendarInForce, checkHolidayCalendar, HOLIDAYS_BODY_BYTES, replaceHolidayCalendar } from '../holidays.ts';
import { setPassword, userDocId } from '../users.ts';

export { INVALID_CREDENTIALS_MESSAGE } from '../auth/authenticate.ts';

const loginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH)
});

const passwordChangeBody = z.object({
  current: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  next: z.string().max(MAX_PASSWORD_LENGTH)
});

const ADMIN_ONLY = 'เฉพาะผู้ดูแลระบบ / Only an administrator can change the holiday calendar.';

const SIGN_INS_BUSY =
  'มีการเข้าสู่ระบบจากที่อยู่นี้พร้อมกันมากเกินไป กรุณาลองใหม่ / Too many sign-ins from this address at once: try again shortly.';

export async function apiRoutes(
  app: FastifyInstance,
  {
    ctx,
    signInsPerAddress: signInLimits = LIMITS.signInsPerAddress
  }: { ctx: ServerContext; signInsPerAddress?: ConcurrencyLimits }
) {
  const signInsPerAddress = new KeyedConcurrency(signInLimits);
  app.get('/api/health', async () => ({ status: 'ok', storage: ctx.storage.kind }));

  // Sign-ins from one address take turns (config.ts LIMITS.signInsPerAddress), decided before
  // the body is read: a burst of hundreds is mostly refused without parsing a byte of it.
  const signInTurn = async (request: FastifyRequest, reply: FastifyReply) => {
    if (await signInsPerAddress.takeTurn(request.ip, reply)) return;
    // The connection stays open for the next attempt: a sign-in body is a few hundred bytes,
    // and closing hundreds of connections at once cost more than reading them (bench step 8).
    reply.header('Retry-After', '2');
    return sendApiError(reply, 429, 'too_many_attempts', SIGN_INS_BUSY);
  };

  app.post('/api/session', { bodyLimit: LIMITS.apiBodyBytes, onRequest: signInTurn }, async (request, reply) => {
    const body = loginBody.safeParse(request.body);
    if (!body.success)
      return sendApiError(reply, 400, 'bad_request', 'ต้องส่งชื่อผู้ใช้และรหัสผ่าน / Send {"username", "password"} as JSON.');
    const caller = callerOf(request);
    const check = await checkPassword(ctx, body.data.username, body.data.password, caller);
    if (!check.ok) return sendAuthFailure(reply, check, 'api');
    const { user } = check;
    if (user.disabledAt) {
      await recordEvent(ctx.audit, {
        action: 'sign-in-failed',
        actor: null,
        target: userDocId(user.username),
        why: 'account-disabled',
        ip: caller.ip
      });
      return sendApiError(
        reply,
        403,
        'account_disabled',
        'บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบ / This account has been disabled: contact your administrator.'
      );
    }
    request.account = user.username;
    const token = await createSession(ctx.system, user.username, ctx.sessionSettings, caller.deviceId ?? undefined);
    if (caller.deviceId) await rememberSignIn(ctx.system, caller.deviceId, user.username);
    await recordEvent(ctx.audit, {
      action: 'sign-in',
      actor: user.username,
      ...(caller.deviceId && { target: `device:${caller.deviceId}` }),
      ...(user.mustChangePassword && { why: 'one-time-password' }),
      ip: caller.ip
    });
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions({ secure: cookieIsSecure(ctx, request) }, ctx.sessionSettings));
    return sessionView(ctx, user, await resolveSession(ctx.system, token, ctx.sessionSettings));
  });

  app.delete('/api/session', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await resolveSession(ctx.system, token, ctx.sessionSettings);
      await endSession(ctx.system, token);
      if (session) await recordEvent(ctx.audit, { action: 'sign-out', actor: session.username, ip: request.ip });
    }
    reply.clearCookie(SESSION_COOKIE, {
      ...sessionCookieOptions({ secure: cookieIsSecure(ctx, request) }, ctx.sessionSettings),
      maxAge: 0
    });
    return reply.code(204).send();
  });

  /** The signed-in account, or null with the failure already answered. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply, options: AuthOptions = {}) {
    const auth = await authenticateRequest(ctx, request, options);
    if (auth.ok) return auth;
    sendAuthFailure(reply, auth, 'api');
    return null;
  }

  app.get('/api/me', async (request, reply) => {
    const auth = await signedIn(request, reply, { allowPendingPasswordChange: true });
    if (!auth) return reply;
    return sessionView(ctx, auth.user, auth.session);
  });

  /**
   * The owner changes their password (also the way out of a one-time password). The current
   * password is checked through the throttle like a sign-in; the account's other sessions end.
   */
  app.post('/api/account/password', { bodyLimit: LIMITS.apiBodyBytes }, async (request, reply) => {
    const auth = await signedIn(request, reply, { allowPendingPasswordChange: true });
    if (!auth) return reply;
    const body = passwordChangeBody.safeParse(request.body);
    if (!body.success) {
      const field = String(body.error.issues[0]?.path[0] ?? 'current');
      return reply.code(400).send({
        error: 'bad_request',
        field,
        message: `ต้องส่งรหัสผ่านปัจจุบัน (current) และรหัสผ่านใหม่ (next) / Send {"current", "next"}: ${field} is missing or too long.`
      });
    }
    const caller = callerOf(request);
    const check = await checkPassword(ctx, auth.user.username, body.data.current, caller);
    if (!check.ok) {
      if (check.status === 401)
        return reply.code(401).send({
          error: 'invalid_credentials',
          field: 'current',
          message: 'รหัสผ่านปัจจุบันไม่ถูกต้อง / The current password is incorrect.'
        });
      return sendAuthFailure(reply, check, 'api');
    }
    const verdict = checkPasswordPolicy(body.data.next, 'next', auth.user.username);
    if (!verdict.ok) return reply.code(400).send({ error: 'weak_password', field: 'next', message: verdict.message });
    if (body.data.next === body.data.current)
      return reply.code(400).send({
        error: 'weak_password',
        field: 'next',
        message: 'รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม / The new password must differ from the current one.'
      });
    await setPassword(ctx.system, auth.user.username, body.data.next, false);
    const keep = auth.session?._id ?? sessionIdOfToken(request.cookies[SESSION_COOKIE] ?? '');
    const ended = await endSessionsWhere(ctx.system, (s) => s.username === auth.user.username && s._id !== keep);
    await recordEvent(ctx.audit, {
      action: 'password-change',
      actor: auth.user.username,
      target: userDocId(auth.user.username),
      count: ended,
      ...(auth.user.mustChangePassword && { why: 'one-time-password-replaced' }),
      ip: caller.ip
    });
    return reply.code(204).send();
  });

  // The holiday calendar in force for working-day deadlines (holidays.ts): any signed-in user
  // reads it (the tablets compute due dates offline); only an administrator replaces it.
  app.get('/api/holidays', async (request, reply) => {
    if (!(await signedIn(request, reply))) return reply;
    return calendarInForce(ctx.system);
  });

  app.put('/api/holidays', { bodyLimit: HOLIDAYS_BODY_BYTES }, async (request, reply) => {
    const auth = await signedIn(request, reply);
    if (!auth) return reply;
    const { user } = auth;
    if (user.role !== 'admin') return sendApiError(reply, 403, 'forbidden', ADMIN_ONLY);
    const check = checkHolidayCalendar(request.body);
    if (!check.ok) return sendApiError(reply, 400, 'bad_request', check.message);
    const result = await replaceHolidayCalendar(ctx.system, ctx.audit, user.username, check.holidays);
    if (!result.ok)
      return sendApiError(
        reply,
        409,
        'conflict',
        'ปฏิทินวันหยุดถูกแก้ไขพร้อมกัน กรุณาโหลดใหม่ / The calendar was changed at the same time by someone else: reload and try again.'
      );
    return result.calendar;
  });
}
