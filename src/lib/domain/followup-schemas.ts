/**
 * Documents of the follow-up work after release (docs/domain/follow-up.md): the release / supervision
 * episode, the follow-up report (one visit or contact), the person's photo, non-compliance events.
 *
 * The follow-up report is append-only: created once on the device and never edited, so two
 * tablets cannot conflict over it. `recordedAt` is stamped by the device when the report is first
 * saved; the server refuses any later revision that changes it, and a visit dated after it.
 */
import { z } from 'zod';
import {
  CLASSIFICATION_LEVELS,
  FOLLOW_UP_METHODS,
  HOUSING_TYPES,
  NON_COMPLIANCE_ACTIONS,
  NON_COMPLIANCE_KINDS,
  RELEASE_TYPES,
  VISITORS
} from './options.ts';
import { docMeta, isoDate, isoDateTime, PERSON_ID, text, UUID } from './schemas.ts';
import { thaiDayOf } from './dates.ts';

export const EPISODE_ID = new RegExp(`^episode:${UUID}$`);
export const FOLLOWUP_ID = new RegExp(`^followup:${UUID}$`);
export const NONCOMPLIANCE_ID = new RegExp(`^noncompliance:${UUID}$`);
/** One photo document per person: `photo:<the person's uuid>`. */
export const PHOTO_ID = new RegExp(`^photo:${UUID}$`);

/** Photos are resized on the device before saving; this cap keeps a photo syncable. */
export const MAX_PHOTO_CHARS = 400_000;

const personId = z.string().regex(PERSON_ID, { message: 'personId must be a person id' });

export const episodeSchema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(EPISODE_ID, { message: 'episode ids look like episode:<uuid>' }),
    type: z.literal('episode'),
    personId,
    releaseType: z.enum(RELEASE_TYPES.values),
    releaseDate: isoDate,
    /** Supervision (probation / parole); absent for a sentence completed without supervision. */
    supervisionStart: isoDate.optional(),
    supervisionEnd: isoDate.optional(),
    classificationLevel: z.enum(CLASSIFICATION_LEVELS.values).optional(),
    classifiedOn: isoDate.optional(),
    /** Date the office received the case (the 30-working-day non-compliance deadline counts from it). */
    caseReceivedOn: isoDate.optional(),
    conditionsAcknowledged: z.boolean(),
    conditionsAcknowledgedOn: isoDate.optional(),
    electronicMonitoring: z.boolean()
  })
  .superRefine((e, ctx) => {
    if (e.supervisionStart && e.supervisionEnd && e.supervisionEnd <= e.supervisionStart)
      ctx.addIssue({
        code: 'custom',
        path: ['supervisionEnd'],
        message: 'สิ้นสุดการคุมประพฤติต้องหลังวันเริ่ม / supervision must end after it starts',
        params: { refusal: 'dates-out-of-order' }
      });
    if ((e.supervisionStart === undefined) !== (e.supervisionEnd === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['supervisionEnd'],
        message: 'ระบุทั้งวันเริ่มและวันสิ้นสุดการคุมประพฤติ / give both supervision start and end',
        params: { refusal: 'required' }
      });
  });

export const workplaceLocationSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** Metres, as the device's GPS reported it; absent when typed by hand. */
  accuracyM: z.number().min(0).max(100_000).optional(),
  source: z.enum(['gps', 'manual']),
  capturedAt: isoDateTime.optional()
});

