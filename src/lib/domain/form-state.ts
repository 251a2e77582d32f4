/**
 * What the CARE 01 form edits: plain strings and arrays that bind straight to inputs and
 * survive JSON (drafts are stored on the device as this shape). Conversions to and from the
 * synced documents live here so the app and tests share one mapping.
 */
import { normaliseNationalId } from './national-id.ts';
import type {
  Consent,
  DesiredOccupation,
  EducationLevel,
  HelpAction,
  HelpNeed,
  IdSource,
  NoIdReason,
  PersonStatus,
  Relationship,
  Religion,
  Sex,
  Skill,
  Title
} from './options.ts';
import { normalisePhone, type Care01Doc, type PersonDoc } from './schemas.ts';

export interface PersonForm {
  prisonerId: string;
  title: Title | '';
  titleOther: string;
  firstName: string;
  lastName: string;
  sex: Sex | '';
  dateOfBirth: string;
  idStatus: 'number' | 'none' | 'unknown';
  idNumber: string;
  idSource: IdSource;
  noIdReason: NoIdReason | '';
  nationality: string;
  personStatus: PersonStatus | '';
  religion: Religion | '';
  religionOther: string;
  /** Where the registered address is: in Thailand (house registration) or abroad. */
  addressKind: 'thailand' | 'abroad' | '';
  registeredAddress: AddressForm;
  abroadCountry: string;
  abroadDetail: string;
}

export interface AddressForm {
  houseNo: string;
  moo: string;
  village: string;
  soi: string;
  road: string;
  subdistrict: string;
  district: string;
  province: string;
  postcode: string;
}

export function emptyAddressForm(): AddressForm {
  return { houseNo: '', moo: '', village: '', soi: '', road: '', subdistrict: '', district: '', province: '', postcode: '' };
}

export interface InterviewForm {
  interviewDate: string;
  age: string;
  offence: string;
  sentenceYears: string;
  sentenceMonths: string;
  sentenceDays: string;
  /** จำคุกตลอดชีวิต: a life sentence has no years / months / days. */
  sentenceLife: boolean;
  paroleReleaseDate: string;
  sentenceEndDate: string;
  address: AddressForm;
  phone: string;
  sponsorName: string;
  sponsorRelationship: Relationship | '';
  sponsorRelationshipOther: string;
  education: EducationLevel | '';
  educationOther: string;
  previousOccupation: string;
  skills: Skill[];
  trainings: string[];
  desiredOccupations: DesiredOccupation[];
  desiredOccupationOther: string;
  helpChoice: 'none' | 'wants' | '';
  needs: HelpNeed[];
  capitalTrade: string;
  jobPosition: string;
  otherNeed: string;
  consent: Consent | '';
  officerOpinion: string;
  helpGiven: { action: HelpAction; detail: string; agencyId: string; forNeed: HelpNeed | '' }[];
  unmetNeeds: { need: HelpNeed; reason: string }[];
  prisonerSignature: { image: string; printedName: string; signedOn: string };
  officerSignature: { image: string; printedName: string; position: string; signedOn: string };
}

export type PersonFields = Omit<
  PersonDoc,
  '_id' | '_rev' | '_revisions' | 'type' | 'unitId' | 'schemaVersion' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'
>;
export type InterviewFields = Omit<
  Care01Doc,
  | '_id'
  | '_rev'
  | '_revisions'
  | 'type'
  | 'unitId'
  | 'schemaVersion'
  | 'createdAt'
  | 'createdBy'
  | 'updatedAt'
  | 'updatedBy'
  | 'personId'
>;

/** The person-document fields the identity form (PersonForm) owns: emptied ones must go on save. */
export const PERSON_IDENTITY_KEYS = [
  'prisonerId',
  'title',
  'titleOther',
  'firstName',
  'lastName',
  'sex',
  'dateOfBirth',
  'nationalId',
  'nationality',
  'personStatus',
  'religion',
  'religionOther',
  'registeredAddress',
  'addressAbroad'
] as const satisfies readonly (keyof PersonDoc)[];

