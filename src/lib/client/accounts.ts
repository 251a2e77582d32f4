/**
 * The accounts known on this tablet and the data each one owns. A user's replicas and Dexie data
 * are theirs alone (named by a hash of the user name), so a second user on a shared tablet never
 * sees the first one's drafts, outbox or records, and one account's unsynced work is never pushed
 * under another's session. Offline sign-in checks the local verifier made at the last online one.
 */
import { Dexie } from 'dexie';
import type { SessionInfo } from './api.ts';
import {
  DEFAULT_IDLE_LOCK_SECONDS,
  LEGACY_DB_NAME,
  LEGACY_REPLICA_PREFIX,
  type DeviceDb,
  type KnownAccount
} from './device-db.ts';
import { LocalDb } from './local-db.ts';
import { Outbox } from './outbox.ts';
import { accountKey, checkVerifier, makeVerifier, type Verifier } from './verifier.ts';

/** Device setting: the server ordered this lost device wiped and the wipe has not finished. */
export const WIPE_ORDERED = 'wipe-ordered';

/** The server's session answer, in either shape it has had (user nested or flat). */
export interface NormalizedSession {
  user: { username: string; displayName: string; role: string };
  units: SessionInfo['units'];
  mustChangePassword: boolean;
  idleLockSeconds: number;
}

export function normalizeSessionInfo(info: unknown): NormalizedSession {
  const i = (info ?? {}) as Record<string, unknown> & { user?: Record<string, unknown> };
  const u = (i.user ?? i) as Record<string, unknown>;
  const idle = Number(i.idleLockSeconds);
  return {
    user: {
      username: String(u.username ?? ''),
      displayName: String(u.displayName ?? u.username ?? ''),
      role: String(u.role ?? '')
    },
    units: Array.isArray(i.units) ? (i.units as SessionInfo['units']) : [],
    mustChangePassword: i.mustChangePassword === true,
    // Bounded: a lock after less than 10 s or more than a day is a misconfiguration.
    idleLockSeconds: Number.isFinite(idle) && idle >= 10 && idle <= 86_400 ? idle : DEFAULT_IDLE_LOCK_SECONDS
  };
}

/** What a replica library must offer to delete an account's replicas. */
export interface ReplicaDestroyer {
  destroy(name: string): Promise<void>;
  /** Names of replicas on the device starting with `prefix` (may be empty when unknown). */
  list(prefix: string): Promise<string[]>;
}

export interface PendingWork {
  username: string;
  displayName: string;
  count: number;
}

export class AccountStore {
  constructor(
    private readonly device: DeviceDb,
    private readonly replicas: ReplicaDestroyer
  ) {}

  get(username: string): Promise<KnownAccount | undefined> {
    return this.device.accounts.get(username);
  }

  list(): Promise<KnownAccount[]> {
    return this.device.accounts.toArray();
  }

  /** After the server accepted the password: remember the account and a fresh verifier of it. */
  async recordOnlineSignIn(info: NormalizedSession, password: string, verifier?: Verifier): Promise<KnownAccount> {
    const username = info.user.username;
    const existing = await this.get(username);
    const key = await accountKey(username);
    const account: KnownAccount = {
      ...existing,
      username,
      displayName: info.user.displayName,
      role: info.user.role,
      units: info.units,
      dbName: existing?.dbName ?? `care-field-${key}`,
      replicaPrefix: existing?.replicaPrefix ?? `care-${key}-unit-`,
      verifier: verifier ?? (await makeVerifier(password)),
      idleLockSeconds: info.idleLockSeconds,
      lastOnlineSignInAt: new Date().toISOString()
    };
    await this.device.accounts.put(account);
    return account;
  }

  /** Refreshes role, units and settings from a server answer, keeping the verifiers. */
  async refresh(info: NormalizedSession): Promise<KnownAccount | undefined> {
    const existing = await this.get(info.user.username);
    if (!existing) return undefined;
    const account = {
      ...existing,
      displayName: info.user.displayName,
      role: info.user.role,
      units: info.units,
      idleLockSeconds: info.idleLockSeconds
    };
    await this.device.accounts.put(account);
    return account;
  }

  /** The account, when this password matches its local verifier. */
  async verifyOffline(username: string, password: string): Promise<KnownAccount | null> {
    const account = await this.get(username);
    if (!account?.verifier) return null;
    return (await checkVerifier(password, account.verifier)) ? account : null;
  }

