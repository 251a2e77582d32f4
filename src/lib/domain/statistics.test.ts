import { describe, expect, it } from 'vitest';
import type { KpiEpisode, KpiPersonRecord } from './kpi.ts';
import { MAX_STATISTICS_MONTHS, monthlyStatistics, monthsOf } from './statistics.ts';

const episode = (o: Partial<KpiEpisode>): KpiEpisode => ({
  _id: 'episode:x',
  personId: 'p',
  releaseType: 'parole',
  releaseDate: '2025-01-15',
  conditionsAcknowledged: true,
  electronicMonitoring: false,
  ...o
});
const person = (o: Partial<KpiPersonRecord>): KpiPersonRecord => ({
  personId: 'p',
  unitId: 'u',
  episodes: [],
  followUps: [],
  nonCompliance: [],
  vocationalHelp: [],
  needs: [],
  ...o
});

describe('monthsOf', () => {
  it('lists the months of the range across a year end', () => {
    expect(monthsOf({ from: '2024-11', to: '2025-02' })).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });
  it('bad or too long ranges are refused naming the field, Thai first', () => {
    expect(() => monthsOf({ from: '2024-13', to: '2025-01' })).toThrow(/^from: เดือน/);
    expect(() => monthsOf({ from: '2025-02', to: '2025-01' })).toThrow(/^to:/);
    expect(() => monthsOf({ from: '2020-01', to: '2023-01' })).toThrow(new RegExp(`${MAX_STATISTICS_MONTHS}`));
  });
});

describe('statistics "ผู้พ้นโทษ/ผู้ถูกคุมความประพฤติ", "ว่างงาน", "การติดตามเทียบกับจำนวนผู้พ้นโทษ"', () => {
  const people = [
    person({
      personId: 'a',
      episodes: [episode({ releaseDate: '2025-01-31', supervisionStart: '2025-02-01', supervisionEnd: '2025-12-31' })],
      followUps: [
        { personId: 'a', visitDate: '2025-02-01', method: 'home-visit', visitor: 'volunteer', employed: false },
        { personId: 'a', visitDate: '2025-03-31', method: 'phone', visitor: 'probation-officer', employed: true }
      ]
    }),
    person({
      personId: 'b',
      episodes: [episode({ releaseDate: '2025-03-01', supervisionStart: '2025-03-01', supervisionEnd: '2025-03-31' })],
      followUps: [{ personId: 'b', visitDate: '2025-03-10', method: 'home-visit', visitor: 'volunteer', employed: false }]
    }),
    person({ personId: 'c', episodes: [episode({ releaseDate: '2024-12-31' })] })
  ];
  it('counts releases and follow-ups per month, edges of months included', () => {
    const s = monthlyStatistics(people, { from: '2025-01', to: '2025-03' });
    expect(s.released).toEqual([1, 0, 1]);
    expect(s.followUps).toEqual([0, 1, 2]);
  });
  it('on supervision on the last day of the range; unemployed by the latest follow-up', () => {
    const s = monthlyStatistics(people, { from: '2025-01', to: '2025-03' });
    expect(s.totals).toEqual({ released: 2, followUps: 3, onSupervisionAtEnd: 2, unemployedAtEnd: 1, peopleWithWorkInfo: 2 });
    const feb = monthlyStatistics(people, { from: '2025-01', to: '2025-02' });
    expect(feb.totals.unemployedAtEnd).toBe(1); // a's latest by the end of February: no job
    expect(feb.totals.onSupervisionAtEnd).toBe(1);
  });
});
