/**
 * Users and organisation units, stored in the `system` database, and the access rule that
 * decides what a user may do with a unit's data.
 */
import { z } from 'zod';
import { UNIT_ID } from '../src/lib/domain/schemas.ts';
import { hashPassword, randomPassword } from './auth/passwords.ts';
import { isNotFound, StoreError, type DocumentStore, type StoragePort } from './storage/port.ts';
import { SYSTEM_DB, unitDatabaseName } from './system-db.ts';

export const ROLES = ['officer', 'volunteer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_KINDS = ['prison-care', 'probation-office'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface UserDoc {
  _id: string;
  _rev?: string;
  type: 'user';
  username: string;
  displayName: string;
  role: Role;
  units: string[];
  passwordHash: string;
}

export interface UnitDoc {
  _id: string;
  _rev?: string;
  type: 'unit';
  unitId: string;
  name: { th: string; en: string };
  kind: UnitKind;
}

/** User names are matched case-insensitively: stored lower-case, typed any way. */
export const USERNAME = /^[a-z0-9._-]{2,64}$/;
export const normaliseUsername = (name: string) => name.trim().toLowerCase();

export const userDocId = (username: string) => `user:${username}`;
export const unitDocId = (unitId: string) => `unit:${unitId}`;

/**
 * What a user may do with a unit's data:
 * - officer: read and write the units listed on the account;
 * - supervisor: read the listed units (and keep replication checkpoints), never write records;
 * - volunteer (probation volunteer, docs/domain/people-and-roles.md): 'assigned' on the units listed: sees
 *   only the people whose person record names them in `assignedVolunteers` (and those people's
 *   documents), and writes only follow-up reports of those people (sync/volunteer-scope.ts);
 * - admin: manages accounts; sees unit data only for units listed, and then read-only, because
 *   case records are written by the officers who meet the people.
 * A unit not listed is 'none', whether or not it exists.
 */
export type UnitAccess = 'write' | 'assigned' | 'read' | 'none';

export function unitAccess(user: Pick<UserDoc, 'role' | 'units'>, unitId: string): UnitAccess {
  if (!user.units.includes(unitId)) return 'none';
  if (user.role === 'officer') return 'write';
  if (user.role === 'volunteer') return 'assigned';
  return 'read';
}

const newUserInput = z.object({
  username: z.string().transform(normaliseUsername).pipe(z.string().regex(USERNAME, 'not a valid user name')),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  units: z.array(z.string().regex(UNIT_ID)).max(500).default([]),
  password: z.string()
});
export type NewUser = z.input<typeof newUserInput>;

const newUnitInput = z.object({
  unitId: z.string().regex(UNIT_ID, 'not a valid unit id'),
  name: z.object({ th: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }),
  kind: z.enum(UNIT_KINDS)
});
export type NewUnit = z.input<typeof newUnitInput>;

const systemDb = (storage: StoragePort) => storage.openDatabase(SYSTEM_DB);

/** Creates an account. Throws StoreError 409 when the user name is taken. */
export async function createUser(storage: StoragePort, input: NewUser): Promise<UserDoc> {
  const data = newUserInput.parse(input);
  const doc: UserDoc = {
    _id: userDocId(data.username),
    type: 'user',
    username: data.username,
    displayName: data.displayName,
    role: data.role,
    units: [...new Set(data.units)],
    passwordHash: await hashPassword(data.password)
  };
  const result = await systemDb(storage).put({ ...doc });
  return { ...doc, _rev: result.rev };
}

/** Creates a unit and its database. Throws StoreError 409 when the unit exists. */
export async function createUnit(storage: StoragePort, input: NewUnit): Promise<UnitDoc> {
  const data = newUnitInput.parse(input);
  const doc: UnitDoc = { _id: unitDocId(data.unitId), type: 'unit', unitId: data.unitId, name: data.name, kind: data.kind };
  // The database first: a unit document always has its database behind it.
  await storage.createDatabase(unitDatabaseName(data.unitId));
  const result = await systemDb(storage).put({ ...doc });
  return { ...doc, _rev: result.rev };
}

export async function findUser(system: DocumentStore, username: string): Promise<UserDoc | null> {
  const name = normaliseUsername(username);
  if (!USERNAME.test(name)) return null;
  try {
    const doc = (await system.get(userDocId(name))) as unknown as UserDoc;
    return doc.type === 'user' ? doc : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function findUnit(system: DocumentStore, unitId: string): Promise<UnitDoc | null> {
  if (!UNIT_ID.test(unitId)) return null;
  try {
    const doc = (await system.get(unitDocId(unitId))) as unknown as UnitDoc;
    return doc.type === 'unit' ? doc : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** The unit documents that exist among `unitIds`, in the order given. */
export async function findUnits(system: DocumentStore, unitIds: string[]): Promise<UnitDoc[]> {
  if (unitIds.length === 0) return [];
  const { rows } = await system.allDocs({ keys: unitIds.map(unitDocId), include_docs: true });
  return rows.flatMap((row) => (row.doc && (row.doc as { type?: string }).type === 'unit' ? [row.doc as unknown as UnitDoc] : []));
}

export async function hasAnyUser(system: DocumentStore): Promise<boolean> {
  const { rows } = await system.allDocs({ startkey: 'user:', endkey: 'user:\ufff0', limit: 1 });
  return rows.length > 0;
}

/**
 * On an empty store, creates `admin` with a random password and returns that password so the
 * caller can show it once. Returns null when any account already exists.
 */
export async function ensureInitialAdmin(storage: StoragePort): Promise<string | null> {
  if (await hasAnyUser(systemDb(storage))) return null;
  const password = randomPassword();
  try {
    await createUser(storage, { username: 'admin', displayName: 'Administrator', role: 'admin', units: [], password });
  } catch (e) {
    if (e instanceof StoreError && e.status === 409) return null; // another instance was quicker
    throw e;
  }
  return password;
}

/** What the app is told about the signed-in user (never the hash). */
export interface SessionInfo {
  user: { username: string; displayName: string; role: Role };
  units: Array<{ id: string; name: { th: string; en: string }; kind: UnitKind }>;
}

export async function sessionInfo(system: DocumentStore, user: UserDoc): Promise<SessionInfo> {
  const units = await findUnits(system, user.units);
  return {
    user: { username: user.username, displayName: user.displayName, role: user.role },
    units: units.map((u) => ({ id: u.unitId, name: u.name, kind: u.kind }))
  };
}
