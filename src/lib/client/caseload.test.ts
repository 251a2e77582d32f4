import { describe, expect, it } from 'vitest';
import { holidayDatesFrom } from './caseload.ts';

describe('holidayDatesFrom (the server calendar cached for offline deadlines)', () => {
  it('reads the server answer, a bare list of entries, or a list of dates', () => {
    const server = {
      source: 'edited',
      holidays: [
        { date: '2026-12-05', th: 'วันพ่อ', en: "Father's Day" },
        { date: '2026-12-10', th: 'วันรัฐธรรมนูญ', en: 'Constitution Day' }
      ]
    };
    expect(holidayDatesFrom(server)).toEqual(['2026-12-05', '2026-12-10']);
    expect(holidayDatesFrom(server.holidays)).toEqual(['2026-12-05', '2026-12-10']);
    expect(holidayDatesFrom(['2026-12-05'])).toEqual(['2026-12-05']);
  });

  it('keeps an empty calendar: an administrator may have removed every day', () => {
    expect(holidayDatesFrom({ holidays: [] })).toEqual([]);
  });

  it('refuses the whole answer when any entry is unreadable, or when it is not a calendar', () => {
    expect(holidayDatesFrom({ holidays: [{ date: '2026-12-05' }, { date: '5 Dec 2026' }] })).toBeNull();
    expect(holidayDatesFrom({ holidays: [{ th: 'no date' }] })).toBeNull();
    expect(holidayDatesFrom({ error: 'unauthorized' })).toBeNull();
    expect(holidayDatesFrom(null)).toBeNull();
  });
});
