/**
 * Thai official holidays (วันหยุดราชการ) for FY2570 (2026-10-01 … 2027-09-30) and FY2571
 * (2027-10-01 … 2028-09-30), as data. Working-day deadlines (non-compliance: 15 / 30 working days)
 * skip these days.
 *
 * This is the calendar the product ships with. Administrators edit it (the Cabinet adds special
 * holidays or moves substitution days most years); the server stores the edited copy, so the rule
 * functions take the calendar as a parameter and never import `officialHolidays` themselves.
 *
 * What is in it, and why:
 * - Government holidays only. National Labour Day (1 May) is a holiday for banks and private
 *   employers, not for government offices ("ราชการไม่หยุด", Bank of Thailand / press calendars
 *   2566–2568), so it is not listed. The Royal Ploughing Ceremony (วันพืชมงคล) IS a government
 *   holiday, but its date is chosen by the court astrologers and announced only months ahead: it is
 *   not listed (see `pendingHolidayAnnouncements`) rather than guessed.
 * - Substitution days (วันหยุดชดเชย) follow the standing rule applied since 2001: a holiday on a
 *   Saturday or Sunday gives the next working day off; consecutive holidays (Songkran, Asarnha
 *   Bucha + Khao Phansa, New Year's Eve + New Year) get one substitute day after the run, and Khao
 *   Phansa on a Sunday gets none (Asarnha Bucha's substitute covers both). Rules as codified and
 *   checked against Bank of Thailand data in the `holidays` library (vacanza/holidays,
 *   holidays/countries/thailand.py).
 * - Buddhist lunar holidays: full moon of month 3 (Makha Bucha), 6 (Visakha Bucha), 8 (Asarnha
 *   Bucha), and the next day (Khao Phansa). 2027 and 2028 are ordinary lunar years (neither
 *   athikamat nor athikawan), so no month shift. Makha Bucha 2027 (Sun 21 Feb, substitute Mon
 *   22 Feb) is confirmed by publicholidays.asia. The other lunar dates were CALCULATED with the
 *   Thai lunisolar year table of vacanza/holidays (holidays/calendars/thai.py), which reproduces
 *   the announced dates of 2023–2026 (e.g. Visakha 31 May 2026, Asarnha 29 Jul 2026); they are
 *   marked `provisional` until the Cabinet's announcement confirms them.
 */

export type HolidayCalendar = { date: string; th: string; en: string; provisional?: boolean }[];

