/** A Thai postal address on one line, in the order and with the abbreviations used on envelopes. */
import type { Care01Doc } from '$lib/domain/index.ts';

export function addressLine(a: Care01Doc['address'] | undefined): string {
  if (!a) return '';
  const bangkok = /กรุงเทพ/.test(a.province ?? '');
  const parts = [
    a.houseNo,
    a.moo && `หมู่ ${a.moo}`,
    a.village,
    a.soi && `ซ.${a.soi}`,
    a.road && `ถ.${a.road}`,
    a.subdistrict && `${bangkok ? 'แขวง' : 'ต.'}${a.subdistrict}`,
    a.district && `${bangkok ? 'เขต' : 'อ.'}${a.district}`,
    a.province && (bangkok ? a.province : `จ.${a.province}`),
    a.postcode
  ];
  return parts.filter((p) => p && p.trim()).join(' ');
}
