/**
 * Who is asking: a session cookie (the app) or HTTP Basic (PouchDB clients given
 * `auth: {username, password}`, scripts). Both check the same accounts, go through the same
 * throttle (throttle.ts) and the same account checks: a disabled account is refused at its
 * next request whichever it uses, and an account with a one-time password may only change it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordEvent } from '../audit-events.ts';
import type { ServerContext } from '../context.ts';
import { findUser, normaliseUsername, userDocId, type UserDoc } from '../users.ts';
import { deviceIdOf, isKnownDevice } from './devices.ts';
import { QueueFull } from './hash-queue.ts';
import { MAX_PASSWORD_LENGTH, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { endSessionsWhere, resolveSession, SESSION_COOKIE, type SessionDoc } from './sessions.ts';
import { throttledMessage } from './throttle.ts';

export interface AuthFailure {
  ok: false;
  status: 401 | 403 | 429;
  error:
    | 'unauthorized'
    | 'session_expired'
    | 'invalid_credentials'
    | 'account_disabled'
    | 'password_change_required'
    | 'too_many_attempts';
  message: string;
  retryAfterSeconds?: number;
}

export type PasswordCheck = { ok: true; user: UserDoc } | AuthFailure;

/** One message for an unknown name and a wrong password: the answer must not tell them apart. */
export const INVALID_CREDENTIALS_MESSAGE = 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / The user name or password is incorrect.';
const DISABLED_MESSAGE = 'บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบ / This account has been disabled: contact your administrator.';
const CHANGE_REQUIRED_MESSAGE = 'ต้องเปลี่ยนรหัสผ่านชั่วคราวก่อนใช้งาน / Change the one-time password before doing anything else.';
const NOT_SIGNED_IN = 'ยังไม่ได้เข้าสู่ระบบ / Not signed in.';
const SESSION_EXPIRED = 'หมดเวลาการเข้าสู่ระบบ กรุณาเข้าสู่ระบบใหม่ / The session has ended: sign in again.';
const BUSY_MESSAGE = 'ระบบกำลังตรวจรหัสผ่านจำนวนมาก กรุณาลองใหม่ / Too many sign-ins at once: try again in a moment.';

const failure = (
  status: AuthFailure['status'],
  error: AuthFailure['error'],
  message: string,
  retryAfterSeconds?: number
): AuthFailure => ({
  ok: false,
  status,
  error,
  message,
  ...(retryAfterSeconds !== undefined && { retryAfterSeconds })
});

export interface Caller {
  ip: string;
  deviceId: string | null;
}
export const callerOf = (request: FastifyRequest): Caller => ({ ip: request.ip, deviceId: deviceIdOf(request) });

/**
 * Throttle first (a refused attempt gets no answer about its password and costs no hash), then
 * scrypt in its queue. Failures and lock-outs are audited; successes by the caller, which knows
 * whether this was a sign-in or a replication request.
 */
export async function checkPassword(
  ctx: ServerContext,
  username: string,
  password: string,
  caller: Caller
): Promise<PasswordCheck> {
  const name = normaliseUsername(username).slice(0, 100);
  const knownDevice = (await isKnownDevice(ctx.system, caller.deviceId, name)) ? caller.deviceId : null;
  const reservation = ctx.throttle.reserve(name, caller.ip, knownDevice);
  if (!reservation.allowed)
    return failure(429, 'too_many_attempts', throttledMessage(reservation.retryAfterSeconds), reservation.retryAfterSeconds);
  const { ticket } = reservation;
  const user = await findUser(ctx.system, name);
  let valid: boolean;
  try {
    valid =
      user && password.length <= MAX_PASSWORD_LENGTH
        ? await verifyPassword(password, user.passwordHash)
        : await verifyAgainstDummy(password);
  } catch (e) {
    if (!(e instanceof QueueFull)) throw e;
    ctx.throttle.cancel(ticket); // nothing was checked
    return failure(429, 'too_many_attempts', BUSY_MESSAGE, 1);
  }
  if (!valid || !user) {
    // An unknown name is not recorded: people type their password into the name field.
    const target = user ? userDocId(user.username) : undefined;
    await recordEvent(ctx.audit, { action: 'sign-in-failed', actor: null, target, why: 'wrong-password', ip: caller.ip });
    if (ctx.throttle.startedWaiting(ticket))
      await recordEvent(ctx.audit, {
        action: 'lockout',
        actor: null,
        target,
        why: knownDevice ? 'known-device' : 'backoff',
        ip: caller.ip
      });
    return failure(401, 'invalid_credentials', INVALID_CREDENTIALS_MESSAGE);
  }
  ctx.throttle.succeeded(ticket);
  return { ok: true, user };
}

