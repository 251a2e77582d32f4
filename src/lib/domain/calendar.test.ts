import { describe, expect, it } from 'vitest';
import {
  addDays,
  assertIsoDate,
  addMonths,
  addWorkingDays,
  calendarCoverageWarning,
  coveredFiscalYears,
  daysBetween,
  dayOfWeek,
  endOfWeek,
  fiscalYearOf,
  fiscalYearRange,
  fromDayNumber,
  holidaySet,
  isWorkingDay,
  minDate,
  periodDays,
  toDayNumber,
  workingDayDeadline,
  workingDaysBetween
} from './calendar.ts';
import { officialHolidays, type HolidayCalendar } from './holidays-th.ts';

describe('fiscal year (1 Oct – 30 Sep, named by the BE year it ends in)', () => {
  it.each([
    ['2025-10-01', 2569], // docs/domain/calendar.md: FY2569 = 1 Oct 2025 – 30 Sep 2026
    ['2026-09-30', 2569],
    ['2026-10-01', 2570],
    ['2026-11-22', 2570],
    ['2026-12-31', 2570],
    ['2027-01-01', 2570],
    ['2027-03-31', 2570], // end of the 6-month KPI period
    ['2027-09-30', 2570],
    ['2027-10-01', 2571],
    ['2028-02-29', 2571],
    ['2028-09-30', 2571],
    ['2028-10-01', 2572]
  ])('%s is in FY%i', (iso, fy) => {
    expect(fiscalYearOf(iso)).toBe(fy);
  });

  it.each([
    [2569, '2025-10-01', '2026-09-30'],
    [2570, '2026-10-01', '2027-09-30'],
    [2571, '2027-10-01', '2028-09-30']
  ])('FY%i runs %s … %s', (fy, start, end) => {
    expect(fiscalYearRange(fy)).toEqual({ start, end });
    expect(fiscalYearOf(start)).toBe(fy);
    expect(fiscalYearOf(end)).toBe(fy);
    expect(fiscalYearOf(addDays(start, -1))).toBe(fy - 1);
    expect(fiscalYearOf(addDays(end, 1))).toBe(fy + 1);
  });

  it.each([2027, 0, 2570.5, NaN])('refuses a fiscal year that is not a Buddhist-Era year: %s', (fy) => {
    expect(() => fiscalYearRange(fy)).toThrow(RangeError);
  });
});

