/**
 * A referral (ประสานส่งต่อหน่วยงานเครือข่าย, docs/domain/partner-agencies.md): one partner agency and one of its
 * services for one person, followed to its outcome. Its events only grow: sent → accepted →
 * service started → completed / not completed, or refused by the agency (from sent or accepted);
 * each with its date and the officer who recorded it. The referral names where the person's
 * consent is recorded (consent.ts); the server checks it.
 */
import { z } from 'zod';
import { options, HELP_NEEDS } from '../options.ts';
import { addDays } from '../calendar.ts';
import { docMeta, isoDate, PERSON_ID, text, username, UUID } from '../schemas.ts';
import { consentBasisSchema } from './consent.ts';

export const REFERRAL_ID = new RegExp(`^referral:${UUID}$`);

export const REFERRAL_STATUSES = options([
  { value: 'sent', th: 'ส่งต่อแล้ว', en: 'Sent' },
  { value: 'accepted', th: 'หน่วยงานรับเรื่อง', en: 'Accepted' },
  { value: 'started', th: 'เริ่มรับบริการ', en: 'Service started' },
  { value: 'completed', th: 'ได้รับบริการครบ', en: 'Completed' },
  { value: 'not-completed', th: 'ไม่สำเร็จ', en: 'Not completed' },
  { value: 'refused', th: 'หน่วยงานปฏิเสธ', en: 'Refused' }
] as const);
export type ReferralStatus = (typeof REFERRAL_STATUSES.values)[number];

/** Which status may follow which. */
export const REFERRAL_NEXT: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  sent: ['accepted', 'refused'],
  accepted: ['started', 'refused'],
  started: ['completed', 'not-completed'],
  completed: [],
  'not-completed': [],
  refused: []
};

export const isReferralClosed = (status: ReferralStatus) => REFERRAL_NEXT[status].length === 0;

const ID_PART = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const referralEventSchema = z.strictObject({
  status: z.enum(REFERRAL_STATUSES.values),
  on: isoDate,
  by: username,
  note: text(1000).optional()
});
export type ReferralEvent = z.infer<typeof referralEventSchema>;

/** Why the event list is not a path of REFERRAL_NEXT with dates in order, or null. */
export function referralEventsProblem(
  events: readonly Pick<ReferralEvent, 'status' | 'on'>[]
): { index: number; reason: string } | null {
  if (events.length === 0 || events[0].status !== 'sent')
    return { index: 0, reason: 'การส่งต่อเริ่มที่ "ส่งต่อแล้ว" / a referral starts with "sent"' };
  for (let i = 1; i < events.length; i++) {
    const from = events[i - 1].status;
    const to = events[i].status;
    if (!REFERRAL_NEXT[from].includes(to))
      return {
        index: i,
        reason: `เปลี่ยนสถานะจาก "${REFERRAL_STATUSES.label(from, 'th')}" เป็น "${REFERRAL_STATUSES.label(to, 'th')}" ไม่ได้ / a referral cannot go from ${from} to ${to}`
      };
    if (events[i].on < events[i - 1].on)
      return { index: i, reason: 'วันที่ของสถานะต้องไม่ก่อนสถานะก่อนหน้า / a status cannot be dated before the one before it' };
  }
  return null;
}

export const referralSchema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(REFERRAL_ID, { message: 'referral ids look like referral:<uuid>' }),
    type: z.literal('referral'),
    personId: z.string().regex(PERSON_ID, { message: 'personId must be a person id' }),
    /** Catalog ids (agencies.ts and the administrators' additions): kept even when the entry retires. */
    agencyId: z.string().regex(ID_PART, { message: 'ต้องเลือกหน่วยงาน / pick an agency' }),
    serviceId: z.string().regex(ID_PART, { message: "ต้องเลือกบริการของหน่วยงาน / pick one of the agency's services" }),
    /** The local office the person was sent to, when the administrators listed one. */
    officeId: z.string().regex(ID_PART).optional(),
    need: z.enum(HELP_NEEDS.values).optional(),
    /** The CARE 01 (or later visit) whose need this answers. */
    fromDocId: z
      .string()
      .regex(new RegExp(`^(care01|care03|care04):${UUID}$`))
      .optional(),
    /** Which of the person's ranked choices this is (1–3), when it came from rank matching. */
    choiceRank: z.number().int().min(1).max(3).optional(),
    consent: consentBasisSchema,
    /** When the officer expects the agency to have acted; past it, an open referral is overdue. */
    expectedBy: isoDate,
    note: text(2000).optional(),
    events: z.array(referralEventSchema).min(1).max(20)
  })
  .superRefine((r, ctx) => {
    const problem = referralEventsProblem(r.events);
    if (problem) ctx.addIssue({ code: 'custom', path: ['events', problem.index, 'status'], message: problem.reason });
    if (r.expectedBy < r.events[0].on)
      ctx.addIssue({
        code: 'custom',
        path: ['expectedBy'],
        message: 'วันที่คาดว่าจะได้ผลต้องไม่ก่อนวันส่งต่อ / expected before the referral was sent'
      });
  });
export type ReferralDoc = z.infer<typeof referralSchema>;

export const referralStatus = (r: Pick<ReferralDoc, 'events'>): ReferralStatus => r.events[r.events.length - 1].status;
export const referralSentOn = (r: Pick<ReferralDoc, 'events'>): string => r.events[0].on;

/** An open referral whose expected date has passed (it goes on the officer's worklist). */
export function isReferralOverdue(r: Pick<ReferralDoc, 'events' | 'expectedBy'>, today: string): boolean {
  return isStatusOverdue(referralStatus(r), r.expectedBy, today);
}

/** The same rule on a referral's current status alone (what the timeline projection keeps). */
export const isStatusOverdue = (status: ReferralStatus, expectedBy: string, today: string): boolean =>
  !isReferralClosed(status) && today > expectedBy;

/** Default expected date offered on the form: two weeks after sending. */
export const defaultExpectedBy = (sentOn: string) => addDays(sentOn, 14);

/**
 * Server-side: a stored referral's events may only grow. Null when `next` keeps every stored
 * event as it was (an officer adds the outcome; nobody rewrites what the agency did).
 */
export function referralRewriteProblem(
  stored: Pick<ReferralDoc, 'events' | 'personId' | 'agencyId' | 'serviceId' | 'consent'>,
  next: Pick<ReferralDoc, 'events' | 'personId' | 'agencyId' | 'serviceId' | 'consent'>
): string | null {
  for (const field of ['personId', 'agencyId', 'serviceId'] as const)
    if (stored[field] !== next[field])
      return `การส่งต่อที่บันทึกแล้วเปลี่ยน ${field} ไม่ได้ (ส่งต่อใหม่แทน) / a stored referral's ${field} cannot change: make a new referral`;
  if (JSON.stringify(stored.consent) !== JSON.stringify(next.consent))
    return "การส่งต่อที่บันทึกแล้วเปลี่ยนหลักฐานความยินยอมไม่ได้ / a stored referral's consent cannot change";
  if (
    next.events.length < stored.events.length ||
    stored.events.some((e, i) => JSON.stringify(e) !== JSON.stringify(next.events[i]))
  )
    return 'สถานะที่บันทึกแล้วแก้ไขหรือลบไม่ได้ เพิ่มได้อย่างเดียว / recorded referral statuses cannot be changed or removed, only added';
  return null;
}
