import { describe, expect, it } from 'vitest';
import {
  formatNationalId,
  isValidNationalId,
  nationalIdCheckDigit,
  nationalIdProblem,
  normaliseNationalId,
  withCheckDigit
} from './national-id.ts';
import { checkDoc } from './validate-doc.ts';
import { changed, fullPerson, UNIT, VALID_NATIONAL_ID } from './test-fixtures.ts';

/**
 * The check digit written independently of the code under test (docs/domain/ids.md):
 * d13 = (11 − (Σ_{i=1..12} d_i × (14 − i)) mod 11) mod 10.
 * Here the digits are walked from the right, where the weights run 2, 3, …, 13.
 */
const remainder = (first12: string) =>
  [...first12].reverse().reduce((sum, digit, fromRight) => sum + Number(digit) * (fromRight + 2), 0) % 11;
const expectedCheckDigit = (first12: string) => (11 - remainder(first12)) % 10;

/** Deterministic 12-digit prefixes (a small LCG), so failures are reproducible. */
function prefixes(count: number): string[] {
  let seed = 20261122;
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let p = '';
    for (let k = 0; k < 12; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      p += String(seed % 10);
    }
    out.push(p);
  }
  return out;
}

/** Hand-checked valid IDs, covering every way the final "mod 10" can fall. */
const KNOWN_VALID = [
  { id: VALID_NATIONAL_ID, remainder: 2, note: 'fixture ID' },
  { id: '3100601234565', remainder: 6, note: 'Bangkok-style ID' },
  { id: '5700100456787', remainder: 4, note: 'another province' },
  { id: '9999999999994', remainder: 7, note: 'all nines with its real check digit' },
  { id: '1234567890121', remainder: 0, note: 'sum ≡ 0 → (11 − 0) mod 10 = 1' },
  { id: '1103702345601', remainder: 10, note: 'sum ≡ 10 → 1' },
  { id: '1103702345610', remainder: 1, note: 'sum ≡ 1 → 10 mod 10 = 0' },
  { id: '0000000000001', remainder: 0, note: 'all zeros' }
];

describe('nationalIdCheckDigit', () => {
  it.each(KNOWN_VALID)('$id ($note)', ({ id, remainder: r }) => {
    const first12 = id.slice(0, 12);
    expect(remainder(first12)).toBe(r);
    expect(expectedCheckDigit(first12)).toBe(Number(id[12]));
    expect(nationalIdCheckDigit(first12)).toBe(Number(id[12]));
  });

  it('matches the formula on 500 generated prefixes', () => {
    for (const p of prefixes(500)) expect(nationalIdCheckDigit(p), p).toBe(expectedCheckDigit(p));
  });

  it('weights the first digit by 13 and the twelfth by 2', () => {
    // 1 followed by zeros: 13 mod 11 = 2 → 9. Zeros then 1: 2 mod 11 = 2 → 9. Zeros then 5: 10 → 1.
    expect(nationalIdCheckDigit('100000000000')).toBe(9);
    expect(nationalIdCheckDigit('000000000001')).toBe(9);
    expect(nationalIdCheckDigit('000000000005')).toBe(1);
    expect(nationalIdCheckDigit('010000000000')).toBe((11 - (12 % 11)) % 10);
  });
});

describe('withCheckDigit', () => {
  it('appends the check digit and the result is valid', () => {
    expect(withCheckDigit('110370234567')).toBe(VALID_NATIONAL_ID);
    for (const p of prefixes(100)) {
      const id = withCheckDigit(p);
      expect(id).toHaveLength(13);
      expect(id.startsWith(p)).toBe(true);
      expect(isValidNationalId(id), id).toBe(true);
    }
  });
});

