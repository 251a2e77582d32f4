/**
 * The reporting projection of one unit: follows the unit's changes feed from its checkpoint and
 * keeps, per person, only what the KPIs read (KpiPersonRecord) plus the name and prisoner ID the
 * drill-down lists show; what the statistics of the follow-up system read (statistics-sources.ts:
 * the current area, workplace locations, the help agencies gave); and, per record, what the review
 * queue, CARE 02 and the CARE 03 / 04 workbooks read (review-index.ts). Documents themselves are
 * not kept.
 *
 * Each sync-server instance keeps its own projections in memory (instances stay stateless towards
 * each other); the checkpoint is the store's own opaque sequence, passed back as it came and never
 * parsed or compared. Every answer built from a projection says which sequence and when it was
 * read up to, and whether the catch-up finished inside its time budget.
 */
import type { Address, Care01Doc, PersonDoc } from '../../src/lib/domain/schemas.ts';
import type { Care03Doc, Care04Doc } from '../../src/lib/domain/services/care-visits.ts';
import type { ReferralDoc } from '../../src/lib/domain/services/referral.ts';
import type { AssistanceRequestDoc } from '../../src/lib/domain/services/assistance-request.ts';
import {
  careVisitHelp,
  currentArea,
  referralHelp,
  requestHelp,
  workplaceOf,
  type AgencyHelp,
  type StatisticsPerson,
  type WorkplacePoint
} from '../../src/lib/domain/statistics-sources.ts';
import type { EpisodeDoc, FollowUpDoc, NonComplianceDoc } from '../../src/lib/domain/followup-schemas.ts';
import {
  VOCATIONAL_HELP_ACTIONS,
  type KpiEpisode,
  type KpiFollowUp,
  type KpiPersonRecord,
  type VocationalHelpKind
} from '../../src/lib/domain/kpi.ts';
import type { NonComplianceEvent } from '../../src/lib/domain/non-compliance.ts';
import { TITLES, type HelpNeed } from '../../src/lib/domain/options.ts';
import type { ChangeRow, DocumentStore, Seq } from '../storage/port.ts';
import { ReviewIndex } from './review-index.ts';

/** Changes read per request to the store: bounds the memory of one catch-up step. */
export const CHANGES_BATCH = 500;

/** What the drill-down shows of a person besides the KPI fields. */
export interface PersonLabel {
  name: string;
  prisonerId: string;
  /** The title as the form prints it (นาย, นาง…), empty when none was recorded. */
  title: string;
}

interface PersonSlot {
  label?: PersonLabel;
  sex?: KpiPersonRecord['sex'];
  dateOfBirth?: string;
  training: Array<{ on: string; kind: VocationalHelpKind }>;
  episodes: Map<string, KpiEpisode>;
  followUps: Map<string, KpiFollowUp>;
  nonCompliance: Map<string, NonComplianceEvent>;
  care01: Map<string, { help: Array<{ on: string; kind: VocationalHelpKind }>; needs: HelpNeed[]; on: string; address: Address }>;
  /** Statistics: house-registration address, retired as a duplicate, workplaces, agencies' help. */
  registeredAddress?: Address;
  retired?: boolean;
  workplaces: Map<string, WorkplacePoint>;
  help: Map<string, AgencyHelp>;
  /** The record the KPIs read, rebuilt only after a change to this person. */
  record?: KpiPersonRecord;
  /** The record the statistics read, likewise. */
  statistics?: StatisticsPerson;
}

export interface ProjectionState {
  unitId: string;
  /** The last sequence read, exactly as the store gave it (opaque). */
  seq: string | null;
  /** When the feed was last read to its end. */
  caughtUpAt: string | null;
  /** Bumped on every change applied: cached answers built from an older version are stale. */
  version: number;
  people: number;
}

const KEPT_TYPES = new Set([
  'person',
  'episode',
  'followup',
  'noncompliance',
  'care01',
  'referral',
  'care03',
  'care04',
  'request'
]);

export class UnitProjection {
  readonly unitId: string;
  private readonly store: DocumentStore;
  private seq: Seq | undefined;
  private caughtUpAt: Date | null = null;
  private version = 0;
  private readonly people = new Map<string, PersonSlot>();
  /** Document id → person id, so a deletion finds what to remove. */
  private readonly owner = new Map<string, string>();
  /** Review queue, CARE 02 and CARE 03 / 04 rows of the unit (per record, not per person). */
  readonly review = new ReviewIndex();
  private running: Promise<boolean> | null = null;
  private runningSince = 0;

  constructor(unitId: string, store: DocumentStore) {
    this.unitId = unitId;
    this.store = store;
  }

