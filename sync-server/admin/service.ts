/**
 * Administration: the unit tree, accounts, sessions, devices and the audit log. The one module
 * behind both the admin API (routes/admin.ts) and the command line (admin/cli.ts), so a server
 * provisioned by script follows exactly the rules of the console. Every change requires a
 * reason (`why`), is checked completely before anything is written, and is audited with the
 * acting account.
 */
import { z } from 'zod';
import { moveProblem, NODE_KINDS, placementProblem, ROLES, type UnitTree } from '../../src/lib/domain/access.ts';
import { UNIT_ID } from '../../src/lib/domain/schemas.ts';
import { accountDutiesProblem, accountDutiesSchema } from '../../src/lib/domain/services/assistance-request.ts';
import { recordEvent, type AuditAction } from '../audit-events.ts';
import { listDevices, markDeviceLost, isDeviceId, type DeviceDoc } from '../auth/devices.ts';
import { randomPassword } from '../auth/passwords.ts';
import { endSessionsWhere, isSessionId, listSessions, type SessionDoc } from '../auth/sessions.ts';
import type { LoginThrottle } from '../auth/throttle.ts';
import { isConflict, isNotFound, type DocumentStore, type StoragePort } from '../storage/port.ts';
import {
  allUnits,
  allUsers,
  createUnit,
  createUser,
  findUnit,
  findUser,
  invalidateUnitTree,
  normaliseUsername,
  requirePasswordPolicy,
  setPassword,
  treeOf,
  unitDocId,
  updateUser,
  userDocId,
  type UnitDoc,
  type UnitHistoryEntry,
  type UserDoc
} from '../users.ts';
import { BadInput, parseInput } from './bad-input.ts';

/** What the service needs: the stores, and the throttle when there is a running server (unlock). */
export interface AdminContext {
  storage: StoragePort;
  system: DocumentStore;
  audit: DocumentStore;
  throttle?: LoginThrottle;
}

export interface Actor {
  username: string;
  ip?: string;
}

export class NotFound extends Error {
  constructor(
    readonly field: string,
    readonly th: string,
    readonly en: string
  ) {
    super(`${th} / ${en}`);
  }
}

/** A reason is required for every administrative change; it goes to the audit log. */
const why = z.string().trim().min(3, 'give a reason of at least 3 characters').max(300);
const unitName = z.object({ th: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }).strict();

async function audit(
  ctx: AdminContext,
  actor: Actor,
  action: AuditAction,
  fields: { target: string; unitId?: string; why: string; count?: number }
) {
  await recordEvent(ctx.audit, { action, actor: actor.username, ...fields, ...(actor.ip && { ip: actor.ip }) });
}

// --- units -----------------------------------------------------------------------------------

export interface UnitView {
  unitId: string;
  name: { th: string; en: string };
  kind: UnitDoc['kind'];
  parentId: string | null;
  closedAt: string | null;
  history: UnitHistoryEntry[];
}

const unitView = (u: UnitDoc): UnitView => ({
  unitId: u.unitId,
  name: u.name,
  kind: u.kind,
  parentId: u.parentId ?? null,
  closedAt: u.closedAt ?? null,
  history: u.history ?? []
});

export async function listUnitNodes(ctx: AdminContext): Promise<UnitView[]> {
  return (await allUnits(ctx.system)).map(unitView);
}

const createUnitInput = z
  .object({
    unitId: z.string().regex(UNIT_ID, 'a-z, 0-9 and -, 2 to 63 characters'),
    name: unitName,
    kind: z.enum(NODE_KINDS),
    parentId: z.string().regex(UNIT_ID).nullable().default(null),
    why
  })
  .strict();

