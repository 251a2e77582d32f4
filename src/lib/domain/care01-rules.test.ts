/**
 * The CARE 01 corrections of issue #10, each from the seed's words: a life sentence can be
 * entered, a future interview date is refused (not only flagged), the person's basic fields map
 * to and from the form, and a national ID typed in Thai digits is stored in Arabic digits.
 */
import { describe, expect, it } from 'vitest';
import { care01Schema, personSchema } from './schemas.ts';
import { care01Completeness } from './completeness.ts';
import {
  emptyInterviewForm,
  emptyPersonForm,
  formatAddress,
  interviewFieldsFromForm,
  interviewFormFromDoc,
  personFieldsFromForm,
  personFormFromDoc
} from './form-state.ts';
import { fullCare01, fullPerson, VALID_NATIONAL_ID } from './test-fixtures.ts';

describe('"กำหนดโทษ … จำคุกตลอดชีวิต": a life sentence', () => {
  it('is a valid and complete sentence, with no years, months or days', () => {
    const doc = fullCare01({ sentence: { years: 0, months: 0, days: 0, life: true } });
    expect(care01Schema.safeParse(doc).success).toBe(true);
    expect(care01Completeness(fullPerson(), doc, '2026-11-28').issues.map((i) => i.field)).not.toContain('sentence');
  });

  it('with years as well is refused', () => {
    const r = care01Schema.safeParse(fullCare01({ sentence: { years: 5, months: 0, days: 0, life: true } }));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain('จำคุกตลอดชีวิต');
  });

  it('round-trips through the form', () => {
    const form = { ...emptyInterviewForm('2026-11-22'), sentenceLife: true, sentenceYears: '3' };
    const fields = interviewFieldsFromForm(form);
    expect(fields.sentence).toEqual({ years: 0, months: 0, days: 0, life: true });
    const back = interviewFormFromDoc(fields);
    expect(back.sentenceLife).toBe(true);
    expect(back.sentenceYears).toBe('');
  });
});

describe('ความถูกต้อง (correctness): a CARE 01 dated in the future is refused, not just flagged', () => {
  it('an interview dated after the day it was saved (Thai time) does not validate', () => {
    // Saved 2026-11-22 09:15 in Thailand; interview dated the next day.
    const r = care01Schema.safeParse(fullCare01({ interviewDate: '2026-11-23' }));
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['interviewDate']);
  });

  it('the same day in Thailand is fine even when UTC is still the day before', () => {
    // 23:30 UTC on the 21st is 06:30 on the 22nd in Thailand.
    expect(
      care01Schema.safeParse(fullCare01({ interviewDate: '2026-11-22', updatedAt: '2026-11-21T23:30:00.000Z' })).success
    ).toBe(true);
  });
});

describe("the person's basic fields on the CARE 01 form", () => {
  it('map to the document and back', () => {
    const person = fullPerson();
    const form = personFormFromDoc(person);
    expect(form).toMatchObject({ nationality: 'ไทย', personStatus: 'thai', religion: 'buddhism', addressKind: 'thailand' });
    const fields = personFieldsFromForm(form);
    expect(fields.registeredAddress).toEqual(person.registeredAddress);
    expect(fields.addressAbroad).toBeUndefined();
    expect(personSchema.safeParse({ ...person, ...fields }).success).toBe(true);
  });

  it('an address abroad replaces the Thai one', () => {
    const form = { ...personFormFromDoc(fullPerson()), addressKind: 'abroad' as const, abroadCountry: ' ลาว ', abroadDetail: '' };
    const fields = personFieldsFromForm(form);
    expect(fields.addressAbroad).toEqual({ country: 'ลาว' });
    expect(fields.registeredAddress).toBeUndefined();
  });

  it('a draft saved before these fields existed still converts', () => {
    const old = emptyPersonForm() as Partial<ReturnType<typeof emptyPersonForm>>;
    for (const k of [
      'nationality',
      'personStatus',
      'religion',
      'religionOther',
      'addressKind',
      'registeredAddress',
      'abroadCountry',
      'abroadDetail'
    ] as const)
      delete old[k];
    const fields = personFieldsFromForm(old as ReturnType<typeof emptyPersonForm>);
    expect(fields.nationality).toBeUndefined();
    expect(fields.registeredAddress).toBeUndefined();
  });

  it('"เลขประจำตัวประชาชน" typed in Thai digits is stored in Arabic digits', () => {
    const form = { ...emptyPersonForm(), idStatus: 'number' as const, idNumber: '๑-๑๐๓๗-๐๒๓๔๕-๖๗-๙' };
    const fields = personFieldsFromForm(form);
    expect(fields.nationalId).toEqual({ status: 'number', number: VALID_NATIONAL_ID, source: 'typed' });
  });
});

describe('formatAddress', () => {
  it('writes a registered address on one line, Thai style', () => {
    const a = { houseNo: '12/3', moo: '4', subdistrict: 'บ้านเป้า', district: 'เมืองลำปาง', province: 'ลำปาง', postcode: '52100' };
    expect(formatAddress(a, 'th')).toBe('12/3 ม.4 ต.บ้านเป้า อ.เมืองลำปาง จ.ลำปาง 52100');
    expect(formatAddress(a, 'en')).toBe('12/3, Moo 4, บ้านเป้า, เมืองลำปาง, ลำปาง, 52100');
  });
});
