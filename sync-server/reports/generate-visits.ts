/**
 * Synthetic CARE 03 / CARE 04 visits for a CARE centre's people: prisoners and released people
 * who came to the centre, and relatives who came on a prisoner's behalf, spread over the days
 * given. Shared by the integration tests, the benchmark and the demo; deterministic for a seed;
 * every document passes the shared schemas; nothing is real (relatives' names are syllables).
 */
import { SCHEMA_VERSION } from '../../src/lib/domain/schemas.ts';
import { SERVICE_KINDS, type Care03Doc, type Care04Doc, type ServiceKind } from '../../src/lib/domain/services/care-visits.ts';
import { RELATIONSHIPS, TITLES } from '../../src/lib/domain/options.ts';
import { seededRandom } from '../demo.ts';

export interface GenerateVisitsOptions {
  unitId: string;
  personIds: readonly string[];
  /** Visits per person, on average (some come several times, many never). */
  perPerson: number;
  /** Visits fall on days from `from` to `to` (YYYY-MM-DD), both included. */
  from: string;
  to: string;
  seed: number;
  officer?: string;
  /** Share of visits that are relatives' (CARE 04). */
  relativeShare?: number;
}

const FIRST = ['สม', 'บุญ', 'มาลี', 'สุ', 'วิ', 'ทอง', 'ศรี', 'จันทร์', 'อรุณ', 'ประ'];
const FIRST_END = ['ใจ', 'ศรี', 'พร', 'มณี', 'รัตน์', 'ชัย', 'เพ็ญ', 'นา'];
const LAST = ['แก้ว', 'ทอง', 'สุข', 'ใจดี', 'มั่นคง', 'เจริญ', 'วงศ์', 'สมบูรณ์'];
// Referrals are recorded through the referral form (they need the person's consent), not here.
const KINDS = SERVICE_KINDS.values.filter((k) => k !== 'referral');
const RESULTS = [
  'ให้ข้อมูลตำแหน่งงานว่างและนัดสัมภาษณ์งาน',
  'แนะนำแหล่งทุนประกอบอาชีพ',
  'ประสานที่พักชั่วคราวหลังพ้นโทษ',
  'ให้คำปรึกษาเรื่องครอบครัว',
  'มอบค่าพาหนะกลับภูมิลำเนา',
  'แนะนำการรักษาพยาบาลตามสิทธิ'
];

const dayOf = (from: string, offset: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

export function generateCareVisits(o: GenerateVisitsOptions): Array<Care03Doc | Care04Doc> {
  const r = seededRandom(o.seed);
  const officer = o.officer ?? 'care.officer';
  const span = Math.round((Date.parse(o.to) - Date.parse(o.from)) / 86_400_000);
  const docs: Array<Care03Doc | Care04Doc> = [];
  const total = Math.round(o.personIds.length * o.perPerson);
  for (let i = 0; i < total; i++) {
    const personId = r.pick(o.personIds);
    const visitDate = dayOf(o.from, r.int(0, span));
    // Recorded the same day, during office hours in Thailand (UTC+7).
    const recordedAt = `${visitDate}T0${r.int(2, 8)}:${String(r.int(0, 59)).padStart(2, '0')}:00.000Z`;
    const services = r.some(KINDS, 1, 3) as ServiceKind[];
    const base = {
      unitId: o.unitId,
      schemaVersion: SCHEMA_VERSION as typeof SCHEMA_VERSION,
      createdAt: recordedAt,
      createdBy: officer,
      updatedAt: recordedAt,
      updatedBy: officer,
      personId,
      visitDate,
      recordedAt,
      servedBy: officer,
      ...(r.chance(0.7) && { servedByName: 'เจ้าหน้าที่ศูนย์ CARE' }),
      services,
      ...(services.includes('other') && { serviceOther: 'ช่วยติดต่อญาติ' }),
      result: r.pick(RESULTS)
    };
    if (r.chance(o.relativeShare ?? 0.3)) {
      const relationship = r.pick(RELATIONSHIPS.values);
      docs.push({
        ...base,
        _id: `care04:${r.uuid()}`,
        type: 'care04',
        relative: {
          ...(r.chance(0.8) && { title: r.pick(TITLES.values.filter((t) => t !== 'other')) }),
          firstName: r.pick(FIRST) + r.pick(FIRST_END),
          lastName: r.pick(LAST),
          relationship,
          ...(relationship === 'other' && { relationshipOther: 'เพื่อนบ้าน' }),
          ...(r.chance(0.6) && { phone: `08${r.digits(8)}` })
        }
      });
    } else
      docs.push({ ...base, _id: `care03:${r.uuid()}`, type: 'care03', clientStatus: r.chance(0.7) ? 'prisoner' : 'released' });
  }
  return docs;
}
