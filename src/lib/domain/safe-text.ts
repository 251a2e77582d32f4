/**
 * Characters no form field should hold (issue 9, item 7): NUL and the other C0/C1 control
 * characters except tab and line breaks, the bidirectional embedding/override/isolate controls
 * (U+202A–U+202E, U+2066–U+2069, which can make a name or note display as something else), and
 * lone UTF-16 surrogates (half a character: they break JSON encoders, PDFs and exports).
 * One refinement, applied by `text()` in schemas.ts to every free-text field.
 */

// Matching control characters is the point of this pattern.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BIDI = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSAFE_TEXT_MESSAGE =
  'มีตัวอักษรควบคุม ตัวอักษรกลับทิศทาง หรือตัวอักษรที่เสียหาย / contains a control, text-direction or broken character';

export function isSafeText(value: string): boolean {
  return !CONTROL_OR_BIDI.test(value) && !LONE_SURROGATE.test(value);
}
