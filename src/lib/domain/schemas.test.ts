import { describe, expect, it } from 'vitest';
import {
  CARE01_ID as CARE01_ID_PATTERN,
  MAX_SIGNATURE_CHARS,
  normalisePhone,
  PERSON_ID as PERSON_ID_PATTERN,
  PHONE
} from './schemas.ts';
import { SCHEMAS } from './validate-doc.ts';
import { checkDoc, describeZodError, type DocCheck } from './validate-doc.ts';
import {
  CARE01_ID,
  changed,
  fullCare01,
  fullPerson,
  minimalCare01,
  minimalPerson,
  OTHER_UNIT,
  PERSON_ID,
  PNG_SIGNATURE,
  REMOVE,
  UNIT,
  VALID_NATIONAL_ID
} from './test-fixtures.ts';

const long = (n: number) => 'ก'.repeat(n);

function expectAccepted(check: DocCheck) {
  if (!check.ok) expect.fail(`expected the document to be accepted, got: ${check.reason}`);
  return check.doc;
}

function expectRefused(check: DocCheck, mention: string) {
  expect(check.ok).toBe(false);
  if (!check.ok) expect(check.reason).toContain(mention);
}

/** One invalid value of one field: [what, path to change, value, text the reason must contain]. */
type InvalidCase = [string, (string | number)[], unknown, string];

/** Invalid values shared by both document types (the synced metadata). */
const metaCases: InvalidCase[] = [
  ['schemaVersion from the future', ['schemaVersion'], 2, 'schemaVersion'],
  ['schemaVersion as a string', ['schemaVersion'], '1', 'schemaVersion'],
  ['schemaVersion missing', ['schemaVersion'], REMOVE, 'schemaVersion'],
  ['createdAt without a time', ['createdAt'], '2026-11-22', 'createdAt'],
  ['createdAt not a date', ['createdAt'], 'yesterday', 'createdAt'],
  ['createdAt with an impossible month', ['createdAt'], '2026-13-22T02:15:00.000Z', 'createdAt'],
  ['createdAt as a number', ['createdAt'], 1_763_777_700_000, 'createdAt'],
  ['createdAt missing', ['createdAt'], REMOVE, 'createdAt'],
  ['updatedAt not a date', ['updatedAt'], '2026-11-22Tnoon', 'updatedAt'],
  ['createdBy with capitals and a space', ['createdBy'], 'Somchai K', 'createdBy'],
  ['createdBy too short', ['createdBy'], 's', 'createdBy'],
  ['createdBy too long', ['createdBy'], 'a'.repeat(65), 'createdBy'],
  ['updatedBy in Thai', ['updatedBy'], 'สมชาย', 'updatedBy'],
  ['updatedBy missing', ['updatedBy'], REMOVE, 'updatedBy'],
  ['_rev without a generation', ['_rev'], 'abc', '_rev'],
  ['_rev with upper-case hex', ['_rev'], '1-ABCDEF', '_rev'],
  ['_rev as a number', ['_rev'], 3, '_rev'],
  ['_revisions starting at 0', ['_revisions'], { start: 0, ids: [] }, '_revisions.start'],
  ['_revisions with a non-hex id', ['_revisions'], { start: 1, ids: ['xyz'] }, '_revisions.ids'],
  ['_revisions with an extra key', ['_revisions'], { start: 1, ids: [], extra: 1 }, '_revisions: Unrecognized key: "extra"']
];

