import { describe, expect, it } from 'vitest';
import {
  addressesByArea,
  agencyStatistics,
  dayRange,
  NO_AREA,
  statisticsPeople,
  unitCounts,
  workplaceMap
} from './statistics-people.ts';
import {
  CARE_CENTRE_AGENCY,
  careVisitHelp,
  currentArea,
  PROBATION_AGENCY,
  referralHelp,
  requestHelp,
  workplaceOf,
  type AgencyHelp,
  type StatisticsPerson
} from './statistics-sources.ts';

const range = { from: '2025-01', to: '2025-03' };
const person = (o: Partial<StatisticsPerson>): StatisticsPerson => ({
  personId: 'p',
  unitId: 'u',
  episodes: [],
  followUpDays: [],
  workplaces: [],
  help: [],
  ...o
});
const episode = (releaseDate: string, supervision?: [string, string]) => ({
  _id: `episode:${releaseDate}`,
  releaseType: 'parole' as const,
  releaseDate,
  ...(supervision && { supervisionStart: supervision[0], supervisionEnd: supervision[1] })
});
const help = (o: Partial<AgencyHelp>): AgencyHelp => ({
  agencyId: 'doe',
  on: '2025-02-10',
  source: 'referral',
  outcome: 'helped',
  capital: false,
  paid: 0,
  ...o
});

describe('dayRange', () => {
  it('runs from the first day of the first month to the last day of the last (leap February)', () => {
    expect(dayRange({ from: '2024-01', to: '2024-02' })).toEqual({ start: '2024-01-01', end: '2024-02-29' });
  });
  it('refuses a bad month naming the field', () => {
    expect(() => dayRange({ from: '2024-1', to: '2024-02' })).toThrow(/^from: เดือน/);
  });
});

describe('where the facts come from', () => {
  it('"ที่อยู่ตามพื้นที่": the latest CARE 01 address naming a province, else the house registration', () => {
    const registered = { province: 'ลำปาง', district: 'เมืองลำปาง' };
    expect(currentArea(registered, [])).toEqual({ province: 'ลำปาง', district: 'เมืองลำปาง' });
    expect(
      currentArea(registered, [
        { on: '2025-01-01', address: { province: 'เชียงใหม่', district: 'สันทราย' } },
        { on: '2025-03-01', address: { province: ' ', district: 'x' } },
        { on: '2025-02-01', address: { province: 'ลำพูน' } }
      ])
    ).toEqual({ province: 'ลำพูน' });
    expect(currentArea(undefined, [])).toBeUndefined();
    expect(currentArea({ district: 'เมือง' }, [])).toBeUndefined();
  });

  it('"หน่วยงานให้ความช่วยเหลือ": a referral helps once the service started; refused / not completed did not help', () => {
    const sent = { status: 'sent' as const, on: '2025-01-05', by: 'o' };
    expect(referralHelp({ agencyId: 'doe', events: [sent] })).toMatchObject({ outcome: 'in-progress', on: '2025-01-05' });
    expect(
      referralHelp({
        agencyId: 'doe',
        need: 'capital',
        events: [sent, { status: 'accepted', on: '2025-01-07', by: 'o' }, { status: 'started', on: '2025-01-09', by: 'o' }]
      })
    ).toMatchObject({ agencyId: 'doe', outcome: 'helped', on: '2025-01-09', capital: true });
    expect(referralHelp({ agencyId: 'doe', events: [sent, { status: 'refused', on: '2025-01-08', by: 'o' }] }).outcome).toBe(
      'not-helped'
    );
  });

  it('"ให้ทุนประกอบอาชีพ": a paid assistance request is funding by the Department of Probation, dated in Thailand', () => {
    const h = requestHelp({
      kind: 'occupation-capital',
      amount: 5000,
      history: [
        { state: 'submitted', at: '2025-01-31T10:00:00.000Z', by: 'a', duty: 'intake' },
        { state: 'paid', at: '2025-01-31T18:00:00.000Z', by: 'a', duty: 'intake' }
      ]
    } as never);
    expect(h).toEqual({
      agencyId: PROBATION_AGENCY,
      on: '2025-02-01',
      source: 'request',
      outcome: 'helped',
      capital: true,
      paid: 5000
    });
    const rejected = requestHelp({
      kind: 'food',
      amount: 500,
      history: [{ state: 'rejected', at: '2025-01-31T01:00:00.000Z', by: 'a', duty: 'director' }]
    } as never);
    expect(rejected).toMatchObject({ outcome: 'not-helped', paid: 0, capital: false });
  });

  it("CARE 03 / 04 services are the CARE centre's own help; a visit that only referred counts through the referral", () => {
    expect(careVisitHelp({ type: 'care03', visitDate: '2025-02-02', services: ['capital', 'referral'] })).toEqual({
      agencyId: CARE_CENTRE_AGENCY,
      on: '2025-02-02',
      source: 'care03',
      outcome: 'helped',
      capital: true,
      paid: 0
    });
    expect(careVisitHelp({ type: 'care04', visitDate: '2025-02-02', services: ['referral'] })).toBeUndefined();
  });

  it('a follow-up without a workplace location gives no map point', () => {
    expect(workplaceOf({ visitDate: '2025-01-01' })).toBeUndefined();
    expect(
      workplaceOf({ visitDate: '2025-01-01', workplaceLocation: { lat: 18.29, lng: 99.49, source: 'gps', accuracyM: 12 } })
    ).toEqual({
      on: '2025-01-01',
      lat: 18.29,
      lng: 99.49,
      source: 'gps',
      accuracyM: 12
    });
  });
});

