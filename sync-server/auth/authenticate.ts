/**
 * Who is asking: a session cookie (the app) or HTTP Basic (PouchDB clients given
 * `auth: {username, password}`, scripts). Both check the same accounts, and Basic failures
 * count toward the same login throttle as the sign-in form.
 */
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import { findUser, normaliseUsername, type UserDoc } from '../users.ts';
import { verifyAgainstDummy, verifyPassword, MAX_PASSWORD_LENGTH } from './passwords.ts';
import { resolveSession, SESSION_COOKIE } from './sessions.ts';

export type PasswordCheck =
  | { ok: true; user: UserDoc }
  | { ok: false; status: 401 }
  | { ok: false; status: 429; retryAfterSeconds: number };

/** Throttle first (a blocked name gets no answer about its password), then scrypt. */
export async function checkPassword(ctx: ServerContext, username: string, password: string, ip: string): Promise<PasswordCheck> {
  const name = normaliseUsername(username).slice(0, 100);
  const decision = ctx.throttle.check(name, ip);
  if (!decision.allowed) return { ok: false, status: 429, retryAfterSeconds: decision.retryAfterSeconds };
  const user = await findUser(ctx.system, name);
  const valid =
    user && password.length <= MAX_PASSWORD_LENGTH
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstDummy(password);
  if (!valid || !user) {
    ctx.throttle.recordFailure(name, ip);
    return { ok: false, status: 401 };
  }
  ctx.throttle.recordSuccess(name);
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

export type RequestAuth =
  | { ok: true; user: UserDoc; via: 'session' | 'basic' }
  | { ok: false; status: 401; reason: string }
  | { ok: false; status: 429; retryAfterSeconds: number };

export async function authenticateRequest(ctx: ServerContext, request: FastifyRequest): Promise<RequestAuth> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const basic = parseBasicAuth(authorization);
    if (!basic) return { ok: false, status: 401, reason: 'only Basic authorization is accepted' };
    const check = await checkPassword(ctx, basic.username, basic.password, request.ip);
    if (check.ok) return { ok: true, user: check.user, via: 'basic' };
    if (check.status === 429) return check;
    return { ok: false, status: 401, reason: 'Name or password is incorrect.' };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token) {
    const username = await resolveSession(ctx.system, token);
    // The account is read on every request, so a changed role or unit list applies at once.
    const user = username ? await findUser(ctx.system, username) : null;
    if (user) return { ok: true, user, via: 'session' };
    return { ok: false, status: 401, reason: 'session expired, sign in again' };
  }
  return { ok: false, status: 401, reason: 'You are not authorized to access this db.' };
}

/** Secure cookies when configured (TLS at a proxy) or when this request came over https. */
export const cookieIsSecure = (ctx: ServerContext, request: FastifyRequest) => ctx.cookieSecure || request.protocol === 'https';
