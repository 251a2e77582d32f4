/**
 * Keeps the Dexie query projection in step with the unit's PouchDB replica by following its
 * changes feed. Rows carry what the lists need (names, IDs, completeness); the documents stay
 * in PouchDB. The last processed sequence is stored, so a restart continues where it stopped and
 * deleting the projection rebuilds it from sequence 0.
 */
import {
  care01Completeness,
  formatNationalId,
  personCompleteness,
  TITLES,
  type Care01Doc,
  type EpisodeDoc,
  type FollowUpDoc,
  type NonComplianceDoc,
  type PersonDoc
} from '../domain/index.ts';
import { areaLine } from '../domain/address-area.ts';
import {
  getSetting,
  localDb,
  setSetting,
  type EpisodeRow,
  type FollowUpRow,
  type InterviewRow,
  type NonComplianceRow,
  type PersonRow
} from './local-db.ts';
import { replicaFor, type Replica } from './replica.ts';
import { readableDoc } from './version-policy.ts';
import { markProjectionCaughtUp } from './projection-status.svelte.ts';
import { projectServiceEvents } from './projection-services.ts';

const seqKey = (unitId: string) => `projection-seq:${unitId}`;
const versionKey = (unitId: string) => `projection-version:${unitId}`;
/**
 * Bumped when the projection starts to hold something it did not before (2: follow-ups, episodes,
 * non-compliance; 4: service records; 5: the area of the person's address): a device projected by
 * an older app rebuilds from sequence 0 once.
 */
const PROJECTION_VERSION = 5;
const BATCH = 200;
/** How long live changes are gathered before they are projected: short enough to feel instant. */
const LIVE_GATHER_MS = 150;

/**
 * Follow-up work rows carry exactly what the worklist rules (supervision standards, deadlines)
 * and the timeline read, not the whole document: the worklist reads every row of the unit on each
 * change, and IndexedDB read time grows with the bytes read (measured, see the perf e2e test).
 */
export type FollowUpProjection = FollowUpRow & Pick<FollowUpDoc, 'episodeId' | 'abnormalSituation'>;
export type EpisodeProjection = EpisodeRow & Pick<EpisodeDoc, 'releaseType' | 'electronicMonitoring'>;
export type NonComplianceProjection = NonComplianceRow &
  Pick<NonComplianceDoc, 'episodeId' | 'actions' | 'heldOnAnotherCase' | 'acknowledgeBy'>;
type ProjectedDoc = PersonDoc | Care01Doc | EpisodeDoc | FollowUpDoc | NonComplianceDoc | { type?: unknown; _id: string };

export function personSearchText(p: Pick<PersonDoc, 'firstName' | 'lastName' | 'prisonerId' | 'nationalId'>): string {
  const id = p.nationalId.status === 'number' ? p.nationalId.number : '';
  return `${p.firstName} ${p.lastName} ${p.prisonerId} ${id}`.toLowerCase();
}

function personName(p: PersonDoc): string {
  const title = p.title === 'other' ? (p.titleOther ?? '') : TITLES.label(p.title, 'th');
  return `${title}${p.firstName} ${p.lastName}`.trim();
}

/**
 * Builds the list rows of the given people from their documents and their projected interviews.
 * Reads are batched (one allDocs per kind) so a batch of 200 changes costs a few IndexedDB round
 * trips, not hundreds.
 */
async function buildPersonRows(db: Replica, unitId: string, personIds: string[]): Promise<PersonRow[]> {
  if (personIds.length === 0) return [];
  const people = await docsById<PersonDoc>(db, personIds);
  const interviews = await localDb.interviews
    .where('personId')
    .anyOf([...people.keys()])
    .toArray();
  const latestByPerson = new Map<string, InterviewRow>();
  const countByPerson = new Map<string, number>();
  for (const i of interviews) {
    countByPerson.set(i.personId, (countByPerson.get(i.personId) ?? 0) + 1);
    const best = latestByPerson.get(i.personId);
    if (!best || i.interviewDate > best.interviewDate) latestByPerson.set(i.personId, i);
  }
  const latestDocs = await docsById<Care01Doc>(
    db,
    [...latestByPerson.values()].map((i) => i.id)
  );
  const rows: PersonRow[] = [];
  for (const person of people.values()) {
    const latest = latestByPerson.get(person._id);
    const latestDoc = latest ? latestDocs.get(latest.id) : undefined;
    const completeness = latestDoc ? care01Completeness(person, latestDoc) : personCompleteness(person);
    // Where the person lives now: the address after release of the latest interview, else the registered one.
    const area = areaLine(latestDoc?.address) || areaLine(person.registeredAddress);
    rows.push({
      id: person._id,
      unitId,
      prisonerId: person.prisonerId,
      name: personName(person),
      nationalId: person.nationalId.status === 'number' ? formatNationalId(person.nationalId.number) : '',
      searchText: personSearchText(person),
      updatedAt: person.updatedAt,
      interviewCount: countByPerson.get(person._id) ?? 0,
      latestInterviewId: latest?.id,
      latestInterviewDate: latest?.interviewDate,
      complete: completeness.complete,
      missingCount: completeness.issues.length,
      ...(area ? { area } : {}),
      ...(person.mergedInto ? { mergedInto: person.mergedInto } : {})
    });
  }
  return rows;
}