export async function addUnit(ctx: AdminContext, actor: Actor, input: unknown): Promise<UnitView> {
  const data = parseInput(createUnitInput, input);
  if (await findUnit(ctx.system, data.unitId))
    throw new BadInput('unitId', `มีหน่วยงานรหัส ${data.unitId} อยู่แล้ว`, `a unit with id ${data.unitId} exists already`);
  try {
    const doc = await createUnit(ctx.storage, data, actor.username, data.why);
    await audit(ctx, actor, 'unit-create', { target: unitDocId(data.unitId), unitId: data.unitId, why: data.why });
    return unitView(doc);
  } catch (e) {
    if (isConflict(e))
      throw new BadInput('unitId', `มีหน่วยงานรหัส ${data.unitId} อยู่แล้ว`, `a unit with id ${data.unitId} exists already`);
    throw e;
  }
}

async function requireUnit(ctx: AdminContext, unitId: string): Promise<UnitDoc> {
  const unit = await findUnit(ctx.system, unitId);
  if (!unit) throw new NotFound('unitId', `ไม่พบหน่วยงาน ${unitId}`, `unit ${unitId} does not exist`);
  return unit;
}

/** Read-modify-write of a unit with its history entry; the change is validated against the current tree first. */
async function changeUnit(
  ctx: AdminContext,
  unitId: string,
  change: (doc: UnitDoc, tree: UnitTree) => UnitDoc,
  now = new Date()
): Promise<UnitDoc> {
  for (let attempt = 0; ; attempt++) {
    const current = await requireUnit(ctx, unitId);
    const next = change(current, treeOf(await allUnits(ctx.system)));
    try {
      const { rev } = await ctx.system.put({ ...next, history: [...(next.history ?? [])].slice(-100) });
      invalidateUnitTree();
      return { ...next, _rev: rev };
    } catch (e) {
      if (!isConflict(e) || attempt >= 4) throw e;
    }
  }
  void now;
}

const editUnitInput = z
  .object({ name: unitName.optional(), parentId: z.string().regex(UNIT_ID).nullable().optional(), why })
  .strict();

/** Renames and/or moves a unit. Moving a region moves everything below it: access follows at once. */
export async function editUnit(ctx: AdminContext, actor: Actor, unitId: string, input: unknown): Promise<UnitView> {
  const data = parseInput(editUnitInput, input);
  if (data.name === undefined && data.parentId === undefined)
    throw new BadInput('name', 'ไม่มีสิ่งที่จะเปลี่ยน', 'nothing to change: give name or parentId');
  const at = new Date().toISOString();
  const doc = await changeUnit(ctx, unitId, (current, tree) => {
    const history = [...(current.history ?? [])];
    let next = { ...current };
    if (data.parentId !== undefined && data.parentId !== (current.parentId ?? null)) {
      const problem = moveProblem(tree, unitId, data.parentId);
      if (problem) throw new BadInput(problem.field, problem.th, problem.en);
      history.push({ at, by: actor.username, action: 'move', why: data.why, from: current.parentId ?? null, to: data.parentId });
      next = { ...next, parentId: data.parentId };
    }
    if (data.name !== undefined) {
      history.push({ at, by: actor.username, action: 'rename', why: data.why, from: current.name, to: data.name });
      next = { ...next, name: data.name };
    }
    return { ...next, history };
  });
  await audit(ctx, actor, 'unit-change', { target: unitDocId(unitId), unitId, why: data.why });
  return unitView(doc);
}

const whyOnly = z.object({ why }).strict();

/** Closes (read-only, data and history kept) or reopens a unit; closing a region closes what is below it. */
export async function setUnitClosed(
  ctx: AdminContext,
  actor: Actor,
  unitId: string,
  closed: boolean,
  input: unknown
): Promise<UnitView> {
  const data = parseInput(whyOnly, input);
  const at = new Date().toISOString();
  const doc = await changeUnit(ctx, unitId, (current) => {
    if (Boolean(current.closedAt) === closed)
      throw new BadInput(
        'unitId',
        closed ? 'หน่วยงานนี้ปิดอยู่แล้ว' : 'หน่วยงานนี้เปิดอยู่แล้ว',
        closed ? 'the unit is closed already' : 'the unit is open already'
      );
    const { closedAt: _drop, ...rest } = current;
    const history = [
      ...(current.history ?? []),
      { at, by: actor.username, action: closed ? ('close' as const) : ('reopen' as const), why: data.why }
    ];
    return closed ? { ...rest, closedAt: at, history } : { ...rest, history };
  });
  await audit(ctx, actor, closed ? 'unit-close' : 'unit-reopen', { target: unitDocId(unitId), unitId, why: data.why });
  return unitView(doc);
}

