/**
 * The write gate's rules for service documents that need what only the server sees — the stored
 * revisions and who is writing — with the same domain functions the tablet uses to offer a step:
 * - CARE 03 / 04 are append-only: a later revision cannot change who, whom or when;
 * - a new referral needs the person's consent, named in the referral and found in the unit
 *   (consentProblem); a stored referral's statuses only grow, each added one under the writer's name;
 * - an assistance request's steps only grow, each added step by the writer in a duty the
 *   writer's account holds (requestRevisionProblem);
 * - an attachment belongs to a request of the same person in the unit;
 * - a hand-over request (recorded offline) is written once by a client, never with an outcome:
 *   the server carries it out and writes the outcome (sync-server/handover/carry-out.ts);
 * - once a unit handed a person over, it writes nothing more about them (services/handover.ts),
 *   apart from a further hand-over request, which the server answers "already handed over".
 * Documents reach here already valid (checkDoc). Called inside the unit's write queue.
 */
import type { DocumentStore, OpenRevsResult, StoredDoc } from '../storage/port.ts';
import { isNotFound } from '../storage/port.ts';
import { VISIT_FIXED_FIELDS } from '../../src/lib/domain/services/care-visits.ts';
import { consentProblem, type ConsentSource } from '../../src/lib/domain/services/consent.ts';
import { referralRewriteProblem, type ReferralDoc } from '../../src/lib/domain/services/referral.ts';
import {
  requestDutiesOf,
  requestRevisionProblem,
  type AssistanceRequestDoc
} from '../../src/lib/domain/services/assistance-request.ts';
import type { RequestAttachmentDoc } from '../../src/lib/domain/services/request-attachment.ts';
import {
  HANDED_OVER_REASON,
  handoverIdOf,
  handoverRequestWriteProblem,
  type HandoverRequestDoc
} from '../../src/lib/domain/services/handover.ts';

export interface Writer {
  username: string;
  role: string;
  /** Request duties listed on the account (strategy-group staff, finance officers). */
  duties?: readonly string[];
}

export interface ServiceRefusal {
  index: number;
  reason: string;
}

const SERVICE_TYPES = new Set(['care03', 'care04', 'referral', 'request', 'attachment', 'handoverrequest']);

/** How many stored ancestors to try when looking for the revision an incoming one descends from. */
const MAX_ANCESTOR_LOOKUPS = 20;

