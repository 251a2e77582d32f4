/**
 * Synthetic CARE documents for the benchmark: the test factories (tests/helpers/server.ts) with
 * varied Thai names, ages and dates, so the store and the search index see realistic spread
 * instead of ten thousand copies of one record. Nothing here is real personal data.
 */
import { randomBytes } from 'node:crypto';
import type { Care01Doc, PersonDoc } from '../src/lib/domain/schemas.ts';
import { makeCare01, makePerson } from '../tests/helpers/server.ts';

const FIRST_NAMES = [
  'สมชาย',
  'สมศักดิ์',
  'วิชัย',
  'ประเสริฐ',
  'สุรชัย',
  'อนุชา',
  'ธนากร',
  'กิตติพงษ์',
  'ณัฐวุฒิ',
  'พงศกร',
  'สมหญิง',
  'มาลี',
  'สุนีย์',
  'วรรณา',
  'กัญญา',
  'ปวีณา',
  'ศิริพร',
  'อรุณี',
  'จันทร์เพ็ญ',
  'ทองดี'
];
const LAST_NAMES = [
  'ใจดี',
  'ศรีสุข',
  'แก้วมณี',
  'บุญมา',
  'ทองคำ',
  'สายสุวรรณ',
  'พรหมวงศ์',
  'จันทร์แก้ว',
  'มีสุข',
  'รักไทย',
  'วงศ์ใหญ่',
  'เพชรรัตน์',
  'ปัญญาดี',
  'สุขเกษม',
  'อินทร์แก้ว',
  'คำแสน',
  'ดวงดี',
  'นาคสวัสดิ์',
  'บุญเรือง',
  'ชัยมงคล'
];
const OFFENCES = ['ลักทรัพย์', 'ยาเสพติดให้โทษ', 'ทำร้ายร่างกาย', 'ฉ้อโกง', 'บุกรุก'];
const PROVINCES = [
  { subdistrict: 'สบตุ๋ย', district: 'เมืองลำปาง', province: 'ลำปาง', postcode: '52100' },
  { subdistrict: 'บางซื่อ', district: 'บางซื่อ', province: 'กรุงเทพมหานคร', postcode: '10800' },
  { subdistrict: 'ช้างเผือก', district: 'เมืองเชียงใหม่', province: 'เชียงใหม่', postcode: '50300' },
  { subdistrict: 'ในเมือง', district: 'เมืองขอนแก่น', province: 'ขอนแก่น', postcode: '40000' }
];

/** The i-th synthetic person of a unit: the name repeats every 400, the number makes it unique. */
export function benchPerson(unitId: string, i: number, createdBy: string): PersonDoc {
  const female = i % 20 >= 10;
  return makePerson(unitId, {
    createdBy,
    updatedBy: createdBy,
    title: female ? 'mrs' : 'mr',
    sex: female ? 'female' : 'male',
    firstName: FIRST_NAMES[i % FIRST_NAMES.length],
    lastName: `${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}${Math.floor(i / 400) || ''}`,
    dateOfBirth: `${1960 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`
  });
}

export function benchCare01(person: PersonDoc, i: number): Care01Doc {
  return makeCare01(person, {
    age: 2026 - Number(person.dateOfBirth!.slice(0, 4)),
    offence: OFFENCES[i % OFFENCES.length],
    sentence: { years: i % 7, months: i % 12, days: 0 },
    address: { houseNo: `${1 + (i % 300)}/${1 + (i % 9)}`, moo: String(1 + (i % 12)), ...PROVINCES[i % PROVINCES.length] },
    interviewDate: `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`
  });
}

/** `count` documents: people only, or alternating person + CARE 01 (half each). */
export function unitDocuments(
  unitId: string,
  count: number,
  createdBy: string,
  withInterviews: boolean
): Array<PersonDoc | Care01Doc> {
  const docs: Array<PersonDoc | Care01Doc> = [];
  const people = withInterviews ? Math.ceil(count / 2) : count;
  for (let i = 0; i < people && docs.length < count; i++) {
    const person = benchPerson(unitId, i, createdBy);
    docs.push(person);
    if (withInterviews && docs.length < count) docs.push(benchCare01(person, i));
  }
  return docs;
}

/**
 * The document as a tablet's replicator sends it (`new_edits: false`): a first revision made
 * on the device, with its `_revisions` history.
 */
export function asReplicatedRevision<T extends { _id: string }>(
  doc: T
): T & { _rev: string; _revisions: { start: number; ids: string[] } } {
  const hash = randomBytes(16).toString('hex');
  return { ...doc, _rev: `1-${hash}`, _revisions: { start: 1, ids: [hash] } };
}