describe('checkDoc: person', () => {
  it('accepts a minimal person', () => {
    const doc = expectAccepted(checkDoc(minimalPerson(), UNIT));
    expect(doc).toEqual(minimalPerson());
  });

  it('accepts a full person', () => {
    const doc = expectAccepted(checkDoc(fullPerson(), UNIT));
    expect(doc).toEqual(fullPerson());
  });

  it.each([
    ['no civil registration', { status: 'none', reason: 'no-civil-registration' }],
    ['ASEAN national without ID', { status: 'none', reason: 'asean-national' }],
    ['foreign national without ID', { status: 'none', reason: 'foreign-national' }],
    ['not yet recorded', { status: 'unknown' }],
    ['typed', { status: 'number', number: VALID_NATIONAL_ID, source: 'typed' }],
    ['from the registry', { status: 'number', number: VALID_NATIONAL_ID, source: 'registry' }]
  ])('accepts a national ID that is %s', (_, nationalId) => {
    expectAccepted(checkDoc(changed(minimalPerson(), ['nationalId'], nationalId), UNIT));
  });

  it.each(['mr', 'mrs', 'miss', 'other'])('accepts title %s', (title) => {
    expectAccepted(checkDoc(changed(minimalPerson(), ['title'], title), UNIT));
  });

  // Stored as 13 bare digits only, so one person is never stored two ways.
  it.each(['1-1037-02345-67-9', '1 1037 02345 67 9'])('refuses a stored national ID written as %j', (number) => {
    const doc = changed(fullPerson(), ['nationalId', 'number'], number);
    expectRefused(checkDoc(doc, UNIT), 'nationalId.number');
  });

  it('trims text fields', () => {
    const doc = expectAccepted(checkDoc(changed(minimalPerson(), ['firstName'], '  สมชาย  '), UNIT));
    expect(doc.type === 'person' && doc.firstName).toBe('สมชาย');
  });

  it('accepts text at its maximum length', () => {
    expectAccepted(checkDoc(fullPerson({ firstName: long(100), lastName: long(100), prisonerId: 'x'.repeat(30) }), UNIT));
  });

  const personCases: InvalidCase[] = [
    ['_id of another type', ['_id'], CARE01_ID, '_id'],
    ['_id without a uuid', ['_id'], 'person:123', '_id'],
    ['_id with an upper-case uuid', ['_id'], PERSON_ID.toUpperCase().replace('PERSON', 'person'), '_id'],
    ['_id missing', ['_id'], REMOVE, '_id'],
    ['prisonerId missing', ['prisonerId'], REMOVE, 'prisonerId'],
    ['prisonerId empty', ['prisonerId'], '', 'prisonerId'],
    ['prisonerId only spaces', ['prisonerId'], '   ', 'prisonerId'],
    ['prisonerId too long', ['prisonerId'], 'x'.repeat(31), 'prisonerId'],
    ['prisonerId as a number', ['prisonerId'], 12345, 'prisonerId'],
    ['title not in the list', ['title'], 'dr', 'title'],
    ['title in Thai instead of its code', ['title'], 'นาย', 'title'],
    ['title missing', ['title'], REMOVE, 'title'],
    ['titleOther too long', ['titleOther'], long(51), 'titleOther'],
    ['firstName empty', ['firstName'], '', 'firstName'],
    ['firstName too long', ['firstName'], long(101), 'firstName'],
    ['firstName as a number', ['firstName'], 5, 'firstName'],
    ['firstName null', ['firstName'], null, 'firstName'],
    ['lastName missing', ['lastName'], REMOVE, 'lastName'],
    ['lastName too long', ['lastName'], long(101), 'lastName'],
    ['sex not in the list', ['sex'], 'x', 'sex'],
    ['dateOfBirth impossible', ['dateOfBirth'], '1990-02-30', 'dateOfBirth'],
    ['dateOfBirth in Thai order', ['dateOfBirth'], '14/05/2533', 'dateOfBirth'],
    ['dateOfBirth as a datetime', ['dateOfBirth'], '1990-05-14T00:00:00Z', 'dateOfBirth'],
    ['nationalId missing', ['nationalId'], REMOVE, 'nationalId'],
    ['nationalId as a bare string', ['nationalId'], VALID_NATIONAL_ID, 'nationalId'],
    ['nationalId with an unknown status', ['nationalId', 'status'], 'maybe', 'nationalId.status'],
    ['nationalId number with a wrong check digit', ['nationalId', 'number'], '1103702345670', 'nationalId.number'],
    ['nationalId number with 12 digits', ['nationalId', 'number'], '110370234567', 'nationalId.number'],
    ['nationalId number with letters', ['nationalId', 'number'], '110370234567X', 'nationalId.number'],
    ['nationalId number empty', ['nationalId', 'number'], '', 'nationalId.number'],
    ['nationalId number with a leading space', ['nationalId', 'number'], ` ${VALID_NATIONAL_ID}`, 'nationalId.number'],
    ['nationalId number as a number', ['nationalId', 'number'], 1103702345679, 'nationalId.number'],
    ['nationalId without its source', ['nationalId', 'source'], REMOVE, 'nationalId.source'],
    ['nationalId with an unknown source', ['nationalId', 'source'], 'ocr', 'nationalId.source'],
    ['nationalId "none" without a reason', ['nationalId'], { status: 'none' }, 'nationalId.reason'],
    ['nationalId "none" with an unknown reason', ['nationalId'], { status: 'none', reason: 'lost' }, 'nationalId.reason'],
    [
      'nationalId "none" that still carries a number',
      ['nationalId'],
      { status: 'none', reason: 'foreign-national', number: VALID_NATIONAL_ID },
      'nationalId: Unrecognized key: "number"'
    ],
    [
      'nationalId "unknown" with a number',
      ['nationalId'],
      { status: 'unknown', number: VALID_NATIONAL_ID },
      'nationalId: Unrecognized key: "number"'
    ],
    ['unknown extra field', ['nickname'], 'ชาย', 'Unrecognized key: "nickname"'],
    ...metaCases
  ];

  it.each(personCases)('refuses %s', (_, path, value, mention) => {
    expectRefused(checkDoc(changed(fullPerson(), path, value), UNIT), mention);
  });
});

