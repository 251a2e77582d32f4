/**
 * This tablet's identity towards the server: the `X-Device-Id` header on every API and
 * replication request, and the server's "this device was reported lost" answer (410
 * `device_lost`), after which the tablet wipes every account's data.
 */
let currentDeviceId = '';
const lostListeners = new Set<() => void>();

export function setDeviceId(id: string): void {
  currentDeviceId = id;
}

export function deviceHeaders(): Record<string, string> {
  return currentDeviceId ? { 'x-device-id': currentDeviceId } : {};
}

export function onDeviceLost(listener: () => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

/** True (and the listeners told) when the answer is the server's order to wipe this device. */
export async function isDeviceLostAnswer(res: Response): Promise<boolean> {
  if (res.status !== 410) return false;
  const body = (await res
    .clone()
    .json()
    .catch(() => ({}))) as { error?: string };
  if (body.error !== 'device_lost') return false;
  for (const l of lostListeners) l();
  return true;
}

/** `fetch` with the device header, watching for the wipe order. */
export async function deviceFetch(
  input: RequestInfo | URL,
  init: RequestInit = {},
  base: typeof fetch = fetch
): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(deviceHeaders())) headers.set(k, v);
  const res = await base(input, { ...init, headers });
  await isDeviceLostAnswer(res);
  return res;
}
