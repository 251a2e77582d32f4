/**
 * The local verifier that lets a user sign in, and unlock an idle-locked tablet, with no signal:
 * PBKDF2-SHA-256 (WebCrypto) of the password or PIN with a random salt, stored in IndexedDB.
 * The password itself is never stored. 310,000 iterations is the OWASP Password Storage Cheat
 * Sheet's figure for PBKDF2-HMAC-SHA256.
 */
export const VERIFIER_ITERATIONS = 310_000;

export interface Verifier {
  algorithm: 'PBKDF2-SHA-256';
  iterations: number;
  /** base64 */
  salt: string;
  /** base64, 256 bits */
  hash: string;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(secret: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    256
  );
  return new Uint8Array(bits);
}

export async function makeVerifier(secret: string, iterations = VERIFIER_ITERATIONS): Promise<Verifier> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return {
    algorithm: 'PBKDF2-SHA-256',
    iterations,
    salt: toBase64(salt),
    hash: toBase64(await derive(secret, salt, iterations))
  };
}

/** Compares every byte (no early exit), so the time taken does not tell how much matched. */
export async function checkVerifier(secret: string, verifier: Verifier): Promise<boolean> {
  const expected = fromBase64(verifier.hash);
  const actual = await derive(secret, fromBase64(verifier.salt), verifier.iterations);
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= actual[i] ^ expected[i];
  return diff === 0;
}

/** A PIN is six or more digits (and at most 12, a size the tablet bounds). */
export function pinProblem(pin: string): { th: string; en: string } | null {
  if (!/^\d{6,12}$/.test(pin)) return { th: 'PIN ต้องเป็นตัวเลข 6–12 หลัก', en: 'The PIN must be 6 to 12 digits' };
  return null;
}

/** A short stable name for an account's databases: no user name appears in IndexedDB. */
export async function accountKey(username: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(username.trim().toLowerCase()));
  return [...new Uint8Array(digest)]
    .slice(0, 8)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