// --- accounts --------------------------------------------------------------------------------

export interface AccountView {
  username: string;
  displayName: string;
  role: UserDoc['role'];
  units: string[];
  mustChangePassword: boolean;
  disabledAt: string | null;
  createdAt: string | null;
  passwordChangedAt: string | null;
  /** Request steps held beyond the role (strategy-group staff, finance). */
  duties: UserDoc['duties'] & {};
  /** Seconds a stranger would wait to try this account now (0: not throttled). */
  lockedForSeconds: number;
}

const accountView = (ctx: AdminContext, u: UserDoc): AccountView => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  units: u.units,
  mustChangePassword: Boolean(u.mustChangePassword),
  disabledAt: u.disabledAt ?? null,
  createdAt: u.createdAt ?? null,
  passwordChangedAt: u.passwordChangedAt ?? null,
  duties: u.duties ?? [],
  lockedForSeconds: ctx.throttle?.lockedForSeconds(u.username) ?? 0
});

export async function listAccounts(ctx: AdminContext): Promise<AccountView[]> {
  return (await allUsers(ctx.system)).map((u) => accountView(ctx, u));
}

const createAccountInput = z
  .object({
    username: z.string().max(100),
    displayName: z.string().trim().min(1).max(200),
    role: z.enum(ROLES),
    units: z.array(z.string().regex(UNIT_ID)).max(500).default([]),
    /** Omitted: a one-time password is made and returned once. */
    password: z.string().max(1024).optional(),
    why
  })
  .strict();

/** Creates an account with a one-time password (given or made here) that must be changed at the first sign-in. */
export async function addAccount(
  ctx: AdminContext,
  actor: Actor,
  input: unknown
): Promise<{ account: AccountView; oneTimePassword: string }> {
  const data = parseInput(createAccountInput, input);
  const username = normaliseUsername(data.username);
  if (await findUser(ctx.system, username))
    throw new BadInput('username', `มีผู้ใช้ชื่อ ${username} อยู่แล้ว`, `the user name ${username} is taken`);
  const password = data.password ?? randomPassword();
  try {
    const user = await createUser(ctx.storage, { ...data, username, password }, { mustChangePassword: true });
    await audit(ctx, actor, 'account-create', { target: userDocId(user.username), why: data.why });
    return { account: accountView(ctx, user), oneTimePassword: password };
  } catch (e) {
    if (isConflict(e)) throw new BadInput('username', `มีผู้ใช้ชื่อ ${username} อยู่แล้ว`, `the user name ${username} is taken`);
    throw e;
  }
}

async function requireUser(ctx: AdminContext, username: string): Promise<UserDoc> {
  const user = await findUser(ctx.system, username);
  if (!user) throw new NotFound('username', `ไม่พบผู้ใช้ ${username}`, `user ${username} does not exist`);
  return user;
}

const editAccountInput = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    role: z.enum(ROLES).optional(),
    units: z.array(z.string().regex(UNIT_ID)).max(500).optional(),
    duties: accountDutiesSchema.optional(),
    why
  })
  .strict();

/**
 * Changes name, role, placement or request duties; the placement is checked against the tree for
 * the resulting role, the duties against the role (officers only; a role change away from officer
 * drops them).
 */
