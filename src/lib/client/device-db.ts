/**
 * The one small device-level database: which accounts have signed in on this tablet (with their
 * local verifiers and where their data lives), who is signed in now, and the device id. Everything
 * else (replicas, drafts, outbox, projection) lives in per-account databases named here.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { UnitInfo } from './api.ts';
import type { Verifier } from './verifier.ts';

export const DEVICE_DB_NAME = 'care-field-device';
/** Where the app kept its single-account data before accounts had their own databases. */
export const LEGACY_DB_NAME = 'care-field';
export const LEGACY_REPLICA_PREFIX = 'care-unit-';
export const DEFAULT_IDLE_LOCK_SECONDS = 300;

export interface KnownAccount {
  username: string;
  displayName: string;
  role: string;
  units: UnitInfo[];
  /** Dexie database of this account (drafts, outbox, journal, projection, settings). */
  dbName: string;
  /** PouchDB replica of unit U is `${replicaPrefix}${U}`. */
  replicaPrefix: string;
  /** Set at each online sign-in; absent for an account migrated from before verifiers. */
  verifier?: Verifier;
  pinVerifier?: Verifier;
  idleLockSeconds: number;
  lastOnlineSignInAt?: string;
  /** The unit the account worked in last, to open it again. */
  activeUnitId?: string;
}

/** Who is signed in on the tablet now (the local session). */
export interface CurrentSession {
  username: string;
  activeUnitId: string;
  signedInAt: string;
  /** The idle lock is on: a reload must not open the app without the password or PIN. */
  locked: boolean;
  /** Wrong passwords/PINs in a row on the lock screen. */
  failedUnlocks: number;
  mustChangePassword: boolean;
}

interface DeviceSetting {
  key: string;
  value: unknown;
}

export class DeviceDb extends Dexie {
  accounts!: EntityTable<KnownAccount, 'username'>;
  settings!: EntityTable<DeviceSetting, 'key'>;

  constructor(name = DEVICE_DB_NAME) {
    super(name);
    this.version(1).stores({ accounts: 'username', settings: 'key' });
  }

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.settings.get(key))?.value as T | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.settings.put({ key, value });
  }

  /** A random v4 UUID made once per device and sent as X-Device-Id. */
  async deviceId(): Promise<string> {
    return this.transaction('rw', this.settings, async () => {
      const existing = await this.get<string>('device-id');
      if (existing) return existing;
      const id = crypto.randomUUID();
      await this.set('device-id', id);
      return id;
    });
  }
}
