/**
 * Completes the audit entries a crash left as intents (audit.ts: a process killed between the
 * store write and the audit completion leaves `status: 'intent'`). At start-up, and once more
 * when the grace period has passed, the server reads the recent entries, newest hour first and
 * a bounded number of them, and settles each intent by asking the unit database: revisions it
 * names that are there are listed as stored and the entry is marked complete ("recovered at
 * start"); if none is there, the entry is marked `not-written`.
 *
 * Safe with several instances: only intents older than LIMITS.auditRepairGraceMs are touched
 * (a live instance completes its own well within that), each is updated with the revision it
 * was read at, so two instances repairing at once write it once and the other's put conflicts
 * and is skipped; the result is the same whichever wins.
 */
import { LIMITS } from './config.ts';
import { isConflict, isNotFound, type DocumentStore, type StoragePort, type StoredDoc } from './storage/port.ts';
import { unitDatabaseName } from './system-db.ts';

const HOUR_MS = 3_600_000;

interface IntentEntry extends StoredDoc {
  status: 'intent';
  unitId: string;
  newEdits: boolean;
  writing: Array<{ id: string; rev?: string }>;
}

export interface RepairSummary {
  /** Entries read (complete ones included). */
  scanned: number;
  recovered: number;
  notWritten: number;
  /** Settled by another instance first (its put conflicted). */
  skipped: number;
}

const isIntent = (doc: unknown): doc is IntentEntry =>
  typeof doc === 'object' &&
  doc !== null &&
  (doc as { status?: unknown }).status === 'intent' &&
  typeof (doc as { unitId?: unknown }).unitId === 'string' &&
  Array.isArray((doc as { writing?: unknown }).writing);

const generation = (rev: string) => Number.parseInt(rev, 10);

/** Which of the intended revisions the unit database holds. */
async function landed(storage: StoragePort, entry: IntentEntry): Promise<Array<{ id: string; rev?: string }>> {
  const db = storage.openDatabase(unitDatabaseName(entry.unitId));
  const named = entry.writing.filter((w) => w.id !== '(malformed id)');
  if (!entry.newEdits) {
    // Replication writes keep the revisions they were sent with: ask for exactly those.
    const withRev = named.filter((w): w is { id: string; rev: string } => typeof w.rev === 'string');
    const request: Record<string, string[]> = {};
    for (const w of withRev) (request[w.id] ??= []).push(w.rev);
    const missing = withRev.length ? await db.revsDiff(request) : {};
    return withRev.filter((w) => !missing[w.id]?.missing.includes(w.rev));
  }
  // new_edits=true names the base revision; the store chose the new one. Written if the
  // document now exists past that base (or exists at all, for a first revision).
  const found: Array<{ id: string; rev?: string }> = [];
  for (const w of named) {
    try {
      const doc = (await db.get(w.id)) as StoredDoc;
      const current = String(doc._rev);
      if (w.rev === undefined || generation(current) > generation(w.rev)) found.push({ id: w.id, rev: current });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return found;
}

async function settle(
  storage: StoragePort,
  audit: DocumentStore,
  entry: IntentEntry,
  now: Date
): Promise<'recovered' | 'notWritten' | 'skipped'> {
  const stored = await landed(storage, entry);
  const { writing, ...rest } = entry;
  const storedKeys = new Set(stored.map((s) => s.id));
  const notWritten = writing.filter((w) => !storedKeys.has(w.id));
  const settled: StoredDoc = stored.length
    ? {
        ...rest,
        status: 'complete',
        recovered: 'recovered at start',
        completedAt: now.toISOString(),
        accepted: stored.length,
        stored,
        notWritten
      }
    : {
        ...rest,
        status: 'not-written',
        recovered: 'recovered at start',
        completedAt: now.toISOString(),
        accepted: 0,
        stored: [],
        notWritten
      };
  try {
    await audit.put(settled);
  } catch (e) {
    if (isConflict(e)) return 'skipped';
    throw e;
  }
  return stored.length ? 'recovered' : 'notWritten';
}

/** One pass over the recent entries: every intent older than the grace period is settled. */
export async function repairInterruptedWrites(
  storage: StoragePort,
  audit: DocumentStore,
  options: { now?: Date; graceMs?: number; hours?: number; maxEntries?: number } = {}
): Promise<RepairSummary> {
  const now = options.now ?? new Date();
  const newest = now.getTime() - (options.graceMs ?? LIMITS.auditRepairGraceMs);
  const hours = options.hours ?? LIMITS.auditRepairHours;
  const maxEntries = options.maxEntries ?? LIMITS.auditRepairEntries;
  const summary: RepairSummary = { scanned: 0, recovered: 0, notWritten: 0, skipped: 0 };
  // The store lists keys ascending only: walk back an hour at a time, so the newest are read first.
  for (let h = 0; h < hours && summary.scanned < maxEntries; h++) {
    const until = new Date(newest - h * HOUR_MS).toISOString();
    const from = new Date(newest - (h + 1) * HOUR_MS).toISOString();
    const page = await audit.allDocs({
      startkey: `write:${from}`,
      endkey: `write:${until}`,
      include_docs: true,
      limit: maxEntries - summary.scanned
    });
    summary.scanned += page.rows.length;
    for (const row of page.rows) {
      if (!isIntent(row.doc)) continue;
      summary[await settle(storage, audit, row.doc, now)]++;
    }
  }
  return summary;
}
