/**
 * Every choice list of the CARE 01 form, defined once with its Thai and English label.
 * Values are stable ASCII codes (stored, synced, exported); labels are for people.
 */
export interface Option<V extends string = string> {
  value: V;
  th: string;
  en: string;
}

export function options<const V extends string>(list: readonly Option<V>[]) {
  return {
    list,
    values: list.map((o) => o.value) as unknown as readonly [V, ...V[]],
    label(value: V | undefined, lang: 'th' | 'en'): string {
      return list.find((o) => o.value === value)?.[lang] ?? '';
    }
  };
}

export const TITLES = options([
  { value: 'mr', th: 'นาย', en: 'Mr' },
  { value: 'mrs', th: 'นาง', en: 'Mrs' },
  { value: 'miss', th: 'นางสาว', en: 'Miss' },
  { value: 'other', th: 'อื่น ๆ', en: 'Other' }
] as const);

export const SEXES = options([
  { value: 'male', th: 'ชาย', en: 'Male' },
  { value: 'female', th: 'หญิง', en: 'Female' }
] as const);

/**
 * Person status (สถานะบุคคล) for the ID rules (docs/domain/ids.md): hill-tribe people and foreigners
 * without an ID issued by the Department of Provincial Administration are recorded as ASEAN /
 * foreign nationals with no number and an address abroad.
 */
export const PERSON_STATUSES = options([
  { value: 'thai', th: 'คนไทย', en: 'Thai' },
  {
    value: 'hill-tribe',
    th: 'ชาวไทยภูเขา/ชนกลุ่มน้อย (มีเลขประจำตัวจากกรมการปกครอง)',
    en: 'Hill-tribe / minority (ID issued by the Department of Provincial Administration)'
  },
  { value: 'asean-national', th: 'บุคคลสัญชาติอาเซียน', en: 'ASEAN national' },
  { value: 'foreign-national', th: 'บุคคลต่างชาติ', en: 'Foreign national' }
] as const);

export const RELIGIONS = options([
  { value: 'buddhism', th: 'พุทธ', en: 'Buddhism' },
  { value: 'islam', th: 'อิสลาม', en: 'Islam' },
  { value: 'christianity', th: 'คริสต์', en: 'Christianity' },
  { value: 'hinduism', th: 'ฮินดู', en: 'Hinduism' },
  { value: 'sikhism', th: 'ซิกข์', en: 'Sikhism' },
  { value: 'none', th: 'ไม่นับถือศาสนา', en: 'No religion' },
  { value: 'other', th: 'อื่น ๆ', en: 'Other' }
] as const);

/** How a national ID number got into the record (itself a data-quality measure). */
export const ID_SOURCES = options([
  { value: 'typed', th: 'พิมพ์เอง', en: 'Typed' },
  { value: 'card-reader', th: 'เครื่องอ่านบัตร', en: 'Smart-card reader' },
  { value: 'registry', th: 'ทะเบียนราษฎร์', en: 'Civil registry look-up' }
] as const);

/** The recorded reasons for having no national ID number (docs/domain/ids.md). */
export const NO_ID_REASONS = options([
  {
    value: 'no-civil-registration',
    th: 'ไม่ปรากฏหลักฐานทางทะเบียนราษฎร์',
    en: 'No civil-registration evidence'
  },
  { value: 'asean-national', th: 'บุคคลสัญชาติอาเซียน (ไม่มีเลขประจำตัว)', en: 'ASEAN national without ID' },
  { value: 'foreign-national', th: 'บุคคลต่างชาติ (ไม่มีเลขประจำตัว)', en: 'Foreign national without ID' }
] as const);

export const RELATIONSHIPS = options([
  { value: 'parent', th: 'บิดา/มารดา', en: 'Parent' },
  { value: 'spouse', th: 'คู่สมรส', en: 'Spouse' },
  { value: 'sibling', th: 'พี่น้อง', en: 'Sibling' },
  { value: 'child', th: 'บุตร', en: 'Child' },
  { value: 'relative', th: 'ญาติ', en: 'Relative' },
  { value: 'employer', th: 'นายจ้าง', en: 'Employer' },
  { value: 'other', th: 'อื่น ๆ', en: 'Other' }
] as const);

export const EDUCATION_LEVELS = options([
  { value: 'illiterate', th: 'ไม่รู้หนังสือ', en: 'Cannot read or write' },
  { value: 'primary', th: 'ประถมศึกษา', en: 'Primary' },
  { value: 'lower-secondary', th: 'มัธยมศึกษาตอนต้น', en: 'Lower secondary' },
  { value: 'upper-secondary', th: 'มัธยมศึกษาตอนปลาย', en: 'Upper secondary' },
  { value: 'vocational-certificate', th: 'ปวช.', en: 'Vocational certificate' },
  { value: 'vocational-diploma', th: 'ปวส.', en: 'Higher vocational diploma' },
  { value: 'bachelor', th: 'ปริญญาตรี', en: "Bachelor's degree" },
  { value: 'above-bachelor', th: 'สูงกว่าปริญญาตรี', en: "Above bachelor's" },
  { value: 'other', th: 'อื่น ๆ ระบุ', en: 'Other (specify)' }
] as const);

