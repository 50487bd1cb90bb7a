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

/** A key for one purpose, derived from SECRET_KEY (HKDF-SHA256): a leak of one use reveals nothing of the others. */
function derivedKey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secretKey, 'portail-famille', purpose, 32));
}

/** A signature for one purpose (HMAC-SHA256 with a key derived for it): a link that acts without logging in. */
export function signFor(secretKey: string, purpose: string, value: string): string {
  return crypto.createHmac('sha256', derivedKey(secretKey, purpose)).update(value).digest('base64url');
}

/**
 * Seals a short secret (a code, a link token) with AES-256-GCM: the database alone (a backup, a
 * stolen copy) does not give it back; only the running portal, which holds SECRET_KEY, can.
 */
export function seal(secretKey: string, purpose: string, plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', derivedKey(secretKey, purpose), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** The sealed secret, or null when it was sealed with another key or altered. */
export function unseal(secretKey: string, purpose: string, sealed: string): string | null {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) return null;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', derivedKey(secretKey, purpose), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
