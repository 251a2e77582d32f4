/**
 * The area of an address on one short line — village (or หมู่), sub-district, district — the way
 * an officer plans a round of home visits: CARE 01 item 10 "ที่อยู่ภายหลังพ้นโทษ" names these parts
 * (ตำบล/แขวง, อำเภอ/เขต). Bangkok says แขวง/เขต, elsewhere ต./อ.
 */
import type { Address } from './schemas.ts';

export function areaLine(a: Address | undefined): string {
  if (!a) return '';
  const bangkok = /กรุงเทพ/.test(a.province ?? '');
  const village = a.village?.trim() ? a.village.trim() : a.moo?.trim() ? `หมู่ ${a.moo.trim()}` : '';
  const parts = [
    village,
    a.subdistrict?.trim() && `${bangkok ? 'แขวง' : 'ต.'}${a.subdistrict.trim()}`,
    a.district?.trim() && `${bangkok ? 'เขต' : 'อ.'}${a.district.trim()}`
  ];
  return parts.filter(Boolean).join(' ');
}
