/** What the routes share: storage handles and the few settings they need. No per-user state. */
import type { SessionSettings } from './auth/sessions.ts';
import type { LoginThrottle } from './auth/throttle.ts';
import type { VersionPolicy } from '../src/lib/domain/schema-versions.ts';
import type { DocumentStore, StoragePort } from './storage/port.ts';

export interface ServerContext {
  storage: StoragePort;
  system: DocumentStore;
  audit: DocumentStore;
  throttle: LoginThrottle;
  /** Stable across restarts; PouchDB builds replication ids from it. */
  serverUuid: string;
  /** Force the Secure cookie flag (TLS ends at a proxy); https requests get it anyway. */
  cookieSecure: boolean;
  longpollMaxMs: number;
  /** Session lifetimes (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS). */
  sessionSettings: SessionSettings;
  /** Seconds without use before the tablet locks its screen (IDLE_LOCK_SECONDS); told to the app at sign-in. */
  idleLockSeconds: number;
  /** Schema versions accepted (N−1, N) and the upgrades served on read (docs/schema-versions.md). */
  versions: VersionPolicy;
}
