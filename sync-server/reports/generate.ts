/**
 * Large synthetic datasets for the reports: people of a probation office with release /
 * supervision episodes, follow-up reports (work and income), vocational training and
 * non-compliance events spread over a fiscal year and the one before it, with a house-registration
 * area and workplace locations (generate-places.ts, drawn from a second random stream so the
 * KPI data of a seed stays as it was). Shared by the
 * integration tests, the benchmark and the demo. Deterministic for a seed; every document passes
 * the shared schemas; nothing is real (names are random syllables, national IDs "unknown").
 */
import { addDays, fiscalYearRange } from '../../src/lib/domain/calendar.ts';
import { SCHEMA_VERSION, type PersonDoc } from '../../src/lib/domain/schemas.ts';
import type { EpisodeDoc, FollowUpDoc, NonComplianceDoc } from '../../src/lib/domain/followup-schemas.ts';
import { seededRandom, type Random } from '../demo.ts';
import { homeProvinceOf, near, pickPlace } from './generate-places.ts';

export type GeneratedDoc = PersonDoc | EpisodeDoc | FollowUpDoc | NonComplianceDoc;

export interface GenerateOptions {
  unitId: string;
  people: number;
  /** The fiscal year (BE) the reports look at; supervisions start from the year before it. */
  fiscalYear: number;
  seed: number;
  officer?: string;
  /** Nothing is dated after this day (a demo seeded today has no visits in the future). */
  today?: string;
  /** Who makes the visits (default: officers, volunteers, the network and community leaders). */
  visitors?: ReadonlyArray<(typeof VISITORS)[number]>;
  /** The province most people live in (default: chosen from the unit id). */
  homeProvince?: string;
}

const FIRST = ['สม', 'บุญ', 'ประ', 'สุ', 'วิ', 'ธนา', 'อนุ', 'กิตติ', 'ณัฐ', 'ทอง', 'ศรี', 'อรุณ'];
const FIRST_END = ['ชาย', 'ศักดิ์', 'พงษ์', 'วุฒิ', 'เดช', 'ชัย', 'พร', 'ศรี', 'มณี', 'รัตน์'];
const LAST = ['แก้ว', 'ทอง', 'สุข', 'ใจ', 'ดี', 'มั่น', 'คง', 'เจริญ', 'พันธ์', 'วงศ์', 'ศรี', 'สมบูรณ์'];
const VISITORS = ['probation-officer', 'volunteer', 'volunteer', 'community-network', 'community-leader'] as const;
const METHODS = ['home-visit', 'home-visit', 'workplace-visit', 'other-visit', 'phone', 'letter', 'electronic'] as const;
const COURSES = ['หลักสูตรช่างเชื่อม', 'หลักสูตรประกอบอาหาร', 'หลักสูตรช่างซ่อมรถจักรยานยนต์', 'หลักสูตรนวดแผนไทย'];

/** All documents of one unit, people first. */
export function generateUnit(o: GenerateOptions): GeneratedDoc[] {
  const docs: GeneratedDoc[] = [];
  for (const personDocs of generatePeople(o)) docs.push(...personDocs);
  return docs;
}

/** The same, one person's documents at a time (for stores filled in batches). */
export function* generatePeople(o: GenerateOptions): Generator<GeneratedDoc[]> {
  const r = seededRandom(o.seed);
  const geo = seededRandom(o.seed + 7919);
  const officer = o.officer ?? 'field.officer';
  const previous = fiscalYearRange(o.fiscalYear - 1);
  const current = fiscalYearRange(o.fiscalYear);
  // Supervisions start from a year and a half before the fiscal year to its end, so some end in
  // the previous year (post-supervision KPI) and many are new cases of this one.
  const firstStart = addDays(previous.start, -180);
  const span = Math.round((Date.parse(current.end) - Date.parse(firstStart)) / 86_400_000);
  const last = o.today && o.today < current.end ? o.today : current.end;
  const lastStart = Math.round((Date.parse(last) - Date.parse(firstStart)) / 86_400_000);
  for (let i = 0; i < o.people; i++)
    yield personDocs(r, geo, o, officer, i, addDays(firstStart, r.int(0, Math.min(span, lastStart))));
}