export async function editAccount(ctx: AdminContext, actor: Actor, username: string, input: unknown): Promise<AccountView> {
  const data = parseInput(editAccountInput, input);
  const current = await requireUser(ctx, username);
  const role = data.role ?? current.role;
  const units = data.units ? [...new Set(data.units)] : current.units;
  if (data.role !== undefined || data.units !== undefined) {
    const problem = placementProblem(treeOf(await allUnits(ctx.system)), role, units);
    if (problem) throw new BadInput(problem.field, problem.th, problem.en);
  }
  if (current.username === actor.username && role !== 'admin')
    throw new BadInput('role', 'เปลี่ยนบทบาทของบัญชีตนเองไม่ได้', 'you cannot change the role of your own account');
  const duties = data.duties ?? (role === 'officer' ? (current.duties ?? []) : []);
  const dutiesProblem = accountDutiesProblem(role, duties);
  if (dutiesProblem) throw new BadInput('duties', dutiesProblem.th, dutiesProblem.en);
  const dutiesChanged = JSON.stringify(duties) !== JSON.stringify(current.duties ?? []);
  const updated = await updateUser(ctx.system, current.username, (doc) => {
    const { duties: _old, ...rest } = doc;
    void _old;
    return {
      ...rest,
      ...(data.displayName !== undefined && { displayName: data.displayName }),
      role,
      units,
      ...(duties.length > 0 && { duties: [...duties] })
    };
  });
  // The duties given are named in the audit (codes, no personal data): who may take which step.
  await audit(ctx, actor, 'account-change', {
    target: userDocId(current.username),
    why: dutiesChanged ? `${data.why} [duties: ${duties.join(',') || '-'}]` : data.why
  });
  return accountView(ctx, updated!);
}

/** Disables an account: its sessions end now, and cookie and Basic are refused from its next request. */
export async function setAccountDisabled(
  ctx: AdminContext,
  actor: Actor,
  username: string,
  disabled: boolean,
  input: unknown
): Promise<AccountView> {
  const data = parseInput(whyOnly, input);
  const current = await requireUser(ctx, username);
  if (disabled && current.username === actor.username)
    throw new BadInput('username', 'ระงับบัญชีของตนเองไม่ได้', 'you cannot disable your own account');
  const at = new Date().toISOString();
  const updated = await updateUser(ctx.system, current.username, (doc) => {
    const { disabledAt: _drop, ...rest } = doc;
    return disabled ? { ...rest, disabledAt: at } : rest;
  });
  const ended = disabled ? await endSessionsWhere(ctx.system, (s) => s.username === current.username) : 0;
  await audit(ctx, actor, disabled ? 'account-disable' : 'account-enable', {
    target: userDocId(current.username),
    why: data.why,
    count: ended
  });
  return accountView(ctx, updated!);
}

const resetInput = z.object({ password: z.string().max(1024).optional(), why }).strict();

/** A new one-time password (made here unless given); the account's sessions end. */
export async function resetPassword(
  ctx: AdminContext,
  actor: Actor,
  username: string,
  input: unknown
): Promise<{ oneTimePassword: string }> {
  const data = parseInput(resetInput, input);
  const current = await requireUser(ctx, username);
  const password = data.password ?? randomPassword();
  requirePasswordPolicy(password, 'password', current.username);
  await setPassword(ctx.system, current.username, password, true);
  const ended = await endSessionsWhere(ctx.system, (s) => s.username === current.username);
  ctx.throttle?.unlock(current.username);
  await audit(ctx, actor, 'password-reset', { target: userDocId(current.username), why: data.why, count: ended });
  return { oneTimePassword: password };
}

/** Clears the account's sign-in backoff on this server instance (throttle.ts keeps it in memory). */
export async function unlockAccount(ctx: AdminContext, actor: Actor, username: string, input: unknown): Promise<AccountView> {
  const data = parseInput(whyOnly, input);
  const current = await requireUser(ctx, username);
  ctx.throttle?.unlock(current.username);
  await audit(ctx, actor, 'account-unlock', { target: userDocId(current.username), why: data.why });
  return accountView(ctx, current);
}

// --- sessions and devices ----------------------------------------------------------------------

