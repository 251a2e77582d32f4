/**
 * Consent before a person's data leaves the unit (issue "From needs to help", Consent): sharing
 * with an agency, referring, or handing over needs the consent recorded on CARE 01 (item
 * "ยินยอมเปิดเผยข้อมูล" — consents to disclosure) or a consent record with date and signature.
 * The same rule runs on the tablet before saving and on the server for every referral.
 */
import { z } from 'zod';
import { options } from '../options.ts';
import { docMeta, isoDate, PERSON_ID, text, uniqueArray, UUID, CARE01_ID } from '../schemas.ts';

export const CONSENT_ID = new RegExp(`^consent:${UUID}$`);

export const CONSENT_ACTIONS = options([
  { value: 'share', th: 'เปิดเผยข้อมูลให้หน่วยงานเครือข่าย', en: 'Share data with a partner agency' },
  { value: 'refer', th: 'ประสานส่งต่อหน่วยงานเครือข่าย', en: 'Refer to a partner agency' },
  { value: 'handover', th: 'ส่งต่อการดูแลให้สำนักงานคุมประพฤติ', en: 'Hand over to a probation office' }
] as const);
export type ConsentAction = (typeof CONSENT_ACTIONS.values)[number];

/** Signatures are small PNGs drawn on the touchscreen (as on CARE 01). */
const signature = z.strictObject({
  image: z
    .string()
    .max(200_000, { message: 'ลายมือชื่อใหญ่เกินไป / signature image too large' })
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, { message: 'signature must be a PNG image' }),
  printedName: text(200).min(1, { message: 'ต้องกรอก / required' })
});

export const consentSchema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(CONSENT_ID, { message: 'consent ids look like consent:<uuid>' }),
    type: z.literal('consent'),
    personId: z.string().regex(PERSON_ID, { message: 'personId must be a person id' }),
    givenOn: isoDate,
    actions: uniqueArray(z.enum(CONSENT_ACTIONS.values), 3).min(1, {
      message: 'เลือกอย่างน้อย 1 เรื่องที่ยินยอม / pick what the person consents to'
    }),
    signature,
    /** A withdrawn consent stays on record; from this day it no longer allows anything. */
    withdrawnOn: isoDate.optional()
  })
  .superRefine((c, ctx) => {
    if (c.withdrawnOn && c.withdrawnOn < c.givenOn)
      ctx.addIssue({
        code: 'custom',
        path: ['withdrawnOn'],
        message: 'วันที่ถอนความยินยอมอยู่ก่อนวันที่ให้ / withdrawn before it was given'
      });
  });
export type ConsentDoc = z.infer<typeof consentSchema>;

/** Where an action's consent is recorded: the person's CARE 01, or a consent record. */
export const consentBasisSchema = z.discriminatedUnion('basis', [
  z.strictObject({ basis: z.literal('care01'), care01Id: z.string().regex(CARE01_ID, { message: 'not an interview id' }) }),
  z.strictObject({ basis: z.literal('consent-record'), consentId: z.string().regex(CONSENT_ID, { message: 'not a consent id' }) })
]);
export type ConsentBasis = z.infer<typeof consentBasisSchema>;

/** What the rule needs of the document the basis names (a CARE 01 or a consent record). */
export type ConsentSource =
  | { type: 'care01'; _id: string; personId: string; consent?: string; interviewDate: string }
  | { type: 'consent'; _id: string; personId: string; givenOn: string; actions: readonly string[]; withdrawnOn?: string };

const NO_CONSENT = 'ไม่มีความยินยอมของบุคคล';

/**
 * Why `action` for `personId` on day `on` is not covered by the consent the basis names, or null
 * when it is. `source` is the document the basis points to, or undefined when it is not found.
 */
export function consentProblem(
  action: ConsentAction,
  personId: string,
  on: string,
  basis: ConsentBasis,
  source: ConsentSource | undefined
): string | null {
  const what = `${CONSENT_ACTIONS.label(action, 'th')} / ${CONSENT_ACTIONS.label(action, 'en').toLowerCase()}`;
  const wantedId = basis.basis === 'care01' ? basis.care01Id : basis.consentId;
  if (!source || source._id !== wantedId)
    return `${NO_CONSENT}: ไม่พบ${basis.basis === 'care01' ? 'แบบ CARE 01' : 'บันทึกความยินยอม'} / ${what} needs consent: ${wantedId} was not found`;
  if (source.personId !== personId)
    return `${NO_CONSENT}: ความยินยอมเป็นของบุคคลอื่น / ${what} needs the consent of this person, not another's`;
  if (source.type === 'care01') {
    if (basis.basis !== 'care01') return `${NO_CONSENT} / ${what} needs consent`;
    if (source.consent !== 'consents')
      return `${NO_CONSENT}: แบบ CARE 01 ไม่ได้บันทึกว่ายินยอมเปิดเผยข้อมูล / ${what} needs consent: the CARE 01 does not record "consents to disclosure"`;
    if (source.interviewDate > on) return `${NO_CONSENT}: ความยินยอมให้หลังวันที่ดำเนินการ / ${what} needs consent given before ${on}`;
    return null;
  }
  if (basis.basis !== 'consent-record') return `${NO_CONSENT} / ${what} needs consent`;
  if (!source.actions.includes(action))
    return `${NO_CONSENT}: บันทึกความยินยอมไม่ครอบคลุมเรื่องนี้ / ${what} is not among what the person consented to`;
  if (source.givenOn > on) return `${NO_CONSENT}: ความยินยอมให้หลังวันที่ดำเนินการ / ${what} needs consent given before ${on}`;
  if (source.withdrawnOn !== undefined && source.withdrawnOn <= on)
    return `${NO_CONSENT}: ถอนความยินยอมแล้ว / ${what}: the person withdrew consent on ${source.withdrawnOn}`;
  return null;
}
