/**
 * Demo release episodes, follow-up reports and non-compliance events for a probation office, so
 * that `npm run demo` opens the field officer on a worklist with something in every bucket:
 * people overdue for their supervision standard, some due soon, some met, a missed appointment
 * waiting for action. Dates are relative to the day the demo is seeded; nothing is real.
 */
import type { PersonDoc } from '../src/lib/domain/schemas.ts';
import { SCHEMA_VERSION } from '../src/lib/domain/schemas.ts';
import type { EpisodeDoc, FollowUpDoc, NonComplianceDoc } from '../src/lib/domain/followup-schemas.ts';
import type { Random } from './demo.ts';

export type DemoFollowUpDoc = EpisodeDoc | FollowUpDoc | NonComplianceDoc;

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const KINDS_OF_WORK = ['รับจ้างทั่วไป', 'ทำนา', 'ช่างซ่อมรถจักรยานยนต์', 'ขายของในตลาด', 'ก่อสร้าง'];

export function demoFollowUps(r: Random, people: PersonDoc[], officer: string, today: string): DemoFollowUpDoc[] {
  const docs: DemoFollowUpDoc[] = [];
  const meta = (id: string, at: string, by = officer) => ({
    _id: id,
    unitId: people[0]?.unitId ?? '',
    schemaVersion: SCHEMA_VERSION as typeof SCHEMA_VERSION,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by
  });
  people.forEach((person, i) => {
    // Released between 3 weeks and 10 months ago; supervised for 6 months to 2 years.
    const releaseDate = addDays(today, -r.int(20, 300));
    const supervisionEnd = addDays(releaseDate, r.pick([183, 365, 730]));
    const level = r.pick(['strict', 'moderate', 'lenient'] as const);
    const acknowledged = i % 9 !== 8; // a few never came to acknowledge their conditions
    const episodeId = `episode:${r.uuid()}`;
    const stamp = `${releaseDate}T03:00:00.000Z`;
    docs.push({
      ...meta(episodeId, stamp),
      type: 'episode',
      personId: person._id,
      releaseType: r.pick(['parole', 'parole', 'sentence-reduction', 'sentence-completed'] as const),
      releaseDate,
      supervisionStart: releaseDate,
      supervisionEnd,
      classificationLevel: level,
      classifiedOn: releaseDate,
      caseReceivedOn: releaseDate,
      conditionsAcknowledged: acknowledged,
      ...(acknowledged ? { conditionsAcknowledgedOn: addDays(releaseDate, r.int(0, 5)) } : {}),
      electronicMonitoring: r.chance(0.15)
    });
    if (!acknowledged) {
      docs.push({
        ...meta(`noncompliance:${r.uuid()}`, stamp),
        type: 'noncompliance',
        personId: person._id,
        episodeId,
        kind: 'conditions-not-acknowledged',
        occurredOn: releaseDate,
        actions: []
      });
      return;
    }
    // 0–3 visits so far, the latest a few days ago at most.
    const daysSoFar = Math.max(1, Math.round((Date.parse(today) - Date.parse(releaseDate)) / 86_400_000));
    for (let v = r.int(0, 3); v > 0; v--) {
      const visitDate = addDays(releaseDate, r.int(1, daysSoFar - 1 || 1));
      if (visitDate > today) continue;
      const byVolunteer = person.assignedVolunteers?.includes('volunteer') && r.chance(0.5);
      const recordedAt = `${visitDate}T${String(r.int(2, 10)).padStart(2, '0')}:15:00.000Z`;
      const employed = r.chance(0.6);
      docs.push({
        ...meta(`followup:${r.uuid()}`, recordedAt, byVolunteer ? 'volunteer' : officer),
        type: 'followup',
        personId: person._id,
        episodeId,
        visitDate,
        recordedAt,
        method: byVolunteer ? 'home-visit' : r.pick(['home-visit', 'workplace-visit', 'phone'] as const),
        visitor: byVolunteer ? 'volunteer' : 'probation-officer',
        housing: {
          withWhom: r.pick(['บิดามารดา', 'ภรรยาและบุตร', 'พี่น้อง']),
          housingType: r.pick(['family-home', 'own-home', 'rented'] as const),
          stable: r.chance(0.8)
        },
        familyRelations: r.pick(['ครอบครัวให้การยอมรับ', 'ความสัมพันธ์ดีขึ้น', 'ยังห่างเหินกับครอบครัว']),
        work: employed
          ? { employed: true, employment: r.pick(['employee', 'own-business'] as const), kindOfWork: r.pick(KINDS_OF_WORK) }
          : { employed: false },
        ...(employed ? { monthlyIncome: r.int(4, 15) * 1000 } : {})
      });
    }
    // One in seven missed an appointment recently.
    if (i % 7 === 3) {
      docs.push({
        ...meta(`noncompliance:${r.uuid()}`, `${today}T01:00:00.000Z`),
        type: 'noncompliance',
        personId: person._id,
        episodeId,
        kind: 'missed-appointment',
        occurredOn: addDays(today, -r.int(2, 12)),
        actions: []
      });
    }
  });
  return docs;
}
