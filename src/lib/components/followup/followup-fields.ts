/**
 * The follow-up report form's fields for error messages: the form field key (as the form's own
 * checks name it) or the document path, the element the form gives it, and its label.
 */
import type { FieldDef } from '$lib/client/form-errors.ts';

const f = (path: string, element: string, th: string, en: string): FieldDef => ({ path, element, label: { th, en } });

export const FOLLOW_UP_FIELDS: FieldDef[] = [
  f('visitDate', 'visitDate', 'วันที่ติดตาม', 'Date of the visit or contact'),
  f('method', 'method', 'วิธีการติดตาม', 'How'),
  f('visitor', 'visitor', 'ผู้ติดตาม', 'Who did it'),
  f('visitorName', 'in-visitorName', 'ชื่อผู้ติดตาม', 'Name of who did it'),
  f('housingWhere', 'in-housingWhere', 'พักอาศัยอยู่ที่', 'Lives at'),
  f('housingWithWhom', 'in-housingWithWhom', 'พักอาศัยอยู่กับ', 'Lives with'),
  f('housingType', 'in-housingType', 'ประเภทที่พัก', 'Type of housing'),
  f('housingStable', 'housingStable', 'ความมั่นคงของที่พัก', 'Is the housing stable?'),
  f('familyRelations', 'in-familyRelations', 'ความสัมพันธ์กับครอบครัว', 'With the family'),
  f('communityRelations', 'in-communityRelations', 'ความสัมพันธ์กับชุมชน', 'With the community'),
  f('employed', 'employed', 'การทำงาน', 'Work'),
  f('employment', 'employment', 'ลักษณะการทำงาน', 'Works as'),
  f('employerName', 'in-employerName', 'นายจ้าง / สถานที่ทำงาน', 'Employer / workplace'),
  f('kindOfWork', 'in-kindOfWork', 'ลักษณะงาน', 'Kind of work'),
  f('workSince', 'workSince', 'ทำงานตั้งแต่', 'Working since'),
  f('monthlyIncome', 'in-monthlyIncome', 'รายได้ต่อเดือน (บาท)', 'Monthly income (THB)'),
  f('otherDetails', 'in-otherDetails', 'รายละเอียดอื่น ๆ', 'Other details'),
  f('lat', 'in-lat', 'ละติจูด', 'Latitude'),
  f('lng', 'in-lng', 'ลองจิจูด', 'Longitude'),
  f('workplaceLocation', 'in-lat', 'พิกัดสถานที่ทำงาน', 'Workplace location')
];
