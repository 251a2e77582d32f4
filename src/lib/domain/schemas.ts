/**
 * The synced documents, defined once: the tablet validates before saving, the sync-server
 * validates every document that arrives in _bulk_docs, exports read the same shapes.
 *
 * Validity (this file) is about shape: a document that fails here is refused and never stored.
 * Completeness (completeness.ts) is about what an officer still has to fill in: an incomplete
 * record is valid and can be saved, synced, and finished later.
 */
import { z } from 'zod';
import { AGENCY_IDS } from './agencies.ts';
import { isIsoDate, thaiDayOf } from './dates.ts';
import { isSafeText, UNSAFE_TEXT_MESSAGE } from './safe-text.ts';
import { nationalIdProblem, normaliseNationalId } from './national-id.ts';
import {
  CONSENT,
  RELEASE_TYPES,
  DESIRED_OCCUPATIONS,
  EDUCATION_LEVELS,
  HELP_ACTIONS,
  HELP_NEEDS,
  ID_SOURCES,
  NO_ID_REASONS,
  PERSON_STATUSES,
  RELATIONSHIPS,
  RELIGIONS,
  SEXES,
  SKILLS,
  TITLES
} from './options.ts';

export const SCHEMA_VERSION = 1;
export const UNIT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const PERSON_ID = new RegExp(`^person:${UUID}$`);
export const CARE01_ID = new RegExp(`^care01:${UUID}$`);

/** Signature images are small PNGs drawn on the touchscreen; the cap keeps a document syncable. */
export const MAX_SIGNATURE_CHARS = 200_000;

export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `ยาวเกิน ${max} ตัวอักษร / longer than ${max} characters` })
    .refine(isSafeText, { message: UNSAFE_TEXT_MESSAGE });
export const requiredText = (max: number) => text(max).min(1, { message: 'ต้องกรอก / required' });
export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'วันที่ไม่ถูกต้อง (YYYY-MM-DD) / not a valid date', params: { refusal: 'bad-date' } });
export const isoDateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'not a valid timestamp'
});
export const username = z.string().regex(/^[a-z0-9._-]{2,64}$/, { message: 'not a valid user name' });
export const uniqueArray = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a).size === a.length, {
      message: 'ซ้ำกัน / duplicate entries',
      params: { refusal: 'duplicate-entries' }
    });

/** Thai phone numbers: 9 digits for landlines, 10 for mobiles, always starting with 0. */
export const PHONE = /^0\d{8,9}$/;
export function normalisePhone(input: string): string {
  return input.replace(/[\s()-]/g, '').replace(/^\+66/, '0');
}

/** Fields every synced document carries. `_revisions` etc. arrive with replication. */
export const docMeta = {
  _rev: z
    .string()
    .regex(/^\d+-[0-9a-f]{1,64}$/)
    .optional(),
  _revisions: z
    .strictObject({ start: z.number().int().positive(), ids: z.array(z.string().regex(/^[0-9a-f]{1,64}$/)).max(1000) })
    .optional(),
  unitId: z.string().regex(UNIT_ID, { message: 'not a valid unit id' }),
  schemaVersion: z.literal(SCHEMA_VERSION),
  createdAt: isoDateTime,
  createdBy: username,
  updatedAt: isoDateTime,
  updatedBy: username
};

export const nationalIdSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('number'),
    number: z.string().superRefine((value, ctx) => {
      const problem = nationalIdProblem(value);
      // Stored digits only, so one person is never stored two ways (with and without dashes).
      if (problem === 'not-13-digits' || problem === 'empty' || value !== normaliseNationalId(value))
        ctx.addIssue({
          code: 'custom',
          message: 'เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก / national ID must be 13 digits',
          params: { refusal: 'national-id-digits' }
        });
      else if (problem === 'check-digit')
        ctx.addIssue({
          code: 'custom',
          message: 'เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบ) / national ID check digit is wrong',
          params: { refusal: 'national-id-check-digit' }
        });
    }),
    source: z.enum(ID_SOURCES.values)
  }),
  z.strictObject({ status: z.literal('none'), reason: z.enum(NO_ID_REASONS.values) }),
  // Not yet recorded: allowed while the record is incomplete.
  z.strictObject({ status: z.literal('unknown') })
]);

const addressSchema = z.strictObject({
  houseNo: text(30).optional(),
  moo: text(10).optional(),
  village: text(100).optional(),
  soi: text(100).optional(),
  road: text(100).optional(),
  subdistrict: text(100).optional(),
  district: text(100).optional(),
  province: text(100).optional(),
  postcode: z
    .string()
    .regex(/^\d{5}$/, { message: 'รหัสไปรษณีย์ 5 หลัก / postcode is 5 digits' })
    .optional()
});

