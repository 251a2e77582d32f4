/**
 * CARE 03 and CARE 04 (docs/domain/forms.md, the CARE reports table of the CARE manual): one visit to the CARE centre by a prisoner or
 * released person (CARE 03, "ศูนย์ CARE ผู้ต้องขัง/ผู้พ้นโทษ"), or by a relative on a prisoner's
 * behalf (CARE 04, "ศูนย์ CARE ญาติ") — date, the officer who served, the services from the
 * official list, the result. They feed CARE 02 and the CARE 03/04 workbooks.
 *
 * Append-only like follow-up reports: created once on the device; the server refuses a later
 * revision that changes the fields in VISIT_FIXED_FIELDS (sync-server/sync/services-gate.ts).
 */
import { z } from 'zod';
import { options, RELATIONSHIPS, TITLES } from '../options.ts';
import { docMeta, isoDate, isoDateTime, PERSON_ID, PHONE, requiredText, text, uniqueArray, username, UUID } from '../schemas.ts';

/**
 * Kinds of service (the CARE manual, "same list as CARE 01 items 19 and 22"): CARE 01's
 * help actions plus general information / advice, which the CARE 03 list adds.
 */
export const SERVICE_KINDS = options([
  { value: 'capital', th: 'ทุนประกอบอาชีพ', en: 'Capital for a trade' },
  { value: 'job-info', th: 'ข้อมูลตำแหน่งงานว่าง', en: 'Job-vacancy information' },
  { value: 'shelter', th: 'ที่พักชั่วคราว', en: 'Temporary shelter' },
  { value: 'child-scholarship', th: 'ทุนการศึกษาบุตร', en: "Children's scholarship" },
  { value: 'medical', th: 'การรักษาพยาบาล', en: 'Medical care' },
  { value: 'fare-home', th: 'ค่าพาหนะกลับภูมิลำเนา', en: 'Fare home' },
  { value: 'referral', th: 'ประสานส่งต่อหน่วยงานเครือข่าย', en: 'Referral to a partner agency' },
  { value: 'employment-project', th: 'การจ้างงานตามโครงการคืนคนดีสู่สังคม', en: '"Returning Good People to Society" employment' },
  { value: 'advice', th: 'ให้ข้อมูลข่าวสาร / คำปรึกษาทั่วไป', en: 'General information / advice' },
  { value: 'other', th: 'อื่น ๆ', en: 'Other' }
] as const);

/** Who came to the centre in a CARE 03 record. */
export const CLIENT_STATUSES = options([
  { value: 'prisoner', th: 'ผู้ต้องขัง', en: 'Prisoner' },
  { value: 'released', th: 'ผู้พ้นโทษ', en: 'Released person' }
] as const);

export const CARE03_ID = new RegExp(`^care03:${UUID}$`);
export const CARE04_ID = new RegExp(`^care04:${UUID}$`);

/** Fields a stored CARE 03 / 04 keeps for ever (who, whom, when): the server refuses changing them. */
export const VISIT_FIXED_FIELDS = ['personId', 'visitDate', 'recordedAt', 'servedBy', 'createdAt', 'createdBy'] as const;

const personId = z.string().regex(PERSON_ID, { message: 'personId must be a person id' });

const visitFields = {
  ...docMeta,
  personId,
  /** The day of the visit to the centre. */
  visitDate: isoDate,
  /** When the record was first saved on the device: stamped once, never edited. */
  recordedAt: isoDateTime,
  /** The officer who served (user name) and the name printed on the workbook. */
  servedBy: username,
  servedByName: text(200).optional(),
  services: uniqueArray(z.enum(SERVICE_KINDS.values), SERVICE_KINDS.list.length).min(1, {
    message: 'เลือกบริการอย่างน้อย 1 รายการ / pick at least one service'
  }),
  serviceOther: text(300).optional(),
  /** The referral this visit made, when `services` includes 'referral'. */
  referralId: z
    .string()
    .regex(new RegExp(`^referral:${UUID}$`))
    .optional(),
  result: requiredText(2000)
};

function visitRules(
  v: { visitDate: string; recordedAt: string; services: readonly string[]; serviceOther?: string },
  ctx: z.RefinementCtx
) {
  // Compared as calendar days in UTC+7 (Thailand), as for follow-up reports.
  const recordedDay = new Date(Date.parse(v.recordedAt) + 7 * 3600_000).toISOString().slice(0, 10);
  if (v.visitDate > recordedDay)
    ctx.addIssue({
      code: 'custom',
      path: ['visitDate'],
      message: 'วันที่มารับบริการอยู่หลังเวลาที่บันทึก / the visit date is after the moment it was recorded'
    });
  if (v.services.includes('other') && !v.serviceOther)
    ctx.addIssue({ code: 'custom', path: ['serviceOther'], message: 'ระบุบริการอื่น ๆ / say which other service' });
}

export const care03Schema = z
  .strictObject({
    ...visitFields,
    _id: z.string().regex(CARE03_ID, { message: 'CARE 03 ids look like care03:<uuid>' }),
    type: z.literal('care03'),
    clientStatus: z.enum(CLIENT_STATUSES.values)
  })
  .superRefine(visitRules);

export const relativeSchema = z.strictObject({
  title: z.enum(TITLES.values).optional(),
  firstName: requiredText(100),
  lastName: requiredText(100),
  relationship: z.enum(RELATIONSHIPS.values),
  relationshipOther: text(100).optional(),
  phone: z.string().regex(PHONE, { message: 'เบอร์โทรไม่ถูกต้อง / not a Thai phone number' }).optional()
});

/** CARE 04: `personId` is the prisoner the relative came for. */
export const care04Schema = z
  .strictObject({
    ...visitFields,
    _id: z.string().regex(CARE04_ID, { message: 'CARE 04 ids look like care04:<uuid>' }),
    type: z.literal('care04'),
    relative: relativeSchema
  })
  .superRefine((v, ctx) => {
    visitRules(v, ctx);
    if (v.relative.relationship === 'other' && !v.relative.relationshipOther)
      ctx.addIssue({
        code: 'custom',
        path: ['relative', 'relationshipOther'],
        message: 'ระบุความสัมพันธ์ / say how the relative is related'
      });
  });

export type Care03Doc = z.infer<typeof care03Schema>;
export type Care04Doc = z.infer<typeof care04Schema>;
export type ServiceKind = (typeof SERVICE_KINDS.values)[number];
