/**
 * Password hashing with scrypt (node:crypto), a random salt per user, and a constant-time
 * comparison. The stored string carries its parameters so they can be raised later without
 * invalidating existing hashes: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { checkPasswordPolicy, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../src/lib/domain/password-policy.ts';
import { hashQueue, hashProcess } from './hash-queue.ts';

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

const LOG2_N = 15; // N = 32768: about 50-100 ms on a small server, 32 MiB of memory per check
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

// Plain Uint8Arrays rather than Buffers: @types/pouchdb-core merges its own `Buffer` interface
// into Node's, and the merged type no longer fits node:crypto's signatures.
function scrypt(password: string, salt: Uint8Array, log2N: number, r: number, p: number): Promise<Uint8Array> {
  const options = { N: 2 ** log2N, r, p, maxmem: 256 * 2 ** log2N * r + 1024 * 1024 };
  return hashQueue.run(() => hashProcess.scrypt(password.normalize('NFC'), salt, KEY_BYTES, options));
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)
    throw new Error(`a password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  const salt = Uint8Array.from(randomBytes(SALT_BYTES));
  const key = await scrypt(password, salt, LOG2_N, R, P);
  return ['scrypt', LOG2_N, R, P, toBase64(salt), toBase64(key)].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2N, r, p] = parts.slice(1, 4).map(Number);
  if (![log2N, r, p].every(Number.isInteger) || log2N < 10 || log2N > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const salt = fromBase64(parts[4]);
  const expected = fromBase64(parts[5]);
  const actual = await scrypt(password, salt, log2N, r, p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * For an unknown user name, do the same scrypt work against a hash nobody knows the password
 * of, so the response time does not tell whether the account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await dummyHash);
  return false;
}

// No 0/O, 1/l/I: a one-time password is read off a screen or a phone call and typed.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALPHABET = LOWER + UPPER + DIGITS;

/**
 * A one-time password (first administrator, resets): four groups of five characters joined by
 * '-', about 110 random bits, and always within the password policy.
 */
export function randomPassword(): string {
  for (;;) {
    const groups = Array.from({ length: 4 }, () =>
      Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
    );
    const candidate = groups.join('-');
    if (checkPasswordPolicy(candidate).ok) return candidate;
  }
}