const BHUMIBOL_MEMORIAL = { th: 'วันนวมินทรมหาราช', en: 'King Bhumibol Adulyadej the Great Memorial Day' };
const CHULALONGKORN = { th: 'วันปิยมหาราช', en: 'King Chulalongkorn Memorial Day' };
const FATHERS_DAY = {
  th: 'วันคล้ายวันพระบรมราชสมภพ รัชกาลที่ 9 วันชาติ และวันพ่อแห่งชาติ',
  en: "King Bhumibol's Birthday, National Day and Father's Day"
};
const CONSTITUTION = { th: 'วันรัฐธรรมนูญ', en: 'Constitution Day' };
const NEW_YEARS_EVE = { th: 'วันสิ้นปี', en: "New Year's Eve" };
const NEW_YEAR = { th: 'วันขึ้นปีใหม่', en: "New Year's Day" };
const MAKHA = { th: 'วันมาฆบูชา', en: 'Makha Bucha Day' };
const CHAKRI = { th: 'วันจักรี', en: 'Chakri Memorial Day' };
const SONGKRAN = { th: 'วันสงกรานต์', en: 'Songkran Festival' };
const CORONATION = { th: 'วันฉัตรมงคล', en: 'Coronation Day' };
const VISAKHA = { th: 'วันวิสาขบูชา', en: 'Visakha Bucha Day' };
const QUEEN_SUTHIDA = {
  th: 'วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าสุทิดา พัชรสุธาพิมลลักษณ พระบรมราชินี',
  en: "HM Queen Suthida's Birthday"
};
const ASARNHA = { th: 'วันอาสาฬหบูชา', en: 'Asarnha Bucha Day' };
const KHAO_PHANSA = { th: 'วันเข้าพรรษา', en: 'Buddhist Lent Day (Khao Phansa)' };
const KING_BIRTHDAY = { th: 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', en: "HM King Vajiralongkorn's Birthday" };
const MOTHERS_DAY = {
  th: 'วันคล้ายวันพระราชสมภพ สมเด็จพระบรมราชชนนีพันปีหลวง และวันแม่แห่งชาติ',
  en: "HM Queen Sirikit The Queen Mother's Birthday and Mother's Day"
};

const substitute = (h: { th: string; en: string }) => ({ th: `ชดเชย${h.th}`, en: `Substitution for ${h.en}` });

/** Lunar date calculated, not yet announced (see the file comment). */
const CALCULATED = { provisional: true } as const;

export const officialHolidays: HolidayCalendar = [
  // ---- FY2570: 2026-10-01 … 2027-09-30 ----
  { date: '2026-10-13', ...BHUMIBOL_MEMORIAL }, // Tue
  { date: '2026-10-23', ...CHULALONGKORN }, // Fri
  { date: '2026-12-05', ...FATHERS_DAY }, // Sat
  { date: '2026-12-07', ...substitute(FATHERS_DAY) }, // Mon
  { date: '2026-12-10', ...CONSTITUTION }, // Thu
  { date: '2026-12-31', ...NEW_YEARS_EVE }, // Thu
  { date: '2027-01-01', ...NEW_YEAR }, // Fri
  { date: '2027-02-21', ...MAKHA }, // Sun — confirmed (publicholidays.asia)
  { date: '2027-02-22', ...substitute(MAKHA) }, // Mon — confirmed (publicholidays.asia)
  { date: '2027-04-06', ...CHAKRI }, // Tue
  { date: '2027-04-13', ...SONGKRAN }, // Tue
  { date: '2027-04-14', ...SONGKRAN }, // Wed
  { date: '2027-04-15', ...SONGKRAN }, // Thu
  { date: '2027-05-04', ...CORONATION }, // Tue
  { date: '2027-05-20', ...VISAKHA, ...CALCULATED }, // Thu
  { date: '2027-06-03', ...QUEEN_SUTHIDA }, // Thu
  { date: '2027-07-18', ...ASARNHA, ...CALCULATED }, // Sun
  { date: '2027-07-19', ...KHAO_PHANSA, ...CALCULATED }, // Mon
  // Asarnha Bucha on Sunday, Khao Phansa on Monday → the substitute is Tuesday.
  { date: '2027-07-20', ...substitute(ASARNHA), ...CALCULATED }, // Tue
  { date: '2027-07-28', ...KING_BIRTHDAY }, // Wed
  // Queen Sirikit died on 24 Oct 2025; 12 August stays Mother's Day. Keep the name under review.
  { date: '2027-08-12', ...MOTHERS_DAY }, // Thu

  // ---- FY2571: 2027-10-01 … 2028-09-30 ----
  { date: '2027-10-13', ...BHUMIBOL_MEMORIAL }, // Wed
  { date: '2027-10-23', ...CHULALONGKORN }, // Sat
  { date: '2027-10-25', ...substitute(CHULALONGKORN) }, // Mon
  { date: '2027-12-05', ...FATHERS_DAY }, // Sun
  { date: '2027-12-06', ...substitute(FATHERS_DAY) }, // Mon
  { date: '2027-12-10', ...CONSTITUTION }, // Fri
  { date: '2027-12-31', ...NEW_YEARS_EVE }, // Fri
  { date: '2028-01-01', ...NEW_YEAR }, // Sat
  { date: '2028-01-03', ...substitute(NEW_YEAR) }, // Mon
  { date: '2028-02-10', ...MAKHA, ...CALCULATED }, // Thu
  { date: '2028-04-06', ...CHAKRI }, // Thu
  { date: '2028-04-13', ...SONGKRAN }, // Thu
  { date: '2028-04-14', ...SONGKRAN }, // Fri
  { date: '2028-04-15', ...SONGKRAN }, // Sat
  // Songkran Thu–Sat → one substitute day, the Monday.
  { date: '2028-04-17', ...substitute(SONGKRAN) }, // Mon
  { date: '2028-05-04', ...CORONATION }, // Thu
  { date: '2028-05-08', ...VISAKHA, ...CALCULATED }, // Mon
  { date: '2028-06-03', ...QUEEN_SUTHIDA }, // Sat
  { date: '2028-06-05', ...substitute(QUEEN_SUTHIDA) }, // Mon
  { date: '2028-07-06', ...ASARNHA, ...CALCULATED }, // Thu
  { date: '2028-07-07', ...KHAO_PHANSA, ...CALCULATED }, // Fri
  { date: '2028-07-28', ...KING_BIRTHDAY }, // Fri
  { date: '2028-08-12', ...MOTHERS_DAY }, // Sat
  { date: '2028-08-14', ...substitute(MOTHERS_DAY) } // Mon
];

/**
 * Government holidays known to exist in these fiscal years whose date is not announced yet, so
 * they are NOT in `officialHolidays`. The administrator screen can show them as a reminder to add.
 */
export const pendingHolidayAnnouncements: { fiscalYear: number; th: string; en: string }[] = [
  {
    fiscalYear: 2570,
    th: 'วันพระราชพิธีพืชมงคลจรดพระนังคัลแรกนาขวัญ 2570 (สำนักพระราชวังกำหนดวันเป็นรายปี)',
    en: 'Royal Ploughing Ceremony 2027 (date set yearly by the Royal Household Bureau)'
  },
  {
    fiscalYear: 2571,
    th: 'วันพระราชพิธีพืชมงคลจรดพระนังคัลแรกนาขวัญ 2571 (สำนักพระราชวังกำหนดวันเป็นรายปี)',
    en: 'Royal Ploughing Ceremony 2028 (date set yearly by the Royal Household Bureau)'
  },
  {
    fiscalYear: 2570,
    th: 'วันหยุดราชการเพิ่มเติมเป็นกรณีพิเศษ (ถ้ามี) ตามมติคณะรัฐมนตรี',
    en: 'Special additional holidays (if any) by Cabinet resolution'
  }
];
