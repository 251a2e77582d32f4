/**
 * The tablet's data layer for services after CARE 01: CARE 03 / 04 visits, consent records,
 * referrals and their outcomes. Saves go through the shared gate and the outbox (records.ts), and
 * the rules the server applies (consent, statuses only added) are applied here first, so the
 * officer sees the refusal before anything is written.
 *
 * Reads: service documents are read from the unit's replica by id range (`care03:`, `care04:`,
 * `referral:`), not yet from the Dexie projection.
 */
import {
  consentProblem,
  defaultExpectedBy,
  isReferralOverdue,
  referralEventsProblem,
  type Care01Doc,
  type Care03Doc,
  type Care04Doc,
  type ConsentBasis,
  type ConsentDoc,
  type ConsentSource,
  type PersonDoc,
  type ReferralDoc,
  type ReferralEvent
} from '../domain/index.ts';
import { getDoc, putChecked, SaveError, withMeta } from './records.ts';
import { replicaFor } from './replica.ts';

interface Author {
  unitId: string;
  username: string;
}

type ServiceType = 'care03' | 'care04' | 'referral' | 'consent';

/** Every document of one service type in the unit (allDocs over the type's id range). */
async function allOfType<T>(unitId: string, type: ServiceType): Promise<T[]> {
  const db = await replicaFor(unitId);
  const res = await db.allDocs({ startkey: `${type}:`, endkey: `${type}:\ufff0`, include_docs: true });
  return res.rows.flatMap((r) => ('doc' in r && r.doc ? [r.doc as unknown as T] : []));
}

export interface PersonServices {
  care03: Care03Doc[];
  care04: Care04Doc[];
  referrals: ReferralDoc[];
  consents: ConsentDoc[];
}

export async function personServices(unitId: string, personId: string): Promise<PersonServices> {
  const [care03, care04, referrals, consents] = await Promise.all([
    allOfType<Care03Doc>(unitId, 'care03'),
    allOfType<Care04Doc>(unitId, 'care04'),
    allOfType<ReferralDoc>(unitId, 'referral'),
    allOfType<ConsentDoc>(unitId, 'consent')
  ]);
  const mine = <T extends { personId: string }>(list: T[]) => list.filter((d) => d.personId === personId);
  return { care03: mine(care03), care04: mine(care04), referrals: mine(referrals), consents: mine(consents) };
}

/** Open referrals of the unit past their expected date, oldest expectation first. */
export async function overdueReferrals(unitId: string, today: string): Promise<ReferralDoc[]> {
  const all = await allOfType<ReferralDoc>(unitId, 'referral');
  return all.filter((r) => isReferralOverdue(r, today)).sort((a, b) => a.expectedBy.localeCompare(b.expectedBy));
}

async function saveOnce<T extends { _rev?: string }>(
  author: Author,
  id: string,
  type: 'care03' | 'care04' | 'consent',
  fields: object,
  now: Date
): Promise<T> {
  if (await getDoc(author.unitId, id))
    throw new SaveError('บันทึกนี้บันทึกไปแล้ว แก้ไขไม่ได้ / This record was already saved and cannot be changed', 'conflict');
  const at = now.toISOString();
  const doc = { ...withMeta(fields, type, id, author, undefined), createdAt: at, updatedAt: at } as unknown as T;
  const rev = await putChecked(author.unitId, doc as never);
  return { ...doc, _rev: rev };
}

export type Care03Fields = Pick<Care03Doc, 'personId' | 'visitDate' | 'clientStatus' | 'services' | 'result'> &
  Partial<Pick<Care03Doc, 'serviceOther' | 'servedByName' | 'referralId'>>;
export type Care04Fields = Pick<Care04Doc, 'personId' | 'visitDate' | 'services' | 'result' | 'relative'> &
  Partial<Pick<Care04Doc, 'serviceOther' | 'servedByName' | 'referralId'>>;

