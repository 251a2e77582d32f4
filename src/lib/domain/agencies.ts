/**
 * The initial partner-agency catalog (docs/domain/partner-agencies.md, from "การรับบริการจากหน่วยงานภาครัฐของ
 * ผู้พ้นโทษ ตามภารกิจของหน่วยงาน", Behaviour Development Division): each agency with the services it
 * gives released people and their families, and the kinds of need (CARE 01 item 19) each service
 * answers, so a tablet can search the catalog by need offline.
 *
 * Ids never change once shipped: a CARE 01 help action and a referral store `agencyId` and
 * `serviceId`. Administrators add local offices and retire entries on the server
 * (services/catalog.ts); nothing shipped here is ever removed.
 */
import type { HelpNeed } from './options.ts';

export interface AgencyService {
  id: string;
  th: string;
  en: string;
  /** The needs of CARE 01 item 19 this service answers ('other' when none fits). */
  needs: readonly HelpNeed[];
}

export interface Agency {
  id: string;
  th: string;
  en: string;
  ministry: { th: string; en: string };
  services: readonly AgencyService[];
}

const INTERIOR = { th: 'กระทรวงมหาดไทย', en: 'Ministry of Interior' };
const SOCIAL = { th: 'กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์', en: 'Ministry of Social Development and Human Security' };
const LABOUR = { th: 'กระทรวงแรงงาน', en: 'Ministry of Labour' };
const HEALTH = { th: 'กระทรวงสาธารณสุข', en: 'Ministry of Public Health' };
const JUSTICE = { th: 'กระทรวงยุติธรรม', en: 'Ministry of Justice' };
const LOCAL_ASSOCIATIONS = { th: 'องค์กรปกครองส่วนท้องถิ่น', en: 'Local government associations' };

const localFollowUp: AgencyService = {
  id: 'local-follow-up',
  th: 'ติดตาม ดูแล และหาแนวทางช่วยเหลือผู้พ้นโทษและครอบครัว',
  en: 'Follow up, look after and support released people and families',
  needs: ['other']
};

