/**
 * Which units an account's data access reaches: the one question every endpoint that serves
 * unit data (replication, reports, exports, record views) asks before anything else. The rule
 * is src/lib/domain/access.ts over the stored unit tree (a supervisor placed at a region sees
 * every unit below it, including units created later), so callers never read `user.units`.
 */
import { accessTo, unitsReached, type UnitAccess } from '../src/lib/domain/access.ts';
import type { ServerContext } from './context.ts';
import { loadUnitTree, type UserDoc } from './users.ts';

export type { UnitAccess };

type Account = Pick<UserDoc, 'role' | 'units'>;

/** The data unit ids the account may read, in any role. */
export async function unitsInScope(ctx: Pick<ServerContext, 'system'>, user: Account): Promise<string[]> {
  return unitsReached(await loadUnitTree(ctx.system), user);
}

/** What the account may do with one unit's data ('none' when out of scope). */
export async function accessToUnit(ctx: Pick<ServerContext, 'system'>, user: Account, unitId: string): Promise<UnitAccess> {
  return accessTo(await loadUnitTree(ctx.system), user, unitId);
}