describe('statistic 2 "รายงานหน่วยงานให้ความช่วยเหลือ/ให้ทุนประกอบอาชีพ"', () => {
  const people = [
    person({
      personId: 'a',
      help: [
        help({ agencyId: 'doe' }),
        help({ agencyId: 'doe', on: '2025-03-31', capital: true }),
        help({ agencyId: PROBATION_AGENCY, source: 'request', capital: true, paid: 4000 })
      ]
    }),
    person({
      personId: 'b',
      help: [
        help({ agencyId: 'doe', outcome: 'in-progress' }),
        help({ agencyId: 'doe', outcome: 'not-helped' }),
        // Outside the range: not counted at all.
        help({ agencyId: 'doe', on: '2025-04-01' }),
        help({ agencyId: 'dsd', on: '2024-12-31' })
      ]
    })
  ];

  it('counts each person once per agency, capital separately, baht paid, and every record by outcome', () => {
    expect(agencyStatistics(people, range)).toEqual([
      { agencyId: 'doe', helped: 1, capital: 1, paid: 0, records: { helped: 2, 'in-progress': 1, 'not-helped': 1 } },
      { agencyId: PROBATION_AGENCY, helped: 1, capital: 1, paid: 4000, records: { helped: 1, 'in-progress': 0, 'not-helped': 0 } }
    ]);
  });

  it('the people behind an agency are those it helped in the range', () => {
    expect(statisticsPeople(people, range, { agency: 'doe' }).map((r) => r.personId)).toEqual(['a']);
    expect(statisticsPeople(people, range, { agency: 'dsd' })).toEqual([]);
    expect(statisticsPeople(people, range, { agency: PROBATION_AGENCY, capital: true }).map((r) => r.personId)).toEqual(['a']);
  });
});

