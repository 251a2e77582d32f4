/**
 * The password policy, enforced wherever a password is set (an administrator creating an
 * account or resetting a password, a user changing their own, the command line, the demo):
 * at least 10 characters, lower case, upper case, a digit and a special character mixed, and
 * not one of the most common passwords (common-passwords.ts) however it is decorated.
 * Messages are Thai first, then English, and name the field.
 */
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 10;
/** Bounds the work an attacker can ask of the password hash with a huge "password". */
export const MAX_PASSWORD_LENGTH = 1024;

export type PasswordProblem = { ok: false; field: string; th: string; en: string; message: string };
export type PasswordVerdict = { ok: true } | PasswordProblem;

/** Digits and symbols typed for letters ("p@ssw0rd"), undone before the common-password check. */
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', $: 's', '5': 's', '7': 't' };

const problem = (field: string, th: string, en: string): PasswordProblem => ({
  ok: false,
  field,
  th,
  en,
  message: `${th} / ${en}`
});

/** `field` names the input the password came from (`password`, `next`, …); `username` must not be inside it. */
export function checkPasswordPolicy(password: string, field = 'password', username?: string): PasswordVerdict {
  if (password.length < MIN_PASSWORD_LENGTH)
    return problem(
      field,
      `รหัสผ่านต้องยาวอย่างน้อย ${MIN_PASSWORD_LENGTH} ตัวอักษร`,
      `the password needs at least ${MIN_PASSWORD_LENGTH} characters`
    );
  if (password.length > MAX_PASSWORD_LENGTH)
    return problem(
      field,
      `รหัสผ่านยาวเกิน ${MAX_PASSWORD_LENGTH} ตัวอักษร`,
      `the password may have at most ${MAX_PASSWORD_LENGTH} characters`
    );
  const missing: Array<[th: string, en: string]> = [];
  if (!/\p{Ll}/u.test(password)) missing.push(['ตัวพิมพ์เล็ก', 'a lower-case letter']);
  if (!/\p{Lu}/u.test(password)) missing.push(['ตัวพิมพ์ใหญ่', 'an upper-case letter']);
  if (!/\p{Nd}/u.test(password)) missing.push(['ตัวเลข', 'a digit']);
  if (!/[^\p{L}\p{N}\s]/u.test(password)) missing.push(['อักขระพิเศษ (เช่น ! - # @)', 'a special character (such as ! - # @)']);
  if (missing.length > 0)
    return problem(
      field,
      `รหัสผ่านต้องมี${missing.map(([th]) => th).join(' ')}`,
      `the password needs ${missing.map(([, en]) => en).join(', ')}`
    );
  const lower = password.toLowerCase();
  const letters = lower.replace(/[^\p{L}]/gu, '');
  // Decorations first ("-2024", "!"), then the letters typed as digits and symbols.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unLeet = [...core]
    .map((c) => LEET[c] ?? c)
    .join('')
    .replace(/[^\p{L}]/gu, '');
  if ([lower, letters, unLeet].some((candidate) => COMMON_PASSWORDS.has(candidate)))
    return problem(field, 'รหัสผ่านนี้ถูกใช้บ่อยเกินไปและเดาง่าย', 'this password is too common and easy to guess');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    return problem(field, 'รหัสผ่านต้องไม่มีชื่อผู้ใช้อยู่ในนั้น', 'the password must not contain the user name');
  return { ok: true };
}