/** Where a person without a Thai address lives ("lives abroad" in the ID rules). */
const addressAbroadSchema = z.strictObject({
  country: requiredText(100),
  detail: text(500).optional()
});

export const personSchema = z.strictObject({
  ...docMeta,
  _id: z.string().regex(PERSON_ID, { message: 'person ids look like person:<uuid>' }),
  type: z.literal('person'),
  prisonerId: requiredText(30),
  title: z.enum(TITLES.values),
  titleOther: text(50).optional(),
  firstName: requiredText(100),
  lastName: requiredText(100),
  sex: z.enum(SEXES.values).optional(),
  dateOfBirth: isoDate.optional(),
  nationalId: nationalIdSchema,
  // The basic fields of the completeness rule (docs/domain/completeness.md). Optional, so records
  // made before they existed still validate; completeness counts them as missing.
  nationality: text(100).optional(),
  personStatus: z.enum(PERSON_STATUSES.values).optional(),
  religion: z.enum(RELIGIONS.values).optional(),
  religionOther: text(100).optional(),
  /** ที่อยู่ตามทะเบียนบ้าน: the house-registration address in Thailand. */
  registeredAddress: addressSchema.optional(),
  /** Foreigners and hill-tribe people without an ID: the address abroad instead. */
  addressAbroad: addressAbroadSchema.optional(),
  // The person's record, as in the old follow-up system (docs/domain/follow-up.md): all optional.
  releaseType: z.enum(RELEASE_TYPES.values).optional(),
  releaseTypeOther: text(200).optional(),
  contacts: z
    .array(
      z.strictObject({
        name: requiredText(200),
        relationship: text(100).optional(),
        phone: z.string().regex(PHONE, { message: 'เบอร์โทรไม่ถูกต้อง / not a Thai phone number' }).optional()
      })
    )
    .max(20)
    .optional(),
  caringAgency: text(300).optional(),
  helpWantedNote: text(1000).optional(),
  occupationWanted: text(300).optional(),
  trainingRecords: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[0-9a-f-]{36}$/),
        course: requiredText(200),
        provider: text(200).optional(),
        completedOn: isoDate.optional(),
        hours: z.number().int().min(0).max(10000).optional()
      })
    )
    .max(100)
    .optional(),
  consentToFollowUp: z.boolean().optional(),
  /** Probation volunteers (user names) who may record visits for this person. */
  assignedVolunteers: z.array(username).max(10).optional(),
  // One person, one record (duplicates.ts): a retired duplicate points at the record kept, and the
  // kept record lists the merges (with their undoing) so a merge is visible and reversible.
  mergedInto: z.string().regex(PERSON_ID, { message: 'mergedInto must be a person id' }).optional(),
  mergedAt: isoDateTime.optional(),
  mergedBy: username.optional(),
  merges: z
    .array(
      z.strictObject({
        personId: z.string().regex(PERSON_ID, { message: 'personId must be a person id' }),
        at: isoDateTime,
        by: username,
        undoneAt: isoDateTime.optional(),
        undoneBy: username.optional()
      })
    )
    .max(100)
    .optional()
});

const sentenceSchema = z
  .strictObject({
    years: z.number().int().min(0).max(99),
    months: z.number().int().min(0).max(11),
    days: z.number().int().min(0).max(30),
    /** จำคุกตลอดชีวิต (life imprisonment): then years, months and days are 0. */
    life: z.literal(true).optional()
  })
  .refine((s) => !s.life || s.years + s.months + s.days === 0, {
    message: 'จำคุกตลอดชีวิตไม่ต้องระบุปี เดือน วัน / a life sentence has no years, months or days',
    params: { refusal: 'life-sentence-terms' }
  });

const signatureImage = z
  .string()
  .max(MAX_SIGNATURE_CHARS, { message: 'ลายมือชื่อใหญ่เกินไป / signature image too large' })
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, { message: 'signature must be a PNG image' });

export const prisonerSignatureSchema = z.strictObject({
  image: signatureImage,
  printedName: text(200),
  signedOn: isoDate
});

export const officerSignatureSchema = z.strictObject({
  image: signatureImage,
  printedName: text(200),
  position: text(200),
  signedOn: isoDate
});

export const helpWantedSchema = z.discriminatedUnion('choice', [
  z.strictObject({ choice: z.literal('none') }),
  z.strictObject({
    choice: z.literal('wants'),
    needs: uniqueArray(z.enum(HELP_NEEDS.values), HELP_NEEDS.list.length).min(1, {
      message: 'เลือกความช่วยเหลือที่ต้องการอย่างน้อย 1 ด้าน / pick at least one kind of help'
    }),
    capitalTrade: text(200).optional(),
    jobPosition: text(200).optional(),
    otherNeed: text(500).optional()
  })
]);

