/**
 * The service records of the projection: CARE 03 / 04 visits, referrals (with their current
 * status) and assistance requests (with their current state) become timeline rows of the person
 * they are about, and so do hand-over requests (with their outcome, 'pending' until the server's
 * answer syncs in). projection.ts calls this for every batch of replica changes it applies.
 */
import {
  bangkokDate,
  referralSentOn,
  referralStatus,
  requestState,
  type AssistanceRequestDoc,
  type Care03Doc,
  type Care04Doc,
  type HandoverRequestDoc,
  type ReferralDoc
} from '../domain/index.ts';
import { localDb, type ServiceEventRow } from './local-db.ts';

type ServiceDoc = Care03Doc | Care04Doc | ReferralDoc | AssistanceRequestDoc | HandoverRequestDoc;

/** The timeline row of a service document, or undefined for any other document. */
export function serviceEventRow(doc: { type?: unknown; _id: string }, unitId: string): ServiceEventRow | undefined {
  const d = doc as ServiceDoc;
  switch (d.type) {
    case 'care03':
      return { id: d._id, unitId, personId: d.personId, kind: 'care03', on: d.visitDate, services: [...d.services] };
    case 'care04':
      return {
        id: d._id,
        unitId,
        personId: d.personId,
        kind: 'care04',
        on: d.visitDate,
        services: [...d.services],
        relativeName: `${d.relative.firstName} ${d.relative.lastName}`
      };
    case 'referral':
      return {
        id: d._id,
        unitId,
        personId: d.personId,
        kind: 'referral',
        on: referralSentOn(d),
        agencyId: d.agencyId,
        serviceId: d.serviceId,
        status: referralStatus(d),
        expectedBy: d.expectedBy
      };
    case 'request':
      return {
        id: d._id,
        unitId,
        personId: d.personId,
        kind: 'request',
        on: bangkokDate(d.history[0].at),
        requestKind: d.kind,
        lastStepAt: d.history[d.history.length - 1].at,
        status: requestState(d)
      };
    case 'handoverrequest':
      return {
        id: d._id,
        unitId,
        personId: d.personId,
        kind: 'handoverrequest',
        on: bangkokDate(d.requestedAt),
        toUnitId: d.toUnitId,
        requestedAt: d.requestedAt,
        status: d.outcome?.status ?? 'pending'
      };
    default:
      return undefined;
  }
}

/** Projects the service documents among `docs` (a later revision replaces its row). */
export async function projectServiceEvents(unitId: string, docs: ReadonlyArray<{ type?: unknown; _id: string }>): Promise<void> {
  const rows = docs.flatMap((doc) => serviceEventRow(doc, unitId) ?? []);
  if (rows.length) await localDb.serviceEvents.bulkPut(rows);
}
