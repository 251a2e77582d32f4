/**
 * The audit of reads of unit data through replication: who pulled which documents of which
 * unit, and how many. One entry per `_bulk_get` batch or document GET (not per document), with
 * the ids of the documents asked for: ids only in the `<type>:<uuid>` form, so a client cannot
 * make the audit hold whatever text it typed as an "id".
 */
import { recordEvent } from './audit-events.ts';
import type { ServerContext } from './context.ts';

const RECORD_ID = /^[a-z0-9]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function recordPull(
  ctx: Pick<ServerContext, 'audit'>,
  who: { username: string; unitId: string; ip: string },
  endpoint: '_bulk_get' | 'get',
  ids: string[]
): Promise<void> {
  await recordEvent(ctx.audit, {
    action: 'read-pull',
    actor: who.username,
    unitId: who.unitId,
    target: endpoint,
    count: ids.length,
    ids: ids.filter((id) => RECORD_ID.test(id)),
    ip: who.ip
  });
}
