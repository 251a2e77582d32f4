import { describe, expect, it } from 'vitest';
import { officialHolidays, pendingHolidayAnnouncements } from './holidays-th.ts';
import { addDays, daysBetween, dayOfWeek, fiscalYearOf } from './calendar.ts';
import { isIsoDate } from './dates.ts';

const SUBSTITUTE = 'ชดเชย';
const byName = (th: string) => officialHolidays.filter((h) => h.th === th).map((h) => h.date);

describe('officialHolidays (FY2570 and FY2571)', () => {
  it('holds valid, unique ISO dates in ascending order, all inside FY2570 or FY2571', () => {
    const dates = officialHolidays.map((h) => h.date);
    for (const d of dates) {
      expect(isIsoDate(d)).toBe(true);
      expect([2570, 2571]).toContain(fiscalYearOf(d));
    }
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
  });

  it('names every holiday in Thai and English', () => {
    for (const h of officialHolidays) {
      expect(h.th.trim().length).toBeGreaterThan(0);
      expect(h.en.trim().length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['10-13', 'วันนวมินทรมหาราช'],
    ['10-23', 'วันปิยมหาราช'],
    ['12-05', 'วันคล้ายวันพระบรมราชสมภพ รัชกาลที่ 9 วันชาติ และวันพ่อแห่งชาติ'],
    ['12-10', 'วันรัฐธรรมนูญ'],
    ['12-31', 'วันสิ้นปี'],
    ['01-01', 'วันขึ้นปีใหม่'],
    ['04-06', 'วันจักรี'],
    ['04-13', 'วันสงกรานต์'],
    ['04-14', 'วันสงกรานต์'],
    ['04-15', 'วันสงกรานต์'],
    ['05-04', 'วันฉัตรมงคล'],
    ['06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าสุทิดา พัชรสุธาพิมลลักษณ พระบรมราชินี'],
    ['07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว'],
    ['08-12', 'วันคล้ายวันพระราชสมภพ สมเด็จพระบรมราชชนนีพันปีหลวง และวันแม่แห่งชาติ']
  ])('fixed-date holiday %s (%s) is in both fiscal years', (monthDay, th) => {
    for (const fy of [2570, 2571]) {
      const year = monthDay >= '10' ? fy - 543 - 1 : fy - 543;
      const h = officialHolidays.find((x) => x.date === `${year}-${monthDay}`);
      expect(h?.th).toBe(th);
      expect(h?.provisional).toBeUndefined();
    }
  });

  it('leaves out National Labour Day (not a government holiday)', () => {
    expect(officialHolidays.some((h) => h.date.endsWith('-05-01'))).toBe(false);
  });

  it('puts every substitution day on a weekday, at most 3 days after a weekend holiday of the same name', () => {
    const substitutes = officialHolidays.filter((h) => h.th.startsWith(SUBSTITUTE));
    expect(substitutes.length).toBeGreaterThan(0);
    for (const s of substitutes) {
      expect([1, 2, 3, 4, 5]).toContain(dayOfWeek(s.date));
      const original = s.th.slice(SUBSTITUTE.length);
      const weekendOriginal = byName(original).find((d) => dayOfWeek(d) % 6 === 0 && d < s.date && daysBetween(d, s.date) <= 3);
      expect(weekendOriginal, `${s.date} ${s.th}`).toBeDefined();
    }
  });

  it('gives every weekend holiday a substitution day (Khao Phansa on Sunday is covered by Asarnha Bucha)', () => {
    for (const h of officialHolidays) {
      if (h.th.startsWith(SUBSTITUTE) || dayOfWeek(h.date) % 6 !== 0) continue;
      const name = h.th === 'วันเข้าพรรษา' ? 'วันอาสาฬหบูชา' : h.th;
      const substitute = officialHolidays.find(
        (s) => s.th === SUBSTITUTE + name && s.date > h.date && daysBetween(h.date, s.date) <= 4
      );
      expect(substitute, `${h.date} ${h.th}`).toBeDefined();
    }
  });

  it.each([
    ['2026-12-05', '2026-12-07'], // Father's Day on Saturday → Monday
    ['2027-02-21', '2027-02-22'], // Makha Bucha on Sunday → Monday
    ['2027-07-18', '2027-07-20'], // Asarnha Bucha Sunday, Khao Phansa Monday → Tuesday
    ['2027-10-23', '2027-10-25'],
    ['2027-12-05', '2027-12-06'],
    ['2028-01-01', '2028-01-03'],
    ['2028-04-15', '2028-04-17'], // Songkran Thu–Sat → Monday
    ['2028-06-03', '2028-06-05'],
    ['2028-08-12', '2028-08-14']
  ])('weekend holiday %s is substituted on %s', (holiday, substitute) => {
    expect(officialHolidays.some((h) => h.date === holiday)).toBe(true);
    expect(officialHolidays.find((h) => h.date === substitute)?.th.startsWith(SUBSTITUTE)).toBe(true);
  });

  it.each([
    [2570, { makha: '2027-02-21', visakha: '2027-05-20', asarnha: '2027-07-18', khaoPhansa: '2027-07-19' }],
    [2571, { makha: '2028-02-10', visakha: '2028-05-08', asarnha: '2028-07-06', khaoPhansa: '2028-07-07' }]
  ])('FY%i has each Buddhist lunar holiday once, spaced as in an ordinary lunar year', (fy, expected) => {
    const inFy = (th: string) => byName(th).filter((d) => fiscalYearOf(d) === fy);
    expect(inFy('วันมาฆบูชา')).toEqual([expected.makha]);
    expect(inFy('วันวิสาขบูชา')).toEqual([expected.visakha]);
    expect(inFy('วันอาสาฬหบูชา')).toEqual([expected.asarnha]);
    expect(inFy('วันเข้าพรรษา')).toEqual([expected.khaoPhansa]);
    // Full moon of month 3 → month 6: 29 + 30 + 29 = 88 days; month 6 → month 8: 30 + 29 = 59.
    expect(daysBetween(expected.makha, expected.visakha)).toBe(88);
    expect(daysBetween(expected.visakha, expected.asarnha)).toBe(59);
    expect(addDays(expected.asarnha, 1)).toBe(expected.khaoPhansa);
  });

  it('marks exactly the calculated (not yet announced) lunar dates as provisional', () => {
    expect(officialHolidays.filter((h) => h.provisional).map((h) => h.date)).toEqual([
      '2027-05-20',
      '2027-07-18',
      '2027-07-19',
      '2027-07-20',
      '2028-02-10',
      '2028-05-08',
      '2028-07-06',
      '2028-07-07'
    ]);
  });

  it('lists the Royal Ploughing Ceremony of both years as still to be announced', () => {
    const ploughing = pendingHolidayAnnouncements.filter((p) => p.en.startsWith('Royal Ploughing'));
    expect(ploughing.map((p) => p.fiscalYear)).toEqual([2570, 2571]);
    expect(officialHolidays.some((h) => h.th.includes('พืชมงคล'))).toBe(false);
  });
});
