/**
 * Synthetic service records for the people of a generated unit (generate.ts), so the statistics
 * of agencies that helped or funded have something to count: referrals to partner agencies
 * (with the consent record they rest on) followed to an outcome, CARE 03 visits to the centre
 * before release, and assistance requests through their steps. Deterministic for a seed; every
 * document passes the shared schemas; nothing is dated after `today`.
 */
import { AGENCIES } from '../../src/lib/domain/agencies.ts';
import { addDays } from '../../src/lib/domain/calendar.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import type { EpisodeDoc } from '../../src/lib/domain/followup-schemas.ts';
import type { ConsentDoc } from '../../src/lib/domain/services/consent.ts';
import type { Care03Doc, ServiceKind } from '../../src/lib/domain/services/care-visits.ts';
import type { ReferralDoc, ReferralEvent } from '../../src/lib/domain/services/referral.ts';
import type { AssistanceKind, AssistanceRequestDoc, RequestEntry } from '../../src/lib/domain/services/assistance-request.ts';
import { seededRandom, type Random } from '../demo.ts';
import type { GeneratedDoc } from './generate.ts';

export type GeneratedServiceDoc = ConsentDoc | ReferralDoc | Care03Doc | AssistanceRequestDoc;

export interface GenerateServicesOptions {
  unitId: string;
  seed: number;
  officer?: string;
  today?: string;
}

/** A blank 1×1 PNG: the signature of a synthetic consent record. */
const BLANK_SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const CENTRE_SERVICES: readonly ServiceKind[] = ['capital', 'job-info', 'shelter', 'medical', 'fare-home', 'advice'];
const REQUEST_KINDS: readonly AssistanceKind[] = [
  'food',
  'fare',
  'living',
  'occupation-capital',
  'occupation-capital',
  'housing'
];

/** Service records for the people whose episodes are in `docs`. */
export function generateServices(docs: readonly GeneratedDoc[], o: GenerateServicesOptions): GeneratedServiceDoc[] {
  const r = seededRandom(o.seed);
  const officer = o.officer ?? 'field.officer';
  const out: GeneratedServiceDoc[] = [];
  const notAfterToday = (day: string) => !o.today || day <= o.today;
  for (const e of docs) {
    if (e.type !== 'episode') continue;
    const meta = (id: string, day: string) => ({
      _id: id,
      unitId: o.unitId,
      schemaVersion: SCHEMA_VERSION as typeof SCHEMA_VERSION,
      createdAt: `${day}T03:00:00.000Z`,
      createdBy: officer,
      updatedAt: `${day}T03:00:00.000Z`,
      updatedBy: officer
    });
    // A visit to the CARE centre in the month before release.
    if (r.chance(0.3)) {
      const day = addDays(e.releaseDate, -r.int(1, 30));
      const services = r.some(CENTRE_SERVICES, 1, 2);
      if (notAfterToday(day))
        out.push({
          ...meta(`care03:${r.uuid()}`, day),
          type: 'care03',
          personId: e.personId,
          visitDate: day,
          recordedAt: `${day}T03:00:00.000Z`,
          servedBy: officer,
          clientStatus: 'prisoner',
          services,
          result: 'ให้บริการแล้ว'
        });
    }
    if (r.chance(0.25)) out.push(...referralDocs(r, e, meta, officer, notAfterToday));
    if (r.chance(0.12)) {
      const request = requestDoc(r, e, meta, officer, notAfterToday);
      if (request) out.push(request);
    }
  }
  return out;
}

type Meta = (
  id: string,
  day: string
) => Omit<ReferralDoc, 'type' | 'personId' | 'agencyId' | 'serviceId' | 'consent' | 'expectedBy' | 'events'>;

function referralDocs(
  r: Random,
  e: EpisodeDoc,
  meta: Meta,
  officer: string,
  notAfterToday: (d: string) => boolean
): GeneratedServiceDoc[] {
  const sent = addDays(e.supervisionStart ?? e.releaseDate, r.int(0, 60));
  if (!notAfterToday(sent)) return [];
  const consentId = `consent:${r.uuid()}`;
  const consent: ConsentDoc = {
    ...meta(consentId, sent),
    type: 'consent',
    personId: e.personId,
    givenOn: sent,
    actions: ['share', 'refer'],
    signature: { image: BLANK_SIGNATURE, printedName: 'ผู้รับบริการ' }
  };
  const agency = r.pick(AGENCIES);
  const service = r.pick(agency.services);
  // sent → accepted → started → completed / not completed, or refused; cut at today.
  const path: ReferralEvent['status'][] = r.pick([
    ['sent'],
    ['sent', 'accepted'],
    ['sent', 'refused'],
    ['sent', 'accepted', 'started'],
    ['sent', 'accepted', 'started', 'completed'],
    ['sent', 'accepted', 'started', 'completed'],
    ['sent', 'accepted', 'started', 'not-completed']
  ]);
  const events: ReferralEvent[] = [];
  let day = sent;
  for (const status of path) {
    if (events.length > 0) day = addDays(day, r.int(1, 20));
    if (!notAfterToday(day)) break;
    events.push({ status, on: day, by: officer });
  }
  const referral: ReferralDoc = {
    ...meta(`referral:${r.uuid()}`, sent),
    type: 'referral',
    personId: e.personId,
    agencyId: agency.id,
    serviceId: service.id,
    need: service.needs[0],
    consent: { basis: 'consent-record', consentId },
    expectedBy: addDays(sent, 14),
    events
  };
  return [consent, referral];
}

function requestDoc(
  r: Random,
  e: EpisodeDoc,
  meta: Meta,
  officer: string,
  notAfterToday: (d: string) => boolean
): AssistanceRequestDoc | null {
  const submitted = addDays(e.supervisionStart ?? e.releaseDate, r.int(5, 90));
  if (!notAfterToday(submitted)) return null;
  const steps: Array<Pick<RequestEntry, 'state' | 'duty'>> = [
    { state: 'submitted', duty: 'case-officer' },
    { state: 'accepted', duty: 'intake' },
    { state: 'documents-complete', duty: 'case-officer' },
    { state: 'finance-checked', duty: 'finance' },
    r.chance(0.2) ? { state: 'rejected', duty: 'director' } : { state: 'approved', duty: 'director' },
    { state: 'paid', duty: 'intake' }
  ];
  const last = r.int(1, steps.length);
  const history: RequestEntry[] = [];
  let day = submitted;
  for (const step of steps.slice(0, last)) {
    if (step.state === 'paid' && history[history.length - 1]?.state !== 'approved') break;
    if (history.length > 0) day = addDays(day, r.int(0, 3));
    if (!notAfterToday(day)) break;
    history.push({ ...step, at: `${day}T0${history.length}:00:00.000Z`, by: officer });
  }
  const kind = r.pick(REQUEST_KINDS);
  return {
    ...meta(`request:${r.uuid()}`, submitted),
    type: 'request',
    personId: e.personId,
    kind,
    channel: r.pick(['online', 'in-person'] as const),
    amount: kind === 'occupation-capital' ? r.pick([3000, 5000, 10000]) : r.pick([300, 500, 1000, 1500]),
    details: 'ขอรับการสงเคราะห์ (ข้อมูลสังเคราะห์)',
    history
  };
}