/** The live (not deleted) documents among `ids`; a missing one (a person not synced yet) is skipped. */
async function docsById<T>(db: Replica, ids: string[]): Promise<Map<string, T & { _id: string }>> {
  const out = new Map<string, T & { _id: string }>();
  if (ids.length === 0) return out;
  const res = await db.allDocs({ keys: ids, include_docs: true });
  for (const r of res.rows) {
    const doc = 'doc' in r && r.doc ? readableDoc<T & { _id: string }>(r.doc) : undefined;
    if (doc) out.set(doc._id, doc);
  }
  return out;
}

async function applyChanges(db: Replica, unitId: string, docs: ProjectedDoc[]): Promise<void> {
  const touchedPeople = new Set<string>();
  const interviewRows: InterviewRow[] = [];
  const followUpRows: FollowUpProjection[] = [];
  const episodeRows: EpisodeProjection[] = [];
  const nonComplianceRows: NonComplianceProjection[] = [];
  const interviewPeople = await docsById<PersonDoc>(db, [
    ...new Set((docs as Care01Doc[]).filter((d) => d.type === 'care01').map((d) => d.personId))
  ]);
  for (const doc of docs as (PersonDoc | Care01Doc | EpisodeDoc | FollowUpDoc | NonComplianceDoc)[]) {
    if (doc.type === 'followup')
      followUpRows.push({
        id: doc._id,
        unitId,
        personId: doc.personId,
        visitDate: doc.visitDate,
        recordedAt: doc.recordedAt,
        method: doc.method,
        visitor: doc.visitor,
        episodeId: doc.episodeId,
        abnormalSituation: doc.abnormalSituation
      });
    if (doc.type === 'episode')
      episodeRows.push({
        id: doc._id,
        unitId,
        personId: doc.personId,
        releaseDate: doc.releaseDate,
        supervisionStart: doc.supervisionStart,
        supervisionEnd: doc.supervisionEnd,
        classificationLevel: doc.classificationLevel,
        conditionsAcknowledged: doc.conditionsAcknowledged,
        releaseType: doc.releaseType,
        electronicMonitoring: doc.electronicMonitoring
      });
    if (doc.type === 'noncompliance')
      nonComplianceRows.push({
        id: doc._id,
        unitId,
        personId: doc.personId,
        kind: doc.kind,
        occurredOn: doc.occurredOn,
        episodeId: doc.episodeId,
        actions: doc.actions,
        heldOnAnotherCase: doc.heldOnAnotherCase,
        acknowledgeBy: doc.acknowledgeBy
      });
    if (doc.type === 'person') touchedPeople.add(doc._id);
    if (doc.type === 'care01') {
      touchedPeople.add(doc.personId);
      // The person may not be here yet; their own change rebuilds the list row later.
      const person = interviewPeople.get(doc.personId);
      const c = person ? care01Completeness(person, doc) : undefined;
      const complete = c?.complete ?? false;
      const missing = c?.issues.length ?? 0;
      interviewRows.push({
        id: doc._id,
        unitId,
        personId: doc.personId,
        interviewDate: doc.interviewDate,
        updatedAt: doc.updatedAt,
        complete,
        missingCount: missing
      });
    }
  }
  // One transaction per table group and batch: every open liveQuery (the people list, the
  // worklist) re-reads once per batch, not once per document — per document made a first sync
  // of 20,000 people with the list open crawl (bench, step 5).
  const workTables = [localDb.interviews, localDb.followups, localDb.episodes, localDb.noncompliance];
  await localDb.transaction('rw', workTables, async () => {
    if (interviewRows.length) await localDb.interviews.bulkPut(interviewRows);
    if (followUpRows.length) await localDb.followups.bulkPut(followUpRows);
    if (episodeRows.length) await localDb.episodes.bulkPut(episodeRows);
    if (nonComplianceRows.length) await localDb.noncompliance.bulkPut(nonComplianceRows);
  });
  await projectServiceEvents(unitId, docs);
  const personRows = await buildPersonRows(db, unitId, [...touchedPeople]);
  if (personRows.length) await localDb.people.bulkPut(personRows);
}

