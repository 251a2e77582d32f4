import { describe, expect, it } from 'vitest';
import { episodeSchema, followUpSchema } from './followup-schemas.ts';
import {
  emptyEpisodeForm,
  emptyFollowUpForm,
  episodeFieldsFromForm,
  episodeFormFromDoc,
  followUpFieldsFromForm,
  followUpFormFromDoc,
  followUpFormProblems,
  hasRecordingGap,
  mergePersonRecord,
  personRecordFormFromDoc,
  personRecordOf,
  recordingGapDays,
  visitDateQuestion
} from './followup-form.ts';
import { personSchema, SCHEMA_VERSION, type PersonDoc } from './schemas.ts';

const meta = {
  unitId: 'beta-probation',
  schemaVersion: SCHEMA_VERSION,
  createdAt: '2026-11-22T03:00:00.000Z',
  createdBy: 'officer.b',
  updatedAt: '2026-11-22T03:00:00.000Z',
  updatedBy: 'officer.b'
} as const;
const PERSON = 'person:0b5f3c1e-9c1a-4d7e-8f00-1a2b3c4d5e6f';

describe('follow-up form ↔ document', () => {
  it('maps a filled form to a valid report and back without losing anything', () => {
    const f = {
      ...emptyFollowUpForm('2026-11-20', 'probation-officer', 'นาย ก'),
      method: 'workplace-visit' as const,
      housingWhere: '12 ม.4 ลำปาง',
      housingType: 'family-home' as const,
      housingStable: 'yes' as const,
      familyRelations: 'ดี',
      employed: 'yes' as const,
      employment: 'employee' as const,
      employerName: 'อู่ซ่อมรถ',
      workSince: '2026-09-01',
      monthlyIncome: '12,500',
      lat: '18.29',
      lng: '99.49',
      accuracyM: '12',
      locationSource: 'gps' as const,
      locationCapturedAt: '2026-11-20T02:00:00.000Z'
    };
    const fields = followUpFieldsFromForm(f);
    expect(fields.monthlyIncome).toBe(12500);
    expect(fields.workplaceLocation).toEqual({
      lat: 18.29,
      lng: 99.49,
      accuracyM: 12,
      source: 'gps',
      capturedAt: '2026-11-20T02:00:00.000Z'
    });
    const doc = {
      ...meta,
      ...fields,
      _id: 'followup:0b5f3c1e-9c1a-4d7e-8f00-1a2b3c4d5e70',
      type: 'followup',
      personId: PERSON,
      recordedAt: '2026-11-22T03:00:00.000Z'
    };
    expect(followUpSchema.safeParse(doc).success).toBe(true);
    expect(followUpFormFromDoc(fields)).toEqual({ ...f, monthlyIncome: '12500' });
  });

  it('drops work details when the person is not employed, and GPS-only data from a typed position', () => {
    const f = {
      ...emptyFollowUpForm('2026-11-20'),
      employed: 'no' as const,
      employerName: 'old',
      lat: '18.3',
      lng: '99.5',
      accuracyM: '30',
      locationSource: 'manual' as const
    };
    const fields = followUpFieldsFromForm(f);
    expect(fields.work).toEqual({ employed: false });
    expect(fields.workplaceLocation).toEqual({ lat: 18.3, lng: 99.5, source: 'manual' });
  });

  it('names what is missing or wrong before saving', () => {
    const f = { ...emptyFollowUpForm('2026-11-25'), lat: '18.3', monthlyIncome: 'abc' };
    const en = followUpFormProblems(f, '2026-11-22').map((p) => p.en);
    expect(en).toEqual([
      'The visit date cannot be after today',
      'Pick how the follow-up was done',
      'Pick who did the follow-up',
      'Give both latitude and longitude',
      'Income must be an amount in baht'
    ]);
    const ok = { ...emptyFollowUpForm('2026-11-22'), method: 'phone' as const, visitor: 'volunteer' as const };
    expect(followUpFormProblems(ok, '2026-11-22')).toEqual([]);
    expect(followUpFormProblems({ ...ok, lat: '95', lng: '99' }, '2026-11-22').map((p) => p.en)).toEqual([
      'Latitude must be between -90 and 90'
    ]);
  });
});

describe('recording gap', () => {
  it('counts Thai calendar days from the visit to the recording', () => {
    // 2026-11-22T17:30Z is already 23 November in Thailand.
    expect(recordingGapDays('2026-11-19', '2026-11-22T17:30:00.000Z')).toBe(4);
    expect(recordingGapDays('2026-11-22', '2026-11-22T03:00:00.000Z')).toBe(0);
    expect(hasRecordingGap('2026-11-19', '2026-11-22T03:00:00.000Z')).toBe(false); // 3 days: not flagged
    expect(hasRecordingGap('2026-11-18', '2026-11-22T03:00:00.000Z')).toBe(true); // 4 days: flagged
  });
});

