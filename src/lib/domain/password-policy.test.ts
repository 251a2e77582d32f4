import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy.ts';

describe('password policy ("ตัวพิมพ์เล็ก ตัวพิมพ์ใหญ่ ตัวเลข อักขระพิเศษ" mixed, at least 10 characters)', () => {
  it('accepts a long mixed password', () => {
    expect(checkPasswordPolicy('Lampang-2569!')).toEqual({ ok: true });
    expect(checkPasswordPolicy('กขค-Abc-2569')).toEqual({ ok: true });
  });
  it('"รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร": refuses 9 characters, naming the field', () => {
    const verdict = checkPasswordPolicy('Ab1!Ab1!A', 'next');
    expect(verdict).toMatchObject({ ok: false, field: 'next' });
    if (!verdict.ok) expect(verdict.message).toMatch(/^รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร \/ the password needs at least 10/);
  });
  it.each([
    ['abcdefgh1!', 'ตัวพิมพ์ใหญ่'],
    ['ABCDEFGH1!', 'ตัวพิมพ์เล็ก'],
    ['Abcdefghi!', 'ตัวเลข'],
    ['Abcdefghi1', 'อักขระพิเศษ']
  ])('"รหัสผ่านต้องมี…": %s lacks %s', (password, lacking) => {
    const verdict = checkPasswordPolicy(password);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.th).toContain(lacking);
  });
  it('"ถูกใช้บ่อยเกินไป": refuses a common password however it is decorated', () => {
    for (const p of ['Password123!', 'P@ssw0rd-2024', 'Qwerty!12345', 'Bangkok#2569']) {
      const verdict = checkPasswordPolicy(p);
      expect(verdict, p).toMatchObject({ ok: false });
      if (!verdict.ok) expect(verdict.en).toContain('common');
    }
  });
  it('refuses a password containing the user name', () => {
    expect(checkPasswordPolicy('Field.Officer-9', 'password', 'field.officer')).toMatchObject({ ok: false });
  });
});
