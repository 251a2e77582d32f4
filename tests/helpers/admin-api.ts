/** JSON calls to the admin API and the account endpoints, for the account and admin tests. */
import type { TestServer } from './server.ts';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(
  server: TestServer,
  method: string,
  path: string,
  cookie: string | null,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(cookie && { Cookie: cookie }), ...(body !== undefined && { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // CSV and other text answers stay text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
