/**
 * What the follow-up screens edit (the follow-up report, the release / supervision episode, the
 * person's record details) as plain strings and booleans that bind to inputs and survive JSON
 * (drafts are stored as these shapes), and the conversions to and from the synced documents.
 * Same idea as form-state.ts for CARE 01; shared by the app and the tests.
 */
import type { EpisodeDoc, FollowUpDoc, WorkplaceLocation } from './followup-schemas.ts';
import type { ClassificationLevel, FollowUpMethod, HousingType, ReleaseType, Visitor } from './options.ts';
import { normalisePhone, type PersonDoc } from './schemas.ts';
import { thaiDayOf } from './dates.ts';

type Meta =
  '_id' | '_rev' | '_revisions' | 'type' | 'unitId' | 'schemaVersion' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy';
export type FollowUpFields = Omit<FollowUpDoc, Meta>;
export type EpisodeFields = Omit<EpisodeDoc, Meta>;

/** Days after the visit beyond which the gap to the recording is shown to the supervisor. */
export const RECORDING_GAP_FLAG_DAYS = 3;

const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
const optEnum = <T extends string>(v: T | ''): T | undefined => (v === '' ? undefined : v);
const yesNo = (v: 'yes' | 'no' | ''): boolean | undefined => (v === '' ? undefined : v === 'yes');
const fromBool = (v: boolean | undefined): 'yes' | 'no' | '' => (v === undefined ? '' : v ? 'yes' : 'no');
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
/** "12,500" or "12500.50" → 12500.5; '' → undefined; anything else → NaN (the schema refuses it). */
function parseNumber(v: string): number | undefined {
  const s = v.replace(/[,\s]/g, '');
  if (s === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

// --- the follow-up report -----------------------------------------------------------------

export interface FollowUpForm {
  visitDate: string;
  method: FollowUpMethod | '';
  visitor: Visitor | '';
  visitorName: string;
  abnormalSituation: boolean;
  housingWhere: string;
  housingWithWhom: string;
  housingType: HousingType | '';
  housingStable: 'yes' | 'no' | '';
  familyRelations: string;
  communityRelations: string;
  employed: 'yes' | 'no' | '';
  employment: 'employee' | 'own-business' | '';
  employerName: string;
  kindOfWork: string;
  workSince: string;
  monthlyIncome: string;
  otherDetails: string;
  /** Typed or filled from the GPS; '' when not given. */
  lat: string;
  lng: string;
  accuracyM: string;
  locationSource: 'gps' | 'manual' | '';
  locationCapturedAt: string;
}

export function emptyFollowUpForm(today: string, visitor: Visitor | '' = '', visitorName = ''): FollowUpForm {
  return {
    visitDate: today,
    method: '',
    visitor,
    visitorName,
    abnormalSituation: false,
    housingWhere: '',
    housingWithWhom: '',
    housingType: '',
    housingStable: '',
    familyRelations: '',
    communityRelations: '',
    employed: '',
    employment: '',
    employerName: '',
    kindOfWork: '',
    workSince: '',
    monthlyIncome: '',
    otherDetails: '',
    lat: '',
    lng: '',
    accuracyM: '',
    locationSource: '',
    locationCapturedAt: ''
  };
}

function locationFromForm(f: FollowUpForm): WorkplaceLocation | undefined {
  const lat = parseNumber(f.lat);
  const lng = parseNumber(f.lng);
  if (lat === undefined && lng === undefined) return undefined;
  // One coordinate without the other is kept as NaN so validation names the missing half.
  const source = f.locationSource === 'gps' ? 'gps' : 'manual';
  return clean({
    lat: lat ?? Number.NaN,
    lng: lng ?? Number.NaN,
    // Accuracy and time belong to a GPS fix only: a hand-typed position has neither.
    accuracyM: source === 'gps' ? parseNumber(f.accuracyM) : undefined,
    source,
    capturedAt: source === 'gps' ? opt(f.locationCapturedAt) : undefined
  }) as WorkplaceLocation;
}

/**
 * The report's fields (without personId, recordedAt and episodeId, which the screen adds).
 * Work details are dropped when the person is not employed, so a changed answer leaves no stale
 * employer behind.
 */
export function followUpFieldsFromForm(f: FollowUpForm): Omit<FollowUpFields, 'personId' | 'recordedAt' | 'episodeId'> {
  const employed = yesNo(f.employed);
  return clean({
    visitDate: f.visitDate,
    method: f.method as FollowUpMethod,
    visitor: f.visitor as Visitor,
    visitorName: opt(f.visitorName),
    abnormalSituation: f.abnormalSituation ? true : undefined,
    housing: clean({
      where: opt(f.housingWhere),
      withWhom: opt(f.housingWithWhom),
      housingType: optEnum(f.housingType),
      stable: yesNo(f.housingStable)
    }),
    familyRelations: opt(f.familyRelations),
    communityRelations: opt(f.communityRelations),
    work: clean(
      employed === false
        ? { employed }
        : {
            employed,
            employment: optEnum(f.employment),
            employerName: opt(f.employerName),
            kindOfWork: opt(f.kindOfWork),
            since: opt(f.workSince)
          }
    ),
    monthlyIncome: parseNumber(f.monthlyIncome),
    otherDetails: opt(f.otherDetails),
    workplaceLocation: locationFromForm(f)
  });
}

export function followUpFormFromDoc(d: Omit<FollowUpFields, 'personId' | 'recordedAt'>): FollowUpForm {
  const loc = d.workplaceLocation;
  return {
    visitDate: d.visitDate,
    method: d.method,
    visitor: d.visitor,
    visitorName: d.visitorName ?? '',
    abnormalSituation: d.abnormalSituation ?? false,
    housingWhere: d.housing.where ?? '',
    housingWithWhom: d.housing.withWhom ?? '',
    housingType: d.housing.housingType ?? '',
    housingStable: fromBool(d.housing.stable),
    familyRelations: d.familyRelations ?? '',
    communityRelations: d.communityRelations ?? '',
    employed: fromBool(d.work.employed),
    employment: d.work.employment ?? '',
    employerName: d.work.employerName ?? '',
    kindOfWork: d.work.kindOfWork ?? '',
    workSince: d.work.since ?? '',
    monthlyIncome: d.monthlyIncome === undefined ? '' : String(d.monthlyIncome),
    otherDetails: d.otherDetails ?? '',
    lat: loc ? String(loc.lat) : '',
    lng: loc ? String(loc.lng) : '',
    accuracyM: loc?.accuracyM === undefined ? '' : String(loc.accuracyM),
    locationSource: loc?.source ?? '',
    locationCapturedAt: loc?.capturedAt ?? ''
  };
}

/** What the form must have before saving, as readable reasons (the schema checks the rest). */
export function followUpFormProblems(f: FollowUpForm, today: string): { th: string; en: string; field: string }[] {
  // `field`: the form field concerned, so the form can take the user to it.
  const problems: { th: string; en: string; field: string }[] = [];
  if (!f.visitDate) problems.push({ th: 'ระบุวันที่ติดตาม', en: 'Give the visit date', field: 'visitDate' });
  else if (f.visitDate > today)
    problems.push({ th: 'วันที่ติดตามต้องไม่เกินวันนี้', en: 'The visit date cannot be after today', field: 'visitDate' });
  if (!f.method) problems.push({ th: 'เลือกวิธีการติดตาม', en: 'Pick how the follow-up was done', field: 'method' });
  if (!f.visitor) problems.push({ th: 'เลือกผู้ติดตาม', en: 'Pick who did the follow-up', field: 'visitor' });
  const lat = parseNumber(f.lat);
  const lng = parseNumber(f.lng);
  if ((lat === undefined) !== (lng === undefined))
    problems.push({
      th: 'ระบุทั้งละติจูดและลองจิจูด',
      en: 'Give both latitude and longitude',
      field: lat === undefined ? 'lat' : 'lng'
    });
  else if (lat !== undefined && (Number.isNaN(lat) || lat < -90 || lat > 90))
    problems.push({ th: 'ละติจูดต้องอยู่ระหว่าง -90 ถึง 90', en: 'Latitude must be between -90 and 90', field: 'lat' });
  else if (lng !== undefined && (Number.isNaN(lng!) || lng! < -180 || lng! > 180))
    problems.push({ th: 'ลองจิจูดต้องอยู่ระหว่าง -180 ถึง 180', en: 'Longitude must be between -180 and 180', field: 'lng' });
  const income = parseNumber(f.monthlyIncome);
  if (income !== undefined && (Number.isNaN(income) || income < 0))
    problems.push({ th: 'รายได้ต้องเป็นจำนวนเงิน (บาท)', en: 'Income must be an amount in baht', field: 'monthlyIncome' });
  return problems;
}

/**
 * A question to ask before saving a visit dated before the person's release: a follow-up is made
 * after release, so such a date is most often a slip of the year (พ.ศ. typed one year off, or a
 * Gregorian year typed as Buddhist Era). Not refused — the officer may confirm — but never silent.
 * Returns null when the date raises no question.
 */
export function visitDateQuestion(visitDate: string, releaseDate: string | undefined): { th: string; en: string } | null {
  if (!releaseDate || !visitDate || visitDate >= releaseDate) return null;
  const days = Math.round((Date.parse(releaseDate) - Date.parse(visitDate)) / 86_400_000);
  const years = Math.floor(days / 365);
  const howLong =
    years >= 1
      ? { th: `${years} ปี`, en: `${years} year${years === 1 ? '' : 's'}` }
      : { th: `${days} วัน`, en: `${days} day${days === 1 ? '' : 's'}` };
  return {
    th: `วันที่ติดตามอยู่ก่อนวันปล่อยตัว ${howLong.th} ตรวจปี พ.ศ. อีกครั้ง วันที่ถูกต้องหรือไม่?`,
    en: `The visit date is ${howLong.en} before the release. Check the year: is the date right?`
  };
}

/**
 * Whole calendar days (Thailand, UTC+7) from the visit to the moment the report was recorded.
 * Thailand has one time zone and no daylight saving, so a fixed offset is exact.
 */
export function recordingGapDays(visitDate: string, recordedAt: string): number {
  return Math.round((Date.parse(thaiDayOf(recordedAt)) - Date.parse(visitDate)) / 86_400_000);
}

/** True when the supervisor should see "recorded N days after the visit". */
export function hasRecordingGap(visitDate: string, recordedAt: string): boolean {
  return recordingGapDays(visitDate, recordedAt) > RECORDING_GAP_FLAG_DAYS;
}

// --- the release / supervision episode ------------------------------------------------------

export interface EpisodeForm {
  releaseType: ReleaseType | '';
  releaseDate: string;
  supervisionStart: string;
  supervisionEnd: string;
  classificationLevel: ClassificationLevel | '';
  classifiedOn: string;
  caseReceivedOn: string;
  conditionsAcknowledged: boolean;
  conditionsAcknowledgedOn: string;
  electronicMonitoring: boolean;
}

export function emptyEpisodeForm(releaseType: ReleaseType | '' = ''): EpisodeForm {
  return {
    releaseType,
    releaseDate: '',
    supervisionStart: '',
    supervisionEnd: '',
    classificationLevel: '',
    classifiedOn: '',
    caseReceivedOn: '',
    conditionsAcknowledged: false,
    conditionsAcknowledgedOn: '',
    electronicMonitoring: false
  };
}

export function episodeFieldsFromForm(f: EpisodeForm): Omit<EpisodeFields, 'personId'> {
  return clean({
    releaseType: f.releaseType as ReleaseType,
    releaseDate: f.releaseDate,
    supervisionStart: opt(f.supervisionStart),
    supervisionEnd: opt(f.supervisionEnd),
    classificationLevel: optEnum(f.classificationLevel),
    // A classification date without a level means nothing; it is kept only with the level.
    classifiedOn: f.classificationLevel ? opt(f.classifiedOn) : undefined,
    caseReceivedOn: opt(f.caseReceivedOn),
    conditionsAcknowledged: f.conditionsAcknowledged,
    conditionsAcknowledgedOn: f.conditionsAcknowledged ? opt(f.conditionsAcknowledgedOn) : undefined,
    electronicMonitoring: f.electronicMonitoring
  });
}

export function episodeFormFromDoc(d: Omit<EpisodeFields, 'personId'>): EpisodeForm {
  return {
    releaseType: d.releaseType,
    releaseDate: d.releaseDate,
    supervisionStart: d.supervisionStart ?? '',
    supervisionEnd: d.supervisionEnd ?? '',
    classificationLevel: d.classificationLevel ?? '',
    classifiedOn: d.classifiedOn ?? '',
    caseReceivedOn: d.caseReceivedOn ?? '',
    conditionsAcknowledged: d.conditionsAcknowledged,
    conditionsAcknowledgedOn: d.conditionsAcknowledgedOn ?? '',
    electronicMonitoring: d.electronicMonitoring
  };
}

export function episodeFormProblems(f: EpisodeForm): { th: string; en: string }[] {
  const p: { th: string; en: string }[] = [];
  if (!f.releaseType) p.push({ th: 'เลือกประเภทการปล่อยตัว', en: 'Pick the release type' });
  if (!f.releaseDate) p.push({ th: 'ระบุวันที่ปล่อยตัว', en: 'Give the release date' });
  return p;
}

// --- the person's record details (the old follow-up system's edit form) ---------------------

/** The optional person fields this form owns; everything else on the person is left as it is. */
export const PERSON_RECORD_KEYS = [
  'releaseType',
  'releaseTypeOther',
  'contacts',
  'caringAgency',
  'helpWantedNote',
  'occupationWanted',
  'trainingRecords',
  'consentToFollowUp'
] as const;
export type PersonRecordFields = Pick<PersonDoc, (typeof PERSON_RECORD_KEYS)[number]>;

export interface PersonRecordForm {
  releaseType: ReleaseType | '';
  releaseTypeOther: string;
  contacts: { name: string; relationship: string; phone: string }[];
  caringAgency: string;
  helpWantedNote: string;
  occupationWanted: string;
  trainingRecords: { id: string; course: string; provider: string; completedOn: string; hours: string }[];
  consentToFollowUp: 'yes' | 'no' | '';
}

export function personRecordFormFromDoc(d: Partial<PersonRecordFields>): PersonRecordForm {
  return {
    releaseType: d.releaseType ?? '',
    releaseTypeOther: d.releaseTypeOther ?? '',
    contacts: (d.contacts ?? []).map((c) => ({ name: c.name, relationship: c.relationship ?? '', phone: c.phone ?? '' })),
    caringAgency: d.caringAgency ?? '',
    helpWantedNote: d.helpWantedNote ?? '',
    occupationWanted: d.occupationWanted ?? '',
    trainingRecords: (d.trainingRecords ?? []).map((t) => ({
      id: t.id,
      course: t.course,
      provider: t.provider ?? '',
      completedOn: t.completedOn ?? '',
      hours: t.hours === undefined ? '' : String(t.hours)
    })),
    consentToFollowUp: fromBool(d.consentToFollowUp)
  };
}

/**
 * The record fields from the form. Every key is present (undefined when empty) so that merging
 * over the stored person clears a field the officer emptied; the caller drops the undefineds.
 */
export function personRecordFieldsFromForm(f: PersonRecordForm): {
  [K in keyof PersonRecordFields]: PersonRecordFields[K] | undefined;
} {
  const contacts = f.contacts
    .filter((c) => c.name.trim() || c.phone.trim() || c.relationship.trim())
    .map((c) =>
      clean({
        name: c.name.trim(),
        relationship: opt(c.relationship),
        phone: opt(c.phone) ? normalisePhone(c.phone.trim()) : undefined
      })
    );
  const trainingRecords = f.trainingRecords
    .filter((t) => t.course.trim() || t.provider.trim() || t.completedOn || t.hours.trim())
    .map((t) => {
      const hours = parseNumber(t.hours);
      return clean({ id: t.id, course: t.course.trim(), provider: opt(t.provider), completedOn: opt(t.completedOn), hours });
    });
  return {
    releaseType: optEnum(f.releaseType),
    releaseTypeOther: f.releaseType === 'other' ? opt(f.releaseTypeOther) : undefined,
    contacts: contacts.length ? contacts : undefined,
    caringAgency: opt(f.caringAgency),
    helpWantedNote: opt(f.helpWantedNote),
    occupationWanted: opt(f.occupationWanted),
    trainingRecords: trainingRecords.length ? trainingRecords : undefined,
    consentToFollowUp: yesNo(f.consentToFollowUp)
  };
}

/** The stored person with the record fields replaced by the form's (emptied ones removed). */
export function mergePersonRecord<P extends PersonRecordFields>(person: P, f: PersonRecordForm): P {
  return clean({ ...person, ...personRecordFieldsFromForm(f) }) as P;
}

/** The record fields a person document carries, for forms that rewrite the person's other fields. */
export function personRecordOf(person: Partial<PersonRecordFields>): Partial<PersonRecordFields> {
  return clean(Object.fromEntries(PERSON_RECORD_KEYS.map((k) => [k, person[k]]))) as Partial<PersonRecordFields>;
}