export const SKILLS = options([
  { value: 'computer', th: 'ใช้งานคอมพิวเตอร์ได้', en: 'Can use a computer' },
  { value: 'typing-thai', th: 'พิมพ์ดีดภาษาไทย', en: 'Typing (Thai)' },
  { value: 'typing-english', th: 'พิมพ์ดีดภาษาอังกฤษ', en: 'Typing (English)' },
  { value: 'english', th: 'พูด/อ่าน/เขียนภาษาอังกฤษ', en: 'Speaks/reads/writes English' },
  { value: 'car-licensed', th: 'ขับรถได้ (มีใบขับขี่)', en: 'Drives a car (licensed)' },
  { value: 'car-unlicensed', th: 'ขับรถได้ (ไม่มีใบขับขี่)', en: 'Drives a car (no licence)' },
  { value: 'motorcycle-licensed', th: 'ขี่รถจักรยานยนต์ได้ (มีใบขับขี่)', en: 'Rides a motorcycle (licensed)' },
  { value: 'motorcycle-unlicensed', th: 'ขี่รถจักรยานยนต์ได้ (ไม่มีใบขับขี่)', en: 'Rides a motorcycle (no licence)' }
] as const);

export const DESIRED_OCCUPATIONS = options([
  { value: 'trading', th: 'ค้าขาย', en: 'Trading / vendor' },
  { value: 'farming', th: 'เกษตรกร', en: 'Farmer' },
  { value: 'general-labour', th: 'รับจ้างทั่วไป', en: 'General labour' },
  { value: 'factory', th: 'ลูกจ้างโรงงาน', en: 'Factory worker' },
  { value: 'self-employed', th: 'อาชีพอิสระ/ธุรกิจส่วนตัว', en: 'Self-employed / own business' },
  { value: 'other', th: 'อื่น ๆ (ระบุ)', en: 'Other (specify)' }
] as const);

/** Item 19: kinds of help a prisoner may ask for after release. */
export const HELP_NEEDS = options([
  { value: 'capital', th: 'ด้านทุนประกอบอาชีพ', en: 'Capital for a trade' },
  { value: 'job-info', th: 'ด้านข้อมูลตำแหน่งงานว่าง', en: 'Job-vacancy information' },
  { value: 'shelter', th: 'ด้านที่พักชั่วคราว', en: 'Temporary shelter' },
  { value: 'child-scholarship', th: 'ด้านทุนการศึกษาบุตร', en: 'Scholarship for children' },
  { value: 'medical', th: 'ด้านการรักษาพยาบาล', en: 'Medical care' },
  { value: 'fare-home', th: 'ด้านค่าพาหนะกลับภูมิลำเนา', en: 'Fare to travel home' },
  { value: 'other', th: 'ด้านอื่น ๆ', en: 'Other' }
] as const);

/** Item 22: kinds of help the officer gave or arranged. */
export const HELP_ACTIONS = options([
  { value: 'capital', th: 'ด้านทุนประกอบอาชีพ', en: 'Capital for a trade' },
  { value: 'job-info', th: 'ให้ข้อมูลตำแหน่งงานว่าง', en: 'Gave job-vacancy information' },
  { value: 'shelter', th: 'ประสานที่พักชั่วคราว', en: 'Arranged temporary shelter' },
  { value: 'child-scholarship', th: 'ด้านทุนการศึกษาบุตร', en: "Children's scholarship" },
  { value: 'medical', th: 'ด้านการรักษาพยาบาล', en: 'Medical care' },
  { value: 'fare-home', th: 'ค่าพาหนะกลับภูมิลำเนา', en: 'Fare home' },
  { value: 'referral', th: 'ด้านประสานส่งต่อหน่วยงานเครือข่าย', en: 'Referral to a partner agency' },
  {
    value: 'employment-project',
    th: 'ด้านการจ้างงานตามโครงการคืนคนดีสู่สังคม',
    en: '"Returning Good People to Society" employment'
  },
  { value: 'other', th: 'ด้านอื่น ๆ', en: 'Other' }
] as const);

export const CONSENT = options([
  { value: 'consents', th: 'ยินยอมเปิดเผยข้อมูล', en: 'Consents to disclosure' },
  { value: 'declines', th: 'ไม่ยินยอมเปิดเผยข้อมูล', en: 'Does not consent' }
] as const);

export const RELEASE_TYPES = options([
  { value: 'sentence-completed', th: 'พ้นโทษ (ครบกำหนดโทษ)', en: 'Sentence completed' },
  { value: 'parole', th: 'พักการลงโทษ', en: 'Parole' },
  { value: 'sentence-reduction', th: 'ลดวันต้องโทษ', en: 'Sentence reduction' },
  { value: 'pardon', th: 'ได้รับพระราชทานอภัยโทษ', en: 'Pardon' },
  { value: 'other', th: 'อื่น ๆ', en: 'Other' }
] as const);

