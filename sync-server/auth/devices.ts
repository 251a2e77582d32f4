/**
 * Tablets, known by the random id they send as `X-Device-Id` (a uuid v4 made on first start).
 * The server remembers which accounts signed in successfully from each device (the throttle
 * treats those as the owner's, throttle.ts) and whether an administrator marked it lost: a lost
 * device's every request, before authentication, answers 410 `{error:'device_lost', wipe:true}`
 * and the tablet removes its replicas.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordEvent } from '../audit-events.ts';
import type { ServerContext } from '../context.ts';
import { isConflict, isNotFound, type DocumentStore } from '../storage/port.ts';

export const DEVICE_HEADER = 'x-device-id';
const DEVICE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Accounts remembered per device: a shared tablet has a handful; the cap bounds the document. */
const MAX_ACCOUNTS_PER_DEVICE = 50;

export interface DeviceDoc {
  _id: string;
  _rev?: string;
  type: 'device';
  deviceId: string;
  firstSeenAt: string;
  lastSignInAt: string;
  /** Accounts that signed in successfully from this device, most recent last. */
  accounts: string[];
  lost?: { at: string; by: string; why: string };
}

export const deviceDocId = (deviceId: string) => `device:${deviceId}`;
export const isDeviceId = (value: string) => DEVICE_ID.test(value);

/** The request's device id when it is a well-formed uuid v4; anything else counts as none. */
export function deviceIdOf(request: FastifyRequest): string | null {
  const value = request.headers[DEVICE_HEADER];
  if (typeof value !== 'string') return null;
  const id = value.trim().toLowerCase();
  return DEVICE_ID.test(id) ? id : null;
}

export async function findDevice(system: DocumentStore, deviceId: string): Promise<DeviceDoc | null> {
  try {
    const doc = (await system.get(deviceDocId(deviceId))) as unknown as DeviceDoc;
    return doc.type === 'device' ? doc : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function listDevices(system: DocumentStore): Promise<DeviceDoc[]> {
  const { rows } = await system.allDocs({ startkey: 'device:', endkey: 'device:\ufff0', include_docs: true });
  return rows.flatMap((r) => (r.doc && (r.doc as { type?: string }).type === 'device' ? [r.doc as unknown as DeviceDoc] : []));
}

/** Read-modify-write with a few retries when two requests change the same device at once. */
async function updateDevice(
  system: DocumentStore,
  deviceId: string,
  change: (doc: DeviceDoc) => DeviceDoc,
  now: Date
): Promise<DeviceDoc> {
  for (let attempt = 0; ; attempt++) {
    const current = (await findDevice(system, deviceId)) ?? {
      _id: deviceDocId(deviceId),
      type: 'device' as const,
      deviceId,
      firstSeenAt: now.toISOString(),
      lastSignInAt: now.toISOString(),
      accounts: []
    };
    const next = change(current);
    try {
      const { rev } = await system.put({ ...next });
      return { ...next, _rev: rev };
    } catch (e) {
      if (!isConflict(e) || attempt >= 4) throw e;
    }
  }
}

export async function rememberSignIn(system: DocumentStore, deviceId: string, username: string, now = new Date()): Promise<void> {
  await updateDevice(
    system,
    deviceId,
    (doc) => ({
      ...doc,
      lastSignInAt: now.toISOString(),
      accounts: [...doc.accounts.filter((a) => a !== username), username].slice(-MAX_ACCOUNTS_PER_DEVICE)
    }),
    now
  );
}

export async function isKnownDevice(system: DocumentStore, deviceId: string | null, username: string): Promise<boolean> {
  if (!deviceId) return false;
  const doc = await findDevice(system, deviceId);
  return Boolean(doc && !doc.lost && doc.accounts.includes(username));
}

/** Whether each device is lost, read at most every LOST_TTL_MS: every request asks. */
const LOST_TTL_MS = 10_000;
const MAX_CACHED = 10_000;
const lostCache = new WeakMap<DocumentStore, Map<string, { at: number; lost: boolean }>>();

async function isLost(system: DocumentStore, deviceId: string, now = Date.now()): Promise<boolean> {
  let cache = lostCache.get(system);
  if (!cache) lostCache.set(system, (cache = new Map()));
  const hit = cache.get(deviceId);
  if (hit && now - hit.at < LOST_TTL_MS) return hit.lost;
  const lost = Boolean((await findDevice(system, deviceId))?.lost);
  cache.set(deviceId, { at: now, lost });
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return lost;
}

export async function markDeviceLost(
  system: DocumentStore,
  deviceId: string,
  by: string,
  why: string,
  now = new Date()
): Promise<DeviceDoc> {
  const doc = await updateDevice(system, deviceId, (d) => ({ ...d, lost: { at: now.toISOString(), by, why } }), now);
  lostCache.get(system)?.delete(deviceId);
  return doc;
}

/** At most one audit entry per lost device per this long: it retries every few seconds. */
const NOTIFY_AUDIT_EVERY_MS = 60_000;

/** Answers every /api/ and /sync/ request from a lost device with 410 before anything else. */
export function registerLostDeviceGuard(app: FastifyInstance, ctx: ServerContext): void {
  const lastAudited = new Map<string, number>();
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') && !request.url.startsWith('/sync/')) return;
    const deviceId = deviceIdOf(request);
    if (!deviceId || !(await isLost(ctx.system, deviceId))) return;
    const now = Date.now();
    if (now - (lastAudited.get(deviceId) ?? 0) > NOTIFY_AUDIT_EVERY_MS) {
      lastAudited.set(deviceId, now);
      if (lastAudited.size > MAX_CACHED) lastAudited.delete(lastAudited.keys().next().value as string);
      await recordEvent(ctx.audit, {
        action: 'device-wiped-notified',
        actor: null,
        target: deviceDocId(deviceId),
        ip: request.ip
      });
    }
    return reply.code(410).type('application/json').send({
      error: 'device_lost',
      wipe: true,
      message: 'อุปกรณ์นี้ถูกแจ้งว่าสูญหาย ข้อมูลในเครื่องจะถูกลบ / This device was reported lost: its data is removed.',
      reason: 'this device was reported lost'
    });
  });
}