/** Follows the replica's changes into the projection until `stop()` is called. */
export async function followReplica(unitId: string): Promise<{ stop: () => Promise<void>; caughtUp: Promise<void> }> {
  const db = await replicaFor(unitId);
  if ((await getSetting<number>(versionKey(unitId))) !== PROJECTION_VERSION) {
    await resetProjection(unitId);
    await setSetting(versionKey(unitId), PROJECTION_VERSION);
  }
  let since = (await getSetting<string | number>(seqKey(unitId))) ?? 0;
  let stopped = false;
  let feed: PouchDB.Core.Changes<object> | undefined;
  // Changes are applied one batch at a time, in order, so a row never goes back in time.
  let chain = Promise.resolve();
  // The account whose projection this is: after a switch of account nothing more is written.
  const target = localDb;
  const enqueue = (results: PouchDB.Core.ChangesResponseChange<object>[], lastSeq: string | number) => {
    chain = chain.then(async () => {
      if (stopped || localDb !== target) return;
      // A document this build cannot read stays in the replica and syncs as written; it is left
      // out of the rows rather than stopping the projection of everything after it.
      const docs = results.flatMap((r) => (r.doc && !r.deleted ? (readableDoc<ProjectedDoc>(r.doc) ?? []) : []));
      await applyChanges(db, unitId, docs);
      since = lastSeq;
      await setSetting(seqKey(unitId), lastSeq);
    });
    return chain;
  };

  // Catch up in batches first (a 10,000-record unit must not be read into memory at once).
  const caughtUp = (async () => {
    while (!stopped) {
      const res = await db.changes({ since, limit: BATCH, include_docs: true });
      if (res.results.length === 0) break;
      await enqueue(res.results, res.last_seq);
    }
    if (stopped) return;
    if (localDb === target) markProjectionCaughtUp(target.name, unitId);
    feed = db.changes({ since, live: true, include_docs: true });
    // A replication writes documents one by one into the replica; they are gathered for a moment
    // and projected as one batch, so the screens above re-read once per batch.
    let pending: PouchDB.Core.ChangesResponseChange<object>[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = [];
      if (batch.length) void enqueue(batch, batch[batch.length - 1].seq);
    };
    feed.on('change', (change) => {
      pending.push(change);
      if (pending.length >= BATCH) flush();
      else timer ??= setTimeout(flush, LIVE_GATHER_MS);
    });
  })();

  return {
    caughtUp,
    /**
     * Stops following; resolves once the batch being read or projected has finished, so the
     * databases can then be closed (signing out) without work of this projection still on them.
     * What that last batch did is kept: the next start goes on from the stored sequence.
     */
    stop() {
      stopped = true;
      feed?.cancel();
      const settled = () => undefined;
      return Promise.all([caughtUp.then(settled, settled), chain.then(settled, settled)]).then(settled);
    }
  };
}

/** Drops the projection of a unit and rebuilds it from the replica. */
export async function resetProjection(unitId: string): Promise<void> {
  const tables = [
    localDb.people,
    localDb.interviews,
    localDb.followups,
    localDb.episodes,
    localDb.noncompliance,
    localDb.serviceEvents,
    localDb.settings
  ];
  await localDb.transaction('rw', tables, async () => {
    await localDb.people.where('unitId').equals(unitId).delete();
    await localDb.interviews.where('unitId').equals(unitId).delete();
    await localDb.followups.where('unitId').equals(unitId).delete();
    await localDb.episodes.where('unitId').equals(unitId).delete();
    await localDb.noncompliance.where('unitId').equals(unitId).delete();
    await localDb.serviceEvents.where('unitId').equals(unitId).delete();
    await localDb.settings.delete(seqKey(unitId));
  });
}
