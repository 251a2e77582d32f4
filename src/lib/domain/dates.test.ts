import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ageOn, BE_OFFSET, beYearToCe, formatDate, formatDateTime, isIsoDate, localIsoDate, todayIso } from './dates.ts';

describe('isIsoDate', () => {
  it.each([
    ['2026-11-22', true],
    ['2026-01-01', true],
    ['2026-12-31', true],
    ['2024-02-29', true], // leap year
    ['2028-02-29', true],
    ['2000-02-29', true], // divisible by 400: leap
    ['2023-02-29', false], // not a leap year
    ['2026-02-29', false],
    ['1900-02-29', false], // divisible by 100 but not 400: not leap
    ['2100-02-29', false],
    ['2026-02-28', true],
    ['2025-02-30', false],
    ['2026-04-31', false],
    ['2026-06-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-01-32', false],
    ['2026-1-05', false],
    ['2026-01-5', false],
    ['26-01-05', false],
    ['2026/01/05', false],
    ['05-01-2026', false],
    ['2026-01-05T00:00:00Z', false],
    [' 2026-01-05', false],
    ['2026-01-05 ', false],
    ['', false],
    ['not a date', false]
  ])('%j → %s', (value, ok) => {
    expect(isIsoDate(value)).toBe(ok);
  });

  it('accepts a year typed in the Buddhist Era as a (far future) date: shape only', () => {
    expect(isIsoDate('2569-11-22')).toBe(true);
  });
});

describe('formatDate', () => {
  it('shows 2026-11-22 as "22 พ.ย. 2569" in Thai (Buddhist Era)', () => {
    expect(formatDate('2026-11-22', 'th')).toBe('22 พ.ย. 2569');
  });

  it('uses Thai by default', () => {
    expect(formatDate('2026-11-22')).toBe('22 พ.ย. 2569');
  });

  it('shows 2026-11-22 as "22 Nov 2026" in English (Common Era)', () => {
    expect(formatDate('2026-11-22', 'en')).toBe('22 Nov 2026');
  });

  it.each([
    ['2026-01-05', '5 ม.ค. 2569', '5 Jan 2026'],
    ['2026-02-14', '14 ก.พ. 2569', '14 Feb 2026'],
    ['2026-03-01', '1 มี.ค. 2569', '1 Mar 2026'],
    ['2026-04-13', '13 เม.ย. 2569', '13 Apr 2026'],
    ['2026-05-31', '31 พ.ค. 2569', '31 May 2026'],
    ['2026-06-30', '30 มิ.ย. 2569', '30 Jun 2026'],
    ['2026-07-28', '28 ก.ค. 2569', '28 Jul 2026'],
    ['2026-08-12', '12 ส.ค. 2569', '12 Aug 2026'],
    ['2026-09-09', '9 ก.ย. 2569', '9 Sep 2026'],
    ['2026-10-13', '13 ต.ค. 2569', '13 Oct 2026'],
    ['2026-11-22', '22 พ.ย. 2569', '22 Nov 2026'],
    ['2026-12-31', '31 ธ.ค. 2569', '31 Dec 2026'],
    ['2024-02-29', '29 ก.พ. 2567', '29 Feb 2024'],
    ['2000-01-01', '1 ม.ค. 2543', '1 Jan 2000']
  ])('%s → %j / %j', (iso, th, en) => {
    expect(formatDate(iso, 'th')).toBe(th);
    expect(formatDate(iso, 'en')).toBe(en);
  });

  it.each([undefined, ''])('shows nothing for %j', (value) => {
    expect(formatDate(value, 'th')).toBe('');
    expect(formatDate(value, 'en')).toBe('');
  });

  it('returns text that is not a date unchanged', () => {
    expect(formatDate('not a date', 'th')).toBe('not a date');
  });

  it('shows a datetime as its local calendar date', () => {
    const lateEvening = new Date(2026, 10, 22, 23, 30).toISOString();
    expect(formatDate(lateEvening, 'th')).toBe('22 พ.ย. 2569');
    expect(formatDate(lateEvening, 'en')).toBe('22 Nov 2026');
  });
});