  /** Unlocks with the password or, when one is set, the PIN. */
  async checkUnlock(username: string, secret: string): Promise<boolean> {
    const account = await this.get(username);
    if (!account) return false;
    if (account.pinVerifier && /^\d+$/.test(secret) && (await checkVerifier(secret, account.pinVerifier))) return true;
    return account.verifier ? checkVerifier(secret, account.verifier) : false;
  }

  async setPin(username: string, pin: string): Promise<void> {
    const pinVerifier = await makeVerifier(pin);
    await this.device.accounts.update(username, { pinVerifier });
  }

  /** Saves of an account not yet confirmed by the server (pending or refused), oldest first. */
  async outboxOf(account: KnownAccount, open: LocalDb | null = null) {
    const db = open ?? new LocalDb(account.dbName);
    try {
      return await new Outbox(db).unsent();
    } finally {
      if (!open) db.close();
    }
  }

  /** Every account with work on this tablet the server has not confirmed yet. */
  async pendingWork(): Promise<PendingWork[]> {
    const out: PendingWork[] = [];
    for (const account of await this.list()) {
      if (!(await Dexie.exists(account.dbName))) continue;
      const count = (await this.outboxOf(account)).length;
      if (count > 0) out.push({ username: account.username, displayName: account.displayName, count });
    }
    return out;
  }

  /**
   * Deletes the account's Dexie database and replicas and forgets the account (and its
   * verifiers). The caller has checked that nothing is waiting to be sent.
   */
  async removeAccountData(account: KnownAccount): Promise<void> {
    const names = new Set([
      ...account.units.map((u) => account.replicaPrefix + u.id),
      ...(await this.replicas.list(account.replicaPrefix))
    ]);
    for (const name of names) await this.replicas.destroy(name);
    await Dexie.delete(account.dbName);
    await this.device.accounts.delete(account.username);
  }

  /**
   * The server's order to wipe this lost device, recorded before the wipe starts and cleared only
   * by a wipe that finished (`wipeAll`): one cut off by an error or a switched-off tablet is
   * finished at the next start, before any account opens. Nothing else sets it, so no data is
   * ever deleted at start but on that order.
   */
  async orderWipe(): Promise<void> {
    await this.device.set(WIPE_ORDERED, true);
  }

  async wipeOrdered(): Promise<boolean> {
    return (await this.device.get<boolean>(WIPE_ORDERED)) === true;
  }

  /** Lost device: every account's data goes, and the single-account data from before. */
  async wipeAll(): Promise<void> {
    for (const account of await this.list()) await this.removeAccountData(account);
    for (const name of await this.replicas.list(LEGACY_REPLICA_PREFIX)) await this.replicas.destroy(name);
    for (const name of await this.replicas.list('care-')) await this.replicas.destroy(name);
    await Dexie.delete(LEGACY_DB_NAME);
    await this.device.settings.delete('current-session');
    await this.device.settings.delete(WIPE_ORDERED);
  }

  /**
   * First start after the update: the single-account data (Dexie `care-field`, replicas
   * `care-unit-<unit>`) becomes the data of the account signed in then. It keeps its database
   * names, so nothing is copied and nothing can be lost on the way. Without a stored session
   * nobody can be told the owner, so the data is left where it is.
   */
  async migrateLegacy(): Promise<KnownAccount | null> {
    if (await this.device.get<boolean>('legacy-checked')) return null;
    let migrated: KnownAccount | null = null;
    if (await Dexie.exists(LEGACY_DB_NAME)) {
      const legacy = new LocalDb(LEGACY_DB_NAME);
      try {
        const old = (await legacy.settings.get('session'))?.value as
          | {
              user?: { username?: string; displayName?: string; role?: string };
              units?: SessionInfo['units'];
              activeUnitId?: string;
            }
          | undefined;
        const username = old?.user?.username;
        if (username && !(await this.get(username))) {
          migrated = {
            username,
            displayName: old.user?.displayName ?? username,
            role: old.user?.role ?? '',
            units: old.units ?? [],
            dbName: LEGACY_DB_NAME,
            replicaPrefix: LEGACY_REPLICA_PREFIX,
            idleLockSeconds: DEFAULT_IDLE_LOCK_SECONDS
          };
          await this.device.accounts.put(migrated);
          await this.device.set('current-session', {
            username,
            activeUnitId: old.activeUnitId ?? old.units?.[0]?.id ?? '',
            signedInAt: new Date().toISOString(),
            locked: false,
            failedUnlocks: 0,
            mustChangePassword: false
          });
          await legacy.settings.delete('session');
        }
      } finally {
        legacy.close();
      }
    }
    await this.device.set('legacy-checked', true);
    return migrated;
  }
}
