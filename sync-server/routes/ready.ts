/**
 * Readiness for a load balancer: `GET /api/ready` answers 200 only while this instance can reach
 * its store, and 503 when the store cannot be reached or does not answer within a short time, so
 * the balancer sends traffic to the instances that can serve it. `GET /api/health` (api.ts) stays
 * the liveness answer: the process is up, whatever the store does (a restart would not help).
 *
 * No authentication (balancers probe anonymously), so one probe of the store serves every
 * request for a second: a flood of readiness requests costs the store at most one read a second.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';

/** A store slower than this to answer one small read is treated as unreachable. */
export const READY_TIMEOUT_MS = 2_000;
/** How long one probe's outcome answers every readiness request. */
const PROBE_REUSE_MS = 1_000;

interface Probe {
  ready: boolean;
  at: number;
}

export async function readyRoutes(
  app: FastifyInstance,
  { ctx, timeoutMs = READY_TIMEOUT_MS }: { ctx: ServerContext; timeoutMs?: number }
) {
  let last: Probe | null = null;
  let inFlight: Promise<Probe> | null = null;

  async function probeStore(): Promise<Probe> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    // The system database is what every request needs first (sessions, units).
    const reached = ctx.system.info().then(
      () => true,
      () => false
    );
    const ready = await Promise.race([reached, gaveUp]);
    clearTimeout(timer);
    return { ready, at: Date.now() };
  }

  app.get('/api/ready', async (_request, reply) => {
    if (!last || Date.now() - last.at > PROBE_REUSE_MS) {
      inFlight ??= probeStore().finally(() => {
        inFlight = null;
      });
      last = await inFlight;
    }
    if (last.ready) return { status: 'ready', storage: ctx.storage.kind };
    return reply.code(503).send({
      status: 'unavailable',
      storage: ctx.storage.kind,
      reason: 'ยังเชื่อมต่อที่เก็บข้อมูลไม่ได้ / the data store cannot be reached'
    });
  });
}
