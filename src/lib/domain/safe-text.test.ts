import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSafeText } from './safe-text.ts';
import { text } from './schemas.ts';

describe('text fields refuse characters no form holds', () => {
  it('refuses "ตัวอักษรควบคุม": NUL and other control characters, but keeps tabs and line breaks', () => {
    expect(isSafeText('สม\u0000ชาย')).toBe(false);
    expect(isSafeText('a\u001Bb')).toBe(false);
    expect(isSafeText('บรรทัดหนึ่ง\nบรรทัดสอง\r\n\tย่อหน้า')).toBe(true);
  });
  it('refuses "ตัวอักษรกลับทิศทาง": bidi embeddings, overrides and isolates', () => {
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])
      expect(isSafeText(`abc${c}def`)).toBe(false);
  });
  it('refuses "ตัวอักษรที่เสียหาย": lone surrogates, but keeps whole emoji and Thai', () => {
    expect(isSafeText('x\uD800y')).toBe(false);
    expect(isSafeText('x\uDC00')).toBe(false);
    expect(isSafeText('ยิ้ม 😀 นายสมชาย')).toBe(true);
  });
  it('is part of every text() field, with a reason naming the field', () => {
    const schema = z.object({ firstName: text(100) });
    const result = schema.safeParse({ firstName: 'abc\u202Eevil' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['firstName']);
    expect(result.error!.issues[0].message).toMatch(/ตัวอักษรควบคุม/);
  });
});
