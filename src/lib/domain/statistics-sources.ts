/**
 * What statistics 2, 3, 6, 7 and 8 of the follow-up system read of a person, and how it is taken
 * from the stored documents: the current area (province / district), the workplace locations of
 * follow-up reports, and the help each agency gave or funded (referral outcomes, CARE 03 / 04
 * services, assistance requests). Pure: the server's projection and the tests call the same code.
 */
import type { Address } from './schemas.ts';
import type { KpiEpisode } from './kpi.ts';
import type { FollowUpDoc } from './followup-schemas.ts';
import type { Care03Doc, Care04Doc, ServiceKind } from './services/care-visits.ts';
import type { ReferralDoc, ReferralStatus } from './services/referral.ts';
import type { AssistanceRequestDoc, RequestState } from './services/assistance-request.ts';
import { thaiDayOf } from './dates.ts';

/**
 * The CARE centre itself as the agency of the services recorded on CARE 03 / 04 (the centre sits
 * in the prison: Department of Corrections); referrals name the partner agency instead.
 */
export const CARE_CENTRE_AGENCY = 'care-centre';
/** The Department of Probation's id in the agency catalog: it pays assistance requests. */
export const PROBATION_AGENCY = 'probation';
export const CARE_CENTRE_NAME = { th: 'ศูนย์ CARE (กรมราชทัณฑ์)', en: 'CARE centre (Department of Corrections)' };

/** helped = the service was given (or has begun); in-progress = not decided yet; not-helped = refused / failed. */
export type HelpOutcome = 'helped' | 'in-progress' | 'not-helped';

export interface AgencyHelp {
  agencyId: string;
  /** The day the record reached its outcome (the last referral event, request step or the visit). */
  on: string;
  source: 'referral' | 'care03' | 'care04' | 'request';
  outcome: HelpOutcome;
  /** Capital for an occupation (ทุนประกอบอาชีพ) was given or asked for. */
  capital: boolean;
  /** Baht paid (assistance requests that were paid). */
  paid: number;
}

export interface WorkplacePoint {
  /** The visit day of the follow-up report that recorded it. */
  on: string;
  lat: number;
  lng: number;
  source: 'gps' | 'manual';
  accuracyM?: number;
}

export interface PersonArea {
  province: string;
  district?: string;
}

/** One person as statistics 2, 3, 6, 7 and 8 read them. */
export interface StatisticsPerson {
  personId: string;
  unitId: string;
  area?: PersonArea;
  episodes: readonly Pick<KpiEpisode, '_id' | 'releaseType' | 'releaseDate' | 'supervisionStart' | 'supervisionEnd'>[];
  /** Visit days of the person's follow-up reports. */
  followUpDays: readonly string[];
  workplaces: readonly WorkplacePoint[];
  help: readonly AgencyHelp[];
}

const clean = (s: string | undefined) => s?.trim() || undefined;

/**
 * The current address's area: the address of the latest CARE 01 interview that names a province
 * (where the person said they would live after release), else the house-registration address.
 */
export function currentArea(
  registered: Address | undefined,
  interviews: ReadonlyArray<{ on: string; address: Address }>
): PersonArea | undefined {
  let latest: { on: string; address: Address } | undefined;
  for (const i of interviews) if (clean(i.address.province) && (!latest || i.on > latest.on)) latest = i;
  const address = latest?.address ?? registered;
  const province = clean(address?.province);
  if (!province) return undefined;
  const district = clean(address?.district);
  return district ? { province, district } : { province };
}

export function workplaceOf(f: Pick<FollowUpDoc, 'visitDate' | 'workplaceLocation'>): WorkplacePoint | undefined {
  const w = f.workplaceLocation;
  if (!w) return undefined;
  return {
    on: f.visitDate,
    lat: w.lat,
    lng: w.lng,
    source: w.source,
    ...(w.accuracyM !== undefined && { accuracyM: w.accuracyM })
  };
}

const REFERRAL_OUTCOME: Record<ReferralStatus, HelpOutcome> = {
  sent: 'in-progress',
  accepted: 'in-progress',
  started: 'helped',
  completed: 'helped',
  'not-completed': 'not-helped',
  refused: 'not-helped'
};

export function referralHelp(r: Pick<ReferralDoc, 'agencyId' | 'events' | 'need'>): AgencyHelp {
  const last = r.events[r.events.length - 1];
  return {
    agencyId: r.agencyId,
    on: last.on,
    source: 'referral',
    outcome: REFERRAL_OUTCOME[last.status],
    capital: r.need === 'capital',
    paid: 0
  };
}

/** Services the CARE centre gives itself; a referral is counted from the referral's own record. */
const CENTRE_SERVICES = new Set<ServiceKind>([
  'capital',
  'job-info',
  'shelter',
  'child-scholarship',
  'medical',
  'fare-home',
  'employment-project',
  'advice',
  'other'
]);

/** A CARE 03 / 04 visit with a service of the centre's own: help given on the visit day. */
export function careVisitHelp(v: Pick<Care03Doc | Care04Doc, 'type' | 'visitDate' | 'services'>): AgencyHelp | undefined {
  if (!v.services.some((s) => CENTRE_SERVICES.has(s))) return undefined;
  return {
    agencyId: CARE_CENTRE_AGENCY,
    on: v.visitDate,
    source: v.type,
    outcome: 'helped',
    capital: v.services.includes('capital'),
    paid: 0
  };
}

const REQUEST_OUTCOME: Record<RequestState, HelpOutcome> = {
  submitted: 'in-progress',
  accepted: 'in-progress',
  'documents-requested': 'in-progress',
  'documents-complete': 'in-progress',
  'finance-checked': 'in-progress',
  approved: 'in-progress',
  paid: 'helped',
  rejected: 'not-helped',
  cancelled: 'not-helped'
};

/** An assistance request: the Department of Probation funds it once paid. */
export function requestHelp(r: Pick<AssistanceRequestDoc, 'kind' | 'amount' | 'history'>): AgencyHelp {
  const last = r.history[r.history.length - 1];
  const outcome = REQUEST_OUTCOME[last.state];
  return {
    agencyId: PROBATION_AGENCY,
    on: thaiDayOf(last.at),
    source: 'request',
    outcome,
    capital: r.kind === 'occupation-capital',
    paid: outcome === 'helped' ? (r.amount ?? 0) : 0
  };
}
