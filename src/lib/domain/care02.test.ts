import { describe, expect, it } from 'vitest';
import { care02Boxes, care02Changes, care02Deadline, care02Numbers, emptyCare02 } from './care02.ts';
import { SERVICE_KINDS } from './services/care-visits.ts';

const P = (n: number) => `person:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const relative = (firstName: string) => ({ firstName, lastName: 'ใจดี' });

describe('CARE 02 รายงานสถิติผู้เข้าใช้บริการศูนย์แคร์ประจำเดือน', () => {
  it('"ถ้าไม่มีผู้ใช้บริการในหัวข้อรายงานข้อใดให้ใส่เลข 0 ทุกครั้ง": a month without records has every box, all 0', () => {
    const n = care02Numbers('2026-03', { care01: [], care03: [], care04: [] });
    const boxes = care02Boxes(n);
    expect(boxes.length).toBe(1 + 4 + 4 + SERVICE_KINDS.values.length * 4);
    expect(boxes.every(([, v]) => v === 0)).toBe(true);
  });

  it('counts CARE 01 interviews, CARE 03 visits by prisoners / released people and CARE 04 relatives per kind of service, in the month only', () => {
    const n = care02Numbers('2026-03', {
      care01: [{ interviewDate: '2026-03-01' }, { interviewDate: '2026-03-31' }, { interviewDate: '2026-04-01' }],
      care03: [
        { personId: P(1), visitDate: '2026-03-02', clientStatus: 'prisoner', services: ['job-info', 'advice'] },
        { personId: P(1), visitDate: '2026-03-20', clientStatus: 'prisoner', services: ['job-info'] },
        { personId: P(2), visitDate: '2026-03-05', clientStatus: 'released', services: ['capital'] },
        { personId: P(3), visitDate: '2026-02-28', clientStatus: 'released', services: ['capital'] }
      ],
      care04: [
        { personId: P(1), visitDate: '2026-03-03', services: ['medical'], relative: relative('สมศรี') },
        { personId: P(1), visitDate: '2026-03-04', services: ['medical'], relative: relative(' สมศรี ') },
        { personId: P(1), visitDate: '2026-03-04', services: ['advice'], relative: relative('สมชาย') }
      ]
    });
    expect(n.interviews).toBe(2);
    expect(n.visits).toEqual({ prisoner: 2, released: 1, relative: 3, total: 6 });
    expect(n.people).toEqual({ prisoner: 1, released: 1, relative: 2, total: 4 });
    expect(n.services['job-info']).toEqual({ prisoner: 2, released: 0, relative: 0, total: 2 });
    expect(n.services.capital).toEqual({ prisoner: 0, released: 1, relative: 0, total: 1 });
    expect(n.services.medical).toEqual({ prisoner: 0, released: 0, relative: 2, total: 2 });
    expect(n.services.advice).toEqual({ prisoner: 1, released: 0, relative: 1, total: 2 });
    expect(n.services.shelter).toEqual({ prisoner: 0, released: 0, relative: 0, total: 0 });
  });

  it('"ทุกสิ้นเดือน หรือก่อน 16.30 น. ของวันที่ 1": the deadline is 16:30 Thai time on the 1st of the next month, across a year end', () => {
    expect(care02Deadline('2026-03')).toBe('2026-04-01T09:30:00.000Z');
    expect(care02Deadline('2026-12')).toBe('2027-01-01T09:30:00.000Z');
  });

  it('a re-submission lists exactly the boxes that changed, with both numbers', () => {
    const before = emptyCare02();
    const after = emptyCare02();
    after.interviews = 3;
    after.services.shelter.prisoner = 1;
    expect(care02Changes(before, after)).toEqual([
      { box: 'interviews', from: 0, to: 3 },
      { box: 'services.shelter.prisoner', from: 0, to: 1 }
    ]);
    expect(care02Changes(after, after)).toEqual([]);
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => care02Numbers('2569-13', { care01: [], care03: [], care04: [] })).toThrow(/YYYY-MM/);
  });
});
