/**
 * Which fields make a CARE 01 record "complete" (docs/domain/completeness.md), and which entries,
 * though valid in shape, are wrong (dates out of order, age that contradicts the date of birth,
 * ID rules broken). The tablet shows this list before the officer leaves the person; supervisors
 * will count it.
 *
 * The person's basic fields follow the seed's completeness rule (the Department of Probation's
 * FY2565 KPI 8.1, "ความครบถ้วน"): besides the registration number, national ID (or the reason for
 * none) and the name, "เพศ วันเกิด … ที่อยู่ตามทะเบียนบ้าน … สัญชาติ … ศาสนา". A person
 * without a Thai ID who is an ASEAN or foreign national has the address abroad instead
 * ("ให้ลงที่อยู่ในช่อง อยู่ในต่างประเทศ").
 */
import { ageOn, isIsoDate, todayIso } from './dates.ts';
import { HELP_NEEDS, type HelpNeed } from './options.ts';
import type { Care01Doc, PersonDoc } from './schemas.ts';

export interface Issue {
  /** Form field key; the form scrolls to the element with this id. */
  field: string;
  kind: 'missing' | 'invalid';
  th: string;
  en: string;
}

export interface Completeness {
  complete: boolean;
  issues: Issue[];
  /** Required items filled, for the progress shown on the form and the list. */
  filled: number;
  required: number;
}

type PersonPart = Pick<
  PersonDoc,
  | 'prisonerId'
  | 'title'
  | 'titleOther'
  | 'firstName'
  | 'lastName'
  | 'nationalId'
  | 'dateOfBirth'
  | 'sex'
  | 'nationality'
  | 'personStatus'
  | 'religion'
  | 'religionOther'
  | 'registeredAddress'
  | 'addressAbroad'
>;
type InterviewPart = Omit<
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

const blank = (v: string | undefined | null) => v === undefined || v === null || v.trim() === '';

class Checklist {
  issues: Issue[] = [];
  required = 0;
  filled = 0;
  /** A required item: counts toward completeness. */
  need(ok: boolean, field: string, th: string, en: string) {
    this.required++;
    if (ok) this.filled++;
    else this.issues.push({ field, kind: 'missing', th, en });
  }
  invalid(field: string, th: string, en: string) {
    this.issues.push({ field, kind: 'invalid', th, en });
  }
}

export function personCompleteness(p: Partial<PersonPart>): Completeness {
  const c = new Checklist();
  checkPerson(c, p);
  return result(c);
}

function checkPerson(c: Checklist, p: Partial<PersonPart>) {
  c.need(!blank(p.prisonerId), 'prisonerId', 'รหัสผู้ต้องขัง', 'Prisoner ID');
  c.need(p.title !== undefined && (p.title !== 'other' || !blank(p.titleOther)), 'title', 'คำนำหน้า', 'Title');
  c.need(!blank(p.firstName), 'firstName', 'ชื่อ', 'First name');
  c.need(!blank(p.lastName), 'lastName', 'นามสกุล', 'Last name');
  c.need(
    p.nationalId !== undefined && p.nationalId.status !== 'unknown',
    'nationalId',
    'เลขประจำตัวประชาชน หรือเหตุที่ไม่มี',
    'National ID, or the reason there is none'
  );
  c.need(p.sex !== undefined, 'sex', 'เพศ', 'Sex');
  c.need(!blank(p.dateOfBirth), 'dateOfBirth', 'วันเดือนปีเกิด', 'Date of birth');
  c.need(
    !blank(p.nationality) && p.personStatus !== undefined,
    'nationality',
    'สัญชาติและสถานะบุคคล',
    'Nationality and person status'
  );
  c.need(p.religion !== undefined && (p.religion !== 'other' || !blank(p.religionOther)), 'religion', 'ศาสนา', 'Religion');
  if (livesAbroadByIdRule(p))
    c.need(
      !blank(p.addressAbroad?.country),
      'registeredAddress',
      'ที่อยู่: อาศัยอยู่ต่างประเทศ (ระบุประเทศ)',
      'Address: lives abroad (give the country)'
    );
  else {
    const a = p.registeredAddress ?? {};
    c.need(
      (!blank(a.subdistrict) && !blank(a.district) && !blank(a.province)) || !blank(p.addressAbroad?.country),
      'registeredAddress',
      'ที่อยู่ตามทะเบียนบ้าน (ตำบล อำเภอ จังหวัด)',
      'Registered address (subdistrict, district, province)'
    );
  }
  checkIdRules(c, p);
}

