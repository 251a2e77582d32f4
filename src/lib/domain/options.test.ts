import { describe, expect, it } from 'vitest';
import { AGENCIES, AGENCY_IDS } from './agencies.ts';
import {
  CONSENT,
  DESIRED_OCCUPATIONS,
  EDUCATION_LEVELS,
  HELP_ACTIONS,
  HELP_NEEDS,
  ID_SOURCES,
  NO_ID_REASONS,
  RELATIONSHIPS,
  SEXES,
  SKILLS,
  TITLES
} from './options.ts';

const ALL = {
  TITLES,
  SEXES,
  ID_SOURCES,
  NO_ID_REASONS,
  RELATIONSHIPS,
  EDUCATION_LEVELS,
  SKILLS,
  DESIRED_OCCUPATIONS,
  HELP_NEEDS,
  HELP_ACTIONS,
  CONSENT
};

describe.each(Object.entries(ALL))('%s', (_, options) => {
  it('has unique, stable ASCII codes', () => {
    expect(new Set(options.values).size).toBe(options.values.length);
    for (const v of options.values) expect(v).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('values follow the list order', () => {
    expect(options.values).toEqual(options.list.map((o) => o.value));
  });

  it('every option has a Thai and an English label', () => {
    for (const o of options.list) {
      expect(o.th.trim()).not.toBe('');
      expect(o.en.trim()).not.toBe('');
      expect(o.th).toMatch(/[\u0E00-\u0E7F]/);
    }
  });

  it('label() finds each option in both languages', () => {
    const label = options.label as (value: string | undefined, lang: 'th' | 'en') => string;
    for (const o of options.list) {
      expect(label(o.value, 'th')).toBe(o.th);
      expect(label(o.value, 'en')).toBe(o.en);
    }
    expect(label(undefined, 'th')).toBe('');
    expect(label('no-such-option', 'en')).toBe('');
  });
});

describe('the CARE 01 choice lists', () => {
  it.each([
    [TITLES, 'mr', 'นาย'],
    [TITLES, 'mrs', 'นาง'],
    [TITLES, 'miss', 'นางสาว'],
    [EDUCATION_LEVELS, 'vocational-certificate', 'ปวช.'],
    [EDUCATION_LEVELS, 'vocational-diploma', 'ปวส.'],
    [CONSENT, 'consents', 'ยินยอมเปิดเผยข้อมูล'],
    [CONSENT, 'declines', 'ไม่ยินยอมเปิดเผยข้อมูล'],
    [HELP_NEEDS, 'fare-home', 'ด้านค่าพาหนะกลับภูมิลำเนา'],
    [HELP_ACTIONS, 'employment-project', 'ด้านการจ้างงานตามโครงการคืนคนดีสู่สังคม']
  ] as const)('%#: %s is labelled %s as on the form', (options, value, th) => {
    expect((options.label as (v: string, l: 'th') => string)(value, 'th')).toBe(th);
  });

  it('has the counts of the paper form', () => {
    expect(EDUCATION_LEVELS.values).toHaveLength(9);
    expect(DESIRED_OCCUPATIONS.values).toHaveLength(6);
    expect(HELP_NEEDS.values).toHaveLength(7);
    expect(HELP_ACTIONS.values).toHaveLength(9);
    expect(RELATIONSHIPS.values).toHaveLength(7);
  });

  it('every need has an action of the same kind (needIsAnswered matches by kind)', () => {
    for (const need of HELP_NEEDS.values) expect(HELP_ACTIONS.values).toContain(need);
  });

  it('driving skills come in licensed and unlicensed pairs', () => {
    for (const vehicle of ['car', 'motorcycle']) {
      expect(SKILLS.values).toContain(`${vehicle}-licensed`);
      expect(SKILLS.values).toContain(`${vehicle}-unlicensed`);
    }
  });
});

describe('partner agencies', () => {
  it('have unique ids and both labels', () => {
    expect(new Set(AGENCY_IDS).size).toBe(AGENCIES.length);
    for (const a of AGENCIES) {
      expect(a.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(a.th.trim()).not.toBe('');
      expect(a.en.trim()).not.toBe('');
    }
  });

  it('include the Department of Employment and the Department of Probation', () => {
    expect(AGENCY_IDS).toContain('doe');
    expect(AGENCY_IDS).toContain('probation');
  });
});
