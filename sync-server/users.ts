/**
 * Accounts and the organisation tree, stored in the `system` database. The access rule itself
 * is in src/lib/domain/access.ts; scope.ts is where the server asks it.
 */
import type { AccountDuty } from '../src/lib/domain/services/assistance-request.ts';
import { z } from 'zod';
import {
  buildTree,
  isDataUnitKind,
  NODE_KINDS,
  parentProblem,
  placementProblem,
  ROLES,
  type NodeKind,
  type Role,
  type UnitKind,
  type UnitTree
} from '../src/lib/domain/access.ts';
import { checkPasswordPolicy } from '../src/lib/domain/password-policy.ts';
import { UNIT_ID } from '../src/lib/domain/schemas.ts';
import { BadInput, parseInput } from './admin/bad-input.ts';
import { hashPassword, randomPassword } from './auth/passwords.ts';
import { isNotFound, StoreError, type DocumentStore, type StoragePort } from './storage/port.ts';
import { SYSTEM_DB, unitDatabaseName } from './system-db.ts';

export { ROLES, NODE_KINDS, type Role, type NodeKind, type UnitKind };

export interface UserDoc {
  _id: string;
  _rev?: string;
  type: 'user';
  username: string;
  displayName: string;
  role: Role;
  /** Where the account is placed in the tree (access.ts `Placement`). */
  units: string[];
  passwordHash: string;
  /** Set by a one-time password (first administrator, a reset): every endpoint but a few answers 403 until changed. */
  mustChangePassword?: boolean;
  /** When an administrator disabled the account; its sessions and Basic credentials stop at once. */
  disabledAt?: string;
  createdAt?: string;
  updatedAt?: string;
  passwordChangedAt?: string;
  /** Request steps this account holds beyond its role (assistance-request.ts ACCOUNT_DUTIES); officers only. */
  duties?: AccountDuty[];
}

export interface UnitHistoryEntry {
  at: string;
  by: string;
  action: 'create' | 'rename' | 'move' | 'close' | 'reopen';
  why: string;
  from?: unknown;
  to?: unknown;
}

export interface UnitDoc {
  _id: string;
  _rev?: string;
  type: 'unit';
  unitId: string;
  name: { th: string; en: string };
  kind: NodeKind;
  /** The node above; null or absent: at the top (units made before the tree existed). */
  parentId?: string | null;
  closedAt?: string;
  /** What administrators changed, newest last (the audit log has every entry too). */
  history?: UnitHistoryEntry[];
}

/** User names are matched case-insensitively: stored lower-case, typed any way. */
export const USERNAME = /^[a-z0-9._-]{2,64}$/;
export const normaliseUsername = (name: string) => name.trim().toLowerCase();

export const userDocId = (username: string) => `user:${username}`;
export const unitDocId = (unitId: string) => `unit:${unitId}`;

const unitName = z.object({ th: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });

const newUserInput = z.object({
  username: z
    .string()
    .max(100)
    .transform(normaliseUsername)
    .pipe(z.string().regex(USERNAME, 'not a valid user name (a-z 0-9 . _ -)')),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  units: z.array(z.string().regex(UNIT_ID)).max(500).default([]),
  password: z.string().max(1024)
});
export type NewUser = z.input<typeof newUserInput>;

const newUnitInput = z.object({
  unitId: z.string().regex(UNIT_ID, 'not a valid unit id (a-z 0-9 -, 2 to 63 characters)'),
  name: unitName,
  kind: z.enum(NODE_KINDS),
  parentId: z.string().regex(UNIT_ID).nullable().default(null)
});
export type NewUnit = z.input<typeof newUnitInput>;

export const systemDb = (storage: StoragePort) => storage.openDatabase(SYSTEM_DB);

/** Refuses a password outside the policy (password-policy.ts), naming `field`. */
export function requirePasswordPolicy(password: string, field: string, username?: string): void {
  const verdict = checkPasswordPolicy(password, field, username);
  if (!verdict.ok) throw new BadInput(verdict.field, verdict.th, verdict.en);
}

