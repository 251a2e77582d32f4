/**
 * The reads screens make of the signed-in account's local data, by name. Screens import these
 * instead of the databases (an ESLint rule keeps it so): the storage behind them (Dexie tables,
 * the PouchDB replica, their indexes) can change without touching a screen.
 */
import { localDb, type ConflictRow, type Draft, type JournalEntry, type OutboxEntry, type PersonRow } from './local-db.ts';
import { photoIdOf } from './followup-records.ts';
import { replicaFor } from './replica.ts';
import { screenRead } from './screen-reads.ts';

export type { ConflictRow, Draft, InterviewRow, JournalEntry, OutboxEntry, PersonRow, ServiceEventRow } from './local-db.ts';

/** The unit's unsaved drafts, newest first. */
export const draftsOfUnit = (unitId: string): Promise<Draft[]> =>
  localDb.drafts.where('unitId').equals(unitId).reverse().sortBy('updatedAt');

/** Saves of the unit not yet confirmed by the server. */
export const outboxOfUnit = (unitId: string): Promise<OutboxEntry[]> => localDb.outbox.where('unitId').equals(unitId).toArray();

/** Conflicts recorded for the unit (open or resolved: the caller decides). */
export const conflictsOfUnit = (unitId: string): Promise<ConflictRow[]> =>
  localDb.conflicts.where('unitId').equals(unitId).toArray();
export const conflictRow = (docId: string): Promise<ConflictRow | undefined> => localDb.conflicts.get(docId);

/** The unit's latest sync journal entries, newest first. */
export const recentJournal = async (unitId: string, count: number): Promise<JournalEntry[]> =>
  (await localDb.journal.where('unitId').equals(unitId).reverse().sortBy('at')).slice(0, count);

export const personRow = (personId: string): Promise<PersonRow | undefined> => localDb.people.get(personId);
/** The unit's people, most recently changed first (a Dexie collection: the home list pages through it). */
export const peopleByUpdated = (unitId: string) =>
  localDb.people.where('[unitId+updatedAt]').between([unitId, ''], [unitId, '\uffff']);

export const interviewRow = (docId: string) => localDb.interviews.get(docId);
/** Everything recorded about these people (one person, or a merged record's several ids). */
export const interviewsOf = (personIds: string[]) => localDb.interviews.where('personId').anyOf(personIds).toArray();
export const followupsOf = (personIds: string[]) => localDb.followups.where('personId').anyOf(personIds).toArray();
export const episodesOf = (personIds: string[]) => localDb.episodes.where('personId').anyOf(personIds).toArray();
export const noncomplianceOf = (personIds: string[]) => localDb.noncompliance.where('personId').anyOf(personIds).toArray();
/** Service records (CARE 03 / 04, referrals, assistance requests, hand-over requests) of these people. */
export const serviceEventsOf = (personIds: string[]) => localDb.serviceEvents.where('personId').anyOf(personIds).toArray();

/**
 * Calls `onChange` whenever one of these documents changes in the unit's replica (e.g. synced in
 * from the server after the screen read it). Returns the function that stops watching.
 */
export function watchDocs(unitId: string, docIds: string[], onChange: () => void): () => void {
  let cancelled = false;
  let feed: { cancel(): void } | undefined;
  void screenRead(() => replicaFor(unitId)).then((db) => {
    if (cancelled) return;
    const changes = db.changes({ since: 'now', live: true, doc_ids: docIds });
    changes.on('change', onChange);
    feed = changes;
  });
  return () => {
    cancelled = true;
    feed?.cancel();
  };
}

/**
 * Calls `onChange` whenever the person's photo document changes in the unit's replica (a photo
 * synced in from another tablet shows at once). Returns the function that stops watching.
 */
export const watchPhoto = (unitId: string, personId: string, onChange: () => void): (() => void) =>
  watchDocs(unitId, [photoIdOf(personId)], onChange);