describe('calendar-day arithmetic in UTC', () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2028-02-28', 1, '2028-02-29'], // leap year
    ['2028-03-01', -1, '2028-02-29'],
    ['2027-01-01', 364, '2027-12-31'],
    ['2026-10-01', 0, '2026-10-01']
  ])('%s + %i days = %s', (iso, n, expected) => {
    expect(addDays(iso, n)).toBe(expected);
    expect(daysBetween(iso, expected)).toBe(n);
  });

  it('day numbers agree with the JavaScript Date (UTC) for every day from 1900 to 2100', () => {
    const first = Date.UTC(1900, 0, 1) / 86_400_000;
    const last = Date.UTC(2100, 11, 31) / 86_400_000;
    const mismatches: string[] = [];
    for (let day = first; day <= last; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (fromDayNumber(day) !== iso || toDayNumber(iso) !== day) mismatches.push(iso);
    }
    expect(last - first + 1).toBe(73_414); // 201 years, 49 leap days
    expect(mismatches).toEqual([]);
  });

  it('day numbers round-trip and start at 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    for (const iso of ['2026-10-01', '2027-04-13', '2028-02-29', '2028-12-31']) expect(fromDayNumber(toDayNumber(iso))).toBe(iso);
  });

  it.each([
    ['1970-01-01', 4], // Thursday
    ['2026-11-22', 0], // Sunday
    ['2026-11-23', 1],
    ['2027-04-13', 2], // Songkran 2027 starts on a Tuesday
    ['2028-01-01', 6] // Saturday
  ])('%s is weekday %i (0 = Sunday)', (iso, weekday) => {
    expect(dayOfWeek(iso)).toBe(weekday);
  });

  it.each([
    ['2026-12-15', 1, '2027-01-15'],
    ['2027-01-31', 1, '2027-02-28'], // shorter month: last day
    ['2028-01-31', 1, '2028-02-29'], // leap year
    ['2027-03-31', 1, '2027-04-30'],
    ['2027-08-31', 1, '2027-09-30'],
    ['2027-01-15', 12, '2028-01-15'],
    ['2027-03-31', -1, '2027-02-28']
  ])('%s + %i month(s) = %s', (iso, months, expected) => {
    expect(addMonths(iso, months)).toBe(expected);
  });

  it.each([
    ['2026-11-23', '2026-11-29'], // Monday → Sunday
    ['2026-11-28', '2026-11-29'], // Saturday → next day
    ['2026-11-22', '2026-11-22'] // Sunday: the week ends today
  ])('the week of %s ends on %s', (iso, sunday) => {
    expect(endOfWeek(iso)).toBe(sunday);
  });

  it('minDate picks the earlier date', () => {
    expect(minDate('2027-01-02', '2026-12-31')).toBe('2026-12-31');
    expect(minDate('2026-12-31', '2027-01-02')).toBe('2026-12-31');
  });

  it.each(['2027-02-30', '2027-1-05', '', '22/11/2026', '2026-11-22T00:00:00Z'])('refuses a bad date %j', (bad) => {
    expect(() => toDayNumber(bad)).toThrow(RangeError);
    expect(() => addDays(bad, 1)).toThrow(RangeError);
    expect(() => fiscalYearOf(bad)).toThrow(RangeError);
    expect(() => addWorkingDays(bad, 1, [])).toThrow(RangeError);
  });

  it('assertIsoDate names what was wrong', () => {
    expect(() => assertIsoDate('2027-13-01', 'the evaluation day')).toThrow(
      'the evaluation day must be an ISO date (YYYY-MM-DD), got "2027-13-01"'
    );
    expect(() => assertIsoDate('2027-12-01')).not.toThrow();
  });

  it('refuses fractional day counts', () => {
    expect(() => addDays('2027-01-01', 1.5)).toThrow(RangeError);
    expect(() => addMonths('2027-01-01', 0.5)).toThrow(RangeError);
  });
});

