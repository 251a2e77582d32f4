import { describe, expect, it } from 'vitest';
import { care01Completeness, needIsAnswered, personCompleteness, type Completeness } from './completeness.ts';
import { HELP_NEEDS, type HelpNeed } from './options.ts';
import { personSchema, type Care01Doc, type HelpGiven, type PersonDoc } from './schemas.ts';
import { fullCare01, fullPerson, PNG_SIGNATURE } from './test-fixtures.ts';

const missing = (c: Completeness) => c.issues.filter((i) => i.kind === 'missing').map((i) => i.field);
const invalid = (c: Completeness) => c.issues.filter((i) => i.kind === 'invalid').map((i) => i.field);

/** The full interview and person with some fields changed or removed (undefined). */
function check(interview: Partial<Care01Doc> = {}, person: Partial<PersonDoc> = {}) {
  const p: Partial<PersonDoc> = { ...fullPerson(), ...person };
  const i: Partial<Care01Doc> = { ...fullCare01(), ...interview };
  for (const o of [p, i] as Record<string, unknown>[]) for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  return care01Completeness(p, i);
}

/** An interview that wants exactly these needs, with the specify texts filled. */
function wanting(needs: HelpNeed[], extra: Partial<Care01Doc> = {}): Partial<Care01Doc> {
  return {
    helpWanted: { choice: 'wants', needs, capitalTrade: 'ร้านตัดผม', jobPosition: 'คนขับรถ', otherNeed: 'ทำบัตร' },
    helpGiven: [],
    unmetNeeds: [],
    ...extra
  };
}

const PERSON_ITEMS = [
  'prisonerId',
  'title',
  'firstName',
  'lastName',
  'nationalId',
  'sex',
  'dateOfBirth',
  'nationality',
  'religion',
  'registeredAddress'
];

const EVERY_BASIC_ITEM = [
  ...PERSON_ITEMS,
  'interviewDate',
  'age',
  'offence',
  'sentence',
  'sentenceEndDate',
  'address',
  'education',
  'helpWanted',
  'consent',
  'prisonerSignature',
  'officerSignature'
];