/**
 * ASEAN / foreign nationals without a Thai ID number: the seed records them with no number and
 * the address under "lives abroad" (docs/domain/ids.md).
 */
export function livesAbroadByIdRule(p: Partial<Pick<PersonPart, 'personStatus' | 'nationalId'>>): boolean {
  return (p.personStatus === 'asean-national' || p.personStatus === 'foreign-national') && p.nationalId?.status === 'none';
}

/** The ID rules for people without a Thai ID: the recorded reason agrees with the person status. */
function checkIdRules(c: Checklist, p: Partial<PersonPart>) {
  const id = p.nationalId;
  if (id?.status !== 'none' || p.personStatus === undefined) return;
  if (id.reason === 'no-civil-registration' && p.personStatus !== 'thai')
    c.invalid(
      'nationalId',
      '"ไม่ปรากฏหลักฐานทางทะเบียนราษฎร์" ใช้กับคนไทยเท่านั้น: ตรวจสถานะบุคคล',
      '"No civil-registration evidence" is for Thai people only: check the person status'
    );
  if ((id.reason === 'asean-national' || id.reason === 'foreign-national') && p.personStatus !== id.reason)
    c.invalid(
      'nationality',
      'ไม่มีเลขประจำตัวเพราะเป็นบุคคลสัญชาติอาเซียน/ต่างชาติ: สถานะบุคคลต้องตรงกัน',
      'No ID because the person is an ASEAN / foreign national: the person status must say the same'
    );
  if (livesAbroadByIdRule(p) && p.registeredAddress !== undefined && p.addressAbroad === undefined)
    c.invalid(
      'registeredAddress',
      'บุคคลต่างชาติที่ไม่มีเลขประจำตัว: บันทึกที่อยู่เป็นอาศัยอยู่ต่างประเทศ',
      'Foreign national without an ID: record the address as living abroad'
    );
}

