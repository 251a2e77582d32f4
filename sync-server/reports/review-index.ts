/**
 * The part of a unit's reporting projection that the review queue, CARE 02 and the CARE 03 / 04
 * workbooks read, kept per record from the same changes feed as the KPIs (projection.ts): each
 * reviewable record's id, revision and who changed it when; each review decision; each CARE 01
 * interview day; and each CARE 03 / 04 visit with the fields the workbooks print. Answers are
 * cached until the next change, so a queue or a month asked again costs nothing.
 */
import type { Care02Sources } from '../../src/lib/domain/care02.ts';
import {
  REVIEWABLE_TYPES,
  reviewQueue,
  type QueueEntry,
  type ReviewableRecord,
  type ReviewDoc
} from '../../src/lib/domain/review.ts';
import type { Care03Doc, Care04Doc, ServiceKind } from '../../src/lib/domain/services/care-visits.ts';
import type { ChangeRow } from '../storage/port.ts';

/** What the queue and the record page show of a review decision (no more than the document). */
export type ReviewEntry = Pick<ReviewDoc, '_id' | 'targetId' | 'targetRev' | 'state' | 'comment' | 'reviewedBy' | 'at'>;

/** A CARE 03 / 04 visit as the workbooks and CARE 02 read it. */
export interface VisitEntry {
  _id: string;
  type: 'care03' | 'care04';
  personId: string;
  visitDate: string;
  recordedAt: string;
  /** CARE 03 only: who came (CARE 04 visits are relatives). */
  clientStatus?: Care03Doc['clientStatus'];
  services: ServiceKind[];
  serviceOther?: string;
  result: string;
  servedBy: string;
  servedByName?: string;
  relative?: Care04Doc['relative'];
}

const REVIEWABLE = new Set<string>(REVIEWABLE_TYPES);

export class ReviewIndex {
  private readonly records = new Map<string, ReviewableRecord>();
  private readonly reviews = new Map<string, ReviewEntry>();
  private readonly interviews = new Map<string, string>();
  private readonly visits = new Map<string, VisitEntry>();
  private queueCache: Array<QueueEntry<ReviewableRecord, ReviewEntry>> | null = null;

  /** Applies one change row; true when anything this index keeps changed. */
  apply(row: ChangeRow): boolean {
    const doc = row.doc;
    if (row.deleted || !doc || doc._deleted) {
      // Every map is cleared: a visit is both a reviewable record and a visit.
      const had = [this.records, this.reviews, this.interviews, this.visits].map((m) => m.delete(row.id));
      if (!had.some(Boolean)) return false;
      this.queueCache = null;
      return true;
    }
    const type = doc.type as string | undefined;
    if (type === 'review') {
      const r = doc as unknown as ReviewDoc;
      this.reviews.set(r._id, {
        _id: r._id,
        targetId: r.targetId,
        targetRev: r.targetRev,
        state: r.state,
        comment: r.comment,
        reviewedBy: r.reviewedBy,
        at: r.at
      });
      this.queueCache = null;
      return true;
    }
    if (!type || !REVIEWABLE.has(type)) return false;
    this.records.set(doc._id, {
      _id: doc._id,
      _rev: doc._rev as string,
      type: type as ReviewableRecord['type'],
      ...(typeof doc.personId === 'string' && { personId: doc.personId }),
      ...(typeof doc.updatedAt === 'string' && { updatedAt: doc.updatedAt }),
      ...(typeof doc.updatedBy === 'string' && { updatedBy: doc.updatedBy })
    });
    this.queueCache = null;
    if (type === 'care01' && typeof doc.interviewDate === 'string') this.interviews.set(doc._id, doc.interviewDate);
    if (type === 'care03' || type === 'care04') this.visits.set(doc._id, visitEntry(doc as unknown as Care03Doc | Care04Doc));
    return true;
  }

  /** Records waiting for review, oldest change first (the shared rule of src/lib/domain/review.ts). */
  queue(): Array<QueueEntry<ReviewableRecord, ReviewEntry>> {
    this.queueCache ??= reviewQueue(this.records.values(), this.reviews.values());
    return this.queueCache;
  }

  /** Every decision about one record, oldest first. */
  reviewsOf(targetId: string): ReviewEntry[] {
    return [...this.reviews.values()].filter((r) => r.targetId === targetId).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** What CARE 02 counts (care02Numbers filters the month). */
  care02Sources(): Care02Sources {
    const visits = [...this.visits.values()];
    return {
      care01: [...this.interviews.values()].map((interviewDate) => ({ interviewDate })),
      care03: visits.flatMap((v) => (v.type === 'care03' && v.clientStatus ? [{ ...v, clientStatus: v.clientStatus }] : [])),
      care04: visits.flatMap((v) => (v.type === 'care04' && v.relative ? [{ ...v, relative: v.relative }] : []))
    };
  }

  /** The CARE 03 or CARE 04 visits dated in [from, to] (YYYY-MM-DD), by visit day then record time. */
  visitsBetween(type: 'care03' | 'care04', from: string, to: string): VisitEntry[] {
    return [...this.visits.values()]
      .filter((v) => v.type === type && v.visitDate >= from && v.visitDate <= to)
      .sort(
        (a, b) => a.visitDate.localeCompare(b.visitDate) || a.recordedAt.localeCompare(b.recordedAt) || a._id.localeCompare(b._id)
      );
  }
}

function visitEntry(v: Care03Doc | Care04Doc): VisitEntry {
  return {
    _id: v._id,
    type: v.type,
    personId: v.personId,
    visitDate: v.visitDate,
    recordedAt: v.recordedAt,
    ...(v.type === 'care03' && { clientStatus: v.clientStatus }),
    services: [...v.services],
    ...(v.serviceOther !== undefined && { serviceOther: v.serviceOther }),
    result: v.result,
    servedBy: v.servedBy,
    ...(v.servedByName !== undefined && { servedByName: v.servedByName }),
    ...(v.type === 'care04' && { relative: { ...v.relative } })
  };
}
