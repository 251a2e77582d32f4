/**
 * The CARE 01 form's fields as the error messages need them: where each value sits in the person
 * and interview documents, the element the form gives it, and its label on the form. Used to turn
 * a refused save into "ชื่อ: ต้องกรอก" with the cursor in the first-name box.
 */
import type { FieldDef } from '$lib/client/form-errors.ts';

const f = (path: string, element: string, th: string, en: string): FieldDef => ({ path, element, label: { th, en } });

/** Fields of the person document (items 1–3, 9, sex, date of birth). */
export const PERSON_FIELDS: FieldDef[] = [
  f('prisonerId', 'in-prisonerId', 'รหัสผู้ต้องขัง', 'Prisoner ID'),
  f('title', 'title', 'คำนำหน้า', 'Title'),
  f('titleOther', 'in-titleOther', 'ระบุคำนำหน้า', 'Specify the title'),
  f('firstName', 'in-firstName', 'ชื่อ', 'First name'),
  f('lastName', 'in-lastName', 'นามสกุล', 'Last name'),
  f('sex', 'sex', 'เพศ', 'Sex'),
  f('dateOfBirth', 'dateOfBirth', 'วันเกิด', 'Date of birth'),
  f('nationalId', 'nationalId', 'เลขประจำตัวประชาชน', 'National ID number'),
  f('nationalId.number', 'in-idNumber', 'เลขประจำตัวประชาชน', 'National ID number'),
  f('nationalId.source', 'idSource', 'ได้เลขมาจาก', 'How the number was obtained'),
  f('nationalId.reason', 'in-noIdReason', 'เหตุที่ไม่มีเลขประจำตัว', 'Why there is no number')
];

const ADDRESS: [string, string, string][] = [
  ['houseNo', 'บ้านเลขที่', 'House no.'],
  ['moo', 'หมู่ที่', 'Moo (village no.)'],
  ['village', 'หมู่บ้าน/อาคาร', 'Village / building'],
  ['soi', 'ซอย', 'Soi (lane)'],
  ['road', 'ถนน', 'Road'],
  ['subdistrict', 'ตำบล/แขวง', 'Subdistrict'],
  ['district', 'อำเภอ/เขต', 'District'],
  ['province', 'จังหวัด', 'Province'],
  ['postcode', 'รหัสไปรษณีย์', 'Postcode']
];