export const helpGivenSchema = z.strictObject({
  action: z.enum(HELP_ACTIONS.values),
  detail: text(1000),
  agencyId: z.enum(AGENCY_IDS as [string, ...string[]]).optional(),
  forNeed: z.enum(HELP_NEEDS.values).optional()
});

export const unmetNeedSchema = z.strictObject({
  need: z.enum(HELP_NEEDS.values),
  reason: requiredText(1000)
});

export const care01Schema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(CARE01_ID, { message: 'interview ids look like care01:<uuid>' }),
    type: z.literal('care01'),
    personId: z.string().regex(PERSON_ID, { message: 'personId must be a person id' }),
    interviewDate: isoDate,
    age: z.number().int().min(10).max(120).optional(),
    offence: text(500).optional(),
    sentence: sentenceSchema.optional(),
    paroleReleaseDate: isoDate.optional(),
    sentenceEndDate: isoDate.optional(),
    address: addressSchema,
    phone: z.string().regex(PHONE, { message: 'เบอร์โทรไม่ถูกต้อง / not a Thai phone number' }).optional(),
    sponsorName: text(200).optional(),
    sponsorRelationship: z.enum(RELATIONSHIPS.values).optional(),
    sponsorRelationshipOther: text(100).optional(),
    education: z.enum(EDUCATION_LEVELS.values).optional(),
    educationOther: text(200).optional(),
    previousOccupation: text(200).optional(),
    skills: uniqueArray(z.enum(SKILLS.values), SKILLS.list.length),
    trainings: z.array(requiredText(200)).max(50),
    desiredOccupations: uniqueArray(z.enum(DESIRED_OCCUPATIONS.values), DESIRED_OCCUPATIONS.list.length),
    desiredOccupationOther: text(200).optional(),
    helpWanted: helpWantedSchema.optional(),
    consent: z.enum(CONSENT.values).optional(),
    officerOpinion: text(2000).optional(),
    helpGiven: z.array(helpGivenSchema).max(30),
    unmetNeeds: z.array(unmetNeedSchema).max(HELP_NEEDS.list.length),
    prisonerSignature: prisonerSignatureSchema.optional(),
    officerSignature: officerSignatureSchema.optional()
  })
  .superRefine((doc, ctx) => {
    const both = (a: string, b: string, what: string) => {
      if (doc.skills.includes(a as never) && doc.skills.includes(b as never))
        ctx.addIssue({
          code: 'custom',
          path: ['skills'],
          message: `${what}: เลือกได้อย่างเดียว / pick only one`,
          params: { refusal: 'pick-one' }
        });
    };
    both('car-licensed', 'car-unlicensed', 'ขับรถ / car');
    both('motorcycle-licensed', 'motorcycle-unlicensed', 'รถจักรยานยนต์ / motorcycle');
    // An interview cannot be dated after the day it was saved (the day in Thailand of updatedAt):
    // "Save anyway" must not store a future interview, and the server refuses one too.
    if (isIsoDate(doc.interviewDate) && !Number.isNaN(Date.parse(doc.updatedAt)) && doc.interviewDate > thaiDayOf(doc.updatedAt))
      ctx.addIssue({
        code: 'custom',
        path: ['interviewDate'],
        message: 'วันที่สัมภาษณ์อยู่ในอนาคต / the interview date is in the future',
        params: { refusal: 'future-date' }
      });
    // A referral without its agency yet is incomplete (completeness.ts), not invalid.
    doc.helpGiven.forEach((h, i) => {
      if (h.agencyId !== undefined && h.action !== 'referral')
        ctx.addIssue({
          code: 'custom',
          path: ['helpGiven', i, 'agencyId'],
          message: 'agency only goes with a referral',
          params: { refusal: 'not-allowed-here' }
        });
    });
  });

export type PersonDoc = z.infer<typeof personSchema>;
export type Care01Doc = z.infer<typeof care01Schema>;
export type NationalId = z.infer<typeof nationalIdSchema>;
export type HelpWanted = z.infer<typeof helpWantedSchema>;
export type HelpGiven = z.infer<typeof helpGivenSchema>;
export type UnmetNeed = z.infer<typeof unmetNeedSchema>;
export type Sentence = z.infer<typeof sentenceSchema>;
export type Address = z.infer<typeof addressSchema>;
export type AddressAbroad = z.infer<typeof addressAbroadSchema>;
