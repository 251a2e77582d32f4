/**
 * Dexie: what never leaves the device (drafts, the sync journal, the outbox of unconfirmed
 * saves, settings) and the query projection the screens read through liveQuery. The projection
 * is rebuilt from the PouchDB replica (the record of truth) whenever it is missing or stale.
 * Each account has its own database (accounts.ts); `localDb` is the signed-in account's.
 */
import { Dexie, type EntityTable } from 'dexie';

export interface Setting {
  key: string;
  value: unknown;
}

export interface Draft {
  key: string; // 'care01:<uuid>' or 'person:<uuid>': the document the draft will become
  unitId: string;
  /** Human hint for the drafts list (a name the officer typed), never synced. */
  title: string;
  /** The route to reopen the form. */
  href: string;
  data: unknown;
  /** The revision the edit started from, to notice a record changed underneath. */
  baseRev?: string;
  updatedAt: string;
}

/** A save not yet confirmed by the server (or refused by it, with the reason). */
export interface OutboxEntry {
  docId: string;
  unitId: string;
  rev: string;
  savedAt: string;
  status: 'pending' | 'refused';
  reason?: string;
}

export interface JournalEntry {
  id?: number;
  unitId: string;
  at: string;
  kind: 'synced' | 'error' | 'refused' | 'started' | 'offline';
  message: string;
}

export interface PersonRow {
  id: string; // person:<uuid>
  unitId: string;
  prisonerId: string;
  name: string;
  nationalId: string;
  /** Lower-cased name, prisoner ID and national ID digits: what the search box matches. */
  searchText: string;
  updatedAt: string;
  interviewCount: number;
  latestInterviewId?: string;
  latestInterviewDate?: string;
  /** Completeness of the person with their latest interview (or the person alone). */
  complete: boolean;
  missingCount: number;
  /** Village, sub-district, district of where the person lives now (domain/address-area.ts). */
  area?: string;
  /** Merged into another record (duplicates.ts): its work shows under that one. */
  mergedInto?: string;
}

export interface InterviewRow {
  id: string; // care01:<uuid>
  unitId: string;
  personId: string;
  interviewDate: string;
  updatedAt: string;
  complete: boolean;
  missingCount: number;
}

export interface FollowUpRow {
  id: string; // followup:<uuid>
  unitId: string;
  personId: string;
  visitDate: string;
  recordedAt: string;
  method: string;
  visitor: string;
}

export interface EpisodeRow {
  id: string; // episode:<uuid>
  unitId: string;
  personId: string;
  releaseDate: string;
  supervisionStart?: string;
  supervisionEnd?: string;
  classificationLevel?: string;
  conditionsAcknowledged: boolean;
}

/** A non-compliance event (missed appointment, conditions not acknowledged) for the worklist. */
export interface NonComplianceRow {
  id: string; // noncompliance:<uuid>
  unitId: string;
  personId: string;
  kind: string;
  occurredOn: string;
}

/**
 * A service record of a person (CARE 03 / 04 visit, referral, assistance request, hand-over
 * request) as the timeline shows it: its kind, its day and the codes of a short label. The
 * document itself stays in the replica (projection-services.ts builds these rows).
 */
export interface ServiceEventRow {
  id: string; // care03:/care04:/referral:/request:/handoverrequest:<uuid>
  unitId: string;
  personId: string;
  kind: 'care03' | 'care04' | 'referral' | 'request' | 'handoverrequest';
  /** The day the timeline files it under (visit, referral sent, request filed, hand-over asked). */
  on: string;
  /** CARE 03 / 04: the services given (SERVICE_KINDS codes). */
  services?: string[];
  /** CARE 04: the relative who came. */
  relativeName?: string;
  /** Referral: catalog ids, the current status and the date it is expected by. */
  agencyId?: string;
  serviceId?: string;
  status?: string;
  expectedBy?: string;
  /** Assistance request: its kind and when its last step was taken; `status` holds its current state. */
  requestKind?: string;
  lastStepAt?: string;
  /** Hand-over request: the receiving office, and when it was recorded (the latest one counts). */
  toUnitId?: string;
  requestedAt?: string;
}

/** A document with conflicting revisions on this device, waiting for the officer to merge. */
export interface ConflictRow {
  docId: string;
  unitId: string;
  type: string;
  /** A name to list it by (never synced). */
  title: string;
  conflictRevs: string[];
  detectedAt: string;
}

export class LocalDb extends Dexie {
  settings!: EntityTable<Setting, 'key'>;
  drafts!: EntityTable<Draft, 'key'>;
  outbox!: EntityTable<OutboxEntry, 'docId'>;
  journal!: EntityTable<JournalEntry, 'id'>;
  people!: EntityTable<PersonRow, 'id'>;
  interviews!: EntityTable<InterviewRow, 'id'>;
  followups!: EntityTable<FollowUpRow, 'id'>;
  episodes!: EntityTable<EpisodeRow, 'id'>;
  conflicts!: EntityTable<ConflictRow, 'docId'>;
  noncompliance!: EntityTable<NonComplianceRow, 'id'>;
  serviceEvents!: EntityTable<ServiceEventRow, 'id'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      settings: 'key',
      drafts: 'key, unitId, updatedAt',
      outbox: 'docId, unitId, status',
      journal: '++id, unitId, at',
      people: 'id, unitId, [unitId+updatedAt]',
      interviews: 'id, unitId, personId'
    });
    // Follow-up work (projection rows) and conflicts waiting for a merge.
    this.version(2).stores({
      followups: 'id, unitId, personId, visitDate',
      episodes: 'id, unitId, personId',
      conflicts: 'docId, unitId'
    });
    // Non-compliance events, projected for the caseload worklist.
    this.version(3).stores({ noncompliance: 'id, unitId, personId' });
    // Service records for the person's timeline (projection-services.ts).
    this.version(4).stores({ serviceEvents: 'id, unitId, personId' });
  }
}

/** Before anyone signs in nothing reads it; it is never written to. */
const NO_ACCOUNT_DB = 'care-field-no-account';

/**
 * The signed-in account's database. A live binding: importers see the account switch made by
 * `useLocalDb` (signing in), so screens never hold on to another account's data.
 */
export let localDb: LocalDb = new LocalDb(NO_ACCOUNT_DB);

/** Points `localDb` at an account's database (closing the previous one). */
export function useLocalDb(name: string | null): LocalDb {
  const target = name ?? NO_ACCOUNT_DB;
  if (localDb.name !== target) {
    localDb.close();
    localDb = new LocalDb(target);
  }
  return localDb;
}

export async function getSetting<T>(key: string): Promise<T | undefined> {
  return (await localDb.settings.get(key))?.value as T | undefined;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await localDb.settings.put({ key, value });
}
