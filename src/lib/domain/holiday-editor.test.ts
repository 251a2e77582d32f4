import { describe, expect, it } from 'vitest';
import {
  calendarDifference,
  explainRefusal,
  groupByFiscalYear,
  holidayDate,
  withChangedHoliday,
  withHoliday,
  withoutHoliday,
  type Holiday
} from './holiday-editor.ts';
import { officialHolidays } from './holidays-th.ts';

const NEW_YEAR: Holiday = { date: '2027-01-01', th: 'วันขึ้นปีใหม่', en: "New Year's Day" };
const LAST_OF_FY: Holiday = { date: '2027-09-30', th: 'ก', en: 'a' };
const FIRST_OF_FY: Holiday = { date: '2027-10-01', th: 'ข', en: 'b' };
const VISAKHA: Holiday = { date: '2027-05-20', th: 'วันวิสาขบูชา', en: 'Visakha Bucha Day', provisional: true };

describe('groupByFiscalYear', () => {
  it('splits at 1 October and names the year in the Buddhist Era, in date order', () => {
    const groups = groupByFiscalYear([FIRST_OF_FY, NEW_YEAR, LAST_OF_FY, { date: '2026-09-30', th: 'ค', en: 'c' }]);
    expect(groups.map((g) => [g.fiscalYear, g.holidays.map((h) => h.date)])).toEqual([
      [2569, ['2026-09-30']],
      [2570, ['2027-01-01', '2027-09-30']],
      [2571, ['2027-10-01']]
    ]);
  });

  it('puts the shipped calendar in FY2570 and FY2571 and loses no day', () => {
    const groups = groupByFiscalYear(officialHolidays);
    expect(groups.map((g) => g.fiscalYear)).toEqual([2570, 2571]);
    expect(groups.flatMap((g) => g.holidays)).toEqual(officialHolidays);
  });

  it('is empty for an empty calendar', () => {
    expect(groupByFiscalYear([])).toEqual([]);
  });
});

describe('editing', () => {
  it('adds a day in date order with trimmed names', () => {
    const result = withHoliday([NEW_YEAR, FIRST_OF_FY], { date: '2027-05-10', th: ' วันหยุดพิเศษ ', en: 'Special holiday ' });
    expect(result).toEqual({
      ok: true,
      calendar: [NEW_YEAR, { date: '2027-05-10', th: 'วันหยุดพิเศษ', en: 'Special holiday' }, FIRST_OF_FY]
    });
  });

  it.each([
    [{ date: '', th: 'ก', en: 'a' }, 'date'],
    [{ date: '2027-02-30', th: 'ก', en: 'a' }, 'date'],
    [{ date: '2027-05-10', th: '  ', en: 'a' }, 'names'],
    [{ date: '2027-05-10', th: 'ก', en: '' }, 'names'],
    [{ date: '2027-01-01', th: 'ซ้ำ', en: 'Again' }, 'duplicate']
  ])('refuses %j (%s)', (h, problem) => {
    expect(withHoliday([NEW_YEAR], h)).toEqual({ ok: false, problem });
  });

  it('removes a day and changes names or the provisional mark without touching the others', () => {
    const calendar = [NEW_YEAR, VISAKHA];
    expect(withoutHoliday(calendar, '2027-01-01')).toEqual([VISAKHA]);
    const renamed = withChangedHoliday(calendar, '2027-01-01', { en: 'New Year' });
    expect(renamed).toEqual([{ ...NEW_YEAR, en: 'New Year' }, VISAKHA]);
    expect(renamed[1]).toBe(VISAKHA);
    // Confirming a lunar date drops the mark altogether (the shape the server stores).
    expect(withChangedHoliday(calendar, VISAKHA.date, { provisional: false })[1]).toEqual({
      date: VISAKHA.date,
      th: VISAKHA.th,
      en: VISAKHA.en
    });
    expect(calendar).toEqual([NEW_YEAR, VISAKHA]);
  });

  it('lists the days added, removed and changed', () => {
    const after = withChangedHoliday(withoutHoliday([...officialHolidays, FIRST_OF_FY], '2027-01-01'), '2027-05-20', {
      provisional: false
    });
    expect(calendarDifference([...officialHolidays], [...officialHolidays])).toEqual({ added: [], removed: [], changed: [] });
    expect(calendarDifference(officialHolidays, after)).toEqual({
      added: ['2027-10-01'],
      removed: ['2027-01-01'],
      changed: ['2027-05-20']
    });
    // A missing mark and `provisional: false` are the same day.
    expect(calendarDifference([NEW_YEAR], [{ ...NEW_YEAR, provisional: false }]).changed).toEqual([]);
  });
});

describe('holidayDate', () => {
  it('shows the weekday and the Buddhist-Era date', () => {
    expect(holidayDate('2026-12-05', 'th')).toBe('ส. 5 ธ.ค. 2569');
    expect(holidayDate('2026-12-05', 'en')).toBe('Sat 5 Dec 2026');
  });
});

describe('explainRefusal', () => {
  const sent: Holiday[] = [NEW_YEAR, { date: '2027-05-10', th: '', en: 'Special holiday' }, { ...NEW_YEAR, th: 'ซ้ำ' }];

  it('names the entry by its date and the field in plain words, in the chosen language', () => {
    const message = '1.th: ต้องกรอก / required; 2.date: วันที่ซ้ำ 2027-01-01 / 2027-01-01 is listed twice (one entry per day)';
    expect(explainRefusal(message, sent, 'th')).toEqual([
      'จ. 10 พ.ค. 2570 · ชื่อภาษาไทย: ต้องกรอก',
      'ศ. 1 ม.ค. 2570 · วันที่: วันที่ซ้ำ 1 ม.ค. 2570'
    ]);
    expect(explainRefusal(message, sent, 'en')).toEqual([
      'Mon 10 May 2027 · Thai name: required',
      'Fri 1 Jan 2027 · date: 1 Jan 2027 is listed twice (one entry per day)'
    ]);
  });

  it('counts from 1 when the entry has no usable date, and keeps messages without a position', () => {
    expect(
      explainRefusal('0.date: วันที่ไม่ถูกต้อง (YYYY-MM-DD) / not a valid date', [{ date: '2027-02-30', th: 'ก', en: 'a' }], 'en')
    ).toEqual(['Entry 1 · date: not a valid date']);
    expect(explainRefusal('0: Unrecognized key: "colour"', [NEW_YEAR], 'en')).toEqual([
      'Fri 1 Jan 2027: Unrecognized key: "colour"'
    ]);
    expect(explainRefusal('เฉพาะผู้ดูแลระบบ / Only an administrator can change the holiday calendar.', [], 'th')).toEqual([
      'เฉพาะผู้ดูแลระบบ'
    ]);
    expect(explainRefusal('at most 2000 holidays', [], 'th')).toEqual(['at most 2000 holidays']);
  });
});