export interface SessionView {
  id: string;
  username: string;
  deviceId: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

const sessionViewOf = (s: SessionDoc): SessionView => ({
  id: s._id,
  username: s.username,
  deviceId: s.deviceId ?? null,
  createdAt: s.createdAt,
  lastSeenAt: s.lastSeenAt,
  expiresAt: s.idleExpiresAt < s.absoluteExpiresAt ? s.idleExpiresAt : s.absoluteExpiresAt
});

export async function listSessionViews(
  ctx: AdminContext,
  filter: { username?: string; deviceId?: string } = {}
): Promise<SessionView[]> {
  const now = new Date().toISOString();
  return (await listSessions(ctx.system, filter.username ? normaliseUsername(filter.username) : undefined))
    .filter((s) => (!filter.deviceId || s.deviceId === filter.deviceId) && s.idleExpiresAt > now && s.absoluteExpiresAt > now)
    .map(sessionViewOf)
    .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
}

export async function revokeSession(ctx: AdminContext, actor: Actor, sessionId: string, input: unknown): Promise<void> {
  const data = parseInput(whyOnly, input);
  if (!isSessionId(sessionId)) throw new NotFound('sessionId', 'ไม่พบเซสชัน', 'no such session');
  let username: string | null = null;
  const ended = await endSessionsWhere(ctx.system, (s) => {
    if (s._id !== sessionId) return false;
    username = s.username;
    return true;
  });
  if (ended === 0) throw new NotFound('sessionId', 'ไม่พบเซสชัน', 'no such session');
  await audit(ctx, actor, 'session-revoke', { target: username ? userDocId(username) : sessionId, why: data.why, count: 1 });
}

/** Ends every session of an account, or of a device when `deviceId` is given. */
export async function revokeSessionsOf(
  ctx: AdminContext,
  actor: Actor,
  who: { username?: string; deviceId?: string },
  input: unknown
): Promise<number> {
  const data = parseInput(whyOnly, input);
  if (who.username) await requireUser(ctx, who.username);
  const username = who.username ? normaliseUsername(who.username) : undefined;
  const ended = await endSessionsWhere(
    ctx.system,
    (s) => (!username || s.username === username) && (!who.deviceId || s.deviceId === who.deviceId)
  );
  await audit(ctx, actor, 'session-revoke', {
    target: username ? userDocId(username) : `device:${who.deviceId}`,
    why: data.why,
    count: ended
  });
  return ended;
}

export interface DeviceView {
  deviceId: string;
  accounts: string[];
  firstSeenAt: string;
  lastSignInAt: string;
  lost: DeviceDoc['lost'] | null;
}

export async function listDeviceViews(ctx: AdminContext): Promise<DeviceView[]> {
  return (await listDevices(ctx.system))
    .map((d) => ({
      deviceId: d.deviceId,
      accounts: d.accounts,
      firstSeenAt: d.firstSeenAt,
      lastSignInAt: d.lastSignInAt,
      lost: d.lost ?? null
    }))
    .sort((a, b) => b.lastSignInAt.localeCompare(a.lastSignInAt));
}

/** Marks a device lost: its next contact answers 410 and the tablet wipes its replicas; its sessions end now. */
export async function markLost(ctx: AdminContext, actor: Actor, deviceId: string, input: unknown): Promise<DeviceView> {
  const data = parseInput(whyOnly, input);
  if (!isDeviceId(deviceId)) throw new BadInput('deviceId', 'รหัสอุปกรณ์ไม่ถูกต้อง', 'not a device id (uuid v4)');
  const doc = await markDeviceLost(ctx.system, deviceId, actor.username, data.why);
  const ended = await endSessionsWhere(ctx.system, (s) => s.deviceId === deviceId);
  await audit(ctx, actor, 'device-lost', { target: `device:${deviceId}`, why: data.why, count: ended });
  return {
    deviceId,
    accounts: doc.accounts,
    firstSeenAt: doc.firstSeenAt,
    lastSignInAt: doc.lastSignInAt,
    lost: doc.lost ?? null
  };
}

// --- audit log -------------------------------------------------------------------------------

export interface AuditRow {
  id: string;
  at: string;
  action: string;
  actor: string | null;
  unitId: string | null;
  target: string | null;
  count: number | null;
  why: string | null;
  ip: string | null;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'a date as YYYY-MM-DD');
const auditFilter = z
  .object({
    actor: z.string().max(100).optional(),
    unitId: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    target: z.string().max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(500)
  })
  .strict();

/** Entries scanned per query at most: bounds the work one filter can ask for. */
const AUDIT_SCAN_MAX = 50_000;
const AUDIT_PAGE = 2_000;

function rowOf(doc: Record<string, unknown>): AuditRow {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  if (doc.type === 'audit-write')
    return {
      id: String(doc._id),
      at: String(doc.at),
      action: `write-${String(doc.endpoint ?? '')}`.replace(/-$/, ''),
      actor: str(doc.username),
      unitId: str(doc.unitId),
      target: null,
      count: typeof doc.accepted === 'number' ? doc.accepted : null,
      why: null,
      ip: null
    };
  return {
    id: String(doc._id),
    at: String(doc.at),
    action: String(doc.action),
    actor: str(doc.actor),
    unitId: str(doc.unitId),
    target: str(doc.target) ?? (Array.isArray(doc.ids) ? doc.ids.slice(0, 3).join(' ') : null),
    count: typeof doc.count === 'number' ? doc.count : null,
    why: str(doc.why),
    ip: str(doc.ip)
  };
}

/**
 * Audit entries, newest first, filtered; `target` also matches the document ids an entry names
 * (a person's id). Without `from`, the last 31 days. Reads in pages of AUDIT_PAGE, oldest
 * first (the store reads keys in ascending order), keeping the newest `limit` matches.
 */
export async function queryAudit(
  ctx: AdminContext,
  query: unknown,
  now = new Date()
): Promise<{ rows: AuditRow[]; truncated: boolean }> {
  const f = parseInput(auditFilter, query);
  const from = f.from ?? new Date(now.getTime() - 31 * 86_400_000).toISOString().slice(0, 10);
  const to = f.to ? (f.to.length === 10 ? `${f.to}T\ufff0` : f.to) : '\ufff0';
  const rows: AuditRow[] = [];
  let scanned = 0;
  for (const prefix of ['event:', 'write:']) {
    let startkey = `${prefix}${from}`;
    for (;;) {
      const { rows: page } = await ctx.audit.allDocs({
        startkey,
        endkey: `${prefix}${to}`,
        include_docs: true,
        limit: AUDIT_PAGE
      });
      for (const r of page) {
        if (!r.doc) continue;
        const doc = r.doc as Record<string, unknown>;
        const row = rowOf(doc);
        if (f.actor && row.actor !== normaliseUsername(f.actor)) continue;
        if (f.unitId && row.unitId !== f.unitId) continue;
        if (f.action && row.action !== f.action) continue;
        if (f.target && row.target !== f.target && !(Array.isArray(doc.ids) && doc.ids.includes(f.target))) continue;
        rows.push(row);
      }
      scanned += page.length;
      if (page.length < AUDIT_PAGE || scanned >= AUDIT_SCAN_MAX) break;
      startkey = `${page[page.length - 1].key}\u0000`;
    }
  }
  return { rows: rows.sort((a, b) => b.at.localeCompare(a.at)).slice(0, f.limit), truncated: scanned >= AUDIT_SCAN_MAX };
}

const CSV_COLUMNS: Array<keyof AuditRow> = ['at', 'action', 'actor', 'unitId', 'target', 'count', 'why', 'ip'];

/** RFC 4180 CSV with a BOM (Excel opens Thai text correctly); cells starting with = + - @ are quoted with a ' so no spreadsheet runs them. */
export function auditCsv(rows: AuditRow[]): string {
  const cell = (v: unknown) => {
    let text = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return (
    '\ufeff' + [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n'
  );
}

export const isNotFoundError = (e: unknown) => e instanceof NotFound || isNotFound(e);
