/** The sync-server's JSON API (same origin): the session, the holiday calendar. */
import { deviceFetch } from './device.ts';
import type { CalendarInForce } from '../domain/holiday-editor.ts';
import type { HolidayCalendar } from '../domain/holidays-th.ts';
import type { Role } from '../domain/access.ts';

export interface UnitInfo {
  id: string;
  name: { th: string; en: string };
  kind: string;
}
export interface SessionInfo {
  user: { username: string; displayName: string; role: Role };
  units: UnitInfo[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's error code (`invalid_credentials`, `account_disabled`, `weak_password` …). */
    readonly code = '',
    /** The field a 400 names. */
    readonly field = ''
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await deviceFetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(
      res.status,
      data.message ?? data.reason ?? res.statusText,
      String(data.error ?? ''),
      String(data.field ?? '')
    );
  return data as T;
}

export const login = (username: string, password: string) => call<SessionInfo>('POST', '/api/session', { username, password });
export const logout = () => call<void>('DELETE', '/api/session');
export const me = () => call<SessionInfo>('GET', '/api/me');
export const changePassword = (current: string, next: string) => call<void>('POST', '/api/account/password', { current, next });

/** The holiday calendar in force (any signed-in user), and its replacement (administrators only). */
export const holidayCalendar = () => call<CalendarInForce>('GET', '/api/holidays');
export const saveHolidayCalendar = (holidays: HolidayCalendar) => call<CalendarInForce>('PUT', '/api/holidays', holidays);
