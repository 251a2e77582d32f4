/**
 * Test accounts and documents for the follow-up work: a probation volunteer on top of the seeded
 * accounts of tests/helpers/server.ts, and valid follow-up reports.
 */
import { randomUUID } from 'node:crypto';
import type { FollowUpDoc } from '../../src/lib/domain/followup-schemas.ts';
import type { PersonDoc } from '../../src/lib/domain/schemas.ts';
import { createUser } from '../../sync-server/users.ts';
import { PASSWORD, UNIT_B, type TestServer } from './server.ts';

/** The seeded volunteers: two on the probation unit B, so "someone else's people" exist. */
export const VOLUNTEERS = { one: 'volunteer.one', two: 'volunteer.two' } as const;

/** Adds volunteer accounts (role `volunteer`) on `unitId` to a running test server. */
export async function seedVolunteers(
  server: TestServer,
  unitId = UNIT_B,
  names: string[] = Object.values(VOLUNTEERS)
): Promise<void> {
  await Promise.all(
    names.map((username) =>
      createUser(server.storage, {
        username,
        displayName: `Volunteer ${username}`,
        role: 'volunteer',
        units: [unitId],
        password: PASSWORD
      })
    )
  );
}

/** A valid follow-up report of `person`, recorded now, visit yesterday or today; override any field. */
export function makeFollowUp(person: PersonDoc, overrides: Partial<FollowUpDoc> = {}): FollowUpDoc {
  const now = new Date().toISOString();
  return {
    _id: `followup:${randomUUID()}`,
    type: 'followup',
    unitId: person.unitId,
    schemaVersion: person.schemaVersion,
    createdAt: now,
    createdBy: person.createdBy,
    updatedAt: now,
    updatedBy: person.updatedBy,
    personId: person._id,
    visitDate: '2026-11-01',
    recordedAt: now,
    method: 'home-visit',
    visitor: 'probation-officer',
    housing: { where: 'บ้านพี่สาว', housingType: 'family-home', stable: true },
    work: { employed: true, employment: 'employee', kindOfWork: 'รับจ้างทั่วไป' },
    monthlyIncome: 9000,
    otherDetails: 'ติดตามตามนัด',
    ...overrides
  };
}