describe('checkDoc: care01', () => {
  it('accepts a minimal interview', () => {
    const doc = expectAccepted(checkDoc(minimalCare01(), UNIT));
    expect(doc).toEqual(minimalCare01());
  });

  it('accepts a full interview', () => {
    const doc = expectAccepted(checkDoc(fullCare01(), UNIT));
    expect(doc).toEqual(fullCare01());
  });

  it.each([
    ['no help wanted', { helpWanted: { choice: 'none' as const } }],
    ['a landline number (9 digits)', { phone: '021234567' }],
    ['a sentence of only days', { sentence: { years: 0, months: 0, days: 30 } }],
    ['the longest sentence', { sentence: { years: 99, months: 11, days: 30 } }],
    ['the youngest age', { age: 10 }],
    ['the oldest age', { age: 120 }],
    ['both licensed car and licensed motorcycle', { skills: ['car-licensed' as const, 'motorcycle-licensed' as const] }],
    [
      'every need',
      {
        helpWanted: {
          choice: 'wants' as const,
          needs: ['capital', 'job-info', 'shelter', 'child-scholarship', 'medical', 'fare-home', 'other'] as never
        }
      }
    ],
    ['a referral with an agency only', { helpGiven: [{ action: 'referral' as const, detail: '', agencyId: 'dsdw' }] }],
    ['a referral with a detail only', { helpGiven: [{ action: 'referral' as const, detail: 'มูลนิธิในพื้นที่' }] }],
    ['many training lines', { trainings: Array.from({ length: 50 }, (_, n) => `หลักสูตร ${n + 1}`) }],
    [
      'a signature at the size limit',
      {
        prisonerSignature: {
          image: 'data:image/png;base64,' + 'A'.repeat(MAX_SIGNATURE_CHARS - 'data:image/png;base64,'.length),
          printedName: '',
          signedOn: '2026-11-22'
        }
      }
    ]
  ])('accepts %s', (_, overrides) => {
    expectAccepted(checkDoc(fullCare01(overrides as never), UNIT));
  });

  const care01Cases: InvalidCase[] = [
    ['_id of a person', ['_id'], PERSON_ID, '_id'],
    ['_id without a uuid', ['_id'], 'care01:1', '_id'],
    ['personId of an interview', ['personId'], CARE01_ID, 'personId'],
    ['personId missing', ['personId'], REMOVE, 'personId'],
    ['interviewDate missing', ['interviewDate'], REMOVE, 'interviewDate'],
    ['interviewDate impossible', ['interviewDate'], '2026-11-31', 'interviewDate'],
    ['interviewDate 29 Feb of a common year', ['interviewDate'], '2026-02-29', 'interviewDate'],
    ['interviewDate in d/m/y', ['interviewDate'], '22/11/2569', 'interviewDate'],
    ['age too young', ['age'], 9, 'age'],
    ['age too old', ['age'], 121, 'age'],
    ['age not whole', ['age'], 36.5, 'age'],
    ['age as a string', ['age'], '36', 'age'],
    ['age negative', ['age'], -1, 'age'],
    ['offence too long', ['offence'], long(501), 'offence'],
    ['offence as a number', ['offence'], 1, 'offence'],
    ['sentence months 12', ['sentence', 'months'], 12, 'sentence.months'],
    ['sentence days 31', ['sentence', 'days'], 31, 'sentence.days'],
    ['sentence years negative', ['sentence', 'years'], -1, 'sentence.years'],
    ['sentence years 100', ['sentence', 'years'], 100, 'sentence.years'],
    ['sentence years not whole', ['sentence', 'years'], 1.5, 'sentence.years'],
    ['sentence without days', ['sentence', 'days'], REMOVE, 'sentence.days'],
    ['sentence with an extra key', ['sentence', 'weeks'], 2, 'sentence: Unrecognized key: "weeks"'],
    ['sentence as text', ['sentence'], '2 ปี 6 เดือน', 'sentence'],
    ['paroleReleaseDate impossible', ['paroleReleaseDate'], '2026-02-29', 'paroleReleaseDate'],
    ['sentenceEndDate impossible', ['sentenceEndDate'], '2027-06-31', 'sentenceEndDate'],
    ['sentenceEndDate in the Buddhist Era with slashes', ['sentenceEndDate'], '15/03/2570', 'sentenceEndDate'],
    ['address missing', ['address'], REMOVE, 'address'],
    ['address as text', ['address'], '99/1 จตุจักร', 'address'],
    ['postcode with 4 digits', ['address', 'postcode'], '1090', 'address.postcode'],
    ['postcode with 6 digits', ['address', 'postcode'], '109000', 'address.postcode'],
    ['postcode with a letter', ['address', 'postcode'], '1090O', 'address.postcode'],
    ['postcode as a number', ['address', 'postcode'], 10900, 'address.postcode'],
    ['houseNo too long', ['address', 'houseNo'], 'x'.repeat(31), 'address.houseNo'],
    ['moo too long', ['address', 'moo'], 'x'.repeat(11), 'address.moo'],
    ['province too long', ['address', 'province'], long(101), 'address.province'],
    ['address with an unknown key', ['address', 'country'], 'TH', 'address: Unrecognized key: "country"'],
    ['phone with dashes', ['phone'], '081-234-5678', 'phone'],
    ['phone in international form', ['phone'], '+66812345678', 'phone'],
    ['phone too short', ['phone'], '08123456', 'phone'],
    ['phone too long', ['phone'], '08123456789', 'phone'],
    ['phone not starting with 0', ['phone'], '8123456789', 'phone'],
    ['phone as a number', ['phone'], 812345678, 'phone'],
    ['sponsorName too long', ['sponsorName'], long(201), 'sponsorName'],
    ['sponsorRelationship not in the list', ['sponsorRelationship'], 'friend', 'sponsorRelationship'],
    ['sponsorRelationshipOther too long', ['sponsorRelationshipOther'], long(101), 'sponsorRelationshipOther'],
    ['education not in the list', ['education'], 'phd', 'education'],
    ['educationOther too long', ['educationOther'], long(201), 'educationOther'],
    ['previousOccupation too long', ['previousOccupation'], long(201), 'previousOccupation'],
    ['skills missing', ['skills'], REMOVE, 'skills'],
    ['skills not a list', ['skills'], 'computer', 'skills'],
    ['a skill not in the list', ['skills'], ['computer', 'welding'], 'skills'],
    ['both car-licensed and car-unlicensed', ['skills'], ['car-licensed', 'car-unlicensed'], 'skills'],
    [
      'both motorcycle-licensed and motorcycle-unlicensed',
      ['skills'],
      ['motorcycle-unlicensed', 'motorcycle-licensed'],
      'skills'
    ],
    ['a duplicate skill', ['skills'], ['computer', 'english', 'computer'], 'skills'],
    ['trainings missing', ['trainings'], REMOVE, 'trainings'],
    ['an empty training line', ['trainings'], ['ช่างตัดผม', ''], 'trainings'],
    ['a blank training line', ['trainings'], ['   '], 'trainings'],
    ['a training line too long', ['trainings'], [long(201)], 'trainings'],
    ['51 training lines', ['trainings'], Array.from({ length: 51 }, (_, n) => `หลักสูตร ${n}`), 'trainings'],
    ['desiredOccupations missing', ['desiredOccupations'], REMOVE, 'desiredOccupations'],
    ['a desired occupation not in the list', ['desiredOccupations'], ['pilot'], 'desiredOccupations'],
    ['a duplicate desired occupation', ['desiredOccupations'], ['farming', 'farming'], 'desiredOccupations'],
    ['desiredOccupationOther too long', ['desiredOccupationOther'], long(201), 'desiredOccupationOther'],
    ['helpWanted "wants" with no needs', ['helpWanted'], { choice: 'wants', needs: [] }, 'helpWanted.needs'],
    ['helpWanted "wants" without a needs list', ['helpWanted'], { choice: 'wants' }, 'helpWanted.needs'],
    ['helpWanted with an unknown need', ['helpWanted'], { choice: 'wants', needs: ['money'] }, 'helpWanted.needs'],
    ['helpWanted with a duplicate need', ['helpWanted'], { choice: 'wants', needs: ['medical', 'medical'] }, 'helpWanted.needs'],
    [
      'helpWanted "none" that still lists needs',
      ['helpWanted'],
      { choice: 'none', needs: ['capital'] },
      'helpWanted: Unrecognized key: "needs"'
    ],
    ['helpWanted with an unknown choice', ['helpWanted'], { choice: 'maybe' }, 'helpWanted.choice'],
    ['helpWanted as a boolean', ['helpWanted'], true, 'helpWanted'],
    ['capitalTrade too long', ['helpWanted', 'capitalTrade'], long(201), 'helpWanted.capitalTrade'],
    ['jobPosition too long', ['helpWanted', 'jobPosition'], long(201), 'helpWanted.jobPosition'],
    ['otherNeed too long', ['helpWanted', 'otherNeed'], long(501), 'helpWanted.otherNeed'],
    ['consent not in the list', ['consent'], 'yes', 'consent'],
    ['consent as a boolean', ['consent'], true, 'consent'],
    ['officerOpinion too long', ['officerOpinion'], long(2001), 'officerOpinion'],
    ['helpGiven missing', ['helpGiven'], REMOVE, 'helpGiven'],
    ['an unknown action', ['helpGiven', 0, 'action'], 'bribe', 'helpGiven.0.action'],
    ['an action without its detail', ['helpGiven', 0, 'detail'], REMOVE, 'helpGiven.0.detail'],
    ['an action detail too long', ['helpGiven', 0, 'detail'], long(1001), 'helpGiven.0.detail'],
    ['agencyId on a non-referral action', ['helpGiven', 0, 'agencyId'], 'doe', 'helpGiven.0.agencyId'],
    ['an unknown agency', ['helpGiven', 1, 'agencyId'], 'ngo-x', 'helpGiven.1.agencyId'],
    ['forNeed that is not a need', ['helpGiven', 1, 'forNeed'], 'referral', 'helpGiven.1.forNeed'],
    ['an action with an extra key', ['helpGiven', 0, 'amount'], 10000, 'helpGiven.0: Unrecognized key: "amount"'],
    ['31 actions', ['helpGiven'], Array.from({ length: 31 }, () => ({ action: 'medical', detail: 'x' })), 'helpGiven'],
    ['unmetNeeds missing', ['unmetNeeds'], REMOVE, 'unmetNeeds'],
    ['an unmet need without a reason', ['unmetNeeds', 0, 'reason'], REMOVE, 'unmetNeeds.0.reason'],
    ['an unmet need with a blank reason', ['unmetNeeds', 0, 'reason'], '   ', 'unmetNeeds.0.reason'],
    ['an unmet need that is not a need', ['unmetNeeds', 0, 'need'], 'referral', 'unmetNeeds.0.need'],
    ['an unmet need reason too long', ['unmetNeeds', 0, 'reason'], long(1001), 'unmetNeeds.0.reason'],
    ['8 unmet needs', ['unmetNeeds'], Array.from({ length: 8 }, () => ({ need: 'medical', reason: 'x' })), 'unmetNeeds'],
    ['a JPEG signature', ['prisonerSignature', 'image'], 'data:image/jpeg;base64,/9j/4AAQ', 'prisonerSignature.image'],
    ['an SVG signature', ['officerSignature', 'image'], 'data:image/svg+xml;base64,PHN2Zz4=', 'officerSignature.image'],
    ['a signature that is a URL', ['prisonerSignature', 'image'], 'https://example.org/sig.png', 'prisonerSignature.image'],
    [
      'a signature with script after the data',
      ['prisonerSignature', 'image'],
      `${PNG_SIGNATURE}"><script>`,
      'prisonerSignature.image'
    ],
    ['an empty signature', ['officerSignature', 'image'], '', 'officerSignature.image'],
    [
      'a signature over the size limit',
      ['prisonerSignature', 'image'],
      'data:image/png;base64,' + 'A'.repeat(MAX_SIGNATURE_CHARS),
      'prisonerSignature.image'
    ],
    ['a prisoner signature without a date', ['prisonerSignature', 'signedOn'], REMOVE, 'prisonerSignature.signedOn'],
    ['a prisoner signature with a bad date', ['prisonerSignature', 'signedOn'], '2026-11-31', 'prisonerSignature.signedOn'],
    [
      'a prisoner signature with a position',
      ['prisonerSignature', 'position'],
      'ผู้ต้องขัง',
      'prisonerSignature: Unrecognized key: "position"'
    ],
    ['a printed name too long', ['prisonerSignature', 'printedName'], long(201), 'prisonerSignature.printedName'],
    ['an officer signature without a position', ['officerSignature', 'position'], REMOVE, 'officerSignature.position'],
    ['an officer position too long', ['officerSignature', 'position'], long(201), 'officerSignature.position'],
    ['an officer signature with a bad date', ['officerSignature', 'signedOn'], '22 พ.ย. 2569', 'officerSignature.signedOn'],
    ['unknown extra field', ['religion'], 'พุทธ', 'Unrecognized key: "religion"'],
    ...metaCases
  ];

  it('accepts a referral whose agency is not chosen yet: incomplete, not invalid', () => {
    const doc = changed(fullCare01(), ['helpGiven', 1], { action: 'referral', detail: '' });
    expectAccepted(checkDoc(doc, UNIT));
  });

  it.each(care01Cases)('refuses %s', (_, path, value, mention) => {
    expectRefused(checkDoc(changed(fullCare01(), path, value), UNIT), mention);
  });
});