export function emptyPersonForm(): PersonForm {
  return {
    prisonerId: '',
    title: '',
    titleOther: '',
    firstName: '',
    lastName: '',
    sex: '',
    dateOfBirth: '',
    idStatus: 'unknown',
    idNumber: '',
    idSource: 'typed',
    noIdReason: '',
    nationality: '',
    personStatus: '',
    religion: '',
    religionOther: '',
    addressKind: '',
    registeredAddress: emptyAddressForm(),
    abroadCountry: '',
    abroadDetail: ''
  };
}

export function emptyInterviewForm(today: string, officerName = ''): InterviewForm {
  return {
    interviewDate: today,
    age: '',
    offence: '',
    sentenceYears: '',
    sentenceMonths: '',
    sentenceDays: '',
    sentenceLife: false,
    paroleReleaseDate: '',
    sentenceEndDate: '',
    address: emptyAddressForm(),
    phone: '',
    sponsorName: '',
    sponsorRelationship: '',
    sponsorRelationshipOther: '',
    education: '',
    educationOther: '',
    previousOccupation: '',
    skills: [],
    trainings: [],
    desiredOccupations: [],
    desiredOccupationOther: '',
    helpChoice: '',
    needs: [],
    capitalTrade: '',
    jobPosition: '',
    otherNeed: '',
    consent: '',
    officerOpinion: '',
    helpGiven: [],
    unmetNeeds: [],
    prisonerSignature: { image: '', printedName: '', signedOn: today },
    officerSignature: { image: '', printedName: officerName, position: '', signedOn: today }
  };
}

/** '' and whitespace mean "not filled in": they are left out of the document. */
function opt(value: string): string | undefined {
  const t = value.trim();
  return t === '' ? undefined : t;
}
function optEnum<T extends string>(value: T | ''): T | undefined {
  return value === '' ? undefined : value;
}
function optInt(value: string): number | undefined {
  const t = value.trim();
  if (t === '') return undefined;
  // Keep non-numbers as NaN so validation reports them instead of silently dropping them.
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}
/** Drop undefined keys so the stored JSON is clean and strict schemas see no noise. */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function personFieldsFromForm(f: PersonForm): PersonFields {
  const nationalId: PersonFields['nationalId'] =
    f.idStatus === 'number'
      ? { status: 'number', number: normaliseNationalId(f.idNumber), source: f.idSource }
      : f.idStatus === 'none' && f.noIdReason !== ''
        ? { status: 'none', reason: f.noIdReason }
        : { status: 'unknown' };
  return clean({
    prisonerId: f.prisonerId.trim(),
    // An unpicked title stays out, so validation says "title" instead of guessing one.
    title: optEnum(f.title) as Title,
    titleOther: f.title === 'other' ? opt(f.titleOther) : undefined,
    firstName: f.firstName.trim(),
    lastName: f.lastName.trim(),
    sex: optEnum(f.sex),
    dateOfBirth: opt(f.dateOfBirth),
    nationalId,
    // Drafts saved before these fields existed lack them: `?? ''` reads them as not filled in.
    nationality: opt(f.nationality ?? ''),
    personStatus: optEnum(f.personStatus ?? ''),
    religion: optEnum(f.religion ?? ''),
    religionOther: f.religion === 'other' ? opt(f.religionOther ?? '') : undefined,
    registeredAddress: f.addressKind === 'thailand' ? addressFromForm(f.registeredAddress ?? emptyAddressForm()) : undefined,
    addressAbroad:
      f.addressKind === 'abroad' && opt(f.abroadCountry ?? '') !== undefined
        ? clean({ country: f.abroadCountry.trim(), detail: opt(f.abroadDetail ?? '') })
        : undefined
  });
}