describe('personCompleteness', () => {
  it('"เพศ วันเกิด … ที่อยู่ตามทะเบียนบ้าน … สัญชาติ … ศาสนา": an empty person lacks the ten basic items', () => {
    const c = personCompleteness({});
    expect(missing(c)).toEqual(PERSON_ITEMS);
    expect(c).toMatchObject({ complete: false, filled: 0, required: 10 });
  });

  it('a full person is complete', () => {
    expect(personCompleteness(fullPerson())).toEqual({ complete: true, issues: [], filled: 10, required: 10 });
  });

  it('a record made before the basic fields existed still validates but is incomplete', () => {
    const old = { ...fullPerson() } as Partial<PersonDoc>;
    for (const k of ['nationality', 'personStatus', 'religion', 'registeredAddress', 'sex', 'dateOfBirth'] as const)
      delete old[k];
    expect(personSchema.safeParse(old).success).toBe(true);
    expect(missing(personCompleteness(old))).toEqual(['sex', 'dateOfBirth', 'nationality', 'religion', 'registeredAddress']);
  });

  it.each([
    ['a blank prisoner ID', { prisonerId: '  ' }, 'prisonerId'],
    ['title "other" without the title', { title: 'other' as const, titleOther: '' }, 'title'],
    ['a blank first name', { firstName: '' }, 'firstName'],
    ['a blank last name', { lastName: ' ' }, 'lastName'],
    ['a national ID not yet recorded', { nationalId: { status: 'unknown' as const } }, 'nationalId'],
    ['"เพศ" (sex) not recorded', { sex: undefined }, 'sex'],
    ['"วันเกิด" (date of birth) not recorded', { dateOfBirth: undefined }, 'dateOfBirth'],
    ['"สัญชาติ" (nationality) blank', { nationality: ' ' }, 'nationality'],
    ['the person status (สถานะบุคคล) not recorded', { personStatus: undefined }, 'nationality'],
    ['"ศาสนา" (religion) not recorded', { religion: undefined }, 'religion'],
    ['religion "other" without saying which', { religion: 'other' as const }, 'religion'],
    [
      '"ที่อยู่ตามทะเบียนบ้าน" without its province',
      { registeredAddress: { subdistrict: 'ลาดยาว', district: 'จตุจักร' } },
      'registeredAddress'
    ]
  ])('%s is missing', (_, change, field) => {
    const person = { ...fullPerson(), ...change } as Partial<PersonDoc>;
    for (const k of Object.keys(person) as (keyof PersonDoc)[]) if (person[k] === undefined) delete person[k];
    const c = personCompleteness(person);
    expect(missing(c)).toEqual([field]);
    expect(c).toMatchObject({ complete: false, filled: 9, required: 10 });
  });

  it('"ไม่ปรากฏหลักฐานทางทะเบียนราษฎร์": a Thai person\'s recorded reason for no number counts as filled', () => {
    expect(
      personCompleteness({ ...fullPerson(), nationalId: { status: 'none', reason: 'no-civil-registration' } }).complete
    ).toBe(true);
  });

  it('"ให้ลงที่อยู่ในช่อง อยู่ในต่างประเทศ (คนอาเซียน/คนต่างประเทศ)": a foreign national without an ID is complete with the address abroad, not a Thai one', () => {
    const foreigner = {
      ...fullPerson(),
      nationalId: { status: 'none' as const, reason: 'foreign-national' as const },
      nationality: 'เมียนมา',
      personStatus: 'foreign-national' as const,
      registeredAddress: undefined,
      addressAbroad: { country: 'เมียนมา', detail: 'เมืองเมียวดี' }
    };
    delete foreigner.registeredAddress;
    expect(personCompleteness(foreigner).complete).toBe(true);
    const { addressAbroad: _abroad, ...withoutAbroad } = foreigner;
    expect(missing(personCompleteness(withoutAbroad))).toEqual(['registeredAddress']);
    const withThaiAddress = personCompleteness({ ...withoutAbroad, registeredAddress: fullPerson().registeredAddress });
    expect(missing(withThaiAddress)).toEqual(['registeredAddress']);
    expect(invalid(withThaiAddress)).toEqual(['registeredAddress']);
  });

  it('the reason for no ID must agree with the person status', () => {
    const asThai = personCompleteness({
      ...fullPerson(),
      nationalId: { status: 'none', reason: 'asean-national' },
      personStatus: 'thai'
    });
    expect(invalid(asThai)).toEqual(['nationality']);
    const foreignNoRegistry = personCompleteness({
      ...fullPerson(),
      nationalId: { status: 'none', reason: 'no-civil-registration' },
      personStatus: 'foreign-national'
    });
    expect(invalid(foreignNoRegistry)).toContain('nationalId');
  });

  it('a hill-tribe person with an ID issued by the Department of Provincial Administration is recorded as issued', () => {
    expect(personCompleteness({ ...fullPerson(), personStatus: 'hill-tribe', nationality: 'ไทย' }).complete).toBe(true);
  });

  it('title "mr" needs no specify text', () => {
    expect(personCompleteness({ ...fullPerson(), title: 'mr', titleOther: undefined }).complete).toBe(true);
  });
});

