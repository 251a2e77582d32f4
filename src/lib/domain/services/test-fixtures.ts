/**
 * Valid example service documents for the unit and integration tests (fresh copies each call).
 * Test-only: nothing in the app imports this file.
 */
import { PNG_SIGNATURE } from '../test-fixtures.ts';
import type { Care03Doc, Care04Doc } from './care-visits.ts';
import type { ConsentDoc } from './consent.ts';
import type { ReferralDoc } from './referral.ts';
import type { AssistanceRequestDoc } from './assistance-request.ts';
import type { RequestAttachmentDoc } from './request-attachment.ts';

export const SERVICE_PERSON = 'person:5a000000-0000-4000-8000-000000000001';
const AT = '2026-12-01T03:00:00.000Z';

const id = (type: string, n: number) => `${type}:5a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function meta(unitId: string, by: string) {
  return { unitId, schemaVersion: 1 as const, createdAt: AT, createdBy: by, updatedAt: AT, updatedBy: by };
}

export function care03(unitId: string, overrides: Partial<Care03Doc> = {}, n = 1): Care03Doc {
  return {
    _id: id('care03', n),
    type: 'care03',
    ...meta(unitId, 'care.officer'),
    personId: SERVICE_PERSON,
    visitDate: '2026-12-01',
    recordedAt: AT,
    servedBy: 'care.officer',
    clientStatus: 'prisoner',
    services: ['job-info', 'advice'],
    result: 'ให้ข้อมูลตำแหน่งงานว่าง 3 ตำแหน่ง',
    ...overrides
  };
}

export function care04(unitId: string, overrides: Partial<Care04Doc> = {}, n = 1): Care04Doc {
  return {
    _id: id('care04', n),
    type: 'care04',
    ...meta(unitId, 'care.officer'),
    personId: SERVICE_PERSON,
    visitDate: '2026-12-01',
    recordedAt: AT,
    servedBy: 'care.officer',
    services: ['advice'],
    result: 'แนะนำการเตรียมที่พักหลังพ้นโทษ',
    relative: { firstName: 'สมศรี', lastName: 'ใจดี', relationship: 'spouse' },
    ...overrides
  };
}

export function consentRecord(unitId: string, overrides: Partial<ConsentDoc> = {}, n = 1): ConsentDoc {
  return {
    _id: id('consent', n),
    type: 'consent',
    ...meta(unitId, 'care.officer'),
    personId: SERVICE_PERSON,
    givenOn: '2026-11-30',
    actions: ['share', 'refer'],
    signature: { image: PNG_SIGNATURE, printedName: 'สมชาย ใจดี' },
    ...overrides
  };
}

export function referral(unitId: string, overrides: Partial<ReferralDoc> = {}, n = 1): ReferralDoc {
  return {
    _id: id('referral', n),
    type: 'referral',
    ...meta(unitId, 'care.officer'),
    personId: SERVICE_PERSON,
    agencyId: 'doe',
    serviceId: 'job-placement',
    need: 'job-info',
    consent: { basis: 'consent-record', consentId: id('consent', 1) },
    expectedBy: '2026-12-15',
    events: [{ status: 'sent', on: '2026-12-01', by: 'care.officer' }],
    ...overrides
  };
}

export function assistanceRequest(unitId: string, overrides: Partial<AssistanceRequestDoc> = {}, n = 1): AssistanceRequestDoc {
  return {
    _id: id('request', n),
    type: 'request',
    ...meta(unitId, 'field.officer'),
    personId: SERVICE_PERSON,
    kind: 'fare',
    channel: 'in-person',
    details: 'ขอค่าพาหนะกลับภูมิลำเนา',
    history: [{ state: 'submitted', at: AT, by: 'field.officer', duty: 'case-officer' }],
    ...overrides
  };
}

/** The smallest valid PNG as an attachment payload. */
export const PNG_DATA = PNG_SIGNATURE;

export function attachment(unitId: string, overrides: Partial<RequestAttachmentDoc> = {}, n = 1): RequestAttachmentDoc {
  return {
    _id: id('attachment', n),
    type: 'attachment',
    ...meta(unitId, 'field.officer'),
    requestId: id('request', 1),
    personId: SERVICE_PERSON,
    fileName: 'บัตรประชาชน.png',
    mediaType: 'image/png',
    addedAt: AT,
    data: PNG_DATA,
    ...overrides
  };
}

export const serviceDocId = id;
