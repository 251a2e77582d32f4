/**
 * Places for the synthetic datasets (generate.ts): a few Thai provinces and districts with the
 * approximate coordinates of their district seat, so generated people have an address area
 * (statistic 3) and the workplace map (statistic 6) puts points on land near real towns.
 * Coordinates are rounded public knowledge (district seats), not anybody's address.
 */
import type { Random } from '../demo.ts';

export interface Place {
  province: string;
  district: string;
  lat: number;
  lng: number;
}

const p = (province: string, district: string, lat: number, lng: number): Place => ({ province, district, lat, lng });

export const PLACES: readonly Place[] = [
  p('ลำปาง', 'เมืองลำปาง', 18.29, 99.49),
  p('ลำปาง', 'เกาะคา', 18.19, 99.39),
  p('ลำปาง', 'ห้างฉัตร', 18.33, 99.35),
  p('ลำปาง', 'แม่ทะ', 18.15, 99.55),
  p('เชียงใหม่', 'เมืองเชียงใหม่', 18.79, 98.98),
  p('เชียงใหม่', 'สันทราย', 18.85, 99.04),
  p('ลำพูน', 'เมืองลำพูน', 18.58, 99.01),
  p('พะเยา', 'เมืองพะเยา', 19.17, 99.9),
  p('กรุงเทพมหานคร', 'บางกะปิ', 13.77, 100.65),
  p('กรุงเทพมหานคร', 'จตุจักร', 13.83, 100.56),
  p('กรุงเทพมหานคร', 'คลองเตย', 13.71, 100.58),
  p('นนทบุรี', 'ปากเกร็ด', 13.91, 100.5),
  p('ขอนแก่น', 'เมืองขอนแก่น', 16.43, 102.83),
  p('สงขลา', 'หาดใหญ่', 7.01, 100.47),
  p('ชลบุรี', 'บางละมุง', 12.93, 100.88)
];

const PROVINCES = [...new Set(PLACES.map((x) => x.province))];

/** The province most of a unit's people live in: named, or chosen from the unit id. */
export function homeProvinceOf(unitId: string, named?: string): string {
  if (named) return named;
  let h = 0;
  for (const c of unitId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PROVINCES[h % PROVINCES.length];
}

/** A place: four in five in the home province, the rest anywhere on the list. */
export function pickPlace(r: Random, homeProvince: string): Place {
  const home = PLACES.filter((x) => x.province === homeProvince);
  return r.pick(home.length > 0 && r.chance(0.8) ? home : PLACES);
}

/** A point within about 3 km of the place's district seat, rounded to 5 decimals (about 1 m). */
export function near(r: Random, place: Place): { lat: number; lng: number } {
  const jitter = () => (r.next() - 0.5) * 0.06;
  return { lat: Math.round((place.lat + jitter()) * 1e5) / 1e5, lng: Math.round((place.lng + jitter()) * 1e5) / 1e5 };
}