async function getOrUndefined(db: DocumentStore, id: string, rev?: string): Promise<StoredDoc | undefined> {
  try {
    return (await db.get(id, rev ? { rev } : undefined)) as StoredDoc;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function liveLeaves(db: DocumentStore, id: string): Promise<StoredDoc[]> {
  try {
    const leaves = (await db.get(id, { open_revs: 'all' })) as OpenRevsResult;
    return leaves.flatMap((leaf) => ('ok' in leaf && !leaf.ok._deleted ? [leaf.ok] : []));
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

/** The revisions an incoming document names as its ancestors, newest first. */
function ancestorsOf(doc: StoredDoc, newEdits: boolean): string[] {
  if (newEdits) return typeof doc._rev === 'string' ? [doc._rev] : [];
  const revisions = doc._revisions as { start: number; ids: string[] } | undefined;
  if (!revisions) return [];
  return revisions.ids.slice(1, 1 + MAX_ANCESTOR_LOOKUPS).map((hash, i) => `${revisions.start - 1 - i}-${hash}`);
}

/**
 * The stored revision `doc` builds on: its nearest stored ancestor, or else (a stored id reached
 * by an unrelated branch, or old bodies compacted away) the winning revision; undefined when new.
 */
async function storedBase(db: DocumentStore, doc: StoredDoc, newEdits: boolean): Promise<StoredDoc | undefined> {
  const winner = await getOrUndefined(db, doc._id);
  if (!winner) return undefined;
  for (const rev of ancestorsOf(doc, newEdits)) {
    if (rev === winner._rev) return winner;
    const found = await getOrUndefined(db, doc._id, rev);
    if (found) return found;
  }
  return winner;
}

function visitChangeProblem(leaves: StoredDoc[], doc: StoredDoc): string | null {
  const changed = VISIT_FIXED_FIELDS.find((f) => leaves.some((leaf) => leaf[f] !== doc[f]));
  if (!changed) return null;
  return `บันทึก CARE 03/04 ที่บันทึกแล้วแก้ไข ${changed} ไม่ได้ (บันทึกใหม่แทน) / a stored CARE 03/04 record's ${changed} cannot be changed: these records are append-only`;
}

/** The person a document is about (its own id for a person document). */
const personOf = (doc: StoredDoc): string | undefined =>
  doc.type === 'person' ? doc._id : typeof doc.personId === 'string' ? doc.personId : undefined;

/** Documents about people this unit handed over: refused, the unit's history of them is closed. */
async function handedOverProblems(
  db: DocumentStore,
  unitId: string,
  docs: Array<{ index: number; doc: StoredDoc }>
): Promise<ServiceRefusal[]> {
  // A hand-over request is answered by the server (refused when the person already left).
  docs = docs.filter((d) => d.doc.type !== 'handoverrequest');
  const people = [...new Set(docs.flatMap((d) => personOf(d.doc) ?? []))];
  if (people.length === 0) return [];
  const { rows } = await db.allDocs({ keys: people.map(handoverIdOf), include_docs: true });
  const handedTo = new Map<string, string>();
  for (const row of rows) {
    const h = row.doc as { type?: string; personId?: string; fromUnitId?: string; toUnitId?: string } | undefined;
    if (h?.type === 'handover' && h.fromUnitId === unitId && h.personId && h.toUnitId) handedTo.set(h.personId, h.toUnitId);
  }
  return docs.flatMap(({ index, doc }) => {
    const to = handedTo.get(personOf(doc) ?? '');
    return to ? [{ index, reason: HANDED_OVER_REASON(to) }] : [];
  });
}

export async function serviceWriteProblems(
  db: DocumentStore,
  unitId: string,
  docs: Array<{ index: number; doc: StoredDoc }>,
  writer: Writer,
  newEdits: boolean
): Promise<ServiceRefusal[]> {
  const frozen = await handedOverProblems(db, unitId, docs);
  if (frozen.length) {
    const closed = new Set(frozen.map((f) => f.index));
    return [
      ...frozen,
      ...(await serviceWriteProblems(
        db,
        unitId,
        docs.filter((d) => !closed.has(d.index)),
        writer,
        newEdits
      ))
    ];
  }
  const services = docs.filter((d) => SERVICE_TYPES.has(String(d.doc.type)));
  if (services.length === 0) return [];
  const inBatch = new Map(docs.map((d) => [d.doc._id, d.doc]));
  const lookup = async (id: string) => inBatch.get(id) ?? (await getOrUndefined(db, id));
  const duties = requestDutiesOf(writer);
  const refusals: ServiceRefusal[] = [];

  for (const { index, doc } of services) {
    let problem: string | null = null;
    switch (doc.type) {
      case 'care03':
      case 'care04':
        problem = visitChangeProblem(await liveLeaves(db, doc._id), doc);
        break;
      case 'referral': {
        const next = doc as unknown as ReferralDoc;
        const base = (await storedBase(db, doc, newEdits)) as unknown as ReferralDoc | undefined;
        if (base) problem = referralRewriteProblem(base, next);
        else {
          const sourceId = next.consent.basis === 'care01' ? next.consent.care01Id : next.consent.consentId;
          const source = (await lookup(sourceId)) as unknown as ConsentSource | undefined;
          problem = consentProblem('refer', next.personId, next.events[0].on, next.consent, source);
        }
        const added = next.events.slice(base?.events.length ?? 0);
        if (!problem && added.some((e) => e.by !== writer.username))
          problem = 'บันทึกสถานะได้ในชื่อของท่านเท่านั้น / a referral status must be recorded under your own user name';
        break;
      }
      case 'request': {
        const base = (await storedBase(db, doc, newEdits)) as unknown as AssistanceRequestDoc | undefined;
        problem = requestRevisionProblem(base, doc as unknown as AssistanceRequestDoc, { username: writer.username, duties });
        break;
      }
      case 'handoverrequest':
        problem = handoverRequestWriteProblem(
          (await getOrUndefined(db, doc._id)) as unknown as HandoverRequestDoc | undefined,
          doc as unknown as HandoverRequestDoc
        );
        break;
      case 'attachment': {
        const file = doc as unknown as RequestAttachmentDoc;
        const request = await lookup(file.requestId);
        if (!request || request.type !== 'request' || request.personId !== file.personId)
          problem =
            'ไฟล์แนบต้องอยู่กับคำร้องของบุคคลเดียวกันในหน่วยงาน / an attachment must belong to a request of the same person in this unit';
        else if (
          (await getOrUndefined(db, doc._id))?.data !== undefined &&
          (await getOrUndefined(db, doc._id))?.data !== file.data
        )
          problem = 'ไฟล์แนบที่บันทึกแล้วแก้ไขไม่ได้ / a stored attachment cannot be changed: attach a new file';
        break;
      }
    }
    if (problem) refusals.push({ index, reason: problem });
  }
  return refusals;
}
