import { describe, expect, it } from 'vitest';
import { describeRefusal, isRefusalCode, REFUSALS } from './refusal-codes.ts';
import { checkDoc } from './validate-doc.ts';
import { changed, fullCare01, fullPerson, REMOVE, UNIT } from './test-fixtures.ts';

describe('checkDoc refusals carry a code and a field beside the human reason', () => {
  it.each([
    ['not an object', [1, 2], 'not-an-object', ''],
    ['a deletion', { ...fullPerson(), _deleted: true }, 'deletion-refused', ''],
    ['another unit', { ...fullPerson(), unitId: 'other-unit' }, 'other-unit', 'unitId'],
    ['an unknown type', { ...fullPerson(), type: 'secret' }, 'unknown-type', 'type'],
    ['a missing first name', changed(fullPerson(), ['firstName'], REMOVE), 'required', 'firstName'],
    ['a blank first name', changed(fullPerson(), ['firstName'], ' '), 'required', 'firstName'],
    ['a name too long', changed(fullPerson(), ['lastName'], 'ก'.repeat(101)), 'too-long', 'lastName'],
    ['a title not on the list', changed(fullPerson(), ['title'], 'sir'), 'not-a-choice', 'title'],
    ['an unknown field', { ...fullPerson(), secret: 1 }, 'unknown-field', 'secret'],
    [
      'a national ID of 12 digits',
      changed(fullPerson(), ['nationalId', 'number'], '110370234567'),
      'national-id-digits',
      'nationalId.number'
    ],
    [
      'a wrong check digit',
      changed(fullPerson(), ['nationalId', 'number'], '1103702345678'),
      'national-id-check-digit',
      'nationalId.number'
    ],
    ['a date that is not a date', changed(fullPerson(), ['dateOfBirth'], '1990-02-30'), 'bad-date', 'dateOfBirth'],
    [
      'a postcode of 4 digits',
      changed(fullPerson(), ['registeredAddress', 'postcode'], '1090'),
      'postcode',
      'registeredAddress.postcode'
    ],
    ['an interview in the future', fullCare01({ interviewDate: '2026-12-31' }), 'future-date', 'interviewDate'],
    ['a bad phone number', fullCare01({ phone: '12345' }), 'phone', 'phone'],
    [
      'a life sentence with years',
      fullCare01({ sentence: { years: 1, months: 0, days: 0, life: true } }),
      'life-sentence-terms',
      'sentence'
    ]
  ])('%s → %s at %j', (_what, doc, code, field) => {
    const check = checkDoc(doc, UNIT);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.code).toBe(code);
    expect(check.field).toBe(field);
    expect(check.reason.length).toBeGreaterThan(0);
  });

  it('keeps the human reason it gave before (bilingual where it was)', () => {
    const check = checkDoc(changed(fullPerson(), ['nationalId', 'number'], '1103702345678'), UNIT);
    expect(check).toMatchObject({
      ok: false,
      reason: 'nationalId.number: เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบ) / national ID check digit is wrong'
    });
  });
});

describe("describeRefusal: the tablet words a refusal in the user's language", () => {
  it('in Thai and English, naming the field', () => {
    expect(describeRefusal('national-id-check-digit', 'nationalId.number', 'th')).toBe(
      'nationalId.number: เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบ)'
    );
    expect(describeRefusal('future-date', 'interviewDate', 'en')).toBe('interviewDate: The date is in the future');
    expect(describeRefusal('other-unit', '', 'en')).toBe('The document belongs to another unit');
  });

  it('an unknown code (from a newer server) falls back to the generic wording', () => {
    expect(isRefusalCode('from-the-future')).toBe(false);
    expect(describeRefusal('from-the-future', 'x', 'th')).toBe('x: ข้อมูลไม่ถูกต้อง');
  });

  it('every code has both wordings', () => {
    for (const [code, w] of Object.entries(REFUSALS)) {
      expect(w.th.length, code).toBeGreaterThan(0);
      expect(w.en.length, code).toBeGreaterThan(0);
    }
  });
});