describe('checkDoc: what never gets in', () => {
  it.each([
    ['person', minimalPerson()],
    ['care01', minimalCare01()]
  ])('refuses a %s of another unit, saying which unit was expected', (_, doc) => {
    const check = checkDoc({ ...doc, unitId: OTHER_UNIT }, UNIT);
    expectRefused(check, UNIT);
    if (!check.ok) expect(check.reason).toMatch(/unit/);
  });

  it('refuses a document without a unit', () => {
    expectRefused(checkDoc(changed(minimalPerson(), ['unitId'], REMOVE), UNIT), UNIT);
  });

  it('checks the shape of the unit id even when it is the expected one', () => {
    expectRefused(checkDoc({ ...minimalPerson(), unitId: 'BKK Prison' }, 'BKK Prison'), 'unitId');
  });

  it.each([
    ['a deletion', { _deleted: true }, 'records cannot be deleted'],
    ['a deletion flag set to false', { _deleted: false }, '_deleted'],
    ['attachments', { _attachments: {} }, 'attachments are not accepted'],
    [
      'attachments with content',
      { _attachments: { 'photo.png': { content_type: 'image/png', data: 'AAAA' } } },
      'attachments are not accepted'
    ],
    ['conflicts', { _conflicts: ['2-abc'] }, '_conflicts'],
    ['a local sequence', { _local_seq: 3 }, '_local_seq']
  ])('refuses %s', (_, extra, mention) => {
    expectRefused(checkDoc({ ...fullCare01(), ...extra }, UNIT), mention);
    expectRefused(checkDoc({ ...fullPerson(), ...extra }, UNIT), mention);
  });

  it.each([
    ['visit', 'visit'],
    ['Person', 'Person'],
    ['missing', undefined],
    ['a number', 42],
    ['constructor', 'constructor'],
    ['__proto__', '__proto__'],
    ['toString', 'toString'],
    ['hasOwnProperty', 'hasOwnProperty']
  ])('refuses an unknown type (%s)', (_, type) => {
    expectRefused(checkDoc({ ...minimalPerson(), type }, UNIT), 'unknown document type');
  });

  it('keeps an unknown-type reason short', () => {
    const check = checkDoc({ ...minimalPerson(), type: 'x'.repeat(10_000) }, UNIT);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason.length).toBeLessThan(100);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', JSON.stringify(minimalPerson())],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [minimalPerson()]]
  ])('refuses %s as a document', (_, doc) => {
    expectRefused(checkDoc(doc, UNIT), 'JSON object');
  });

  it('refuses an empty object', () => {
    expectRefused(checkDoc({}, UNIT), 'unknown document type');
  });
});

