/**
 * Release hand-over (docs/domain/people-and-roles.md, "A person moves": the prison that interviewed a person
 * is not the probation office that follows them after release; "handing a person over from one
 * unit to another must keep the whole history").
 *
 * Who owns what after the hand-over (the rule both units and the server keep):
 * - Every document stays owned by the unit that wrote it (`unitId`). The receiving office gets
 *   exact copies (same id, same revision history) of the sending unit's documents of the person —
 *   CARE 01, CARE 03/04, referrals, consent, episodes, follow-ups, photo — and can never change
 *   them: the write gate refuses a document whose `unitId` is another unit.
 * - The person document passes to the receiving office: its copy gets one new revision with the
 *   receiver's `unitId`, so the office keeps the person's details up to date from then on.
 * - The sending unit keeps its own history read-only: after the hand-over its server refuses any
 *   new or changed document of that person in the sending unit, so the copies the office holds
 *   can never drift from the originals.
 * - A third unit receives nothing.
 * The hand-over record (`handover:<person uuid>`) is written by the server in both units; clients
 * cannot write one. A person is handed over from a unit once.
 */
import { z } from 'zod';
import { docMeta, isoDate, PERSON_ID, requiredText, UNIT_ID, username, UUID } from '../schemas.ts';
import { consentBasisSchema } from './consent.ts';

export const HANDOVER_ID = new RegExp(`^handover:${UUID}$`);
export const handoverIdOf = (personId: string) => `handover:${personId.slice('person:'.length)}`;

/** Enough for years of records of one person; the copy refuses more rather than cut silently. */
export const MAX_HANDOVER_DOCS = 2000;

/** What an officer sends to hand a person over. */
export const handoverRequestSchema = z.strictObject({
  personId: z.string().regex(PERSON_ID, { message: 'personId must be a person id' }),
  fromUnitId: z.string().regex(UNIT_ID, { message: 'not a valid unit id' }),
  toUnitId: z.string().regex(UNIT_ID, { message: 'ต้องเลือกสำนักงานคุมประพฤติที่รับ / pick the receiving probation office' }),
  releasedOn: isoDate,
  reason: requiredText(500),
  consent: consentBasisSchema
});
export type HandoverRequest = z.infer<typeof handoverRequestSchema>;

export const handoverSchema = z.strictObject({
  ...docMeta,
  _id: z.string().regex(HANDOVER_ID, { message: 'hand-over ids look like handover:<person uuid>' }),
  type: z.literal('handover'),
  personId: z.string().regex(PERSON_ID),
  fromUnitId: z.string().regex(UNIT_ID),
  toUnitId: z.string().regex(UNIT_ID),
  releasedOn: isoDate,
  reason: requiredText(500),
  consent: consentBasisSchema,
  handedOverBy: username,
  /** The ids copied to the receiving office (the person's own document first). */
  documentIds: z.array(z.string().max(100)).max(MAX_HANDOVER_DOCS)
});
export type HandoverDoc = z.infer<typeof handoverSchema>;

/** Why a hand-over request cannot be made between these units, or null. */
export function handoverUnitsProblem(fromUnitId: string, toUnit: { unitId: string; kind: string } | null): string | null {
  if (!toUnit) return 'ไม่พบหน่วยงานที่รับ / the receiving unit does not exist';
  if (toUnit.unitId === fromUnitId) return 'ส่งต่อให้หน่วยงานเดียวกันไม่ได้ / a person cannot be handed over to the same unit';
  if (toUnit.kind !== 'probation-office')
    return 'รับได้เฉพาะสำนักงานคุมประพฤติ / only a probation office can receive a released person';
  return null;
}

/** The sending unit's refusal for any later write about a person it handed over. */
export const HANDED_OVER_REASON = (toUnitId: string) =>
  `บุคคลนี้ส่งต่อให้ ${toUnitId} แล้ว ประวัติของหน่วยงานนี้อ่านได้อย่างเดียว / this person was handed over to ${toUnitId}: this unit's records of them are read-only`;
