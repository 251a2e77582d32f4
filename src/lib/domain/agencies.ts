/**
 * Initial partner-agency list (docs/domain/partner-agencies.md). Administrators will edit it later;
 * a referral stores the agency id, so ids never change once shipped.
 */
export interface Agency {
  id: string;
  th: string;
  en: string;
}

export const AGENCIES: readonly Agency[] = [
  { id: 'dopa', th: 'กรมการปกครอง', en: 'Department of Provincial Administration' },
  { id: 'dla', th: 'กรมส่งเสริมการปกครองท้องถิ่น (อบต./อบจ./อปท.)', en: 'Department of Local Administration' },
  { id: 'dsdw', th: 'กรมพัฒนาสังคมและสวัสดิการ', en: 'Department of Social Development and Welfare' },
  { id: 'dop-older', th: 'กรมกิจการผู้สูงอายุ', en: 'Department of Older Persons' },
  { id: 'dep', th: 'กรมส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ', en: 'Department of Empowerment of Persons with Disabilities' },
  { id: 'dsd', th: 'กรมพัฒนาฝีมือแรงงาน', en: 'Department of Skill Development' },
  { id: 'doe', th: 'กรมการจัดหางาน', en: 'Department of Employment' },
  { id: 'police-records', th: 'กองทะเบียนประวัติอาชญากร', en: 'Criminal Records Division, Royal Thai Police' },
  { id: 'dmh', th: 'กรมสุขภาพจิต', en: 'Department of Mental Health' },
  { id: 'dms', th: 'กรมการแพทย์', en: 'Department of Medical Services' },
  { id: 'dtam', th: 'กรมการแพทย์แผนไทยและการแพทย์ทางเลือก', en: 'Department of Thai Traditional and Alternative Medicine' },
  { id: 'moph-ops', th: 'สำนักงานปลัดกระทรวงสาธารณสุข', en: 'Office of the Permanent Secretary, Public Health' },
  { id: 'bma-social', th: 'สำนักพัฒนาสังคม กรุงเทพมหานคร', en: 'BMA Social Development Office' },
  { id: 'moj-community', th: 'กองยุติธรรมชุมชน สำนักงานปลัดกระทรวงยุติธรรม', en: 'Community Justice Division, Ministry of Justice' },
  { id: 'probation', th: 'กรมคุมประพฤติ', en: 'Department of Probation' }
];

export const AGENCY_IDS = AGENCIES.map((a) => a.id);
