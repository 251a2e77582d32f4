/**
 * Demo data (`--demo`): a small tree (the Department, a prison region and a probation region)
 * with two units, five accounts and about fifty synthetic people with CARE 01
 * interviews; the probation office's people also have release episodes, follow-ups and
 * non-compliance events (demo-followups.ts), and a generated caseload of the last fiscal year
 * behind the supervisor's KPI screens (reports/generate.ts). Every name is built from syllable lists, every national ID is random digits with
 * a valid check digit: nothing here describes a real person. A fixed random seed makes the
 * data the same on every machine, so a demo script can point at "the third person".
 */
import { fiscalYearOf } from '../src/lib/domain/calendar.ts';
import { generateUnit } from './reports/generate.ts';
import { generateServices } from './reports/generate-services.ts';
import { ageOn } from '../src/lib/domain/dates.ts';
import { withCheckDigit } from '../src/lib/domain/national-id.ts';
import { DESIRED_OCCUPATIONS, EDUCATION_LEVELS, HELP_NEEDS, type HelpNeed } from '../src/lib/domain/options.ts';
import { SCHEMA_VERSION, type Care01Doc, type PersonDoc } from '../src/lib/domain/schemas.ts';
import { checkDoc } from '../src/lib/domain/validate-doc.ts';
import { demoFollowUps } from './demo-followups.ts';
import { demoVisits, seedDemoReview } from './demo-review.ts';
import { isConflict, type StoragePort } from './storage/port.ts';
import { prepareStorage, unitDatabaseName } from './system-db.ts';
import { verifyPassword } from './auth/passwords.ts';
import { allUsers, createUnit, createUser, findUnit, findUser, type NewUnit, type NewUser } from './users.ts';

export const DEMO_PASSWORD = 'Demo-Pass-2569!';

/** Parents before children: each is created under the one before it in the tree. */
export const DEMO_UNITS: NewUnit[] = [
  {
    unitId: 'demo-department',
    name: { th: 'กรมคุมประพฤติ (สาธิต)', en: 'Department of Probation (demo)' },
    kind: 'department',
    parentId: null
  },
  {
    unitId: 'demo-prison-region',
    name: { th: 'เขตเรือนจำ 1 (สาธิต)', en: 'Prison region 1 (demo)' },
    kind: 'prison-region',
    parentId: 'demo-department'
  },
  {
    unitId: 'demo-probation-region',
    name: { th: 'ภาคคุมประพฤติ 5 (สาธิต)', en: 'Probation region 5 (demo)' },
    kind: 'probation-region',
    parentId: 'demo-department'
  },
  {
    unitId: 'bkk-prison',
    name: { th: 'ศูนย์ CARE เรือนจำกลางกรุงเทพ', en: 'CARE centre, Bangkok Central Prison' },
    kind: 'prison-care',
    parentId: 'demo-prison-region'
  },
  {
    unitId: 'lampang-probation',
    name: { th: 'สำนักงานคุมประพฤติจังหวัดลำปาง', en: 'Lampang Provincial Probation Office' },
    kind: 'probation-office',
    parentId: 'demo-probation-region'
  }
];

export const DEMO_USERS: NewUser[] = [
  {
    username: 'care.officer',
    displayName: 'เจ้าหน้าที่ศูนย์ CARE (สาธิต)',
    role: 'officer',
    units: ['bkk-prison'],
    password: DEMO_PASSWORD
  },
  {
    username: 'field.officer',
    displayName: 'พนักงานคุมประพฤติ (สาธิต)',
    role: 'officer',
    units: ['lampang-probation'],
    password: DEMO_PASSWORD
  },
  // Placed at the Department: sees both units, and any unit an administrator adds to the demo tree.
  {
    username: 'supervisor',
    displayName: 'ผู้อำนวยการ (สาธิต)',
    role: 'supervisor',
    units: ['demo-department'],
    password: DEMO_PASSWORD
  },
  { username: 'admin', displayName: 'ผู้ดูแลระบบ (สาธิต)', role: 'admin', units: [], password: DEMO_PASSWORD },
  {
    username: 'volunteer',
    displayName: 'อาสาสมัครคุมประพฤติ (สาธิต)',
    role: 'volunteer',
    units: ['lampang-probation'],
    password: DEMO_PASSWORD
  }
];