export function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Successful Basic checks, remembered briefly so honest replication (a request every few
 * seconds) does not hash per request. Keyed by a hash of name and password with a per-process
 * random pepper; valid only while the account's stored hash is the one that was checked, so a
 * password change or reset ends it at once. Concurrent identical requests share one check.
 */
const BASIC_CACHE_MS = 60_000;
const BASIC_CACHE_MAX = 5_000;
const pepper = randomBytes(32).toString('base64');
const basicCache = new Map<string, { username: string; passwordHash: string; until: number }>();
const basicInFlight = new Map<string, Promise<PasswordCheck>>();

async function checkBasic(ctx: ServerContext, username: string, password: string, caller: Caller): Promise<PasswordCheck> {
  const key = createHash('sha256').update(pepper).update(username).update('\0').update(password).digest('base64');
  const cached = basicCache.get(key);
  if (cached && cached.until > Date.now()) {
    const user = await findUser(ctx.system, cached.username);
    if (user && user.passwordHash === cached.passwordHash) return { ok: true, user };
    basicCache.delete(key);
  }
  let pending = basicInFlight.get(key);
  if (!pending) {
    pending = checkPassword(ctx, username, password, caller).finally(() => basicInFlight.delete(key));
    basicInFlight.set(key, pending);
  }
  const check = await pending;
  if (check.ok) {
    basicCache.set(key, {
      username: check.user.username,
      passwordHash: check.user.passwordHash,
      until: Date.now() + BASIC_CACHE_MS
    });
    if (basicCache.size > BASIC_CACHE_MAX) basicCache.delete(basicCache.keys().next().value as string);
  }
  return check;
}

export type RequestAuth = { ok: true; user: UserDoc; via: 'session' | 'basic'; session: SessionDoc | null } | AuthFailure;

export interface AuthOptions {
  /** The few endpoints an account with a one-time password may use (me, sign out, change password). */
  allowPendingPasswordChange?: boolean;
}

export async function authenticateRequest(
  ctx: ServerContext,
  request: FastifyRequest,
  options: AuthOptions = {}
): Promise<RequestAuth> {
  let user: UserDoc | null;
  let session: SessionDoc | null = null;
  let via: 'session' | 'basic';
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const basic = parseBasicAuth(authorization);
    if (!basic) return failure(401, 'unauthorized', 'only Basic authorization is accepted');
    const check = await checkBasic(ctx, basic.username, basic.password, callerOf(request));
    if (!check.ok) return check;
    user = check.user;
    via = 'basic';
  } else {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return failure(401, 'unauthorized', NOT_SIGNED_IN);
    session = await resolveSession(ctx.system, token, ctx.sessionSettings);
    // The account is read on every request, so a changed role, unit list or a disabling applies at once.
    user = session ? await findUser(ctx.system, session.username) : null;
    if (!user) return failure(401, 'session_expired', SESSION_EXPIRED);
    via = 'session';
  }
  if (user.disabledAt) {
    // Disabling ends the sessions; one created on another instance meanwhile ends here.
    if (session) await endSessionsWhere(ctx.system, (s) => s._id === session!._id);
    return failure(403, 'account_disabled', DISABLED_MESSAGE);
  }
  if (user.mustChangePassword && !options.allowPendingPasswordChange)
    return failure(403, 'password_change_required', CHANGE_REQUIRED_MESSAGE);
  request.account = user.username; // for the request's log line (logging.ts)
  return { ok: true, user, via, session };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated account, set by authenticateRequest; null until then. */
    account: string | null;
  }
}

/** Answers a failed authentication: `{error, message}` for the app's API, CouchDB's `{error, reason}` for replication. */
export function sendAuthFailure(reply: FastifyReply, auth: AuthFailure, style: 'api' | 'couch') {
  if (auth.retryAfterSeconds !== undefined) reply.header('Retry-After', String(auth.retryAfterSeconds));
  reply.code(auth.status).type('application/json');
  if (style === 'api') return reply.send({ error: auth.error, message: auth.message });
  // PouchDB names its errors after `error`; it knows 'unauthorized' and 'forbidden'.
  const error = auth.status === 429 ? 'too_many_requests' : auth.status === 401 ? 'unauthorized' : auth.error;
  return reply.send({ error, reason: auth.message });
}

/** Secure cookies when configured (TLS at a proxy) or when this request came over https. */
export const cookieIsSecure = (ctx: ServerContext, request: FastifyRequest) => ctx.cookieSecure || request.protocol === 'https';