/** An address with its blank parts left out; undefined when nothing was filled in. */
export function addressFromForm(f: AddressForm): PersonDoc['registeredAddress'] {
  const address = clean(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, opt(v)]))) as NonNullable<
    PersonDoc['registeredAddress']
  >;
  return Object.keys(address).length ? address : undefined;
}

function addressForm(a: Partial<AddressForm> | undefined): AddressForm {
  return { ...emptyAddressForm(), ...a };
}

export function personFormFromDoc(d: PersonFields): PersonForm {
  return {
    prisonerId: d.prisonerId,
    title: d.title,
    titleOther: d.titleOther ?? '',
    firstName: d.firstName,
    lastName: d.lastName,
    sex: d.sex ?? '',
    dateOfBirth: d.dateOfBirth ?? '',
    idStatus: d.nationalId.status,
    idNumber: d.nationalId.status === 'number' ? d.nationalId.number : '',
    idSource: d.nationalId.status === 'number' ? d.nationalId.source : 'typed',
    noIdReason: d.nationalId.status === 'none' ? d.nationalId.reason : '',
    nationality: d.nationality ?? '',
    personStatus: d.personStatus ?? '',
    religion: d.religion ?? '',
    religionOther: d.religionOther ?? '',
    addressKind: d.addressAbroad ? 'abroad' : d.registeredAddress ? 'thailand' : '',
    registeredAddress: addressForm(d.registeredAddress),
    abroadCountry: d.addressAbroad?.country ?? '',
    abroadDetail: d.addressAbroad?.detail ?? ''
  };
}

export function interviewFieldsFromForm(f: InterviewForm): InterviewFields {
  const y = optInt(f.sentenceYears);
  const m = optInt(f.sentenceMonths);
  const d = optInt(f.sentenceDays);
  const sentence = f.sentenceLife
    ? { years: 0, months: 0, days: 0, life: true as const }
    : y === undefined && m === undefined && d === undefined
      ? undefined
      : { years: y ?? 0, months: m ?? 0, days: d ?? 0 };
  const address = addressFromForm(f.address) ?? {};
  const phone = opt(f.phone);
  const sig = f.prisonerSignature;
  const osig = f.officerSignature;
  return clean({
    interviewDate: f.interviewDate,
    age: optInt(f.age),
    offence: opt(f.offence),
    sentence,
    paroleReleaseDate: opt(f.paroleReleaseDate),
    sentenceEndDate: opt(f.sentenceEndDate),
    address,
    phone: phone === undefined ? undefined : normalisePhone(phone),
    sponsorName: opt(f.sponsorName),
    sponsorRelationship: optEnum(f.sponsorRelationship),
    sponsorRelationshipOther: f.sponsorRelationship === 'other' ? opt(f.sponsorRelationshipOther) : undefined,
    education: optEnum(f.education),
    educationOther: f.education === 'other' ? opt(f.educationOther) : undefined,
    previousOccupation: opt(f.previousOccupation),
    skills: [...f.skills],
    trainings: f.trainings.map((t) => t.trim()).filter((t) => t !== ''),
    desiredOccupations: [...f.desiredOccupations],
    desiredOccupationOther: f.desiredOccupations.includes('other') ? opt(f.desiredOccupationOther) : undefined,
    helpWanted:
      f.helpChoice === 'none'
        ? { choice: 'none' as const }
        : f.helpChoice === 'wants'
          ? clean({
              choice: 'wants' as const,
              needs: [...f.needs],
              capitalTrade: f.needs.includes('capital') ? opt(f.capitalTrade) : undefined,
              jobPosition: f.needs.includes('job-info') ? opt(f.jobPosition) : undefined,
              otherNeed: f.needs.includes('other') ? opt(f.otherNeed) : undefined
            })
          : undefined,
    consent: optEnum(f.consent),
    officerOpinion: opt(f.officerOpinion),
    helpGiven: f.helpGiven.map((h) =>
      clean({ action: h.action, detail: h.detail.trim(), agencyId: opt(h.agencyId), forNeed: optEnum(h.forNeed) })
    ),
    // A need the person no longer wants keeps no "unmet" reason.
    unmetNeeds:
      f.helpChoice === 'wants'
        ? f.unmetNeeds
            .filter((u) => f.needs.includes(u.need) && u.reason.trim() !== '')
            .map((u) => ({ need: u.need, reason: u.reason.trim() }))
        : [],
    prisonerSignature: sig.image ? { image: sig.image, printedName: sig.printedName.trim(), signedOn: sig.signedOn } : undefined,
    officerSignature: osig.image
      ? { image: osig.image, printedName: osig.printedName.trim(), position: osig.position.trim(), signedOn: osig.signedOn }
      : undefined
  });
}

