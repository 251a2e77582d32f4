/**
 * A JSON call to the sync-server for the desktop screens that read it online (review queue,
 * CARE 02): the answer, or an ApiError carrying the server's message (Thai / English).
 */
import { ApiError } from './api.ts';

export async function jsonRequest<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.message ?? res.statusText, String(data.error ?? ''));
  return data as T;
}
