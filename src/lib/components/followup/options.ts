/** Small choice lists the follow-up screens use that are not stored option lists of the domain. */
import type { Option } from '$lib/domain/options.ts';

export const YES_NO: readonly Option<'yes' | 'no'>[] = [
  { value: 'yes', th: 'ใช่', en: 'Yes' },
  { value: 'no', th: 'ไม่ใช่', en: 'No' }
];

export const STABLE: readonly Option<'yes' | 'no'>[] = [
  { value: 'yes', th: 'มั่นคง เป็นหลักแหล่ง', en: 'Stable' },
  { value: 'no', th: 'ไม่มั่นคง', en: 'Not stable' }
];

export const EMPLOYED: readonly Option<'yes' | 'no'>[] = [
  { value: 'yes', th: 'มีงานทำ', en: 'Employed' },
  { value: 'no', th: 'ไม่มีงานทำ', en: 'Not employed' }
];

export const EMPLOYMENT: readonly Option<'employee' | 'own-business'>[] = [
  { value: 'employee', th: 'ลูกจ้าง', en: 'Employee' },
  { value: 'own-business', th: 'ธุรกิจส่วนตัว', en: 'Own business' }
];

export const CONSENT_FOLLOW_UP: readonly Option<'yes' | 'no'>[] = [
  { value: 'yes', th: 'ยินยอมให้ติดตาม', en: 'Consents to follow-up' },
  { value: 'no', th: 'ไม่ยินยอม', en: 'Does not consent' }
];
