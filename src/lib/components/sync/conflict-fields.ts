/**
 * How the merge screen names and shows each field of a person or an episode: Thai / English
 * labels, option values through their domain labels, dates in the Buddhist Era (i18n `date()`),
 * national IDs formatted. `text` marks free-text fields that can hold both values at once.
 */
import {
  CLASSIFICATION_LEVELS,
  ID_SOURCES,
  NO_ID_REASONS,
  RELATIONSHIPS,
  RELEASE_TYPES,
  SEXES,
  TITLES,
  formatNationalId
} from '$lib/domain/index.ts';
import { date, i18n, tr } from '$lib/client/i18n.svelte.ts';

type Kind = 'text' | 'date' | 'option' | 'bool' | 'other';
interface FieldInfo {
  th: string;
  en: string;
  kind: Kind;
  options?: { label(v: never, lang: 'th' | 'en'): string };
}

const FIELDS: Record<string, FieldInfo> = {
  prisonerId: { th: 'รหัสผู้ต้องขัง', en: 'Prisoner ID', kind: 'other' },
  title: { th: 'คำนำหน้า', en: 'Title', kind: 'option', options: TITLES },
  titleOther: { th: 'คำนำหน้า (อื่น ๆ)', en: 'Title (other)', kind: 'other' },
  firstName: { th: 'ชื่อ', en: 'First name', kind: 'other' },
  lastName: { th: 'นามสกุล', en: 'Last name', kind: 'other' },
  sex: { th: 'เพศ', en: 'Sex', kind: 'option', options: SEXES },
  dateOfBirth: { th: 'วันเกิด', en: 'Date of birth', kind: 'date' },
  nationalId: { th: 'เลขประจำตัวประชาชน', en: 'National ID number', kind: 'other' },
  releaseType: { th: 'ประเภทการปล่อยตัว', en: 'Release type', kind: 'option', options: RELEASE_TYPES },
  releaseTypeOther: { th: 'ประเภทการปล่อยตัว (อื่น ๆ)', en: 'Release type (other)', kind: 'text' },
  contacts: { th: 'ผู้ติดต่อ', en: 'Contacts', kind: 'other' },
  caringAgency: { th: 'หน่วยงานที่ดูแล', en: 'Caring agency', kind: 'text' },
  helpWantedNote: { th: 'ความช่วยเหลือที่ต้องการ', en: 'Help wanted', kind: 'text' },
  occupationWanted: { th: 'อาชีพที่ต้องการ', en: 'Occupation wanted', kind: 'text' },
  trainingRecords: { th: 'ประวัติการฝึกอบรม', en: 'Training records', kind: 'other' },
  consentToFollowUp: { th: 'ยินยอมให้ติดตาม', en: 'Consents to follow-up', kind: 'bool' },
  assignedVolunteers: { th: 'อาสาสมัครคุมประพฤติที่ดูแล', en: 'Assigned volunteers', kind: 'other' },
  // episode
  releaseDate: { th: 'วันที่ปล่อยตัว', en: 'Release date', kind: 'date' },
  supervisionStart: { th: 'วันเริ่มคุมประพฤติ', en: 'Supervision start', kind: 'date' },
  supervisionEnd: { th: 'วันสิ้นสุดคุมประพฤติ', en: 'Supervision end', kind: 'date' },
  classificationLevel: { th: 'ระดับการจำแนก', en: 'Classification level', kind: 'option', options: CLASSIFICATION_LEVELS },
  classifiedOn: { th: 'วันที่จำแนก', en: 'Classified on', kind: 'date' },
  caseReceivedOn: { th: 'วันที่รับคดี', en: 'Case received on', kind: 'date' },
  conditionsAcknowledged: { th: 'รับทราบเงื่อนไขแล้ว', en: 'Conditions acknowledged', kind: 'bool' },
  conditionsAcknowledgedOn: { th: 'วันที่รับทราบเงื่อนไข', en: 'Conditions acknowledged on', kind: 'date' },
  electronicMonitoring: { th: 'ติดอุปกรณ์อิเล็กทรอนิกส์', en: 'Electronic monitoring', kind: 'bool' },
  personId: { th: 'บุคคล', en: 'Person', kind: 'other' }
};

export function fieldLabel(field: string): string {
  const f = FIELDS[field];
  return f ? f[i18n.lang] : field;
}

/** Free text that can keep both versions joined ("both values"). */
export function canHoldBoth(field: string): boolean {
  return FIELDS[field]?.kind === 'text';
}

export function showValue(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return tr('(ว่าง)', '(empty)');
  const f = FIELDS[field];
  if (f?.kind === 'date' && typeof value === 'string') return date(value);
  if (f?.kind === 'option' && f.options) return f.options.label(value as never, i18n.lang) || String(value);
  if (f?.kind === 'bool') return value ? tr('ใช่', 'Yes') : tr('ไม่ใช่', 'No');
  if (field === 'nationalId') {
    const n = value as { status: string; number?: string; source?: string; reason?: string };
    if (n.status === 'number') return `${formatNationalId(n.number ?? '')} (${ID_SOURCES.label(n.source as never, i18n.lang)})`;
    if (n.status === 'none') return `${tr('ไม่มีเลข', 'No number')}: ${NO_ID_REASONS.label(n.reason as never, i18n.lang)}`;
    return tr('ยังไม่ได้บันทึก', 'Not recorded yet');
  }
  if (field === 'contacts' && Array.isArray(value))
    return value
      .map((c: { name: string; relationship?: string; phone?: string }) =>
        [c.name, c.relationship && (RELATIONSHIPS.label(c.relationship as never, i18n.lang) || c.relationship), c.phone]
          .filter(Boolean)
          .join(' · ')
      )
      .join('; ');
  if (field === 'trainingRecords' && Array.isArray(value))
    return value
      .map((t: { course: string; completedOn?: string }) =>
        [t.course, t.completedOn && date(t.completedOn)].filter(Boolean).join(' ')
      )
      .join('; ');
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