/** The whole CARE 01: the person's identity fields (items 1–3, 9) and the interview. */
export function care01Completeness(
  person: Partial<PersonPart>,
  i: Partial<InterviewPart>,
  today: string = todayIso()
): Completeness {
  const c = new Checklist();
  checkPerson(c, person);

  c.need(!blank(i.interviewDate), 'interviewDate', 'วันที่สัมภาษณ์', 'Interview date');
  c.need(i.age !== undefined || !blank(person.dateOfBirth), 'age', 'อายุ', 'Age');
  c.need(!blank(i.offence), 'offence', 'คดี', 'Offence');
  c.need(
    i.sentence !== undefined && (i.sentence.life === true || i.sentence.years + i.sentence.months + i.sentence.days > 0),
    'sentence',
    'กำหนดโทษ',
    'Sentence'
  );
  c.need(!blank(i.sentenceEndDate), 'sentenceEndDate', 'วันพ้นโทษ', 'Date the sentence ends');
  const a = i.address ?? {};
  c.need(
    !blank(a.subdistrict) && !blank(a.district) && !blank(a.province),
    'address',
    'ที่อยู่ภายหลังพ้นโทษ (ตำบล อำเภอ จังหวัด)',
    'Address after release (subdistrict, district, province)'
  );
  c.need(i.education !== undefined, 'education', 'ระดับการศึกษา', 'Education');
  c.need(i.helpWanted !== undefined, 'helpWanted', 'ความต้องการความช่วยเหลือ', 'Help wanted after release');
  c.need(i.consent !== undefined, 'consent', 'การยินยอมเปิดเผยข้อมูล', 'Consent to disclose');
  c.need(i.prisonerSignature !== undefined, 'prisonerSignature', 'ลายมือชื่อผู้ต้องขัง', "Prisoner's signature");
  c.need(
    i.officerSignature !== undefined && !blank(i.officerSignature.printedName) && !blank(i.officerSignature.position),
    'officerSignature',
    'ลายมือชื่อ ชื่อ และตำแหน่งเจ้าหน้าที่',
    "Officer's signature, name and position"
  );

  // "Specify" texts that go with an "other" tick.
  if (i.education === 'other') c.need(!blank(i.educationOther), 'education', 'ระบุระดับการศึกษาอื่น', 'Specify the other education');
  if (i.sponsorRelationship === 'other')
    c.need(!blank(i.sponsorRelationshipOther), 'sponsor', 'ระบุความเกี่ยวข้อง', 'Specify the relationship');
  if (i.desiredOccupations?.includes('other'))
    c.need(!blank(i.desiredOccupationOther), 'desiredOccupations', 'ระบุอาชีพที่ต้องการอื่น', 'Specify the other occupation');
  if (!blank(i.sponsorName))
    c.need(i.sponsorRelationship !== undefined, 'sponsor', 'ความเกี่ยวข้องกับผู้อุปการะ', 'Relationship to the sponsor');

  // Need → action: every need ends with an action or a reason why not (docs/domain/forms.md notes).
  if (i.helpWanted?.choice === 'wants') {
    const hw = i.helpWanted;
    if (hw.needs.includes('capital'))
      c.need(!blank(hw.capitalTrade), 'helpWanted', 'ระบุงานอาชีพที่ต้องการทุน', 'Which trade the capital is for');
    if (hw.needs.includes('job-info')) c.need(!blank(hw.jobPosition), 'helpWanted', 'ระบุตำแหน่งงานที่ต้องการ', 'Which job position');
    if (hw.needs.includes('other')) c.need(!blank(hw.otherNeed), 'helpWanted', 'ระบุความช่วยเหลือด้านอื่น', 'Specify the other help');
    for (const need of hw.needs) {
      const label = HELP_NEEDS.list.find((o) => o.value === need)!;
      c.need(
        needIsAnswered(need, i),
        `need-${need}`,
        `การดำเนินการสำหรับ "${label.th}" หรือเหตุผลที่ยังไม่ได้ช่วย`,
        `An action for "${label.en}", or the reason it is not met`
      );
    }
  }
  (i.helpGiven ?? []).forEach((h, n) => {
    if (h.action === 'referral')
      c.need(h.agencyId !== undefined, `helpGiven-${n}`, 'ระบุหน่วยงานเครือข่ายที่ส่งต่อ', 'Name the partner agency');
    if (h.action === 'other') c.need(!blank(h.detail), `helpGiven-${n}`, 'ระบุการช่วยเหลือด้านอื่น', 'Specify the other help given');
  });

  // Correctness checks (docs/domain/completeness.md): valid shape, but contradicts itself.
  if (
    i.age !== undefined &&
    person.dateOfBirth &&
    i.interviewDate &&
    isIsoDate(person.dateOfBirth) &&
    isIsoDate(i.interviewDate)
  ) {
    const derived = ageOn(person.dateOfBirth, i.interviewDate);
    if (Math.abs(derived - i.age) > 0)
      c.invalid('age', `อายุไม่ตรงกับวันเกิด (ควรเป็น ${derived} ปี)`, `Age does not match the date of birth (should be ${derived})`);
  }
  if (i.interviewDate && i.interviewDate > today)
    c.invalid('interviewDate', 'วันที่สัมภาษณ์อยู่ในอนาคต', 'The interview date is in the future');
  if (i.interviewDate && i.sentenceEndDate && i.sentenceEndDate < i.interviewDate)
    c.invalid('sentenceEndDate', 'วันพ้นโทษอยู่ก่อนวันสัมภาษณ์', 'The sentence ends before the interview date');
  if (i.interviewDate && i.paroleReleaseDate && i.paroleReleaseDate < i.interviewDate)
    c.invalid('paroleReleaseDate', 'วันปล่อยตัวคุมประพฤติอยู่ก่อนวันสัมภาษณ์', 'Parole release is before the interview date');
  if (i.paroleReleaseDate && i.sentenceEndDate && i.paroleReleaseDate > i.sentenceEndDate)
    c.invalid('paroleReleaseDate', 'วันปล่อยตัวคุมประพฤติอยู่หลังวันพ้นโทษ', 'Parole release is after the sentence ends');
  if (person.dateOfBirth && i.interviewDate && person.dateOfBirth >= i.interviewDate)
    c.invalid('age', 'วันเกิดอยู่หลังวันสัมภาษณ์', 'Date of birth is after the interview');
  if (i.helpWanted?.choice === 'none' && (i.unmetNeeds?.length ?? 0) > 0)
    c.invalid(
      'helpWanted',
      'บันทึกเหตุผลความต้องการที่ไม่ได้รับ แต่ระบุว่าไม่ต้องการความช่วยเหลือ',
      'Unmet needs recorded, but the person wants no help'
    );

  return result(c);
}

/** A need is answered by an action aimed at it (or of the same kind), or a recorded reason. */
export function needIsAnswered(need: HelpNeed, i: Partial<InterviewPart>): boolean {
  const actions = i.helpGiven ?? [];
  const byAction = actions.some((h) => h.forNeed === need || (h.forNeed === undefined && h.action === need));
  const byReason = (i.unmetNeeds ?? []).some((u) => u.need === need && !blank(u.reason));
  return byAction || byReason;
}

function result(c: Checklist): Completeness {
  return { complete: c.issues.length === 0, issues: c.issues, filled: c.filled, required: c.required };
}