/** The demo volunteer records visits for the first few people of the Lampang office only. */
export const DEMO_VOLUNTEER_PEOPLE = 4;
/** People of the generated probation caseload (reports); their visits are never by the demo volunteer. */
export const DEMO_REPORT_PEOPLE = 200;
const DEMO_REPORT_VISITORS = ['probation-officer', 'community-network', 'community-leader'] as const;
function assignDemoVolunteer(docs: Array<PersonDoc | Care01Doc>): void {
  const people = docs.filter((d): d is PersonDoc => d.type === 'person').slice(0, DEMO_VOLUNTEER_PEOPLE);
  for (const person of people) person.assignedVolunteers = ['volunteer'];
}

/** mulberry32: small, fast, and the same sequence everywhere for a given seed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)];
  const chance = (p: number) => next() < p;
  const some = <T>(list: readonly T[], min: number, max: number): T[] => {
    const pool = [...list];
    const out: T[] = [];
    for (let n = int(min, Math.min(max, pool.length)); n > 0; n--) out.push(pool.splice(int(0, pool.length - 1), 1)[0]);
    return out;
  };
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = ((int(0, 15) & 0x3) | 0x8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
  return { next, int, pick, chance, some, uuid, digits };
}
export type Random = ReturnType<typeof seededRandom>;

// Syllables, combined at random; the results sound Thai and name nobody in particular.
const FIRST_START = ['สม', 'บุญ', 'ประ', 'สุ', 'วิ', 'ธนา', 'อนุ', 'กิตติ', 'ณัฐ', 'ทอง', 'ศรี', 'อรุณ', 'จันทร์', 'พัชร', 'ชุติ'];
const FIRST_END_MALE = ['ชาย', 'ศักดิ์', 'ชัย', 'พงษ์', 'เดช', 'วุฒิ', 'กร', 'พล'];
const FIRST_END_FEMALE = ['พร', 'ทิพย์', 'วรรณ', 'นภา', 'รัตน์', 'มาลี', 'ฤดี', 'ลักษณ์'];
const LAST_PARTS = [
  'แก้ว',
  'ทอง',
  'ศรี',
  'บุญ',
  'สุข',
  'มั่น',
  'เจริญ',
  'รุ่ง',
  'ใจ',
  'ดี',
  'สว่าง',
  'วงศ์',
  'อินทร์',
  'คำ',
  'มณี',
  'พันธ์',
  'เรือง',
  'สกุล'
];

interface Place {
  province: string;
  district: string;
  subdistrict: string;
  postcode: string;
  urban: boolean;
}
const PLACES: Record<string, Place[]> = {
  'bkk-prison': [
    { province: 'กรุงเทพมหานคร', district: 'จตุจักร', subdistrict: 'ลาดยาว', postcode: '10900', urban: true },
    { province: 'กรุงเทพมหานคร', district: 'บางเขน', subdistrict: 'อนุสาวรีย์', postcode: '10220', urban: true },
    { province: 'กรุงเทพมหานคร', district: 'ห้วยขวาง', subdistrict: 'ห้วยขวาง', postcode: '10310', urban: true },
    { province: 'นนทบุรี', district: 'ปากเกร็ด', subdistrict: 'บางตลาด', postcode: '11120', urban: false },
    { province: 'ปทุมธานี', district: 'ธัญบุรี', subdistrict: 'ประชาธิปัตย์', postcode: '12130', urban: false },
    { province: 'ขอนแก่น', district: 'เมืองขอนแก่น', subdistrict: 'ในเมือง', postcode: '40000', urban: false }
  ],
  'lampang-probation': [
    { province: 'ลำปาง', district: 'เมืองลำปาง', subdistrict: 'สบตุ๋ย', postcode: '52100', urban: false },
    { province: 'ลำปาง', district: 'เกาะคา', subdistrict: 'ศาลา', postcode: '52130', urban: false },
    { province: 'ลำปาง', district: 'แจ้ห่ม', subdistrict: 'แจ้ห่ม', postcode: '52120', urban: false },
    { province: 'ลำพูน', district: 'เมืองลำพูน', subdistrict: 'ในเมือง', postcode: '51000', urban: false },
    { province: 'พะเยา', district: 'เมืองพะเยา', subdistrict: 'เวียง', postcode: '56000', urban: false }
  ]
};

const OFFENCES = ['ลักทรัพย์', 'มีเมทแอมเฟตามีนไว้ในครอบครอง', 'ทำร้ายร่างกาย', 'ฉ้อโกง', 'บุกรุก', 'เสพยาเสพติดให้โทษ', 'ขับรถขณะเมาสุรา'];
const TRAININGS = ['หลักสูตรช่างตัดผมชาย', 'หลักสูตรช่างเชื่อม', 'หลักสูตรประกอบอาหาร', 'หลักสูตรช่างซ่อมรถจักรยานยนต์'];
const TRADES = ['ขายอาหารตามสั่ง', 'ขายกาแฟ', 'ซ่อมรถจักรยานยนต์', 'เลี้ยงไก่ไข่'];

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function personDoc(r: Random, unitId: string, officer: string, index: number, interviewDate: string): PersonDoc {
  const male = r.chance(0.8); // most people released from Thai prisons are men
  const firstName = r.pick(FIRST_START) + r.pick(male ? FIRST_END_MALE : FIRST_END_FEMALE);
  const lastName = r.some(LAST_PARTS, 2, 3).join('');
  const age = r.int(19, 64);
  const dateOfBirth = addDays(interviewDate, -(age * 365 + r.int(10, 300)));
  const roll = r.next();
  const nationalId: PersonDoc['nationalId'] =
    roll < 0.8
      ? {
          status: 'number',
          number: withCheckDigit(r.pick(['1', '3', '5']) + r.digits(11)),
          source: r.pick(['typed', 'card-reader'] as const)
        }
      : roll < 0.93
        ? { status: 'none', reason: 'no-civil-registration' }
        : roll < 0.97
          ? { status: 'none', reason: 'asean-national' }
          : { status: 'unknown' };
  const stamp = `${interviewDate}T02:${String(10 + (index % 50)).padStart(2, '0')}:00.000Z`;
  return {
    _id: `person:${r.uuid()}`,
    type: 'person',
    unitId,
    schemaVersion: SCHEMA_VERSION,
    createdAt: stamp,
    createdBy: officer,
    updatedAt: stamp,
    updatedBy: officer,
    prisonerId: `${unitId === 'bkk-prison' ? 'BK' : 'LP'}-2568-${String(1000 + index * 37).padStart(5, '0')}`,
    title: male ? 'mr' : r.pick(['mrs', 'miss'] as const),
    firstName,
    lastName,
    sex: male ? 'male' : 'female',
    dateOfBirth,
    nationalId
  };
}

function skillsOf(r: Random): Care01Doc['skills'] {
  const skills: Care01Doc['skills'] = [];
  for (const s of ['computer', 'typing-thai', 'typing-english', 'english'] as const) if (r.chance(0.2)) skills.push(s);
  const car = r.pick([null, null, 'car-licensed', 'car-unlicensed'] as const);
  const motorcycle = r.pick([null, 'motorcycle-licensed', 'motorcycle-unlicensed', 'motorcycle-unlicensed'] as const);
  if (car) skills.push(car);
  if (motorcycle) skills.push(motorcycle);
  return skills;
}

function care01Doc(r: Random, person: PersonDoc, interviewDate: string): Care01Doc {
  const place = r.pick(PLACES[person.unitId]);
  const needsList = HELP_NEEDS.values.filter((v) => v !== 'other');
  const wants = r.chance(0.7);
  const needs: HelpNeed[] = wants ? r.some(needsList, 1, 3) : [];
  const helped = needs.filter(() => r.chance(0.5));
  const helpGiven: Care01Doc['helpGiven'] = helped.map((need) =>
    need === 'job-info' && r.chance(0.5)
      ? { action: 'referral', detail: 'ส่งต่อสำนักงานจัดหางานจังหวัด', agencyId: 'doe', forNeed: need }
      : { action: need, detail: 'ดำเนินการแล้ว', forNeed: need }
  );
  const unmetNeeds: Care01Doc['unmetNeeds'] = needs
    .filter((n) => !helped.includes(n))
    .map((need) => ({ need, reason: 'อยู่ระหว่างประสานหน่วยงานที่เกี่ยวข้อง' }));
  const stamp = `${interviewDate}T03:00:00.000Z`;
  return {
    _id: `care01:${r.uuid()}`,
    type: 'care01',
    unitId: person.unitId,
    schemaVersion: SCHEMA_VERSION,
    createdAt: stamp,
    createdBy: person.createdBy,
    updatedAt: stamp,
    updatedBy: person.updatedBy,
    personId: person._id,
    interviewDate,
    age: ageOn(person.dateOfBirth!, interviewDate),
    offence: r.pick(OFFENCES),
    sentence: { years: r.int(0, 5), months: r.int(0, 11), days: 0 },
    sentenceEndDate: addDays(interviewDate, r.int(7, 30)),
    address: {
      houseNo: `${r.int(1, 250)}${r.chance(0.3) ? `/${r.int(1, 20)}` : ''}`,
      ...(place.urban ? {} : { moo: String(r.int(1, 12)) }),
      subdistrict: place.subdistrict,
      district: place.district,
      province: place.province,
      postcode: place.postcode
    },
    ...(r.chance(0.6) ? { phone: `0${r.pick(['6', '8', '9'])}${r.digits(8)}` } : {}),
    education: r.pick(EDUCATION_LEVELS.values.filter((v) => v !== 'other')),
    previousOccupation: r.pick(['รับจ้างทั่วไป', 'เกษตรกร', 'ค้าขาย', 'ว่างงาน']),
    skills: skillsOf(r),
    trainings: r.chance(0.4) ? r.some(TRAININGS, 1, 2) : [],
    desiredOccupations: r.some(
      DESIRED_OCCUPATIONS.values.filter((v) => v !== 'other'),
      1,
      2
    ),
    helpWanted: wants
      ? {
          choice: 'wants',
          needs,
          ...(needs.includes('capital') ? { capitalTrade: r.pick(TRADES) } : {}),
          ...(needs.includes('job-info') ? { jobPosition: 'พนักงานทั่วไป' } : {})
        }
      : { choice: 'none' },
    consent: r.chance(0.85) ? 'consents' : 'declines',
    helpGiven,
    unmetNeeds
  };
}

/** The demo people and interviews of one unit (pure: same seed and date, same documents). */
export function demoDocuments(
  unitId: string,
  count: number,
  officer: string,
  today: string,
  seed: number
): Array<PersonDoc | Care01Doc> {
  const r = seededRandom(seed);
  const docs: Array<PersonDoc | Care01Doc> = [];
  for (let i = 0; i < count; i++) {
    const interviewDate = addDays(today, -r.int(1, 60));
    const person = personDoc(r, unitId, officer, i, interviewDate);
    docs.push(person);
    if (r.chance(0.85)) docs.push(care01Doc(r, person, interviewDate));
  }
  return docs;
}