/** Fields of the interview document (items 4–8, 10–24). */
export const INTERVIEW_FIELDS: FieldDef[] = [
  f('interviewDate', 'interviewDate', 'วันที่สัมภาษณ์', 'Interview date'),
  f('age', 'in-age', 'อายุ (ปี)', 'Age (years)'),
  f('offence', 'in-offence', 'คดี', 'Offence'),
  f('sentence', 'sentence', 'กำหนดโทษ', 'Sentence'),
  f('sentence.years', 'in-sentenceYears', 'กำหนดโทษ (ปี)', 'Sentence (years)'),
  f('sentence.months', 'in-sentenceMonths', 'กำหนดโทษ (เดือน)', 'Sentence (months)'),
  f('sentence.days', 'in-sentenceDays', 'กำหนดโทษ (วัน)', 'Sentence (days)'),
  f('paroleReleaseDate', 'paroleReleaseDate', 'วันปล่อยตัวคุมประพฤติ', 'Release on parole'),
  f('sentenceEndDate', 'sentenceEndDate', 'วันพ้นโทษ', 'Date the sentence ends'),
  f('address', 'address', 'ที่อยู่ภายหลังพ้นโทษ', 'Address after release'),
  ...ADDRESS.map(([key, th, en]) => f(`address.${key}`, `in-address-${key}`, `${th} (ที่อยู่)`, `${en} (address)`)),
  f('phone', 'in-phone', 'โทรศัพท์', 'Phone'),
  f('sponsorName', 'in-sponsorName', 'ชื่อผู้อุปการะ/อาศัยอยู่กับ', 'Name of the sponsor'),
  f('sponsorRelationship', 'in-sponsorRelationship', 'เกี่ยวข้องเป็น', 'Relationship'),
  f('sponsorRelationshipOther', 'in-sponsorRelationshipOther', 'ระบุความเกี่ยวข้อง', 'Specify the relationship'),
  f('education', 'education', 'ระดับการศึกษา', 'Education'),
  f('educationOther', 'in-educationOther', 'ระบุระดับการศึกษา', 'Specify the education'),
  f('previousOccupation', 'in-previousOccupation', 'อาชีพเดิมก่อนต้องโทษ', 'Occupation before prison'),
  f('skills', 'skills', 'ทักษะ / ความสามารถพิเศษ / ความถนัด', 'Skills'),
  f('trainings', 'trainings', 'การฝึกอบรม', 'Training'),
  f('trainings.#', 'in-trainings-#', 'หลักสูตรที่ #', 'Course #'),
  f('desiredOccupations', 'desiredOccupations', 'ความต้องการทางด้านอาชีพ', 'Desired occupation'),
  f('desiredOccupationOther', 'in-desiredOccupationOther', 'ระบุอาชีพ', 'Specify the occupation'),
  f('helpWanted', 'helpWanted', 'ความต้องการความช่วยเหลือภายหลังพ้นโทษ', 'Help wanted after release'),
  f('helpWanted.needs', 'needs', 'ด้านที่ต้องการ', 'Kinds of help wanted'),
  f('helpWanted.capitalTrade', 'in-capitalTrade', 'งานอาชีพที่ต้องการทุน', 'Trade the capital is for'),
  f('helpWanted.jobPosition', 'in-jobPosition', 'ตำแหน่งงานที่ต้องการ', 'Job position wanted'),
  f('helpWanted.otherNeed', 'in-otherNeed', 'ระบุความช่วยเหลือด้านอื่น', 'Specify the other help'),
  f('consent', 'consent', 'การยินยอมเปิดเผยข้อมูล', 'Consent to disclose the data'),
  f('officerOpinion', 'in-officerOpinion', 'ความเห็นเจ้าหน้าที่', "Officer's opinion"),
  f('helpGiven.#', 'helpGiven-#', 'การดำเนินการที่ #', 'Action #'),
  f('helpGiven.#.action', 'in-helpGiven-#-action', 'การดำเนินการที่ #', 'Action #'),
  f('helpGiven.#.agencyId', 'in-helpGiven-#-agency', 'หน่วยงานเครือข่ายที่ส่งต่อ (การดำเนินการที่ #)', 'Partner agency (action #)'),
  f('helpGiven.#.detail', 'in-helpGiven-#-detail', 'รายละเอียด (การดำเนินการที่ #)', 'Details (action #)'),
  f('unmetNeeds', 'helpWanted', 'เหตุที่ยังไม่ได้ช่วยเหลือ', 'Why help was not given yet'),
  f('prisonerSignature', 'prisonerSignature', 'ลงชื่อผู้ต้องขัง', "Prisoner's signature"),
  f('prisonerSignature.image', 'in-prisonerSignature', 'ลายมือชื่อผู้ต้องขัง', "Prisoner's signature"),
  f('prisonerSignature.printedName', 'in-prisonerSignature-name', 'ชื่อตัวบรรจง (ผู้ต้องขัง)', 'Printed name (prisoner)'),
  f('prisonerSignature.signedOn', 'prisonerSignature-date', 'วันที่ลงชื่อ (ผู้ต้องขัง)', 'Date signed (prisoner)'),
  f('officerSignature', 'officerSignature', 'ลงชื่อเจ้าหน้าที่', "Officer's signature"),
  f('officerSignature.image', 'in-officerSignature', 'ลายมือชื่อเจ้าหน้าที่', "Officer's signature"),
  f('officerSignature.printedName', 'in-officerSignature-name', 'ชื่อตัวบรรจง (เจ้าหน้าที่)', 'Printed name (officer)'),
  f('officerSignature.position', 'in-officerSignature-position', 'ตำแหน่ง (เจ้าหน้าที่)', 'Position (officer)'),
  f('officerSignature.signedOn', 'officerSignature-date', 'วันที่ลงชื่อ (เจ้าหน้าที่)', 'Date signed (officer)')
];
