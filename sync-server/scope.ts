/**
 * Which units an account's data access reaches: the one question every endpoint that serves
 * unit data (replication, reports, exports, record views) asks before anything else.
 *
 * Today an account lists its units; the unit tree (a supervisor placed at a region sees every
 * unit below it, including units created later) is resolved here, so callers never read
 * `user.units` themselves.
 */
import type { ServerContext } from './context.ts';
import { unitAccess, type UnitAccess, type UserDoc } from './users.ts';

/** The unit ids the account may read, in any role. */
export async function unitsInScope(_ctx: ServerContext, user: Pick<UserDoc, 'role' | 'units'>): Promise<string[]> {
  return [...user.units];
}

/** What the account may do with one unit's data ('none' when out of scope). */
export async function accessToUnit(_ctx: ServerContext, user: Pick<UserDoc, 'role' | 'units'>, unitId: string): Promise<UnitAccess> {
  return unitAccess(user, unitId);
}