export interface DemoSummary {
  unitsCreated: number;
  usersCreated: number;
  documentsCreated: number;
}

export class DemoRefused extends Error {}

/**
 * The accounts in the store that are not demo accounts: any other name, or a demo name whose
 * password is not the published one (a real administrator called `admin`).
 */
export async function nonDemoAccounts(storage: StoragePort): Promise<string[]> {
  const { system } = await prepareStorage(storage);
  const demoNames = new Set(DEMO_USERS.map((u) => u.username));
  const others: string[] = [];
  for (const user of await allUsers(system))
    if (!demoNames.has(user.username) || !(await verifyPassword(DEMO_PASSWORD, user.passwordHash))) others.push(user.username);
  return others;
}

/**
 * Seeds whatever of the demo is absent; running it twice changes nothing. Refuses (DemoRefused)
 * a store that has real accounts: the demo accounts' password is published in the README.
 */
export async function seedDemo(storage: StoragePort, now = new Date()): Promise<DemoSummary> {
  const { system } = await prepareStorage(storage);
  const others = await nonDemoAccounts(storage);
  if (others.length > 0)
    throw new DemoRefused(
      `--demo ไม่ทำงานกับข้อมูลที่มีบัญชีผู้ใช้จริง (${others.length} บัญชี) เพราะรหัสผ่านของบัญชีสาธิตเปิดเผยอยู่ในเอกสาร ใช้ DATA_DIR ว่างสำหรับการสาธิต / ` +
        `--demo refused: this store has ${others.length} account(s) that are not demo accounts, and the demo accounts' password is published. Run the demo on an empty DATA_DIR.`
    );
  const summary: DemoSummary = { unitsCreated: 0, usersCreated: 0, documentsCreated: 0 };
  for (const unit of DEMO_UNITS) {
    if (await findUnit(system, unit.unitId)) continue;
    await createUnit(storage, unit, 'demo', 'demo data').then(
      () => summary.unitsCreated++,
      (e) => {
        if (!isConflict(e)) throw e;
      }
    );
  }
  for (const user of DEMO_USERS) {
    if (await findUser(system, user.username)) continue;
    await createUser(storage, user).then(
      () => summary.usersCreated++,
      (e) => {
        if (!isConflict(e)) throw e;
      }
    );
  }
  const today = now.toISOString().slice(0, 10);
  const plan = [
    { unitId: 'bkk-prison', count: 30, officer: 'care.officer', seed: 2569 },
    { unitId: 'lampang-probation', count: 20, officer: 'field.officer', seed: 2570 }
  ];
  for (const { unitId, count, officer, seed } of plan) {
    const db = storage.openDatabase(unitDatabaseName(unitId));
    if ((await db.info()).doc_count > 0) continue;
    const docs: Array<{ _id: string }> = demoDocuments(unitId, count, officer, today, seed);
    if (unitId === 'lampang-probation') {
      assignDemoVolunteer(docs as Array<PersonDoc | Care01Doc>);
      // A probation office also has the people's release episodes and follow-ups: its worklist.
      const people = (docs as Array<PersonDoc | Care01Doc>).filter((d): d is PersonDoc => d.type === 'person');
      docs.push(...demoFollowUps(seededRandom(seed + 1), people, officer, today));
      // A caseload over the last full fiscal year, so the supervisor's KPI screens show believable numbers.
      const caseload = generateUnit({
        unitId,
        people: DEMO_REPORT_PEOPLE,
        fiscalYear: fiscalYearOf(today) - 1,
        seed: seed + 2,
        officer,
        today,
        visitors: DEMO_REPORT_VISITORS,
        homeProvince: 'ลำปาง'
      });
      // Referrals, CARE 03 visits and assistance requests: the agencies statistic has numbers.
      docs.push(...caseload, ...generateServices(caseload, { unitId, seed: seed + 3, officer, today }));
    }
    if (unitId === 'bkk-prison') docs.push(...demoCentreVisits(docs, officer, today, seed));
    for (const doc of docs) {
      const check = checkDoc(doc, unitId);
      if (!check.ok) throw new Error(`demo document ${doc._id} is invalid: ${check.reason}`);
    }
    const rows = await db.bulkDocs(docs, { new_edits: true });
    summary.documentsCreated += rows.filter((row) => 'ok' in row).length;
    if (unitId === 'bkk-prison')
      summary.documentsCreated += await seedDemoReview(db, system, { unitId, officer, supervisor: 'supervisor', now, docs });
  }
  return summary;
}

/** The prison CARE centre's CARE 03 / 04 visits, for the review queue, CARE 02 and the workbooks. */
function demoCentreVisits(docs: Array<{ _id: string; type?: string }>, officer: string, today: string, seed: number) {
  const people = docs.filter((d) => d.type === 'person').map((d) => d._id);
  return demoVisits('bkk-prison', people, officer, today, seed + 3);
}