describe('care01Completeness: required items', () => {
  it('an empty interview lists every required item as missing, and nothing else', () => {
    const c = care01Completeness({}, {});
    expect(missing(c)).toEqual(EVERY_BASIC_ITEM);
    expect(invalid(c)).toEqual([]);
    expect(c).toMatchObject({ complete: false, filled: 0, required: EVERY_BASIC_ITEM.length });
  });

  it('every issue carries a Thai and an English label', () => {
    for (const issue of care01Completeness({}, {}).issues) {
      expect(issue.th.trim(), issue.field).not.toBe('');
      expect(issue.en.trim(), issue.field).not.toBe('');
    }
  });

  it('the full interview is complete', () => {
    const c = care01Completeness(fullPerson(), fullCare01());
    expect(c.issues).toEqual([]);
    expect(c.complete).toBe(true);
    expect(c.filled).toBe(c.required);
  });

  it('counts the conditional items of the full interview', () => {
    // 16 basic items + "other" education, sponsor and occupation + capital trade, job position and
    // other need + one item per wanted need (5) + the referral's agency + the "other" action's detail
    // + the sponsor's relationship (a sponsor is named).
    expect(care01Completeness(fullPerson(), fullCare01()).required).toBe(21 + 3 + 3 + 5 + 2 + 1);
  });

  it.each([
    ['interviewDate', { interviewDate: undefined }],
    ['interviewDate', { interviewDate: '  ' }],
    ['offence', { offence: undefined }],
    ['offence', { offence: '   ' }],
    ['sentence', { sentence: undefined }],
    ['sentence', { sentence: { years: 0, months: 0, days: 0 } }],
    ['sentenceEndDate', { sentenceEndDate: undefined }],
    ['address', { address: {} }],
    ['address', { address: { ...fullCare01().address, subdistrict: undefined } }],
    ['address', { address: { ...fullCare01().address, district: ' ' } }],
    ['address', { address: { ...fullCare01().address, province: '' } }],
    ['education', { education: undefined, educationOther: undefined }],
    ['helpWanted', { helpWanted: undefined, helpGiven: [], unmetNeeds: [] }],
    ['consent', { consent: undefined }],
    ['prisonerSignature', { prisonerSignature: undefined }],
    ['officerSignature', { officerSignature: undefined }],
    ['officerSignature', { officerSignature: { ...fullCare01().officerSignature!, printedName: '' } }],
    ['officerSignature', { officerSignature: { ...fullCare01().officerSignature!, position: '  ' } }]
  ] as [string, Partial<Care01Doc>][])('%s is missing (%j)', (field, change) => {
    const full = check();
    const c = check(change);
    expect(missing(c)).toEqual([field]);
    expect(c.complete).toBe(false);
    expect(c.required - c.filled).toBe(1);
    // Only the conditional items that depend on the removed field change the count.
    if (!('helpWanted' in change) && !('education' in change)) expect(c.required).toBe(full.required);
  });

  it('consent "declines" still counts as answered', () => {
    expect(check({ consent: 'declines' }).complete).toBe(true);
  });

  it('the prisoner signature does not need a printed name', () => {
    expect(check({ prisonerSignature: { image: PNG_SIGNATURE, printedName: '', signedOn: '2026-11-22' } }).complete).toBe(true);
  });

  it('a sentence of only months or only days is filled', () => {
    expect(check({ sentence: { years: 0, months: 6, days: 0 } }).complete).toBe(true);
    expect(check({ sentence: { years: 0, months: 0, days: 15 } }).complete).toBe(true);
  });

  it('the address needs only subdistrict, district and province', () => {
    expect(check({ address: { subdistrict: 'ลาดยาว', district: 'จตุจักร', province: 'กรุงเทพมหานคร' } }).complete).toBe(true);
  });

  describe('age', () => {
    it('is filled by the date of birth alone', () => {
      expect(check({ age: undefined }).complete).toBe(true);
    });

    it('is filled by the age alone (the date of birth is still a missing basic item)', () => {
      expect(missing(check({}, { dateOfBirth: undefined }))).toEqual(['dateOfBirth']);
    });

    it('is missing with neither', () => {
      expect(missing(check({ age: undefined }, { dateOfBirth: undefined }))).toEqual(['dateOfBirth', 'age']);
    });
  });

  it('person items are part of the interview', () => {
    const c = check({}, { prisonerId: '', nationalId: { status: 'unknown' } });
    expect(missing(c)).toEqual(['prisonerId', 'nationalId']);
  });

  it('counts filled and required items of a half-done interview', () => {
    const c = care01Completeness(
      { prisonerId: 'P1', title: 'mr', firstName: 'สมชาย', lastName: 'ใจดี' },
      { interviewDate: '2026-11-22', age: 36, offence: 'ลักทรัพย์', consent: 'consents' }
    );
    expect(c).toMatchObject({ complete: false, filled: 8, required: 21 });
    expect(missing(c)).toEqual([
      'nationalId',
      'sex',
      'dateOfBirth',
      'nationality',
      'religion',
      'registeredAddress',
      'sentence',
      'sentenceEndDate',
      'address',
      'education',
      'helpWanted',
      'prisonerSignature',
      'officerSignature'
    ]);
  });
});