/**
 * Creates an account. Throws BadInput for input outside the rules (password policy, placement
 * in the tree) and StoreError 409 when the user name is taken.
 */
export async function createUser(
  storage: StoragePort,
  input: NewUser,
  options: { mustChangePassword?: boolean; now?: Date } = {}
): Promise<UserDoc> {
  const data = parseInput(newUserInput, input);
  requirePasswordPolicy(data.password, 'password', data.username);
  const units = [...new Set(data.units)];
  const problem = placementProblem(treeOf(await allUnits(systemDb(storage))), data.role, units);
  if (problem) throw new BadInput(problem.field, problem.th, problem.en);
  const now = (options.now ?? new Date()).toISOString();
  const doc: UserDoc = {
    _id: userDocId(data.username),
    type: 'user',
    username: data.username,
    displayName: data.displayName,
    role: data.role,
    units,
    passwordHash: await hashPassword(data.password),
    ...(options.mustChangePassword && { mustChangePassword: true }),
    createdAt: now,
    updatedAt: now,
    passwordChangedAt: now
  };
  const result = await systemDb(storage).put({ ...doc });
  return { ...doc, _rev: result.rev };
}

/** Creates a node of the tree, and a database when it holds case data. Throws StoreError 409 when it exists. */
export async function createUnit(
  storage: StoragePort,
  input: NewUnit,
  by = 'system',
  why = 'created',
  now = new Date()
): Promise<UnitDoc> {
  const data = parseInput(newUnitInput, input);
  const problem = parentProblem(treeOf(await allUnits(systemDb(storage))), data.kind, data.parentId);
  if (problem) throw new BadInput(problem.field, problem.th, problem.en);
  const doc: UnitDoc = {
    _id: unitDocId(data.unitId),
    type: 'unit',
    unitId: data.unitId,
    name: data.name,
    kind: data.kind,
    parentId: data.parentId,
    history: [{ at: now.toISOString(), by, action: 'create', why }]
  };
  // The database first: a data unit's document always has its database behind it.
  if (isDataUnitKind(data.kind)) await storage.createDatabase(unitDatabaseName(data.unitId));
  const result = await systemDb(storage).put({ ...doc });
  invalidateUnitTree();
  return { ...doc, _rev: result.rev };
}

