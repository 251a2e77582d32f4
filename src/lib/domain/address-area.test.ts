import { describe, expect, it } from 'vitest';
import { areaLine } from './address-area.ts';

describe('areaLine (CARE 01 item 10 "ที่อยู่ภายหลังพ้นโทษ": หมู่บ้าน, ตำบล/แขวง, อำเภอ/เขต)', () => {
  it('names the village, "ตำบล" as ต. and "อำเภอ" as อ. outside Bangkok', () => {
    expect(
      areaLine({ houseNo: '12/3', moo: '4', village: 'บ้านเป้า', subdistrict: 'บ้านเป้า', district: 'เมืองลำปาง', province: 'ลำปาง' })
    ).toBe('บ้านเป้า ต.บ้านเป้า อ.เมืองลำปาง');
  });

  it('falls back to "หมู่" when no village name was written', () => {
    expect(areaLine({ moo: '4', subdistrict: 'สบตุ๋ย', district: 'เมืองลำปาง', province: 'ลำปาง' })).toBe('หมู่ 4 ต.สบตุ๋ย อ.เมืองลำปาง');
  });

  it('says "แขวง" and "เขต" in Bangkok', () => {
    expect(areaLine({ subdistrict: 'ลาดยาว', district: 'จตุจักร', province: 'กรุงเทพมหานคร' })).toBe('แขวงลาดยาว เขตจตุจักร');
  });

  it('is empty without an address or without any area part', () => {
    expect(areaLine(undefined)).toBe('');
    expect(areaLine({ houseNo: '5', postcode: '52100' })).toBe('');
  });
});
