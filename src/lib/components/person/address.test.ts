import { describe, expect, it } from 'vitest';
import { addressLine } from './address.ts';

describe('a Thai address on one line', () => {
  it('provinces: "ต. อ. จ." before the postcode', () => {
    expect(
      addressLine({
        houseNo: '12/3',
        moo: '4',
        subdistrict: 'บ้านเป้า',
        district: 'เมืองลำปาง',
        province: 'ลำปาง',
        postcode: '52100'
      })
    ).toBe('12/3 หมู่ 4 ต.บ้านเป้า อ.เมืองลำปาง จ.ลำปาง 52100');
  });
  it('Bangkok: "แขวง เขต" and no "จ."', () => {
    expect(
      addressLine({ houseNo: '9', soi: 'สุขุมวิท 3', subdistrict: 'คลองเตยเหนือ', district: 'วัฒนา', province: 'กรุงเทพมหานคร' })
    ).toBe('9 ซ.สุขุมวิท 3 แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพมหานคร');
  });
  it('nothing recorded: empty', () => {
    expect(addressLine({})).toBe('');
    expect(addressLine(undefined)).toBe('');
  });
});