describe('care01Completeness: "other" options need their specify text', () => {
  it.each([
    ['education', { educationOther: undefined }],
    ['education', { educationOther: '  ' }],
    ['sponsor', { sponsorRelationshipOther: undefined }],
    ['desiredOccupations', { desiredOccupationOther: '' }],
    ['helpWanted', { helpWanted: { ...(fullCare01().helpWanted as object), otherNeed: undefined } as Care01Doc['helpWanted'] }],
    ['helpWanted', { helpWanted: { ...(fullCare01().helpWanted as object), capitalTrade: ' ' } as Care01Doc['helpWanted'] }],
    ['helpWanted', { helpWanted: { ...(fullCare01().helpWanted as object), jobPosition: undefined } as Care01Doc['helpWanted'] }],
    ['helpGiven-2', { helpGiven: fullCare01().helpGiven.map((h) => (h.action === 'other' ? { ...h, detail: '' } : h)) }]
  ] as [string, Partial<Care01Doc>][])('%s (%j)', (field, change) => {
    const c = check(change);
    expect(missing(c)).toEqual([field]);
    expect(c.filled).toBe(c.required - 1);
  });

  it('title "other" needs the title', () => {
    expect(missing(check({}, { titleOther: undefined }))).toEqual(['title']);
  });

  it('no specify text is needed when "other" is not chosen', () => {
    const c = check({
      education: 'bachelor',
      educationOther: undefined,
      sponsorRelationship: 'parent',
      sponsorRelationshipOther: undefined,
      desiredOccupations: ['farming'],
      desiredOccupationOther: undefined
    });
    expect(c.complete).toBe(true);
    expect(c.required).toBe(check().required - 3);
  });

  it('a sponsor name needs the relationship', () => {
    expect(missing(check({ sponsorRelationship: undefined, sponsorRelationshipOther: undefined }))).toEqual(['sponsor']);
  });

  // A named sponsor asks for the relationship: choosing it fills an item (not removes one).
  it('choosing the sponsor relationship counts as filling an item', () => {
    const open = check({ sponsorRelationship: undefined, sponsorRelationshipOther: undefined });
    const done = check({ sponsorRelationship: 'parent', sponsorRelationshipOther: undefined });
    expect(done.required).toBe(open.required);
    expect(done.filled).toBe(open.filled + 1);
  });

  it('filling a specify text counts as filling an item', () => {
    const open = check({ educationOther: undefined });
    const done = check();
    expect(done.required).toBe(open.required);
    expect(done.filled).toBe(open.filled + 1);
  });

  it('no sponsor, no relationship needed', () => {
    expect(check({ sponsorName: undefined, sponsorRelationship: undefined, sponsorRelationshipOther: undefined }).complete).toBe(
      true
    );
  });
});