describe('working days (Mon–Fri minus holidays)', () => {
  it.each([
    ['2026-11-23', true], // Monday
    ['2026-11-27', true], // Friday
    ['2026-11-28', false], // Saturday
    ['2026-11-29', false], // Sunday
    ['2026-12-07', false], // Monday, substitute for 5 Dec (Saturday)
    ['2026-12-10', false], // Constitution Day, Thursday
    ['2027-04-13', false], // Songkran
    ['2027-04-16', true], // Friday after Songkran
    ['2027-05-01', false], // Saturday (Labour Day is not a government holiday anyway)
    ['2027-05-03', true] // Monday: no substitute for Labour Day in the government calendar
  ])('%s working day: %s', (iso, expected) => {
    expect(isWorkingDay(iso, officialHolidays)).toBe(expected);
    expect(isWorkingDay(iso, holidaySet(officialHolidays))).toBe(expected);
  });

  it('an administrator-edited calendar is honoured (special holiday added)', () => {
    const edited: HolidayCalendar = [...officialHolidays, { date: '2026-11-27', th: 'วันหยุดพิเศษ', en: 'Special holiday' }];
    expect(isWorkingDay('2026-11-27', officialHolidays)).toBe(true);
    expect(isWorkingDay('2026-11-27', edited)).toBe(false);
  });

  it.each([
    // [event, n, calendar, expected] — day 1 = first working day after the event
    ['2026-11-20', 1, 'official', '2026-11-23'], // Friday → Monday
    ['2026-11-21', 1, 'official', '2026-11-23'], // event on Saturday → Monday
    ['2026-11-23', 0, 'official', '2026-11-23'], // n = 0: the event day
    ['2026-11-23', 5, 'official', '2026-11-30'],
    ['2026-12-30', 1, 'official', '2027-01-04'], // New Year: 31 Dec and 1 Jan are holidays
    ['2026-12-30', 1, 'none', '2026-12-31'],
    ['2027-04-09', 1, 'official', '2027-04-12'], // Monday before Songkran is a working day
    ['2027-04-09', 2, 'official', '2027-04-16'], // … then Songkran 13–15 is skipped
    ['2027-04-01', 15, 'official', '2027-04-28'], // spans Chakri Day and Songkran
    ['2027-04-01', 15, 'none', '2027-04-22'],
    ['2028-04-12', 1, 'official', '2028-04-18'] // Songkran Thu–Sat 2028 + substitute Monday 17th
  ])('%s + %i working days (%s holidays) = %s', (event, n, which, expected) => {
    const calendar = which === 'official' ? officialHolidays : [];
    const result = addWorkingDays(event, n, calendar);
    expect(result).toBe(expected);
    expect(workingDaysBetween(event, result, calendar)).toBe(n);
  });

  it('addWorkingDays and workingDaysBetween agree for every start day of FY2570 and n = 0…35', () => {
    const { start, end } = fiscalYearRange(2570);
    for (let day = start; day <= end; day = addDays(day, 1)) {
      for (let n = 0; n <= 35; n += 7) {
        const deadline = addWorkingDays(day, n, officialHolidays);
        expect(workingDaysBetween(day, deadline, officialHolidays)).toBe(n);
        if (n > 0) {
          expect(isWorkingDay(deadline, officialHolidays)).toBe(true);
          expect(deadline > day).toBe(true);
        }
      }
    }
  });

  it('counts nothing when the end is not after the start', () => {
    expect(workingDaysBetween('2026-11-23', '2026-11-23', [])).toBe(0);
    expect(workingDaysBetween('2026-11-25', '2026-11-23', [])).toBe(0);
  });

  it('counts a whole week as 5 and FY2570 as 365 days minus weekends minus weekday holidays', () => {
    expect(workingDaysBetween('2026-11-22', '2026-11-29', [])).toBe(5);
    const { start, end } = fiscalYearRange(2570);
    const weekdayHolidays = officialHolidays.filter(
      (h) => h.date >= start && h.date <= end && dayOfWeek(h.date) % 6 !== 0
    ).length;
    // FY2570 has 365 days: 52 full weeks + 1 day (Thursday 1 Oct 2026 … Thursday 30 Sep 2027 → 261 weekdays).
    expect(workingDaysBetween(addDays(start, -1), end, [])).toBe(261);
    expect(workingDaysBetween(addDays(start, -1), end, officialHolidays)).toBe(261 - weekdayHolidays);
  });

  it('refuses a negative or fractional number of working days', () => {
    expect(() => addWorkingDays('2027-01-04', -1, [])).toThrow(RangeError);
    expect(() => addWorkingDays('2027-01-04', 1.5, [])).toThrow(RangeError);
  });
});

describe('periodDays: a supervision period counts its first and last day', () => {
  it('"1–30 January is 30 days"', () => {
    expect(periodDays('2027-01-01', '2027-01-30')).toBe(30);
    expect(periodDays('2027-01-01', '2027-01-01')).toBe(1);
    expect(periodDays('2028-01-01', '2028-12-31')).toBe(366);
  });
});

describe('calendar coverage: working days outside the years the holiday calendar covers', () => {
  it('the shipped calendar covers FY2570 and FY2571', () => {
    expect([...coveredFiscalYears(officialHolidays)].sort()).toEqual([2570, 2571]);
  });

  it('no warning inside the covered years', () => {
    expect(calendarCoverageWarning('2026-10-01', '2028-09-30', officialHolidays)).toBeUndefined();
    expect(workingDayDeadline('2027-04-01', 15, officialHolidays)).toEqual({ date: '2027-04-28' });
  });

  it('warns, naming the fiscal years, when a count reaches past the calendar', () => {
    const { date, warning } = workingDayDeadline('2028-09-25', 15, officialHolidays);
    expect(date).toBe(addWorkingDays('2028-09-25', 15, officialHolidays));
    expect(warning?.uncoveredFiscalYears).toEqual([2572]);
    expect(warning?.en).toBe(
      'The holiday calendar has no entries for FY2572: working days are counted without public holidays, so the real deadline may be later'
    );
    expect(calendarCoverageWarning('2026-01-05', '2026-02-05', officialHolidays)?.uncoveredFiscalYears).toEqual([2569]);
  });

  it('an empty calendar covers nothing', () => {
    expect(calendarCoverageWarning('2027-04-01', '2027-04-22', [])?.uncoveredFiscalYears).toEqual([2570]);
  });
});