function personDocs(r: Random, geo: Random, o: GenerateOptions, officer: string, i: number, start: string): GeneratedDoc[] {
  const unitId = o.unitId;
  const visitors = o.visitors ?? VISITORS;
  const notAfterToday = (day: string) => !o.today || day <= o.today;
  const stamp = `${start}T03:00:00.000Z`;
  const meta = (id: string, at = stamp) => ({
    _id: id,
    unitId,
    schemaVersion: SCHEMA_VERSION as typeof SCHEMA_VERSION,
    createdAt: at,
    createdBy: officer,
    updatedAt: at,
    updatedBy: officer
  });
  const male = r.chance(0.85);
  const length = r.pick([120, 179, 180, 183, 365, 365, 730]);
  const end = addDays(start, length - 1);
  const personId = `person:${r.uuid()}`;
  const jobless = r.chance(0.55);
  const training =
    jobless && r.chance(0.6)
      ? [{ id: r.uuid(), course: r.pick(COURSES), completedOn: addDays(start, r.int(10, 200)), hours: r.int(6, 60) }]
      : [];
  // One in twenty has no address recorded.
  const place = geo.chance(0.95) ? pickPlace(geo, homeProvinceOf(unitId, o.homeProvince)) : undefined;
  const person: PersonDoc = {
    ...meta(personId),
    type: 'person',
    prisonerId: `G-${unitId.slice(0, 6)}-${String(i).padStart(6, '0')}`,
    title: male ? 'mr' : r.pick(['mrs', 'miss'] as const),
    firstName: r.pick(FIRST) + r.pick(FIRST_END),
    lastName: r.pick(LAST) + r.pick(LAST),
    sex: male ? 'male' : 'female',
    dateOfBirth: addDays(start, -r.int(r.chance(0.03) ? 15 * 365 : 19 * 365, 60 * 365)),
    nationalId: { status: 'unknown' },
    releaseType: 'parole',
    ...(place && { registeredAddress: { district: place.district, province: place.province } }),
    ...(training.length > 0 && { trainingRecords: training })
  };
  const acknowledged = r.chance(0.93);
  const episodeId = `episode:${r.uuid()}`;
  const episode: EpisodeDoc = {
    ...meta(episodeId),
    type: 'episode',
    personId,
    releaseType: r.pick(['parole', 'parole', 'sentence-reduction', 'sentence-completed'] as const),
    releaseDate: addDays(start, -1),
    supervisionStart: start,
    supervisionEnd: end,
    ...(r.chance(0.95) && {
      classificationLevel: r.pick(['strict', 'moderate', 'lenient'] as const),
      classifiedOn: addDays(start, r.int(0, 7))
    }),
    caseReceivedOn: start,
    conditionsAcknowledged: acknowledged,
    ...(acknowledged && { conditionsAcknowledgedOn: addDays(start, r.int(0, 5)) }),
    electronicMonitoring: r.chance(0.15)
  };
  const docs: GeneratedDoc[] = [person, episode];
  // Follow-ups during supervision and in the year after it.
  const visits = r.int(0, 4);
  for (let v = 0; v < visits; v++) {
    const visitDate = addDays(start, r.int(0, length + 300));
    const visitor = r.pick(visitors);
    if (!notAfterToday(visitDate)) continue;
    const employed = v === 0 ? !jobless : r.chance(0.6);
    docs.push({
      ...meta(`followup:${r.uuid()}`, `${visitDate}T05:00:00.000Z`),
      type: 'followup',
      personId,
      episodeId,
      visitDate,
      recordedAt: `${visitDate}T05:00:00.000Z`,
      method: visitor === 'probation-officer' ? r.pick(METHODS) : r.pick(METHODS.slice(0, 4)),
      visitor,
      ...(r.chance(0.05) && { abnormalSituation: true }),
      housing: { stable: r.chance(0.8) },
      work: { employed },
      monthlyIncome: employed ? r.pick([3000, 5000, 5999, 6000, 9000, 12000]) : r.pick([0, 0, 1500]),
      // Most visits to someone at work locate the workplace, near where they live.
      ...(employed &&
        geo.chance(0.6) && {
          workplaceLocation: {
            ...near(geo, place ?? pickPlace(geo, homeProvinceOf(unitId, o.homeProvince))),
            source: 'gps' as const,
            accuracyM: geo.int(5, 60),
            capturedAt: `${visitDate}T05:00:00.000Z`
          }
        })
    });
  }
  const occurredOn = addDays(start, acknowledged ? r.int(20, Math.max(21, length - 1)) : 0);
  if (r.chance(0.2) && notAfterToday(occurredOn)) {
    const delay = r.pick([null, 3, 10, 14, 21, 25, 33]);
    const noncompliance: NonComplianceDoc = {
      ...meta(`noncompliance:${r.uuid()}`, `${occurredOn}T04:00:00.000Z`),
      type: 'noncompliance',
      personId,
      episodeId,
      kind: acknowledged ? 'missed-appointment' : 'conditions-not-acknowledged',
      occurredOn,
      actions:
        delay === null || !notAfterToday(addDays(occurredOn, delay))
          ? []
          : [{ kind: r.pick(['record-check', 'warning', 'tracking'] as const), on: addDays(occurredOn, delay) }]
    };
    docs.push(noncompliance);
  }
  return docs;
}
