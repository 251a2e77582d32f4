import { describe, expect, it } from 'vitest';
import { INTERVIEW_FIELDS, PERSON_FIELDS } from '../components/care01/care01-fields.ts';
import { minimalPerson } from '../domain/test-fixtures.ts';
import { documentProblems, fieldFor, problemFromRefusal, problemText } from './form-errors.ts';

const UNIT = 'alpha-prison';

describe('refused saves in words a person can read', () => {
  it('a missing title reads "คำนำหน้า: ต้องเลือก" and points at the title group, not raw schema text', () => {
    const doc = { ...minimalPerson({ unitId: UNIT }), title: undefined };
    const [p, ...rest] = documentProblems(doc, UNIT, PERSON_FIELDS);
    expect(rest).toEqual([]);
    expect(p.element).toBe('title');
    expect(problemText(p, 'th')).toBe('คำนำหน้า: ต้องเลือก');
    expect(problemText(p, 'en')).toBe('Title: must be chosen');
  });

  it('an age of 150 reads "อายุ (ปี): ต้องไม่เกิน 120" and points at the age box', () => {
    const interview = {
      _id: 'care01:7b0c6a52-2a57-4a4e-9a6e-1d6c0f4a8b11',
      type: 'care01',
      unitId: UNIT,
      schemaVersion: minimalPerson().schemaVersion,
      createdAt: '2026-11-20T03:00:00.000Z',
      createdBy: 'officer.a',
      updatedAt: '2026-11-20T03:00:00.000Z',
      updatedBy: 'officer.a',
      personId: minimalPerson()._id,
      interviewDate: '2026-11-20',
      age: 150,
      address: {},
      skills: [],
      trainings: [],
      desiredOccupations: [],
      helpGiven: [],
      unmetNeeds: []
    };
    const problems = documentProblems(interview, UNIT, INTERVIEW_FIELDS);
    expect(problems.map((p) => [p.element, problemText(p, 'th'), problemText(p, 'en')])).toEqual([
      ['in-age', 'อายุ (ปี): ต้องไม่เกิน 120', 'Age (years): must be at most 120']
    ]);
  });

  it('a schema message already in both languages keeps its own words: "เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบ)"', () => {
    const doc = { ...minimalPerson({ unitId: UNIT }), nationalId: { status: 'number', number: '1234567890123' } };
    const [p] = documentProblems(doc, UNIT, PERSON_FIELDS);
    expect(p.element).toBe('in-idNumber');
    expect(p.message).toEqual({ th: 'เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบ)', en: 'national ID check digit is wrong' });
  });

  it('list items map to their own element and label: "หลักสูตรที่ 2"', () => {
    expect(fieldFor(['trainings', 1], INTERVIEW_FIELDS)).toEqual({
      element: 'in-trainings-1',
      label: { th: 'หลักสูตรที่ 2', en: 'Course 2' }
    });
    expect(fieldFor(['helpGiven', 0, 'detail'], INTERVIEW_FIELDS)?.element).toBe('in-helpGiven-0-detail');
    expect(fieldFor(['nosuchfield'], INTERVIEW_FIELDS)).toBeNull();
  });

  it('a server refusal with a {code, field} is labelled from the form; without a code it shows the server reason', () => {
    const wording = (code: string) =>
      code === 'postcode-format' ? { th: 'ต้องเป็นตัวเลข 5 หลัก', en: 'must be 5 digits' } : undefined;
    const coded = problemFromRefusal(
      { code: 'postcode-format', field: 'address.postcode', reason: 'bad postcode' },
      INTERVIEW_FIELDS,
      wording
    );
    expect(coded.element).toBe('in-address-postcode');
    expect(problemText(coded, 'th')).toBe('รหัสไปรษณีย์ (ที่อยู่): ต้องเป็นตัวเลข 5 หลัก');
    const plain = problemFromRefusal({ reason: 'ระเบียนลบไม่ได้ / records cannot be deleted' }, INTERVIEW_FIELDS);
    expect(plain.element).toBeNull();
    expect(problemText(plain, 'en')).toBe('records cannot be deleted');
    const unknownCode = problemFromRefusal({ code: 'new-rule', reason: 'refused by a newer rule' }, INTERVIEW_FIELDS, wording);
    expect(problemText(unknownCode, 'th')).toBe('refused by a newer rule');
  });

  it('a valid document has no problems', () => {
    expect(documentProblems(minimalPerson({ unitId: UNIT }), UNIT, PERSON_FIELDS)).toEqual([]);
  });
});