describe('nationalIdProblem / isValidNationalId', () => {
  it.each(KNOWN_VALID)('accepts $id', ({ id }) => {
    expect(nationalIdProblem(id)).toBeNull();
    expect(isValidNationalId(id)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['- -', 'empty'],
    ['110370234567', 'not-13-digits'], // 12 digits
    ['11037023456790', 'not-13-digits'], // 14 digits
    ['1', 'not-13-digits'],
    ['110370234567X', 'not-13-digits'],
    ['A103702345679', 'not-13-digits'],
    ['abcdefghijklm', 'not-13-digits'],
    ['1.103702345679', 'not-13-digits'],
    ['1_1037_02345_67_9', 'not-13-digits'],
    ['+110370234567', 'not-13-digits'],
    ['1103702345670', 'check-digit'],
    ['1103702345678', 'check-digit']
  ] as const)('%j → %s', (input, problem) => {
    expect(nationalIdProblem(input)).toBe(problem);
    expect(isValidNationalId(input)).toBe(false);
  });

  it.each(['9999999999999', '9-9999-99999-99-9', '9 9999 99999 99 9'])(
    'rejects the drug-rehabilitation placeholder %j',
    (placeholder) => {
      expect(isValidNationalId(placeholder)).toBe(false);
      expect(nationalIdProblem(placeholder)).toBe('check-digit');
    }
  );

  it('the placeholder is refused in a person document too', () => {
    const doc = changed(fullPerson(), ['nationalId', 'number'], '9999999999999');
    const check = checkDoc(doc, UNIT);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain('nationalId.number');
  });
});

describe('single-digit corruption', () => {
  const corruptions = (id: string) =>
    [...id].flatMap((original, position) =>
      '0123456789'
        .split('')
        .filter((digit) => digit !== original)
        .map((digit) => ({ position, corrupted: id.slice(0, position) + digit + id.slice(position + 1) }))
    );

  // The official weights are 13, 12, 11, …, 2: the third digit is weighted 11 ≡ 0 (mod 11), so
  // no change to it can move the sum. Every other position is caught, as long as the remainder
  // is not 0 or 10 (both give check digit 1, see below).
  const THIRD_DIGIT = 2;

  it.each(KNOWN_VALID.filter((k) => k.remainder >= 1 && k.remainder <= 9))(
    'every corruption of $id outside the third digit is rejected',
    ({ id }) => {
      const caught = corruptions(id).filter((c) => c.position !== THIRD_DIGIT);
      expect(caught).toHaveLength(12 * 9);
      for (const { corrupted } of caught) expect(nationalIdProblem(corrupted), corrupted).toBe('check-digit');
    }
  );

  it('every corruption of the check digit itself is rejected, for every known ID', () => {
    for (const { id } of KNOWN_VALID)
      for (const { position, corrupted } of corruptions(id))
        if (position === 12) expect(isValidNationalId(corrupted), corrupted).toBe(false);
  });

  it('the code agrees with the formula on every corruption of 50 generated IDs', () => {
    for (const p of prefixes(50)) {
      const id = withCheckDigit(p);
      for (const { corrupted } of corruptions(id)) {
        const formulaSaysValid = expectedCheckDigit(corrupted.slice(0, 12)) === Number(corrupted[12]);
        expect(isValidNationalId(corrupted), corrupted).toBe(formulaSaysValid);
      }
    }
  });

  it('limitation of the official algorithm: a changed third digit is never detected', () => {
    for (const { corrupted, position } of corruptions(VALID_NATIONAL_ID))
      if (position === THIRD_DIGIT) expect(isValidNationalId(corrupted), corrupted).toBe(true);
  });

  it('limitation of the official algorithm: remainders 0 and 10 share check digit 1', () => {
    // 1103702345601 (sum ≡ 10) and 1103702345661 (sum ≡ 0) differ only in the twelfth digit.
    expect(isValidNationalId('1103702345601')).toBe(true);
    expect(isValidNationalId('1103702345661')).toBe(true);
  });
});

describe('normaliseNationalId', () => {
  it.each([
    [VALID_NATIONAL_ID, VALID_NATIONAL_ID],
    ['1-1037-02345-67-9', VALID_NATIONAL_ID],
    ['1 1037 02345 67 9', VALID_NATIONAL_ID],
    ['  1103702345679  ', VALID_NATIONAL_ID],
    ['1-1037 02345-67 9', VALID_NATIONAL_ID],
    ['1\t1037\n02345 67 9', VALID_NATIONAL_ID],
    ['1--1037--02345', '1103702345'],
    ['', '']
  ])('%j → %j', (input, output) => {
    expect(normaliseNationalId(input)).toBe(output);
  });

  it.each(['1-1037-02345-67-9', '1 1037 02345 67 9', ' 1103702345679 ', '1-1037-02345-67-9\n'])(
    '%j is valid once normalised',
    (typed) => {
      expect(isValidNationalId(typed)).toBe(true);
    }
  );

  it('keeps letters and other punctuation, so they still fail', () => {
    expect(normaliseNationalId('1.1037/02345')).toBe('1.1037/02345');
  });

  it('"ตัวเลขไทย (๐–๙)": a number typed in Thai digits is the same number', () => {
    expect(normaliseNationalId('๑๑๐๓๗๐๒๓๔๕๖๗๙')).toBe(VALID_NATIONAL_ID);
    expect(normaliseNationalId('๑-๑๐๓๗-๐๒๓๔๕-๖๗-๙')).toBe(VALID_NATIONAL_ID);
    expect(normaliseNationalId('1-๑๐๓7-02345-๖7-9')).toBe(VALID_NATIONAL_ID);
    expect(nationalIdProblem('๑๑๐๓๗๐๒๓๔๕๖๗๙')).toBeNull();
    expect(nationalIdProblem('๑๑๐๓๗๐๒๓๔๕๖๗๘')).toBe('check-digit');
  });

  it('the placeholder 9-9999-99999-99-9 never passes (its check digit would be 4)', () => {
    expect(nationalIdProblem('9-9999-99999-99-9')).toBe('check-digit');
  });
});

describe('formatNationalId', () => {
  it.each([
    [VALID_NATIONAL_ID, '1-1037-02345-67-9'],
    ['1-1037-02345-67-9', '1-1037-02345-67-9'],
    ['1 1037 02345 67 9', '1-1037-02345-67-9'],
    ['3100601234565', '3-1006-01234-56-5'],
    ['9999999999999', '9-9999-99999-99-9']
  ])('%j → %j', (input, output) => {
    expect(formatNationalId(input)).toBe(output);
    expect(formatNationalId(input)).toMatch(/^\d-\d{4}-\d{5}-\d{2}-\d$/);
  });

  it.each(['', '110370234567', '11037023456790', '1-1037-02345'])('leaves %j (not 13 characters) as typed', (input) => {
    expect(formatNationalId(input)).toBe(input);
  });

  it('formatting then normalising gives the digits back', () => {
    for (const p of prefixes(20)) {
      const id = withCheckDigit(p);
      expect(normaliseNationalId(formatNationalId(id))).toBe(id);
    }
  });
});