export function interviewFormFromDoc(d: InterviewFields): InterviewForm {
  const base = emptyInterviewForm(d.interviewDate);
  const hw = d.helpWanted;
  return {
    ...base,
    interviewDate: d.interviewDate,
    age: d.age?.toString() ?? '',
    offence: d.offence ?? '',
    sentenceYears: d.sentence && !d.sentence.life ? String(d.sentence.years) : '',
    sentenceMonths: d.sentence && !d.sentence.life ? String(d.sentence.months) : '',
    sentenceDays: d.sentence && !d.sentence.life ? String(d.sentence.days) : '',
    sentenceLife: d.sentence?.life === true,
    paroleReleaseDate: d.paroleReleaseDate ?? '',
    sentenceEndDate: d.sentenceEndDate ?? '',
    address: { ...base.address, ...d.address },
    phone: d.phone ?? '',
    sponsorName: d.sponsorName ?? '',
    sponsorRelationship: d.sponsorRelationship ?? '',
    sponsorRelationshipOther: d.sponsorRelationshipOther ?? '',
    education: d.education ?? '',
    educationOther: d.educationOther ?? '',
    previousOccupation: d.previousOccupation ?? '',
    skills: [...d.skills],
    trainings: [...d.trainings],
    desiredOccupations: [...d.desiredOccupations],
    desiredOccupationOther: d.desiredOccupationOther ?? '',
    helpChoice: hw?.choice ?? '',
    needs: hw?.choice === 'wants' ? [...hw.needs] : [],
    capitalTrade: hw?.choice === 'wants' ? (hw.capitalTrade ?? '') : '',
    jobPosition: hw?.choice === 'wants' ? (hw.jobPosition ?? '') : '',
    otherNeed: hw?.choice === 'wants' ? (hw.otherNeed ?? '') : '',
    consent: d.consent ?? '',
    officerOpinion: d.officerOpinion ?? '',
    helpGiven: d.helpGiven.map((h) => ({
      action: h.action,
      detail: h.detail,
      agencyId: h.agencyId ?? '',
      forNeed: h.forNeed ?? ''
    })),
    unmetNeeds: d.unmetNeeds.map((u) => ({ ...u })),
    prisonerSignature: d.prisonerSignature ? { ...d.prisonerSignature } : base.prisonerSignature,
    officerSignature: d.officerSignature ? { ...d.officerSignature } : base.officerSignature
  };
}

/** An address on one line, as written on Thai forms (ม. ต. อ. จ.), or comma-separated in English. */
export function formatAddress(a: Partial<AddressForm>, lang: 'th' | 'en'): string {
  const part = (v: string | undefined, th: string, en: string) =>
    v && v.trim() ? (lang === 'th' ? `${th}${v.trim()}` : `${en}${v.trim()}`) : '';
  const parts = [
    part(a.houseNo, '', ''),
    part(a.moo, 'ม.', 'Moo '),
    part(a.village, '', ''),
    part(a.soi, 'ซ.', 'Soi '),
    part(a.road, 'ถ.', ''),
    part(a.subdistrict, 'ต.', ''),
    part(a.district, 'อ.', ''),
    part(a.province, 'จ.', ''),
    part(a.postcode, '', '')
  ].filter(Boolean);
  return parts.join(lang === 'th' ? ' ' : ', ');
}