describe('statistic 3 "รายงานที่อยู่ตามพื้นที่"', () => {
  const people = [
    person({ personId: 'a', episodes: [episode('2025-01-01')], area: { province: 'ลำปาง', district: 'เกาะคา' } }),
    person({ personId: 'b', episodes: [episode('2025-03-31')], area: { province: 'ลำปาง', district: 'เมืองลำปาง' } }),
    person({ personId: 'c', episodes: [episode('2025-02-01')], area: { province: 'ลำปาง', district: 'เกาะคา' } }),
    person({ personId: 'd', episodes: [episode('2025-02-01')] }),
    person({ personId: 'e', episodes: [episode('2025-02-01')], area: { province: 'น่าน' } }),
    // Released before the range: not counted.
    person({ personId: 'f', episodes: [episode('2024-12-31')], area: { province: 'ลำปาง', district: 'เกาะคา' } })
  ];

  it('counts people released in the range by province and district; no address is "not recorded", listed last', () => {
    expect(addressesByArea(people, range)).toEqual({
      people: 5,
      areas: [
        {
          province: 'ลำปาง',
          people: 3,
          districts: [
            { district: 'เกาะคา', people: 2 },
            { district: 'เมืองลำปาง', people: 1 }
          ]
        },
        { province: 'น่าน', people: 1, districts: [{ district: NO_AREA, people: 1 }] },
        { province: NO_AREA, people: 1, districts: [{ district: NO_AREA, people: 1 }] }
      ]
    });
  });

  it('the people behind a district bar are exactly its count', () => {
    expect(statisticsPeople(people, range, { province: 'ลำปาง', district: 'เกาะคา' }).map((r) => r.personId)).toEqual(['c', 'a']);
    expect(statisticsPeople(people, range, { province: NO_AREA }).map((r) => r.personId)).toEqual(['d']);
  });
});

describe('statistic 6 "รายงานแสดงที่ตั้งสถานที่ทำงาน"', () => {
  it('one point per person: the latest workplace located in the range', () => {
    const people = [
      person({
        personId: 'a',
        workplaces: [
          { on: '2025-01-10', lat: 18.1, lng: 99.1, source: 'gps' },
          { on: '2025-03-10', lat: 18.2, lng: 99.2, source: 'manual' },
          { on: '2025-04-01', lat: 18.3, lng: 99.3, source: 'gps' }
        ]
      }),
      person({ personId: 'b', workplaces: [{ on: '2024-12-31', lat: 13.7, lng: 100.5, source: 'gps' }] })
    ];
    expect(workplaceMap(people, range)).toEqual([
      { personId: 'a', unitId: 'u', on: '2025-03-10', lat: 18.2, lng: 99.2, source: 'manual' }
    ]);
  });
});

describe('statistic 7 "รายงานแสดงรายชื่อผู้พ้นโทษ/ผู้ถูกคุมประพฤติ"', () => {
  it('one row per release in the range, newest first, with the supervision and the area', () => {
    const people = [
      person({ personId: 'a', episodes: [episode('2025-01-05', ['2025-01-06', '2025-07-05']), episode('2023-01-01')] }),
      person({ personId: 'b', unitId: 'v', episodes: [episode('2025-03-01')], area: { province: 'ลำปาง' } })
    ];
    expect(statisticsPeople(people, range)).toEqual([
      {
        personId: 'b',
        unitId: 'v',
        episodeId: 'episode:2025-03-01',
        releaseDate: '2025-03-01',
        releaseType: 'parole',
        area: { province: 'ลำปาง' }
      },
      {
        personId: 'a',
        unitId: 'u',
        episodeId: 'episode:2025-01-05',
        releaseDate: '2025-01-05',
        releaseType: 'parole',
        supervisionStart: '2025-01-06',
        supervisionEnd: '2025-07-05'
      }
    ]);
  });
});

describe('statistic 8 "รายงานจำนวนแยกตามหน่วยงาน"', () => {
  it('counts the people of a unit: released, on supervision on the last day, followed up, helped, located', () => {
    const people = [
      person({
        personId: 'a',
        episodes: [episode('2025-01-05', ['2025-01-06', '2025-03-31'])],
        followUpDays: ['2025-02-01'],
        help: [help({})],
        workplaces: [{ on: '2025-02-01', lat: 18, lng: 99, source: 'gps' }]
      }),
      // Supervision ended the day before the range's last day; helped outside; followed up before.
      person({
        personId: 'b',
        episodes: [episode('2024-06-01', ['2024-06-02', '2025-03-30'])],
        followUpDays: ['2024-12-31'],
        help: [help({ on: '2025-04-01' }), help({ outcome: 'in-progress' })]
      }),
      person({ personId: 'c' })
    ];
    expect(unitCounts(people, range)).toEqual({ people: 3, released: 1, onSupervision: 1, followedUp: 1, helped: 1, located: 1 });
  });
});
