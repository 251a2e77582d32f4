/**
 * The administration API (sync-server/routes/admin.ts) and the owner's password change, for the
 * admin console. Online only: administration changes the server, never a local copy.
 */
import type { NodeKind, Role } from '../domain/access.ts';
import { deviceFetch } from './device.ts';

/** A refused request: the server's error code, the field it names (bad input), its Thai / English message. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | null,
    message: string
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await deviceFetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  } catch {
    throw new AdminError(0, 'offline', null, 'เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ / Cannot reach the server.');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new AdminError(res.status, data.error ?? 'error', data.field ?? null, data.message ?? data.reason ?? res.statusText);
  return data as T;
}

export interface UnitNode {
  unitId: string;
  name: { th: string; en: string };
  kind: NodeKind;
  parentId: string | null;
  closedAt: string | null;
  history: Array<{ at: string; by: string; action: string; why: string }>;
}

export interface Account {
  username: string;
  displayName: string;
  role: Role;
  units: string[];
  mustChangePassword: boolean;
  disabledAt: string | null;
  createdAt: string | null;
  passwordChangedAt: string | null;
  lockedForSeconds: number;
  /** Request steps held beyond the role: 'intake' (strategy-group staff), 'finance'. */
  duties: string[];
}

export interface SessionRow {
  id: string;
  username: string;
  deviceId: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface DeviceRow {
  deviceId: string;
  accounts: string[];
  firstSeenAt: string;
  lastSignInAt: string;
  lost: { at: string; by: string; why: string } | null;
}

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

export interface AuditFilter {
  actor?: string;
  unitId?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
}

const enc = encodeURIComponent;

export const me = () =>
  call<{ username: string; role: Role; mustChangePassword: boolean; displayName: string }>('GET', '/api/me');
export const changePassword = (current: string, next: string) => call<void>('POST', '/api/account/password', { current, next });

export const units = () => call<UnitNode[]>('GET', '/api/admin/units');
export const createUnit = (input: {
  unitId: string;
  name: { th: string; en: string };
  kind: NodeKind;
  parentId: string | null;
  why: string;
}) => call<UnitNode>('POST', '/api/admin/units', input);
export const editUnit = (unitId: string, change: { name?: { th: string; en: string }; parentId?: string | null; why: string }) =>
  call<UnitNode>('PATCH', `/api/admin/units/${enc(unitId)}`, change);
export const setUnitClosed = (unitId: string, closed: boolean, why: string) =>
  call<UnitNode>('POST', `/api/admin/units/${enc(unitId)}/${closed ? 'close' : 'reopen'}`, { why });

export const accounts = () => call<Account[]>('GET', '/api/admin/accounts');
export const createAccount = (input: { username: string; displayName: string; role: Role; units: string[]; why: string }) =>
  call<{ account: Account; oneTimePassword: string }>('POST', '/api/admin/accounts', input);
export const editAccount = (
  username: string,
  change: { displayName?: string; role?: Role; units?: string[]; duties?: string[]; why: string }
) => call<Account>('PATCH', `/api/admin/accounts/${enc(username)}`, change);
export const setAccountDisabled = (username: string, disabled: boolean, why: string) =>
  call<Account>('POST', `/api/admin/accounts/${enc(username)}/${disabled ? 'disable' : 'enable'}`, { why });
export const resetPassword = (username: string, why: string) =>
  call<{ oneTimePassword: string }>('POST', `/api/admin/accounts/${enc(username)}/reset-password`, { why });
export const unlockAccount = (username: string, why: string) =>
  call<Account>('POST', `/api/admin/accounts/${enc(username)}/unlock`, { why });
export const revokeSessionsOf = (username: string, why: string) =>
  call<{ ended: number }>('POST', `/api/admin/accounts/${enc(username)}/revoke-sessions`, { why });

export const sessions = (filter: { username?: string; deviceId?: string } = {}) =>
  call<SessionRow[]>(
    'GET',
    `/api/admin/sessions?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as string[][])}`
  );
export const revokeSession = (id: string, why: string) => call<void>('POST', `/api/admin/sessions/${enc(id)}/revoke`, { why });
export const devices = () => call<DeviceRow[]>('GET', '/api/admin/devices');
export const markDeviceLost = (deviceId: string, why: string) =>
  call<DeviceRow>('POST', `/api/admin/devices/${enc(deviceId)}/lost`, { why });

const auditQuery = (filter: AuditFilter) =>
  new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as string[][]).toString();
export const audit = (filter: AuditFilter) =>
  call<{ rows: AuditRow[]; truncated: boolean }>('GET', `/api/admin/audit?${auditQuery(filter)}`);
/** The CSV export's address: the browser downloads it with the session cookie. */
export const auditCsvHref = (filter: AuditFilter) => `/api/admin/audit.csv?${auditQuery(filter)}`;
