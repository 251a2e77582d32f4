/**
 * One catalogue of the reasons a document is refused (by the tablet before saving, by the
 * sync-server's gate for every document it receives): a stable code, the field it concerns, and
 * its wording in Thai and English. The gate (validate-doc.ts) returns `{code, field, reason}`; the
 * tablet words a refusal in the user's language with `describeRefusal` and points at the field.
 * The human `reason` stays in server answers for older tablets.
 *
 * Codes are stable: stored in outbox entries and logs, never renamed (add new ones instead).
 */
import type { ZodError } from 'zod';

export interface RefusalWording {
  th: string;
  en: string;
}

export const REFUSALS = {
  // The document as a whole
  'not-an-object': { th: 'เอกสารต้องเป็นออบเจกต์ JSON', en: 'A document must be a JSON object' },
  'document-too-large': { th: 'เอกสารใหญ่เกินกำหนด', en: 'The document is larger than allowed' },
  'deletion-refused': {
    th: 'ระเบียนลบไม่ได้ ข้อมูลของหน่วยงานไม่ถูกลบ',
    en: 'Records cannot be deleted: no data is ever removed from a unit'
  },
  'attachments-refused': { th: 'ไม่รับไฟล์แนบ', en: 'Attachments are not accepted' },
  'unknown-type': { th: 'ไม่รู้จักประเภทเอกสาร', en: 'Unknown document type' },
  'other-unit': { th: 'เอกสารนี้เป็นของหน่วยงานอื่น', en: 'The document belongs to another unit' },
  'schema-version': {
    th: 'รุ่นของแบบข้อมูลนี้ไม่รองรับแล้ว ให้ปรับปรุงแอป',
    en: 'This schema version is no longer accepted: update the app'
  },
  // One field
  required: { th: 'ต้องกรอก', en: 'Required' },
  'too-long': { th: 'ยาวเกินกำหนด', en: 'Too long' },
  'too-many': { th: 'จำนวนรายการเกินกำหนด', en: 'Too many entries' },
  'too-small': { th: 'น้อยกว่าที่กำหนด', en: 'Below the allowed minimum' },
  'too-big': { th: 'มากกว่าที่กำหนด', en: 'Above the allowed maximum' },
  'not-a-choice': { th: 'ไม่ใช่ตัวเลือกที่มีในรายการ', en: 'Not one of the choices' },
  'wrong-type': { th: 'ชนิดข้อมูลไม่ถูกต้อง', en: 'Wrong kind of value' },
  'unknown-field': { th: 'มีช่องข้อมูลที่ไม่รู้จัก', en: 'Unknown field' },
  'bad-format': { th: 'รูปแบบไม่ถูกต้อง', en: 'Not in the expected format' },
  'bad-date': { th: 'วันที่ไม่ถูกต้อง', en: 'Not a valid date' },
  'duplicate-entries': { th: 'มีรายการซ้ำกัน', en: 'Duplicate entries' },
  'national-id-digits': { th: 'เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก', en: 'The national ID must be 13 digits' },
  'national-id-check-digit': { th: 'เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบ)', en: 'The national ID check digit is wrong' },
  phone: { th: 'เบอร์โทรไม่ถูกต้อง', en: 'Not a Thai phone number' },
  postcode: { th: 'รหัสไปรษณีย์ต้องมี 5 หลัก', en: 'The postcode has 5 digits' },
  'future-date': { th: 'วันที่อยู่ในอนาคต', en: 'The date is in the future' },
  'visit-after-recorded': { th: 'วันที่ติดตามอยู่หลังเวลาที่บันทึก', en: 'The visit date is after the moment it was recorded' },
  'dates-out-of-order': { th: 'วันที่ไม่เรียงลำดับ', en: 'The dates are out of order' },
  'life-sentence-terms': { th: 'จำคุกตลอดชีวิตไม่ต้องระบุปี เดือน วัน', en: 'A life sentence has no years, months or days' },
  'pick-one': { th: 'เลือกได้อย่างเดียว', en: 'Pick only one' },
  'not-allowed-here': { th: 'ช่องนี้ใช้กับตัวเลือกอื่นเท่านั้น', en: 'This field only goes with another choice' },
  invalid: { th: 'ข้อมูลไม่ถูกต้อง', en: 'Not valid' }
} as const satisfies Record<string, RefusalWording>;

export type RefusalCode = keyof typeof REFUSALS;

/** A refusal as the gate returns it: the code, the field path (dotted, '' for the whole document), the human reason. */
export interface Refusal {
  code: RefusalCode;
  field: string;
  reason: string;
}

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && Object.hasOwn(REFUSALS, code);
}

/**
 * The refusal in the user's language, naming the field when there is one. Unknown codes (from a
 * newer server) fall back to the generic wording rather than showing a code.
 */
export function describeRefusal(code: string, field: string | undefined, lang: 'th' | 'en'): string {
  const wording = (isRefusalCode(code) ? REFUSALS[code] : REFUSALS.invalid)[lang];
  return field ? `${field}: ${wording}` : wording;
}

/**
 * Custom checks in the schemas say which refusal they are through zod's `params` (`{ refusal:
 * 'future-date' }`); the built-in checks are mapped by their zod issue code.
 */
export function refusalOfZodError(error: ZodError): { code: RefusalCode; field: string } {
  const issue = error.issues[0];
  const field = issue.path.join('.');
  const custom = (issue as { params?: { refusal?: unknown } }).params?.refusal;
  if (isRefusalCode(custom)) return { code: custom, field };
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return { code: input === undefined ? 'required' : 'wrong-type', field };
    case 'too_big':
      return { code: issue.origin === 'string' ? 'too-long' : issue.origin === 'array' ? 'too-many' : 'too-big', field };
    case 'too_small':
      return { code: issue.origin === 'string' && issue.minimum === 1 ? 'required' : 'too-small', field };
    case 'invalid_value':
    case 'invalid_union':
      return { code: 'not-a-choice', field };
    case 'unrecognized_keys':
      return { code: 'unknown-field', field: issue.keys.length ? [field, issue.keys[0]].filter(Boolean).join('.') : field };
    case 'invalid_format': {
      const last = issue.path[issue.path.length - 1];
      return { code: last === 'phone' ? 'phone' : last === 'postcode' ? 'postcode' : 'bad-format', field };
    }
    default:
      return { code: 'invalid', field };
  }
}