describe('checkDoc: prototype pollution', () => {
  // JSON.parse makes "__proto__" an own property, which is how it arrives from the network.
  const withKey = (doc: object, key: string) =>
    JSON.parse(JSON.stringify(doc).replace('{', `{"${key}":{"polluted":true},`)) as Record<string, unknown>;

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a top-level %s key', (key) => {
    for (const doc of [fullPerson(), fullCare01()]) {
      const parsed = withKey(doc, key);
      expect(Object.hasOwn(parsed, key)).toBe(true);
      expectRefused(checkDoc(parsed, UNIT), `Unrecognized key: "${key}"`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['__proto__', 'constructor'])('refuses a nested %s key', (key) => {
    const address = JSON.parse(`{"${key}":{"polluted":true},"province":"กรุงเทพมหานคร"}`);
    expectRefused(checkDoc({ ...fullCare01(), address }, UNIT), `address: Unrecognized key: "${key}"`);
    const nationalId = JSON.parse(`{"${key}":{"polluted":true},"status":"unknown"}`);
    expectRefused(checkDoc({ ...fullPerson(), nationalId }, UNIT), `nationalId: Unrecognized key: "${key}"`);
    const action = JSON.parse(`{"${key}":{"polluted":true},"action":"medical","detail":"x"}`);
    expectRefused(checkDoc({ ...fullCare01(), helpGiven: [action] }, UNIT), `helpGiven.0: Unrecognized key: "${key}"`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the helper really puts the key on the parsed object', () => {
    expect(Object.keys(withKey({ a: 1 }, '__proto__'))).toContain('__proto__');
  });
});

describe('describeZodError', () => {
  it('names at most 5 problems, each with its field', () => {
    const doc = {
      ...minimalCare01(),
      age: 5,
      phone: 'x',
      consent: 'yes',
      education: 'phd',
      offence: 1,
      sponsorName: 2,
      previousOccupation: 3
    };
    const check = checkDoc(doc, UNIT);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      const parts = check.reason.split('; ');
      expect(parts).toHaveLength(5);
      for (const part of parts) expect(part).toMatch(/^[a-zA-Z]+: /);
    }
  });

  it('gives a message without a path for whole-document problems', () => {
    const result = SCHEMAS.person.safeParse({ ...minimalPerson(), extra: 1 });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeZodError(result.error)).toMatch(/^Unrecognized key/);
  });
});

describe('phone numbers', () => {
  it.each([
    ['0812345678', '0812345678'],
    ['081-234-5678', '0812345678'],
    ['081 234 5678', '0812345678'],
    ['(02) 123-4567', '021234567'],
    ['+66812345678', '0812345678'],
    ['+66 81 234 5678', '0812345678'],
    ['+66-2-123-4567', '021234567']
  ])('normalisePhone(%j) = %j, a valid Thai number', (typed, stored) => {
    expect(normalisePhone(typed)).toBe(stored);
    expect(PHONE.test(stored)).toBe(true);
  });

  it.each(['12345678', '081234567890', '0x12345678', '', '66812345678'])('%j is not a Thai phone number', (value) => {
    expect(PHONE.test(normalisePhone(value))).toBe(false);
  });
});

describe('id patterns', () => {
  it('match the fixture ids', () => {
    expect(PERSON_ID_PATTERN.test(PERSON_ID)).toBe(true);
    expect(CARE01_ID_PATTERN.test(CARE01_ID)).toBe(true);
    expect(PERSON_ID_PATTERN.test(CARE01_ID)).toBe(false);
    expect(CARE01_ID_PATTERN.test(PERSON_ID)).toBe(false);
  });
});