describe('episode form ↔ document', () => {
  it('round-trips a supervised parole episode and keeps dates only with what they date', () => {
    const f = {
      ...emptyEpisodeForm('parole'),
      releaseDate: '2026-10-01',
      supervisionStart: '2026-10-01',
      supervisionEnd: '2027-04-01',
      classificationLevel: 'strict' as const,
      classifiedOn: '2026-10-05',
      conditionsAcknowledged: true,
      conditionsAcknowledgedOn: '2026-10-02',
      caseReceivedOn: '2026-09-28'
    };
    const fields = episodeFieldsFromForm(f);
    const doc = { ...meta, ...fields, _id: 'episode:0b5f3c1e-9c1a-4d7e-8f00-1a2b3c4d5e71', type: 'episode', personId: PERSON };
    expect(episodeSchema.safeParse(doc).success).toBe(true);
    expect(episodeFormFromDoc(fields)).toEqual(f);
    const notAcknowledged = episodeFieldsFromForm({ ...f, conditionsAcknowledged: false, classificationLevel: '' });
    expect(notAcknowledged.conditionsAcknowledgedOn).toBeUndefined();
    expect(notAcknowledged.classifiedOn).toBeUndefined();
  });
});

describe('person record details', () => {
  const person: PersonDoc = {
    ...meta,
    _id: PERSON,
    type: 'person' as const,
    prisonerId: 'LP-1',
    title: 'mr' as const,
    firstName: 'ก',
    lastName: 'ข',
    nationalId: { status: 'unknown' as const },
    caringAgency: 'มูลนิธิ',
    assignedVolunteers: ['vol.a']
  };

  it('adds contacts and training, normalises phones, clears emptied fields, keeps the rest of the person', () => {
    const f = personRecordFormFromDoc(person);
    f.caringAgency = '';
    f.releaseType = 'parole';
    f.consentToFollowUp = 'yes';
    f.contacts.push({ name: 'นางแม่', relationship: 'มารดา', phone: '081-234-5678' }, { name: '', relationship: '', phone: '' });
    f.trainingRecords.push({
      id: '0b5f3c1e-9c1a-4d7e-8f00-1a2b3c4d5e72',
      course: 'ช่างเชื่อม',
      provider: '',
      completedOn: '2026-01-10',
      hours: '30'
    });
    const merged = mergePersonRecord(person, f);
    expect(merged.caringAgency).toBeUndefined();
    expect('caringAgency' in merged).toBe(false);
    expect(merged.contacts).toEqual([{ name: 'นางแม่', relationship: 'มารดา', phone: '0812345678' }]);
    expect(merged.trainingRecords).toEqual([
      { id: '0b5f3c1e-9c1a-4d7e-8f00-1a2b3c4d5e72', course: 'ช่างเชื่อม', completedOn: '2026-01-10', hours: 30 }
    ]);
    expect(merged.assignedVolunteers).toEqual(['vol.a']);
    expect(merged.firstName).toBe('ก');
    expect(personSchema.safeParse(merged).success).toBe(true);
    expect(personRecordFormFromDoc(merged)).toEqual({
      ...f,
      caringAgency: '',
      contacts: [{ name: 'นางแม่', relationship: 'มารดา', phone: '0812345678' }]
    });
  });

  it('lists the record fields a person carries so other forms can keep them', () => {
    expect(personRecordOf(person)).toEqual({ caringAgency: 'มูลนิธิ' });
  });
});

describe('visitDateQuestion: a visit dated before the release asks first', () => {
  it('"ติดตามผู้พ้นโทษ" happens after release: a visit years before it asks whether the year is right', () => {
    const q = visitDateQuestion('2023-11-20', '2026-11-01');
    expect(q?.en).toBe('The visit date is 2 years before the release. Check the year: is the date right?');
    expect(q?.th).toBe('วันที่ติดตามอยู่ก่อนวันปล่อยตัว 2 ปี ตรวจปี พ.ศ. อีกครั้ง วันที่ถูกต้องหรือไม่?');
  });

  it('days before the release still asks, in days', () => {
    expect(visitDateQuestion('2026-10-30', '2026-11-01')?.en).toContain('2 days before the release');
  });

  it('no question on or after the release, or without a release on record', () => {
    expect(visitDateQuestion('2026-11-01', '2026-11-01')).toBeNull();
    expect(visitDateQuestion('2026-12-01', '2026-11-01')).toBeNull();
    expect(visitDateQuestion('2020-01-01', undefined)).toBeNull();
  });
});