describe('in Bangkok time (UTC+7)', () => {
  // Node re-reads TZ when process.env.TZ changes; stubEnv sets it and puts it back.
  beforeAll(() => {
    vi.stubEnv('TZ', 'Asia/Bangkok');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('a UTC timestamp late on the 21st is already the 22nd in Thailand', () => {
    expect(localIsoDate('2026-11-21T17:30:00.000Z')).toBe('2026-11-22');
    expect(formatDate('2026-11-21T17:30:00.000Z', 'th')).toBe('22 พ.ย. 2569');
    expect(formatDateTime('2026-11-21T17:30:00.000Z', 'th')).toBe('22 พ.ย. 2569 00:30 น.');
    expect(formatDateTime('2026-11-21T17:30:00.000Z', 'en')).toBe('22 Nov 2026 00:30');
  });

  it('todayIso gives the Thai calendar date', () => {
    expect(todayIso(new Date('2026-11-21T16:59:59.000Z'))).toBe('2026-11-21');
    expect(todayIso(new Date('2026-11-21T17:00:00.000Z'))).toBe('2026-11-22');
  });
});

describe('formatDateTime', () => {
  it('adds the local time, with "น." in Thai only', () => {
    const t = new Date(2026, 10, 22, 9, 5).toISOString();
    expect(formatDateTime(t, 'th')).toBe('22 พ.ย. 2569 09:05 น.');
    expect(formatDateTime(t, 'en')).toBe('22 Nov 2026 09:05');
    expect(formatDateTime(t)).toBe('22 พ.ย. 2569 09:05 น.');
  });

  it.each([undefined, ''])('shows nothing for %j', (value) => {
    expect(formatDateTime(value)).toBe('');
  });

  it('returns an unparseable value unchanged', () => {
    expect(formatDateTime('garbage')).toBe('garbage');
  });
});

describe('localIsoDate / todayIso', () => {
  it('leaves a plain ISO date as it is', () => {
    expect(localIsoDate('2026-11-22')).toBe('2026-11-22');
  });

  it('takes the local date of a datetime', () => {
    expect(localIsoDate(new Date(2026, 0, 1, 0, 0, 1).toISOString())).toBe('2026-01-01');
    expect(localIsoDate(new Date(2025, 11, 31, 23, 59, 59).toISOString())).toBe('2025-12-31');
  });

  it('returns an unparseable value unchanged', () => {
    expect(localIsoDate('soon')).toBe('soon');
  });

  it('todayIso is the local date of the given moment, and a valid ISO date', () => {
    const now = new Date(2026, 1, 28, 12, 0);
    expect(todayIso(now)).toBe('2026-02-28');
    expect(isIsoDate(todayIso())).toBe(true);
  });
});

describe('ageOn', () => {
  it.each([
    // born 14 May 1990
    ['1990-05-14', '2026-05-13', 35], // the day before the birthday
    ['1990-05-14', '2026-05-14', 36], // on the birthday
    ['1990-05-14', '2026-05-15', 36],
    ['1990-05-14', '2026-04-30', 35], // earlier month
    ['1990-05-14', '2026-06-01', 36], // later month, earlier day
    ['1990-05-14', '2026-12-31', 36],
    ['1990-05-14', '2027-01-01', 36],
    ['1990-05-14', '1990-05-14', 0],
    ['1990-05-14', '1991-05-13', 0],
    ['1990-05-14', '1991-05-14', 1],
    // born on 29 February
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2028-02-28', 19],
    ['2008-02-29', '2028-02-29', 20],
    // born on 31 December / 1 January
    ['1985-12-31', '2026-12-30', 40],
    ['1985-12-31', '2026-12-31', 41],
    ['1986-01-01', '2026-01-01', 40],
    ['1986-01-01', '2025-12-31', 39]
  ])('born %s, on %s → %i', (dob, on, age) => {
    expect(ageOn(dob, on)).toBe(age);
  });
});

describe('Buddhist Era', () => {
  it('BE = CE + 543', () => {
    expect(BE_OFFSET).toBe(543);
  });

  it.each([
    [2569, 2026],
    [2543, 2000],
    [2500, 1957],
    [2567, 2024]
  ])('beYearToCe(%i) = %i', (be, ce) => {
    expect(beYearToCe(be)).toBe(ce);
  });

  it('round-trips with the year formatDate shows', () => {
    const shown = formatDate('2026-11-22', 'th').split(' ').at(-1);
    expect(beYearToCe(Number(shown))).toBe(2026);
  });
});