/** A CARE 03 visit, served by the signed-in officer, stamped now (append-only). */
export function saveCare03(author: Author, id: string, fields: Care03Fields, now = new Date()): Promise<Care03Doc> {
  return saveOnce<Care03Doc>(author, id, 'care03', { ...fields, servedBy: author.username, recordedAt: now.toISOString() }, now);
}

export function saveCare04(author: Author, id: string, fields: Care04Fields, now = new Date()): Promise<Care04Doc> {
  return saveOnce<Care04Doc>(author, id, 'care04', { ...fields, servedBy: author.username, recordedAt: now.toISOString() }, now);
}

export type ConsentFields = Pick<ConsentDoc, 'personId' | 'givenOn' | 'actions' | 'signature'>;

export function saveConsent(author: Author, id: string, fields: ConsentFields, now = new Date()): Promise<ConsentDoc> {
  return saveOnce<ConsentDoc>(author, id, 'consent', fields, now);
}

/** The consent basis the person's records offer: a CARE 01 that records consent, or a signed record. */
export async function consentSource(unitId: string, basis: ConsentBasis): Promise<ConsentSource | undefined> {
  const id = basis.basis === 'care01' ? basis.care01Id : basis.consentId;
  return (await getDoc<Care01Doc | ConsentDoc>(unitId, id)) as ConsentSource | undefined;
}

/** The newest CARE 01 of the person that records "consents to disclosure", if any. */
export async function consentingInterview(unitId: string, personId: string): Promise<Care01Doc | undefined> {
  const db = await replicaFor(unitId);
  const res = await db.allDocs({ startkey: 'care01:', endkey: 'care01:\ufff0', include_docs: true });
  return res.rows
    .flatMap((r) => ('doc' in r && r.doc ? [r.doc as unknown as Care01Doc] : []))
    .filter((d) => d.personId === personId && d.consent === 'consents')
    .sort((a, b) => b.interviewDate.localeCompare(a.interviewDate))[0];
}

export type ReferralFields = Pick<ReferralDoc, 'personId' | 'agencyId' | 'serviceId' | 'consent'> &
  Partial<Pick<ReferralDoc, 'need' | 'officeId' | 'fromDocId' | 'choiceRank' | 'note' | 'expectedBy'>> & { sentOn: string };

/** A new referral, sent today by the signed-in officer; refused here without the person's consent. */
export async function saveReferral(author: Author, id: string, fields: ReferralFields): Promise<ReferralDoc> {
  const { sentOn, ...rest } = fields;
  const problem = consentProblem(
    'refer',
    fields.personId,
    sentOn,
    fields.consent,
    await consentSource(author.unitId, fields.consent)
  );
  if (problem) throw new SaveError(problem, 'invalid');
  if (await getDoc(author.unitId, id)) throw new SaveError('การส่งต่อนี้บันทึกไปแล้ว / This referral was already saved', 'conflict');
  const doc = withMeta(
    {
      ...rest,
      expectedBy: fields.expectedBy ?? defaultExpectedBy(sentOn),
      events: [{ status: 'sent', on: sentOn, by: author.username }]
    },
    'referral',
    id,
    author,
    undefined
  ) as ReferralDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

/**
 * Adds the agency's answer or the outcome to a stored referral. Reads the newest revision first,
 * so a status another tablet added is kept, and refuses a status that cannot follow the last one.
 */
export async function addReferralStatus(author: Author, id: string, event: Omit<ReferralEvent, 'by'>): Promise<ReferralDoc> {
  const existing = await getDoc<ReferralDoc>(author.unitId, id);
  if (!existing) throw new SaveError('ไม่พบการส่งต่อนี้ในเครื่อง / This referral is not on this tablet', 'invalid');
  const events = [...existing.events, { ...event, by: author.username }];
  const problem = referralEventsProblem(events);
  if (problem) throw new SaveError(problem.reason, 'invalid');
  const { _id, ...fields } = existing;
  const doc = withMeta({ ...fields, events }, 'referral', _id, author, existing) as ReferralDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

export const personName = (p: Pick<PersonDoc, 'firstName' | 'lastName'> | undefined) => (p ? `${p.firstName} ${p.lastName}` : '');