  state(): ProjectionState {
    return {
      unitId: this.unitId,
      seq: this.seq === undefined ? null : String(this.seq),
      caughtUpAt: this.caughtUpAt?.toISOString() ?? null,
      version: this.version,
      people: this.people.size
    };
  }

  /**
   * Reads the feed until its end or until `deadline` (ms since epoch). True when it reached the
   * end. Callers share a reading that began after they asked; otherwise they wait for it to end
   * and start their own, so an answer always includes what was written before it was asked.
   */
  async catchUp(deadline: number): Promise<boolean> {
    const requestedAt = Date.now();
    for (;;) {
      // A reading that began after this request also reads what was written before it: share it.
      if (this.running && this.runningSince >= requestedAt) return this.running;
      if (this.running) {
        await this.running.catch(() => false);
        continue;
      }
      this.runningSince = Date.now();
      this.running = this.read(deadline).finally(() => {
        this.running = null;
      });
      return this.running;
    }
  }

  private async read(deadline: number): Promise<boolean> {
    for (;;) {
      const startedAt = new Date();
      const page = await this.store.changes({
        since: this.seq ?? 0,
        limit: CHANGES_BATCH,
        include_docs: true,
        style: 'main_only'
      });
      for (const row of page.results) this.apply(row);
      this.seq = page.last_seq;
      if (page.results.length < CHANGES_BATCH) {
        this.caughtUpAt = startedAt;
        return true;
      }
      if (Date.now() >= deadline) return false;
    }
  }

  /** Applies one change row (exported for the tests of deletions and edits). */
  apply(row: ChangeRow): void {
    const doc = row.doc;
    if (this.review.apply(row)) this.version++;
    const previousOwner = this.owner.get(row.id);
    if (row.deleted || !doc || doc._deleted) {
      if (previousOwner) this.remove(row.id, previousOwner);
      return;
    }
    const type = doc.type as string | undefined;
    if (!type || !KEPT_TYPES.has(type)) return;
    const personId = type === 'person' ? doc._id : (doc.personId as string | undefined);
    if (!personId) return;
    if (previousOwner && previousOwner !== personId) this.remove(row.id, previousOwner);
    const slot = this.slot(personId);
    this.owner.set(row.id, personId);
    switch (type) {
      case 'person':
        this.applyPerson(slot, doc as unknown as PersonDoc);
        break;
      case 'episode':
        slot.episodes.set(doc._id, compactEpisode(doc as unknown as EpisodeDoc));
        break;
      case 'followup': {
        slot.followUps.set(doc._id, compactFollowUp(doc as unknown as FollowUpDoc));
        const workplace = workplaceOf(doc as unknown as FollowUpDoc);
        if (workplace) slot.workplaces.set(doc._id, workplace);
        else slot.workplaces.delete(doc._id);
        break;
      }
      case 'noncompliance':
        slot.nonCompliance.set(doc._id, compactNonCompliance(doc as unknown as NonComplianceDoc));
        break;
      case 'care01':
        slot.care01.set(doc._id, compactCare01(doc as unknown as Care01Doc));
        break;
      case 'referral':
        slot.help.set(doc._id, referralHelp(doc as unknown as ReferralDoc));
        break;
      case 'care03':
      case 'care04': {
        const help = careVisitHelp(doc as unknown as Care03Doc | Care04Doc);
        if (help) slot.help.set(doc._id, help);
        else slot.help.delete(doc._id);
        break;
      }
      case 'request':
        slot.help.set(doc._id, requestHelp(doc as unknown as AssistanceRequestDoc));
        break;
    }
    slot.record = undefined;
    slot.statistics = undefined;
    this.version++;
  }

  private applyPerson(slot: PersonSlot, p: PersonDoc): void {
    slot.label = {
      name: [p.firstName, p.lastName].filter(Boolean).join(' '),
      prisonerId: p.prisonerId,
      title: p.title === 'other' ? (p.titleOther ?? '') : p.title ? TITLES.label(p.title, 'th') : ''
    };
    slot.sex = p.sex;
    slot.dateOfBirth = p.dateOfBirth;
    slot.registeredAddress = p.registeredAddress && areaOnly(p.registeredAddress);
    slot.retired = p.mergedInto !== undefined;
    slot.training = (p.trainingRecords ?? [])
      .filter((t) => t.completedOn)
      .map((t) => ({ on: t.completedOn!, kind: 'training' as const }));
  }