describe('care01Completeness: every wanted need ends with an action or a reason', () => {
  const action = (a: HelpGiven) => a;

  it('a need with neither is missing, under need-<kind>', () => {
    const c = check(wanting(['shelter']));
    expect(missing(c)).toEqual(['need-shelter']);
  });

  it('lists every unanswered need', () => {
    const all = HELP_NEEDS.values.slice();
    const c = check(wanting(all));
    expect(missing(c)).toEqual(all.map((n) => `need-${n}`));
  });

  it.each([
    ['an action of the same kind', { helpGiven: [action({ action: 'shelter', detail: 'บ้านกึ่งวิถี' })] }],
    ['an action aimed at it', { helpGiven: [action({ action: 'referral', detail: '', agencyId: 'dsdw', forNeed: 'shelter' })] }],
    ['a recorded reason', { unmetNeeds: [{ need: 'shelter' as const, reason: 'ไม่มีที่ว่าง' }] }]
  ])('is answered by %s', (_, extra) => {
    expect(check(wanting(['shelter'], extra)).complete).toBe(true);
  });

  it.each([
    [
      'an action of the same kind aimed at another need',
      { helpGiven: [action({ action: 'shelter', detail: 'x', forNeed: 'medical' })] }
    ],
    ['an action of another kind', { helpGiven: [action({ action: 'medical', detail: 'x' })] }],
    ['a referral not aimed at it', { helpGiven: [action({ action: 'referral', detail: '', agencyId: 'dsdw' })] }],
    ['a reason for another need', { unmetNeeds: [{ need: 'medical' as const, reason: 'x' }] }],
    ['a blank reason', { unmetNeeds: [{ need: 'shelter' as const, reason: '  ' }] }]
  ])('is not answered by %s', (_, extra) => {
    expect(missing(check(wanting(['shelter'], extra)))).toEqual(['need-shelter']);
  });

  it('"none" asks for no actions', () => {
    const c = check({ helpWanted: { choice: 'none' }, helpGiven: [], unmetNeeds: [] });
    expect(c.complete).toBe(true);
    // The 16 basic items, the three "other" specify texts and the sponsor's relationship.
    expect(c.required).toBe(21 + 3 + 1);
  });

  it('an action for a person who wants no help is fine (e.g. CARE centre contact given)', () => {
    expect(
      check({ helpWanted: { choice: 'none' }, helpGiven: [{ action: 'other', detail: 'ให้เบอร์ศูนย์ CARE' }], unmetNeeds: [] })
        .complete
    ).toBe(true);
  });

  it('counts one required item per need, filled when answered', () => {
    const open = check(wanting(['medical', 'fare-home']));
    const answered = check(wanting(['medical', 'fare-home'], { helpGiven: [{ action: 'medical', detail: 'ส่ง รพ.' }] }));
    expect(open.required).toBe(answered.required);
    expect(answered.filled - open.filled).toBe(1);
    expect(missing(answered)).toEqual(['need-fare-home']);
  });

  describe('needIsAnswered', () => {
    it.each([
      ['capital', { helpGiven: [{ action: 'capital', detail: '' }] }, true],
      ['capital', { helpGiven: [{ action: 'employment-project', detail: '', forNeed: 'capital' }] }, true],
      ['capital', { helpGiven: [{ action: 'capital', detail: '', forNeed: 'job-info' }] }, false],
      ['job-info', { helpGiven: [{ action: 'job-info', detail: '' }] }, true],
      ['other', { helpGiven: [{ action: 'other', detail: 'x' }] }, true],
      ['medical', { unmetNeeds: [{ need: 'medical', reason: 'มีสิทธิบัตรทองแล้ว' }] }, true],
      ['medical', { unmetNeeds: [{ need: 'medical', reason: '' }] }, false],
      ['medical', {}, false],
      ['medical', { helpGiven: [], unmetNeeds: [] }, false]
    ] as [HelpNeed, Partial<Care01Doc>, boolean][])('%s with %j → %s', (need, interview, answered) => {
      expect(needIsAnswered(need, interview)).toBe(answered);
    });
  });
});

describe('care01Completeness: a referral needs an agency', () => {
  it('a referral without an agency is missing it', () => {
    const helpGiven = fullCare01().helpGiven.map((h): HelpGiven =>
      h.action === 'referral' ? { action: 'referral', detail: h.detail, forNeed: h.forNeed } : h
    );
    const c = check({ helpGiven });
    expect(missing(c)).toEqual(['helpGiven-1']);
    expect(c.filled).toBe(c.required - 1);
  });

  it('names the row of the referral', () => {
    const c = check(
      wanting(['medical'], {
        helpGiven: [
          { action: 'medical', detail: 'ส่ง รพ.' },
          { action: 'referral', detail: 'ส่งต่อ' },
          { action: 'referral', detail: '', agencyId: 'dmh' },
          { action: 'referral', detail: 'อีกแห่ง' }
        ]
      })
    );
    expect(missing(c)).toEqual(['helpGiven-1', 'helpGiven-3']);
  });
});

