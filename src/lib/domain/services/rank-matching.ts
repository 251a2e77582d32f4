/**
 * Matching a person's ranked wishes to a partner's service, after the welfare-card holders'
 * development process (the welfare-card circular "การปรับปรุงแนวทางการปฏิบัติงานตามมาตรการพัฒนาคุณภาพชีวิตผู้มีบัตรสวัสดิการแห่งรัฐ", docs/domain/README.md; the person "ranks up to 3 wanted development
 * programmes"; matching goes by rank — "1st choice first; if none can be matched, ask the person
 * again"). A choice is an agency and one of its services.
 */
import { z } from 'zod';

export const MAX_RANKED_CHOICES = 3;

export const rankedChoiceSchema = z.strictObject({
  agencyId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  serviceId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
});
export type RankedChoice = z.infer<typeof rankedChoiceSchema>;

/** Up to three choices, first = most wanted, no choice twice. */
export const rankedChoicesSchema = z
  .array(rankedChoiceSchema)
  .max(MAX_RANKED_CHOICES, { message: 'เลือกได้ไม่เกิน 3 อันดับ / at most 3 ranked choices' })
  .refine((list) => new Set(list.map((c) => `${c.agencyId}/${c.serviceId}`)).size === list.length, {
    message: 'เลือกซ้ำกัน / the same choice twice'
  });

export type MatchResult =
  | { outcome: 'matched'; choice: RankedChoice; rank: number }
  /** Nothing could be matched (or nothing was chosen): ask the person for new choices. */
  | { outcome: 'ask-again'; reasons: Array<{ rank: number; reason: string }> };

/**
 * The first choice, by rank, that `availability` says can be met; `availability` answers null
 * when it can, or the reason it cannot (retired from the catalog, no place, not in the area …).
 */
export function matchByRank(
  choices: readonly RankedChoice[],
  availability: (choice: RankedChoice) => string | null
): MatchResult {
  const checked = rankedChoicesSchema.safeParse(choices);
  if (!checked.success) throw new RangeError(checked.error.issues[0].message);
  const reasons: Array<{ rank: number; reason: string }> = [];
  for (const [i, choice] of choices.entries()) {
    const reason = availability(choice);
    if (reason === null) return { outcome: 'matched', choice, rank: i + 1 };
    reasons.push({ rank: i + 1, reason });
  }
  return { outcome: 'ask-again', reasons };
}