  private remove(docId: string, personId: string): void {
    const slot = this.people.get(personId);
    this.owner.delete(docId);
    if (!slot) return;
    if (docId === personId) {
      slot.label = undefined;
      slot.training = [];
      slot.registeredAddress = undefined;
      slot.retired = undefined;
    }
    slot.episodes.delete(docId);
    slot.followUps.delete(docId);
    slot.nonCompliance.delete(docId);
    slot.care01.delete(docId);
    slot.workplaces.delete(docId);
    slot.help.delete(docId);
    slot.record = undefined;
    slot.statistics = undefined;
    this.version++;
  }

  private slot(personId: string): PersonSlot {
    let slot = this.people.get(personId);
    if (!slot) {
      slot = {
        training: [],
        episodes: new Map(),
        followUps: new Map(),
        nonCompliance: new Map(),
        care01: new Map(),
        workplaces: new Map(),
        help: new Map()
      };
      this.people.set(personId, slot);
    }
    return slot;
  }

  /** The KPI records of every person in the unit (cached per person until it changes). */
  records(): KpiPersonRecord[] {
    const out: KpiPersonRecord[] = [];
    for (const [personId, slot] of this.people) {
      if (!slot.record) {
        const care01 = [...slot.care01.values()];
        slot.record = {
          personId,
          unitId: this.unitId,
          sex: slot.sex,
          dateOfBirth: slot.dateOfBirth,
          episodes: [...slot.episodes.values()],
          followUps: [...slot.followUps.values()],
          nonCompliance: [...slot.nonCompliance.values()],
          vocationalHelp: [...slot.training, ...care01.flatMap((c) => c.help)],
          needs: [...new Set(care01.flatMap((c) => c.needs))]
        };
      }
      out.push(slot.record);
    }
    return out;
  }

  /**
   * What the statistics read of every person on the unit's records: people whose person
   * document is here and who were not retired as a duplicate (cached per person like records()).
   */
  statisticsRecords(): StatisticsPerson[] {
    const out: StatisticsPerson[] = [];
    for (const [personId, slot] of this.people) {
      if (!slot.label || slot.retired) continue;
      if (!slot.statistics) {
        const area = currentArea(
          slot.registeredAddress,
          [...slot.care01.values()].map((c) => ({ on: c.on, address: c.address }))
        );
        slot.statistics = {
          personId,
          unitId: this.unitId,
          ...(area && { area }),
          episodes: [...slot.episodes.values()],
          followUpDays: [...slot.followUps.values()].map((f) => f.visitDate),
          workplaces: [...slot.workplaces.values()],
          help: [...slot.help.values()]
        };
      }
      out.push(slot.statistics);
    }
    return out;
  }

  label(personId: string): PersonLabel | undefined {
    return this.people.get(personId)?.label;
  }
}

function compactEpisode(e: EpisodeDoc): KpiEpisode {
  return {
    _id: e._id,
    personId: e.personId,
    releaseType: e.releaseType,
    releaseDate: e.releaseDate,
    supervisionStart: e.supervisionStart,
    supervisionEnd: e.supervisionEnd,
    classificationLevel: e.classificationLevel,
    caseReceivedOn: e.caseReceivedOn,
    conditionsAcknowledged: e.conditionsAcknowledged,
    electronicMonitoring: e.electronicMonitoring
  };
}

function compactFollowUp(f: FollowUpDoc): KpiFollowUp {
  return {
    personId: f.personId,
    episodeId: f.episodeId,
    visitDate: f.visitDate,
    method: f.method,
    visitor: f.visitor,
    abnormalSituation: f.abnormalSituation,
    employed: f.work?.employed,
    monthlyIncome: f.monthlyIncome
  };
}

function compactNonCompliance(n: NonComplianceDoc): NonComplianceEvent {
  return {
    _id: n._id,
    personId: n.personId,
    episodeId: n.episodeId,
    kind: n.kind,
    occurredOn: n.occurredOn,
    actions: n.actions.map((a) => ({ kind: a.kind, on: a.on }))
  };
}

function compactCare01(c: Care01Doc): PersonSlot['care01'] extends Map<string, infer V> ? V : never {
  const help = (c.helpGiven ?? [])
    .filter((h) => VOCATIONAL_HELP_ACTIONS.has(h.action))
    .map((h) => ({ on: c.interviewDate, kind: h.action as VocationalHelpKind }));
  const needs = c.helpWanted?.choice === 'wants' ? [...c.helpWanted.needs] : [];
  return { help, needs, on: c.interviewDate, address: areaOnly(c.address) };
}

/** Only the parts of an address the statistics read (province, district): the rest is not kept. */
function areaOnly(a: Address): Address {
  return { ...(a.province && { province: a.province }), ...(a.district && { district: a.district }) };
}
