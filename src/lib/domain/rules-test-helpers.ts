/**
 * Small builders for the follow-up rule tests (supervision, post-supervision, non-compliance,
 * worklist). Test-only: nothing in the app imports this file. Only the fields the rules read are
 * filled in; the rules accept these narrow shapes (Pick<> of the full documents).
 */
import type { CountableFollowUp } from './supervision.ts';
import type { NonComplianceEvent } from './non-compliance.ts';
import type { WorklistEpisode } from './worklist.ts';

export const PERSON = 'person:00000000-0000-4000-8000-000000000001';
export const OTHER_PERSON = 'person:00000000-0000-4000-8000-000000000002';
export const EPISODE = 'episode:00000000-0000-4000-8000-0000000000e1';
export const OTHER_EPISODE = 'episode:00000000-0000-4000-8000-0000000000e2';

export function personId(n: number): string {
  return `person:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function episode(overrides: Partial<WorklistEpisode> = {}): WorklistEpisode {
  return {
    _id: EPISODE,
    personId: PERSON,
    releaseType: 'parole',
    releaseDate: '2026-12-31',
    supervisionStart: '2027-01-01',
    supervisionEnd: '2027-12-31',
    classificationLevel: 'strict',
    conditionsAcknowledged: true,
    ...overrides
  };
}

export function followUp(visitDate: string, overrides: Partial<CountableFollowUp> = {}): CountableFollowUp {
  return { personId: PERSON, visitDate, method: 'home-visit', visitor: 'volunteer', ...overrides };
}

export function nonCompliance(occurredOn: string, overrides: Partial<NonComplianceEvent> = {}): NonComplianceEvent {
  return { personId: PERSON, kind: 'missed-appointment', occurredOn, actions: [], ...overrides };
}