export const CLASSIFICATION_LEVELS = options([
  { value: 'strict', th: 'เข้มงวด', en: 'Strict' },
  { value: 'moderate', th: 'ปานกลาง', en: 'Moderate' },
  { value: 'lenient', th: 'ไม่เข้มงวด', en: 'Lenient' }
] as const);

/**
 * How a follow-up was made. Phone and electronic media are "electronic media or other technology"
 * for the abnormal-situation fallbacks; a letter is not (it counts only after supervision).
 */
export const FOLLOW_UP_METHODS = options([
  { value: 'home-visit', th: 'เยี่ยมบ้าน', en: 'Home visit' },
  { value: 'workplace-visit', th: 'เยี่ยมที่ทำงาน', en: 'Workplace visit' },
  { value: 'other-visit', th: 'พบที่อื่น', en: 'Visit elsewhere' },
  { value: 'phone', th: 'โทรศัพท์', en: 'Phone' },
  { value: 'letter', th: 'จดหมาย', en: 'Letter' },
  { value: 'electronic', th: 'สื่ออิเล็กทรอนิกส์', en: 'Electronic media' }
] as const);

export const VISITORS = options([
  { value: 'probation-officer', th: 'พนักงานคุมประพฤติ', en: 'Probation officer' },
  { value: 'volunteer', th: 'อาสาสมัครคุมประพฤติ', en: 'Probation volunteer' },
  { value: 'community-network', th: 'เครือข่ายยุติธรรมชุมชน', en: 'Community justice network' },
  { value: 'community-leader', th: 'ผู้นำชุมชน', en: 'Community leader' },
  // Named by the strict-level standard ("ภาคีเครือข่ายที่มีประสบการณ์"); counts only there.
  { value: 'experienced-partner', th: 'ภาคีเครือข่ายที่มีประสบการณ์', en: 'Experienced partner' }
] as const);

export const HOUSING_TYPES = options([
  { value: 'own-home', th: 'บ้านของตนเอง', en: 'Own home' },
  { value: 'family-home', th: 'บ้านครอบครัว/ญาติ', en: "Family's or relatives' home" },
  { value: 'rented', th: 'บ้านเช่า/ห้องเช่า', en: 'Rented' },
  { value: 'employer', th: 'ที่พักของนายจ้าง', en: "Employer's lodging" },
  { value: 'shelter', th: 'สถานสงเคราะห์/ที่พักชั่วคราว', en: 'Shelter' },
  { value: 'none', th: 'ไม่มีที่พักเป็นหลักแหล่ง', en: 'No fixed home' },
  { value: 'other', th: 'อื่น ๆ', en: 'Other' }
] as const);

export const NON_COMPLIANCE_KINDS = options([
  { value: 'missed-appointment', th: 'ไม่มารายงานตัวตามนัด', en: 'Missed a reporting appointment' },
  { value: 'conditions-not-acknowledged', th: 'ไม่มารับทราบเงื่อนไข', en: 'Did not come to acknowledge the conditions' }
] as const);

export const NON_COMPLIANCE_ACTIONS = options([
  { value: 'record-check', th: 'ตรวจสอบประวัติ', en: 'Criminal record check' },
  { value: 'warning', th: 'ตักเตือน (โทรศัพท์/จดหมาย)', en: 'Warning (phone or letter)' },
  { value: 'tracking', th: 'ติดตามตัว', en: 'Tracking' }
] as const);

export type ReleaseType = (typeof RELEASE_TYPES.values)[number];
export type ClassificationLevel = (typeof CLASSIFICATION_LEVELS.values)[number];
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS.values)[number];
export type Visitor = (typeof VISITORS.values)[number];
export type HousingType = (typeof HOUSING_TYPES.values)[number];
export type NonComplianceKind = (typeof NON_COMPLIANCE_KINDS.values)[number];
export type NonComplianceAction = (typeof NON_COMPLIANCE_ACTIONS.values)[number];
export type Title = (typeof TITLES.values)[number];
export type Sex = (typeof SEXES.values)[number];
export type IdSource = (typeof ID_SOURCES.values)[number];
export type PersonStatus = (typeof PERSON_STATUSES.values)[number];
export type Religion = (typeof RELIGIONS.values)[number];
export type NoIdReason = (typeof NO_ID_REASONS.values)[number];
export type Relationship = (typeof RELATIONSHIPS.values)[number];
export type EducationLevel = (typeof EDUCATION_LEVELS.values)[number];
export type Skill = (typeof SKILLS.values)[number];
export type DesiredOccupation = (typeof DESIRED_OCCUPATIONS.values)[number];
export type HelpNeed = (typeof HELP_NEEDS.values)[number];
export type HelpAction = (typeof HELP_ACTIONS.values)[number];
export type Consent = (typeof CONSENT.values)[number];