async function getTyped<T extends { type: string }>(system: DocumentStore, id: string, type: T['type']): Promise<T | null> {
  try {
    const doc = (await system.get(id)) as unknown as T;
    return doc.type === type ? doc : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function findUser(system: DocumentStore, username: string): Promise<UserDoc | null> {
  const name = normaliseUsername(username);
  if (!USERNAME.test(name)) return null;
  return getTyped<UserDoc>(system, userDocId(name), 'user');
}

export async function findUnit(system: DocumentStore, unitId: string): Promise<UnitDoc | null> {
  if (!UNIT_ID.test(unitId)) return null;
  return getTyped<UnitDoc>(system, unitDocId(unitId), 'unit');
}

/** The unit documents that exist among `unitIds`, in the order given. */
export async function findUnits(system: DocumentStore, unitIds: string[]): Promise<UnitDoc[]> {
  if (unitIds.length === 0) return [];
  const { rows } = await system.allDocs({ keys: unitIds.map(unitDocId), include_docs: true });
  return rows.flatMap((row) =>
    row.doc && (row.doc as { type?: string }).type === 'unit' ? [row.doc as unknown as UnitDoc] : []
  );
}

export async function allUnits(system: DocumentStore): Promise<UnitDoc[]> {
  const { rows } = await system.allDocs({ startkey: 'unit:', endkey: 'unit:\ufff0', include_docs: true });
  return rows.flatMap((row) =>
    row.doc && (row.doc as { type?: string }).type === 'unit' ? [row.doc as unknown as UnitDoc] : []
  );
}

export async function allUsers(system: DocumentStore): Promise<UserDoc[]> {
  const { rows } = await system.allDocs({ startkey: 'user:', endkey: 'user:\ufff0', include_docs: true });
  return rows.flatMap((row) =>
    row.doc && (row.doc as { type?: string }).type === 'user' ? [row.doc as unknown as UserDoc] : []
  );
}

export const treeOf = (units: UnitDoc[]): UnitTree =>
  buildTree(units.map((u) => ({ id: u.unitId, parentId: u.parentId ?? null, kind: u.kind, closed: Boolean(u.closedAt) })));

/**
 * The tree, read at most every TREE_TTL_MS per store: every request asks the access rule, and
 * reading every unit each time would cost more than the request. Changes made through this
 * process are seen at once (invalidateUnitTree); another instance's after at most the TTL.
 */
const TREE_TTL_MS = 5_000;
const treeCache = new WeakMap<DocumentStore, { at: number; generation: number; tree: Promise<UnitTree> }>();
/**
 * Bumped by every change to the tree made in this process. A counter rather than deleting the
 * cache entry: a store may hand out a new handle object per openDatabase (the CouchDB adapter
 * does), so the handle that changed a unit need not be the one the routes read through.
 */
let treeGeneration = 0;

export function loadUnitTree(system: DocumentStore, now = Date.now()): Promise<UnitTree> {
  const cached = treeCache.get(system);
  if (cached && cached.generation === treeGeneration && now - cached.at < TREE_TTL_MS) return cached.tree;
  const tree = allUnits(system).then(treeOf);
  treeCache.set(system, { at: now, generation: treeGeneration, tree });
  tree.catch(() => treeCache.delete(system));
  return tree;
}

export function invalidateUnitTree(): void {
  treeGeneration++;
}

export async function hasAnyUser(system: DocumentStore): Promise<boolean> {
  const { rows } = await system.allDocs({ startkey: 'user:', endkey: 'user:\ufff0', limit: 1 });
  return rows.length > 0;
}

/**
 * On an empty store, creates `admin` with a one-time password (it must be changed at the first
 * sign-in) and returns it so the caller can show it once. Returns null when any account exists.
 */
export async function ensureInitialAdmin(storage: StoragePort): Promise<string | null> {
  if (await hasAnyUser(systemDb(storage))) return null;
  const password = randomPassword();
  try {
    await createUser(
      storage,
      { username: 'admin', displayName: 'Administrator', role: 'admin', units: [], password },
      { mustChangePassword: true }
    );
  } catch (e) {
    if (e instanceof StoreError && e.status === 409) return null; // another instance was quicker
    throw e;
  }
  return password;
}

/**
 * Changes an account by read-modify-write, retrying when another request changed it at the
 * same moment. Returns null when the account does not exist.
 */
export async function updateUser(
  system: DocumentStore,
  username: string,
  change: (doc: UserDoc) => UserDoc,
  now = new Date()
): Promise<UserDoc | null> {
  for (let attempt = 0; ; attempt++) {
    const current = await findUser(system, username);
    if (!current) return null;
    const next = { ...change(current), updatedAt: now.toISOString() };
    try {
      const { rev } = await system.put({ ...next });
      return { ...next, _rev: rev };
    } catch (e) {
      if (!(e instanceof StoreError && e.status === 409) || attempt >= 4) throw e;
    }
  }
}

/** Sets a new password hash (policy checked by the caller); `oneTime` makes the owner change it at the next sign-in. */
export async function setPassword(
  system: DocumentStore,
  username: string,
  password: string,
  oneTime: boolean,
  now = new Date()
): Promise<UserDoc | null> {
  const passwordHash = await hashPassword(password);
  return updateUser(
    system,
    username,
    (doc) => {
      const { mustChangePassword: _drop, ...rest } = doc;
      return { ...rest, passwordHash, passwordChangedAt: now.toISOString(), ...(oneTime && { mustChangePassword: true }) };
    },
    now
  );
}
