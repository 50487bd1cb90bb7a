import crypto from 'node:crypto';

/** Random URL-safe token for links and session cookies (256 bits). */
export const randomToken = (): string => crypto.randomBytes(32).toString('base64url');

export const sha256 = (value: string): string => crypto.createHash('sha256').update(value).digest('hex');

/** Keyed hash: lookups by a short code must not be brute-forceable from a stolen database. */
export const hmac = (key: string, value: string): string =>
  crypto.createHmac('sha256', key).update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

// No 0/O, 1/I/L: the code is read from a letter and typed on a phone.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

/** Activation code, 10 characters (≈ 49 bits), shown as ABCDE-FGHJK. */
export function newActivationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What people type: lower case, spaces or a missing dash all mean the same code. */
export function normaliseActivationCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length === CODE_LENGTH ? `${compact.slice(0, 5)}-${compact.slice(5)}` : compact;
}
