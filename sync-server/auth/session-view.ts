/**
 * What the app is told about the signed-in account (never the hash): the shape both
 * `POST /api/session` and `GET /api/me` answer, agreed with the tablet.
 */
import type { Role, UnitKind } from '../../src/lib/domain/access.ts';
import type { ServerContext } from '../context.ts';
import { unitsInScope } from '../scope.ts';
import { findUnits, type UserDoc } from '../users.ts';
import { sessionExpiresAt, type SessionDoc } from './sessions.ts';

export interface SessionView {
  username: string;
  displayName: string;
  role: Role;
  /** The data units the account reaches (scope.ts), with names for the screens. */
  units: Array<{ id: string; name: { th: string; en: string }; kind: UnitKind }>;
  mustChangePassword: boolean;
  sessionExpiresAt: string;
  idleLockSeconds: number;
  /** The same three fields as before the flat shape, for app versions that read `user`. */
  user: { username: string; displayName: string; role: Role };
}

export async function sessionView(
  ctx: ServerContext,
  user: UserDoc,
  session: SessionDoc | null,
  now = new Date()
): Promise<SessionView> {
  const units = await findUnits(ctx.system, (await unitsInScope(ctx, user)).sort());
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    units: units.map((u) => ({ id: u.unitId, name: u.name, kind: u.kind as UnitKind })),
    mustChangePassword: Boolean(user.mustChangePassword),
    // HTTP Basic has no session: it lasts as long as an idle session would from now.
    sessionExpiresAt: session ? sessionExpiresAt(session) : new Date(now.getTime() + ctx.sessionSettings.idleMs).toISOString(),
    idleLockSeconds: ctx.idleLockSeconds,
    user: { username: user.username, displayName: user.displayName, role: user.role }
  };
}
