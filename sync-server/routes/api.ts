/**
 * The app's JSON API: sign in, sign out, who am I, health, the holiday calendar.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticateRequest, checkPassword, cookieIsSecure } from '../auth/authenticate.ts';
import { MAX_PASSWORD_LENGTH } from '../auth/passwords.ts';
import { createSession, endSession, SESSION_COOKIE, sessionCookieOptions } from '../auth/sessions.ts';
import { throttledMessage } from '../auth/throttle.ts';
import { LIMITS } from '../config.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { calendarInForce, checkHolidayCalendar, HOLIDAYS_BODY_BYTES, replaceHolidayCalendar } from '../holidays.ts';
import { sessionInfo } from '../users.ts';

const loginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH)
});

/** One message for an unknown name and a wrong password: the answer must not tell them apart. */
export const INVALID_CREDENTIALS_MESSAGE = 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / The user name or password is incorrect.';
const NOT_SIGNED_IN = 'ยังไม่ได้เข้าสู่ระบบ / Not signed in.';
const ADMIN_ONLY = 'เฉพาะผู้ดูแลระบบ / Only an administrator can change the holiday calendar.';

export async function apiRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  app.get('/api/health', async () => ({ status: 'ok', storage: ctx.storage.kind }));

  app.post('/api/session', { bodyLimit: LIMITS.apiBodyBytes }, async (request, reply) => {
    const body = loginBody.safeParse(request.body);
    if (!body.success)
      return sendApiError(reply, 400, 'bad_request', 'ต้องส่งชื่อผู้ใช้และรหัสผ่าน / Send {"username", "password"} as JSON.');
    const check = await checkPassword(ctx, body.data.username, body.data.password, request.ip);
    if (!check.ok && check.status === 429) {
      reply.header('Retry-After', String(check.retryAfterSeconds));
      return sendApiError(reply, 429, 'too_many_attempts', throttledMessage(check.retryAfterSeconds));
    }
    if (!check.ok) return sendApiError(reply, 401, 'invalid_credentials', INVALID_CREDENTIALS_MESSAGE);
    const token = await createSession(ctx.system, check.user.username);
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions({ secure: cookieIsSecure(ctx, request) }));
    return sessionInfo(ctx.system, check.user);
  });

  app.delete('/api/session', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(ctx.system, token);
    reply.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions({ secure: cookieIsSecure(ctx, request) }), maxAge: 0 });
    return reply.code(204).send();
  });

  app.get('/api/me', async (request, reply) => {
    const auth = await authenticateRequest(ctx, request);
    if (auth.ok) return sessionInfo(ctx.system, auth.user);
    if (auth.status === 429) {
      reply.header('Retry-After', String(auth.retryAfterSeconds));
      return sendApiError(reply, 429, 'too_many_attempts', throttledMessage(auth.retryAfterSeconds));
    }
    return sendApiError(reply, 401, 'unauthorized', NOT_SIGNED_IN);
  });

  /** The signed-in user, or the 401 / 429 answer already sent (null). */
  async function signedIn(request: FastifyRequest, reply: FastifyReply) {
    const auth = await authenticateRequest(ctx, request);
    if (auth.ok) return auth.user;
    if (auth.status === 429) {
      reply.header('Retry-After', String(auth.retryAfterSeconds));
      sendApiError(reply, 429, 'too_many_attempts', throttledMessage(auth.retryAfterSeconds));
    } else {
      sendApiError(reply, 401, 'unauthorized', NOT_SIGNED_IN);
    }
    return null;
  }

  // The holiday calendar in force for working-day deadlines (holidays.ts): any signed-in user
  // reads it (the tablets compute due dates offline); only an administrator replaces it.
  app.get('/api/holidays', async (request, reply) => {
    if (!(await signedIn(request, reply))) return reply;
    return calendarInForce(ctx.system);
  });

  app.put('/api/holidays', { bodyLimit: HOLIDAYS_BODY_BYTES }, async (request, reply) => {
    const user = await signedIn(request, reply);
    if (!user) return reply;
    if (user.role !== 'admin') return sendApiError(reply, 403, 'forbidden', ADMIN_ONLY);
    const check = checkHolidayCalendar(request.body);
    if (!check.ok) return sendApiError(reply, 400, 'bad_request', check.message);
    const result = await replaceHolidayCalendar(ctx.system, ctx.audit, user.username, check.holidays);
    if (!result.ok)
      return sendApiError(reply, 409, 'conflict', 'ปฏิทินวันหยุดถูกแก้ไขพร้อมกัน กรุณาโหลดใหม่ / The calendar was changed at the same time by someone else: reload and try again.');
    return result.calendar;
  });
}