export const AGENCIES: readonly Agency[] = [
  {
    id: 'dopa',
    th: 'กรมการปกครอง',
    en: 'Department of Provincial Administration',
    ministry: INTERIOR,
    services: [
      {
        id: 'id-card',
        th: 'ออกบัตรประจำตัวประชาชนให้ผู้ต้องขังและผู้พ้นโทษ',
        en: 'National ID cards for prisoners and released people',
        needs: ['other']
      },
      {
        id: 'community-care',
        th: 'กำนัน ผู้ใหญ่บ้าน ติดตาม ดูแล ให้คำแนะนำ',
        en: 'Village and subdistrict heads follow up, look after and advise',
        needs: ['other']
      },
      { id: 'home-visit', th: 'เยี่ยมเยียนผู้พ้นโทษเพื่อป้องกันการกระทำผิดซ้ำ', en: 'Visits to prevent re-offending', needs: ['other'] }
    ]
  },
  {
    id: 'dla',
    th: 'กรมส่งเสริมการปกครองท้องถิ่น (อบต./อบจ./อปท.)',
    en: 'Department of Local Administration',
    ministry: INTERIOR,
    services: [localFollowUp]
  },
  {
    id: 'sao-association',
    th: 'สมาคมองค์การบริหารส่วนตำบลแห่งประเทศไทย',
    en: 'Association of Subdistrict Administrative Organisations',
    ministry: LOCAL_ASSOCIATIONS,
    services: [localFollowUp]
  },
  {
    id: 'pao-association',
    th: 'สมาคมองค์การบริหารส่วนจังหวัดแห่งประเทศไทย',
    en: 'Association of Provincial Administrative Organisations',
    ministry: LOCAL_ASSOCIATIONS,
    services: [localFollowUp]
  },
  {
    id: 'municipal-league',
    th: 'สันนิบาตเทศบาลแห่งประเทศไทย',
    en: 'Municipal League of Thailand',
    ministry: LOCAL_ASSOCIATIONS,
    services: [localFollowUp]
  },
  {
    id: 'dsdw',
    th: 'กรมพัฒนาสังคมและสวัสดิการ',
    en: 'Department of Social Development and Welfare',
    ministry: SOCIAL,
    services: [
      {
        id: 'emergency-relief',
        th: 'ช่วยเหลือเงินสงเคราะห์ครอบครัวผู้มีรายได้น้อยและผู้ไร้ที่พึ่ง',
        en: 'Emergency relief for low-income families and the destitute',
        needs: ['shelter', 'other']
      },
      {
        id: 'volunteer-care',
        th: 'ส่งต่ออาสาสมัครพัฒนาสังคม (อพม.) ดูแลให้คำแนะนำ',
        en: 'Social development volunteers (อพม.) for care and advice',
        needs: ['other']
      },
      { id: 'fare-home', th: 'ค่าพาหนะเดินทางกลับภูมิลำเนา', en: 'Fare to travel home', needs: ['fare-home'] },
      { id: 'hiv-support', th: 'ช่วยเหลือผู้ติดเชื้อเอดส์', en: 'Support for people with AIDS / HIV', needs: ['medical'] }
    ]
  },
  {
    id: 'dop-older',
    th: 'กรมกิจการผู้สูงอายุ',
    en: 'Department of Older Persons',
    ministry: SOCIAL,
    services: [
      { id: 'old-age-allowance', th: 'เบี้ยยังชีพผู้สูงอายุ', en: 'Old-age allowance', needs: ['other'] },
      {
        id: 'hardship-grant',
        th: 'เงินสงเคราะห์ผู้สูงอายุในภาวะยากลำบาก 2,500 บาทต่อครั้ง ไม่เกิน 3 ครั้งต่อปี',
        en: 'Hardship grant 2,500 THB per time, at most 3 times a year',
        needs: ['other']
      },
      {
        id: 'occupation-loan',
        th: 'กู้ยืมเงินทุนประกอบอาชีพ ไม่มีดอกเบี้ย รายละไม่เกิน 30,000 บาท',
        en: 'Interest-free occupation loan up to 30,000 THB',
        needs: ['capital']
      },
      { id: 'funeral-support', th: 'สงเคราะห์จัดการศพตามประเพณี', en: 'Funeral support when no relatives', needs: ['other'] }
    ]
  },
  {
    id: 'dep',
    th: 'กรมส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ',
    en: 'Department of Empowerment of Persons with Disabilities',
    ministry: SOCIAL,
    services: [
      {
        id: 'disability-allowance',
        th: 'เบี้ยความพิการ 800 บาทต่อเดือน',
        en: 'Disability allowance 800 THB a month',
        needs: ['other']
      },
      {
        id: 'family-grant',
        th: 'เงินสงเคราะห์ครอบครัวคนพิการ 3,000 บาทต่อครั้ง',
        en: 'Family emergency grant 3,000 THB per time',
        needs: ['other']
      },
      {
        id: 'occupation-capital',
        th: 'กู้ยืมเงินทุนประกอบอาชีพ ไม่มีดอกเบี้ย',
        en: 'Interest-free occupation capital',
        needs: ['capital']
      },
      { id: 'employment-quota', th: 'การจ้างงานคนพิการตามกฎหมาย', en: 'Employment quota for disabled people', needs: ['job-info'] },
      { id: 'assistive-devices', th: 'กายอุปกรณ์และเครื่องช่วยคนพิการ', en: 'Assistive devices', needs: ['medical'] }
    ]
  },
  {
    id: 'dsd',
    th: 'กรมพัฒนาฝีมือแรงงาน',
    en: 'Department of Skill Development',
    ministry: LABOUR,
    services: [
      {
        id: 'vocational-training',
        th: 'ฝึกอบรมฝีมือแรงงานในศูนย์ทั่วประเทศ',
        en: 'Vocational training in its centres nationwide',
        needs: ['job-info', 'capital']
      }
    ]
  },
  {
    id: 'doe',
    th: 'กรมการจัดหางาน',
    en: 'Department of Employment',
    ministry: LABOUR,
    services: [
      { id: 'job-placement', th: 'ขึ้นทะเบียนหางานและบรรจุงาน', en: 'Registration and job placement', needs: ['job-info'] },
      {
        id: 'career-counselling',
        th: 'แนะแนวอาชีพ (ทำเล ต้นทุน การบริหารจัดการ)',
        en: 'Career counselling (location, costing, running a business)',
        needs: ['job-info', 'capital']
      },
      {
        id: 'self-employment-course',
        th: 'ฝึกอาชีพอิสระระยะสั้นก่อนพ้นโทษ',
        en: 'Short self-employment courses before release',
        needs: ['job-info']
      },
      {
        id: 'home-worker-fund',
        th: 'กองทุนเงินกู้ผู้รับงานไปทำที่บ้าน (กลุ่ม 5 คนขึ้นไป)',
        en: 'Home-worker loan fund (groups of 5+)',
        needs: ['capital']
      }
    ]
  },
  {
    id: 'police-records',
    th: 'กองทะเบียนประวัติอาชญากร',
    en: 'Criminal Records Division, Royal Thai Police',
    ministry: { th: 'สำนักงานตำรวจแห่งชาติ', en: 'Royal Thai Police' },
    services: [{ id: 'record-check', th: 'ตรวจสอบประวัติอาชญากร', en: 'Criminal record checks', needs: ['job-info'] }]
  },
  {
    id: 'dmh',
    th: 'กรมสุขภาพจิต',
    en: 'Department of Mental Health',
    ministry: HEALTH,
    services: [
      {
        id: 'psychiatric-care',
        th: 'ดูแลรักษาผู้ป่วยจิตเวชอย่างต่อเนื่อง',
        en: 'Continuous psychiatric care and follow-up',
        needs: ['medical']
      }
    ]
  },
  {
    id: 'dms',
    th: 'กรมการแพทย์',
    en: 'Department of Medical Services',
    ministry: HEALTH,
    services: [
      { id: 'specialised-care', th: 'บริการทางการแพทย์เฉพาะทาง', en: 'Specialised / tertiary medical services', needs: ['medical'] }
    ]
  },
  {
    id: 'dtam',
    th: 'กรมการแพทย์แผนไทยและการแพทย์ทางเลือก',
    en: 'Department of Thai Traditional and Alternative Medicine',
    ministry: HEALTH,
    services: [
      {
        id: 'thai-massage',
        th: 'ฝึกอบรมนวดไทยและจัดหางานหมอนวดในโรงพยาบาล',
        en: 'Thai massage training and jobs as masseurs in hospitals',
        needs: ['job-info']
      }
    ]
  },
  {
    id: 'moph-ops',
    th: 'สำนักงานปลัดกระทรวงสาธารณสุข',
    en: 'Office of the Permanent Secretary, Public Health',
    ministry: HEALTH,
    services: [
      {
        id: 'hospital-care',
        th: 'รักษาพยาบาลด้านร่างกายและจิตใจในโรงพยาบาล',
        en: 'Hospital care for physical and mental health',
        needs: ['medical']
      }
    ]
  },
  {
    id: 'bma-social',
    th: 'สำนักพัฒนาสังคม กรุงเทพมหานคร',
    en: 'BMA Social Development Office',
    ministry: { th: 'กรุงเทพมหานคร', en: 'Bangkok Metropolitan Administration' },
    services: [
      { id: 'short-courses', th: 'ฝึกอาชีพระยะสั้น', en: 'Short vocational courses', needs: ['job-info'] },
      {
        id: 'family-support',
        th: 'ช่วยเหลือครอบครัวผู้ต้องขังและผู้พ้นโทษในกรุงเทพฯ',
        en: 'Support for families living in Bangkok',
        needs: ['child-scholarship', 'other']
      }
    ]
  },
  {
    id: 'moj-community',
    th: 'กองพัฒนายุติธรรมชุมชน สำนักงานปลัดกระทรวงยุติธรรม',
    en: 'Community Justice Development Division, Ministry of Justice',
    ministry: JUSTICE,
    services: [
      { id: 'fare-home', th: 'ค่าพาหนะเดินทางกลับภูมิลำเนา', en: 'Fare home', needs: ['fare-home'] },
      { id: 'home-visit', th: 'เยี่ยมบ้าน', en: 'Home visits', needs: ['other'] },
      { id: 'legal-advice', th: 'ให้คำปรึกษาด้านกฎหมายและด้านอื่น ๆ', en: 'Legal and other advice', needs: ['other'] }
    ]
  },
  {
    id: 'probation',
    th: 'กรมคุมประพฤติ',
    en: 'Department of Probation',
    ministry: JUSTICE,
    services: [
      {
        id: 'life-guidance',
        th: 'แนะแนวการดำเนินชีวิตและติดตามช่วยเหลือ',
        en: 'Life guidance and support with follow-up',
        needs: ['other']
      },
      { id: 'fare-home', th: 'ค่าพาหนะเดินทางกลับภูมิลำเนา', en: 'Fare home', needs: ['fare-home'] }
    ]
  }
];

export const AGENCY_IDS = AGENCIES.map((a) => a.id);