export const followUpSchema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(FOLLOWUP_ID, { message: 'follow-up ids look like followup:<uuid>' }),
    type: z.literal('followup'),
    personId,
    episodeId: z.string().regex(EPISODE_ID).optional(),
    /** The day the visit or contact happened. */
    visitDate: isoDate,
    /** When the report was first saved on the device: stamped once, never edited. */
    recordedAt: isoDateTime,
    method: z.enum(FOLLOW_UP_METHODS.values),
    visitor: z.enum(VISITORS.values),
    visitorName: text(200).optional(),
    /** Officers could not go out (abnormal situation): the electronic fallbacks of the standard apply. */
    abnormalSituation: z.boolean().optional(),
    housing: z.strictObject({
      where: text(500).optional(),
      withWhom: text(300).optional(),
      housingType: z.enum(HOUSING_TYPES.values).optional(),
      stable: z.boolean().optional()
    }),
    familyRelations: text(2000).optional(),
    communityRelations: text(2000).optional(),
    work: z.strictObject({
      employed: z.boolean().optional(),
      employment: z.enum(['employee', 'own-business']).optional(),
      employerName: text(300).optional(),
      kindOfWork: text(300).optional(),
      since: isoDate.optional()
    }),
    monthlyIncome: z.number().min(0).max(10_000_000).optional(),
    otherDetails: text(4000).optional(),
    workplaceLocation: workplaceLocationSchema.optional()
  })
  .superRefine((f, ctx) => {
    // The visit cannot be after the moment it was recorded (compared as calendar days in UTC+7,
    // Thailand's only time zone, so a visit recorded at 00:30 local time is not flagged).
    if (f.visitDate > thaiDayOf(f.recordedAt))
      ctx.addIssue({
        code: 'custom',
        path: ['visitDate'],
        message: 'วันที่ติดตามอยู่หลังเวลาที่บันทึก / the visit date is after the moment it was recorded',
        params: { refusal: 'visit-after-recorded' }
      });
  });

export const photoSchema = z.strictObject({
  ...docMeta,
  _id: z.string().regex(PHOTO_ID, { message: 'photo ids look like photo:<person uuid>' }),
  type: z.literal('photo'),
  personId,
  /** null once the photo was removed (documents are never deleted). */
  image: z
    .string()
    .max(MAX_PHOTO_CHARS, { message: 'รูปใหญ่เกินไป / photo too large' })
    .regex(/^data:image\/(jpeg|png|gif);base64,[A-Za-z0-9+/]+=*$/, { message: 'photo must be a JPEG, PNG or GIF image' })
    .nullable()
});

export const nonComplianceSchema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(NONCOMPLIANCE_ID, { message: 'ids look like noncompliance:<uuid>' }),
    type: z.literal('noncompliance'),
    personId,
    episodeId: z.string().regex(EPISODE_ID).optional(),
    kind: z.enum(NON_COMPLIANCE_KINDS.values),
    /** The missed appointment, or the day the office received the case. */
    occurredOn: isoDate,
    /**
     * Conditions not acknowledged: the day the person was told to come and acknowledge them, i.e.
     * the day of the non-compliance the 1-month limit counts from (non-compliance.ts).
     */
    acknowledgeBy: isoDate.optional(),
    /** Held on another case (the prison said so): recorded as "did not come" with this note. */
    heldOnAnotherCase: z.boolean().optional(),
    actions: z
      .array(z.strictObject({ kind: z.enum(NON_COMPLIANCE_ACTIONS.values), on: isoDate, note: text(1000).optional() }))
      .max(20)
  })
  .superRefine((n, ctx) => {
    if (n.acknowledgeBy !== undefined && n.kind !== 'conditions-not-acknowledged')
      ctx.addIssue({
        code: 'custom',
        path: ['acknowledgeBy'],
        message: 'วันที่ต้องมารับทราบเงื่อนไขใช้กับกรณีไม่มารับทราบเงื่อนไขเท่านั้น / acknowledgeBy only goes with conditions not acknowledged',
        params: { refusal: 'not-allowed-here' }
      });
  });

export type EpisodeDoc = z.infer<typeof episodeSchema>;
export type FollowUpDoc = z.infer<typeof followUpSchema>;
export type PhotoDoc = z.infer<typeof photoSchema>;
export type NonComplianceDoc = z.infer<typeof nonComplianceSchema>;
export type WorkplaceLocation = z.infer<typeof workplaceLocationSchema>;
