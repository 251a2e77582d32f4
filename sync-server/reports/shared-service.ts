/**
 * One reporting service per server instance, shared by the KPI and statistics routes, the review
 * queue and CARE 02, so every report of a unit reads the same projection (one follower of each
 * unit's changes feed per instance). Keyed by the instance's context; stopped when it closes.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { calendarInForce } from '../holidays.ts';
import { ReportService } from './service.ts';

const services = new WeakMap<ServerContext, ReportService>();

export function reportServiceOf(app: FastifyInstance, ctx: ServerContext): ReportService {
  let service = services.get(ctx);
  if (!service) {
    const created = new ReportService(ctx.storage, async () => (await calendarInForce(ctx.system)).holidays);
    created.startBackground();
    services.set(ctx, created);
    app.addHook('onClose', async () => {
      created.stop();
      services.delete(ctx);
    });
    service = created;
  }
  return service;
}
