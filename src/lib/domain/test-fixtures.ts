/**
 * Valid example documents for the domain unit tests. Each factory returns a fresh copy, so a
 * test can change one field without affecting another test.
 *
 * Test-only: nothing in the app imports this file.
 */
import type { Care01Doc, PersonDoc } from './schemas.ts';

/** The unit the examples belong to (a prison CARE centre). */
export const UNIT = 'bkk-remand-prison';
export const OTHER_UNIT = 'chiang-mai-central';

export const PERSON_ID = 'person:3f2b8c1e-7a4d-4e2f-9b6a-0c1d2e3f4a5b';
export const CARE01_ID = 'care01:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/**
 * A national ID with a correct check digit, checked by hand:
 * 1·13 + 1·12 + 0·11 + 3·10 + 7·9 + 0·8 + 2·7 + 3·6 + 4·5 + 5·4 + 6·3 + 7·2 = 222,
 * 222 mod 11 = 2, (11 − 2) mod 10 = 9.
 */
export const VALID_NATIONAL_ID = '1103702345679';

/** The smallest PNG there is (1×1 pixel), as the signature pad would store it. */
export const PNG_SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const CREATED = '2026-11-22T02:15:00.000Z';

function meta() {
  return {
    unitId: UNIT,
    schemaVersion: 1 as const,
    createdAt: CREATED,
    createdBy: 'somchai.k',
    updatedAt: CREATED,
    updatedBy: 'somchai.k'
  };
}

/** A person with only the required fields (national ID not yet recorded). */
export function minimalPerson(overrides: Partial<PersonDoc> = {}): PersonDoc {
  return {
    _id: PERSON_ID,
    type: 'person',
    ...meta(),
    prisonerId: '1-2569-00123',
    title: 'mr',
    firstName: 'สมชาย',
    lastName: 'ใจดี',
    nationalId: { status: 'unknown' },
    ...overrides
  };
}

/** A person with every field filled. Born 14 May 1990: 36 years old on 22 Nov 2026. */
export function fullPerson(overrides: Partial<PersonDoc> = {}): PersonDoc {
  return {
    ...minimalPerson(),
    _rev: '3-4f1c2a9e8b7d6c5a4f3e2d1c0b9a8f7e',
    title: 'other',
    titleOther: 'ว่าที่ร้อยตรี',
    sex: 'male',
    dateOfBirth: '1990-05-14',
    nationalId: { status: 'number', number: VALID_NATIONAL_ID, source: 'card-reader' },
    nationality: 'ไทย',
    personStatus: 'thai',
    religion: 'buddhism',
    registeredAddress: {
      houseNo: '99/1',
      moo: '4',
      subdistrict: 'ลาดยาว',
      district: 'จตุจักร',
      province: 'กรุงเทพมหานคร',
      postcode: '10900'
    },
    ...overrides
  };
}

/** An interview with only what the schema requires (far from complete). */
export function minimalCare01(overrides: Partial<Care01Doc> = {}): Care01Doc {
  return {
    _id: CARE01_ID,
    type: 'care01',
    ...meta(),
    personId: PERSON_ID,
    interviewDate: '2026-11-22',
    address: {},
    skills: [],
    trainings: [],
    desiredOccupations: [],
    helpGiven: [],
    unmetNeeds: [],
    ...overrides
  };
}

/**
 * An interview with every field filled, every "other" option specified and every wanted need
 * answered (by an action or a reason). Together with fullPerson() it is complete.
 */
export function fullCare01(overrides: Partial<Care01Doc> = {}): Care01Doc {
  return {
    ...minimalCare01(),
    _rev: '2-0a1b2c3d4e5f',
    _revisions: { start: 2, ids: ['0a1b2c3d4e5f', '9f8e7d6c5b4a'] },
    age: 36,
    offence: 'ลักทรัพย์',
    sentence: { years: 2, months: 6, days: 15 },
    paroleReleaseDate: '2026-12-01',
    sentenceEndDate: '2027-03-15',
    address: {
      houseNo: '99/1',
      moo: '4',
      village: 'บ้านหนองบัว',
      soi: 'ซอยสุขใจ',
      road: 'ถนนพหลโยธิน',
      subdistrict: 'ลาดยาว',
      district: 'จตุจักร',
      province: 'กรุงเทพมหานคร',
      postcode: '10900'
    },
    phone: '0812345678',
    sponsorName: 'สมหญิง ใจดี',
    sponsorRelationship: 'other',
    sponsorRelationshipOther: 'ป้า (aunt)',
    education: 'other',
    educationOther: 'กศน.',
    previousOccupation: 'ช่างเชื่อม',
    skills: ['computer', 'typing-thai', 'english', 'car-licensed', 'motorcycle-unlicensed'],
    trainings: ['ช่างตัดผม', 'ทำขนมไทย', 'ช่างซ่อมรถจักรยานยนต์', 'บาริสต้า'],
    desiredOccupations: ['trading', 'other'],
    desiredOccupationOther: 'ช่างตัดผม',
    helpWanted: {
      choice: 'wants',
      needs: ['capital', 'job-info', 'fare-home', 'shelter', 'other'],
      capitalTrade: 'ร้านตัดผม',
      jobPosition: 'พนักงานขับรถ',
      otherNeed: 'ทำบัตรประชาชนใหม่'
    },
    consent: 'consents',
    officerOpinion: 'มีครอบครัวรองรับ ต้องการเริ่มอาชีพตัดผม',
    helpGiven: [
      // Answers "capital" by being of the same kind.
      { action: 'capital', detail: 'ทุนประกอบอาชีพ 10,000 บาท' },
      // Answers "job-info" by aiming at it.
      { action: 'referral', detail: 'ส่งต่อสำนักงานจัดหางาน', agencyId: 'doe', forNeed: 'job-info' },
      // Answers "other" by being of the same kind.
      { action: 'other', detail: 'ประสานอำเภอทำบัตร' },
      { action: 'employment-project', detail: 'โครงการคืนคนดีสู่สังคม' }
    ],
    // "fare-home" and "shelter" are answered by a reason.
    unmetNeeds: [
      { need: 'fare-home', reason: 'ครอบครัวมารับ' },
      { need: 'shelter', reason: 'ไม่มีที่พักชั่วคราวในจังหวัด' }
    ],
    prisonerSignature: { image: PNG_SIGNATURE, printedName: 'สมชาย ใจดี', signedOn: '2026-11-22' },
    officerSignature: {
      image: PNG_SIGNATURE,
      printedName: 'สมศักดิ์ รักงาน',
      position: 'นักสังคมสงเคราะห์ปฏิบัติการ',
      signedOn: '2026-11-22'
    },
    ...overrides
  };
}

/** Marks a key for removal in `changed`. */
export const REMOVE = Symbol('remove');

/**
 * A deep copy of `doc` with the value at `path` replaced (or removed with REMOVE), typed loosely
 * on purpose: tests use it to build documents the schemas must refuse.
 */
export function changed(doc: object, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc) as Record<string, unknown>;
  let target: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === REMOVE) delete target[last];
  else target[last] = value;
  return copy;
}