describe('care01Completeness: correctness', () => {
  it.each([
    // person born 1990-05-14, interview 2026-11-22 → 36
    [36, '1990-05-14', '2026-11-22', []],
    [35, '1990-05-14', '2026-11-22', ['age']],
    [37, '1990-05-14', '2026-11-22', ['age']],
    [35, '1990-11-23', '2026-11-22', []], // birthday tomorrow
    [36, '1990-11-23', '2026-11-22', ['age']],
    [36, '1990-11-22', '2026-11-22', []] // birthday today
  ] as [number, string, string, string[]][])(
    'age %i, born %s, interviewed %s → %j',
    (age, dateOfBirth, interviewDate, fields) => {
      const c = check({ age, interviewDate, paroleReleaseDate: undefined, sentenceEndDate: '2027-03-15' }, { dateOfBirth });
      expect(invalid(c)).toEqual(fields);
    }
  );

  it('says what the age should be', () => {
    const issue = check({ age: 40 }).issues.find((i) => i.kind === 'invalid');
    expect(issue).toMatchObject({ field: 'age' });
    expect(issue!.en).toContain('36');
    expect(issue!.th).toContain('36');
  });

  it('does not compare age with an unusable date of birth', () => {
    expect(invalid(check({ age: 36 }, { dateOfBirth: '1990-02-30' }))).toEqual([]);
  });

  it.each(['2027-01-01', '2026-11-23', '2026-11-22'])(
    'a date of birth of %s (not before the interview) is wrong',
    (dateOfBirth) => {
      expect(invalid(check({ age: undefined }, { dateOfBirth }))).toEqual(['age']);
    }
  );

  it('a date of birth the day before the interview passes this check', () => {
    expect(invalid(check({ age: undefined }, { dateOfBirth: '2026-11-21' }))).toEqual([]);
  });

  it.each([
    ['2026-11-21', ['sentenceEndDate']], // the day before the interview
    ['2025-01-01', ['sentenceEndDate']],
    ['2026-11-22', []], // released on the interview day
    ['2026-11-23', []]
  ] as [string, string[]][])('sentence ending %s (interview 2026-11-22) → %j', (sentenceEndDate, fields) => {
    expect(invalid(check({ sentenceEndDate, paroleReleaseDate: undefined }))).toEqual(fields);
  });

  it.each([
    ['2026-11-21', ['paroleReleaseDate']], // before the interview
    ['2026-11-22', []],
    ['2027-03-15', []], // on the day the sentence ends
    ['2027-03-16', ['paroleReleaseDate']] // after the sentence ends
  ] as [string, string[]][])(
    'parole on %s (interview 2026-11-22, sentence ends 2027-03-15) → %j',
    (paroleReleaseDate, fields) => {
      expect(invalid(check({ paroleReleaseDate }))).toEqual(fields);
    }
  );

  it('unmet needs recorded while the person wants no help is wrong', () => {
    const c = check({ helpWanted: { choice: 'none' }, helpGiven: [], unmetNeeds: [{ need: 'medical', reason: 'x' }] });
    expect(invalid(c)).toEqual(['helpWanted']);
  });

  it('a wrong entry makes the record incomplete but does not change the counts', () => {
    const right = check();
    const wrong = check({ age: 50, sentenceEndDate: '2026-01-01', paroleReleaseDate: '2025-12-01' });
    expect(wrong.complete).toBe(false);
    expect(missing(wrong)).toEqual([]);
    expect(invalid(wrong).sort()).toEqual(['age', 'paroleReleaseDate', 'sentenceEndDate']);
    expect(wrong.filled).toBe(right.filled);
    expect(wrong.required).toBe(right.required);
  });

  it('no correctness checks without an interview date', () => {
    const c = check({ interviewDate: undefined, age: 99, sentenceEndDate: '2000-01-01', paroleReleaseDate: '1999-01-01' });
    expect(invalid(c)).toEqual([]);
    expect(missing(c)).toEqual(['interviewDate']);
  });
});
