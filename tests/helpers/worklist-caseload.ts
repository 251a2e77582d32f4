/**
 * A synthetic probation office for measuring the caseload worklist on the device: people with one
 * release each (some supervisions already over), 0–4 follow-ups each and a non-compliance event
 * for every tenth, as the rows of the tablet's projection (local-db.ts). Deterministic (a fixed
 * seed), so every run and every machine measures the same data. Used by the worklist step of
 * `npm run bench` and the worklist speed test in tests/e2e.
 */
import type { EpisodeRow, FollowUpRow, NonComplianceRow, PersonRow } from '../../src/lib/client/local-db.ts';

export interface WorklistCaseload {
  people: PersonRow[];
  episodes: Array<EpisodeRow & { releaseType: string; electronicMonitoring: boolean }>;
  followups: Array<FollowUpRow & { episodeId: string; abnormalSituation: boolean }>;
  noncompliance: Array<NonComplianceRow & { actions: { kind: string; on: string }[] }>;
}

const LEVELS = ['strict', 'moderate', 'lenient'];
const METHODS = ['home-visit', 'workplace-visit', 'phone', 'electronic', 'other-visit'];
const VISITORS = ['probation-officer', 'volunteer', 'community-network', 'community-leader'];

/** Ids are uuids whose first group is the kind (1 person, 2 episode, 3 follow-up, 4 event). */
const uuidOf = (kind: number, i: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** `count` people of `unitId`, dated around `today` (yyyy-mm-dd). */
export function worklistCaseload(unitId: string, today: string, count: number): WorklistCaseload {
  const base = Date.parse(`${today}T00:00:00Z`);
  const day = (offset: number) => new Date(base + offset * 86_400_000).toISOString().slice(0, 10);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const data: WorklistCaseload = { people: [], episodes: [], followups: [], noncompliance: [] };
  for (let i = 0; i < count; i++) {
    const personId = `person:${uuidOf(1, i)}`;
    data.people.push({
      id: personId,
      unitId,
      prisonerId: `W-${i}`,
      name: `คนที่ ${i}`,
      nationalId: '',
      searchText: '',
      updatedAt: today,
      interviewCount: 1,
      complete: true,
      missingCount: 0,
      area: `หมู่ ${1 + (i % 12)} ต.สบตุ๋ย อ.เมืองลำปาง`
    });
    const start = Math.floor(rnd() * -700); // some supervisions already ended (post-supervision rows)
    const length = 90 + Math.floor(rnd() * 700);
    const episodeId = `episode:${uuidOf(2, i)}`;
    data.episodes.push({
      id: episodeId,
      unitId,
      personId,
      releaseType: rnd() < 0.7 ? 'parole' : 'sentence-reduction',
      releaseDate: day(start),
      supervisionStart: day(start),
      supervisionEnd: day(start + length),
      classificationLevel: LEVELS[i % 3],
      conditionsAcknowledged: rnd() < 0.95,
      electronicMonitoring: false
    });
    const visits = Math.floor(rnd() * 5);
    for (let v = 0; v < visits; v++) {
      const visitDate = day(Math.min(0, start + Math.floor(rnd() * length)));
      data.followups.push({
        id: `followup:${uuidOf(3, i * 8 + v)}`,
        unitId,
        personId,
        episodeId,
        visitDate,
        recordedAt: `${visitDate}T03:00:00.000Z`,
        method: METHODS[Math.floor(rnd() * METHODS.length)],
        visitor: VISITORS[Math.floor(rnd() * VISITORS.length)],
        abnormalSituation: rnd() < 0.05
      });
    }
    if (i % 10 === 0)
      data.noncompliance.push({
        id: `noncompliance:${uuidOf(4, i)}`,
        unitId,
        personId,
        kind: rnd() < 0.5 ? 'missed-appointment' : 'conditions-not-acknowledged',
        occurredOn: day(-Math.floor(rnd() * 60)),
        actions: rnd() < 0.5 ? [] : [{ kind: 'warning', on: day(-1) }]
      });
  }
  return data;
}
