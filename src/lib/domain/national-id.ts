/** Thai 13-digit national ID (docs/domain/ids.md). */

/** Thai digits ๐–๙ (U+0E50–U+0E59) as 0–9: official documents and some keyboards use them. */
export function thaiDigitsToArabic(input: string): string {
  return input.replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
}

/** Arabic digits only: officers type with or without spaces and dashes, in Thai or Arabic digits. */
export function normaliseNationalId(input: string): string {
  return thaiDigitsToArabic(input).replace(/[\s-]/g, '');
}

/**
 * The placeholder `9-9999-99999-99-9`, allowed only in drug-testing and rehabilitation cases
 * (which this product does not record): anywhere else it is an error.
 */
export const PLACEHOLDER_NATIONAL_ID = '9999999999999';

/** d13 = (11 − (Σ d_i × (14 − i)) mod 11) mod 10, for i = 1..12. */
export function nationalIdCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

export type NationalIdProblem = 'empty' | 'not-13-digits' | 'check-digit';

/** Why a typed ID is not a valid national ID, or null when it is. */
export function nationalIdProblem(input: string): NationalIdProblem | null {
  const digits = normaliseNationalId(input);
  if (digits === '') return 'empty';
  if (!/^\d{13}$/.test(digits)) return 'not-13-digits';
  if (nationalIdCheckDigit(digits.slice(0, 12)) !== Number(digits[12])) return 'check-digit';
  return null;
}

export function isValidNationalId(input: string): boolean {
  return nationalIdProblem(input) === null;
}

/** Shown grouped as X-XXXX-XXXXX-XX-X. */
export function formatNationalId(input: string): string {
  const d = normaliseNationalId(input);
  if (d.length !== 13) return input;
  return `${d[0]}-${d.slice(1, 5)}-${d.slice(5, 10)}-${d.slice(10, 12)}-${d[12]}`;
}

/** A valid ID from 12 given digits (demo data and tests). */
export function withCheckDigit(first12: string): string {
  return first12 + nationalIdCheckDigit(first12);
}
