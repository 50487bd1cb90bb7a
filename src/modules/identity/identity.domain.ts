import { guessability } from './password-guessability.ts';

/**
 * Pure rules of accounts: password strength, code expiry, statuses.
 * No I/O here: time is passed in.
 */

export type PasswordProblem = 'password_missing' | 'password_too_long' | 'password_too_weak' | 'password_personal' | 'password_repeated' | 'password_common' | 'password_pattern';
export type PasswordCheck = { ok: true; bits: number } | { ok: false; code: PasswordProblem; bits: number };

/**
 * CNIL recommendation (délibération n° 2022-100), case of a password used alone: at least 80 bits of entropy,
 * e.g. 12 characters mixing upper case, lower case, digits and special characters, or a longer passphrase.
 * Entropy is estimated as length × log2(size of the character classes used).
 */
export const MIN_PASSWORD_BITS = 80;
export const MAX_PASSWORD_LENGTH = 128;
export const PASSWORD_HINT =
  'Au moins 12 caractères avec des majuscules, des minuscules, des chiffres et des caractères spéciaux, ou une phrase plus longue (par exemple quatre mots, 20 caractères ou plus). Évitez les mots de passe courants et les suites du clavier.';

export function passwordEntropyBits(password: string): number {
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(password)) pool += 33;
  return pool === 0 ? 0 : Math.floor(password.length * Math.log2(pool));
}

/**
 * Length and classes alone let through `Password1234!` or `azertyuiopqsdfghjklm`: the password is also
 * scored by zxcvbn (offline: lists of common and leaked passwords, French words and names, qwerty and
 * azerty keyboards, repeats, sequences, dates) and must need at least 10¹⁰ guesses (its score 4).
 */
export function checkPassword(password: string, context: { email?: string | null; names?: string[] } = {}): PasswordCheck {
  const bits = passwordEntropyBits(password);
  if (password.length === 0) return { ok: false, bits, code: 'password_missing' };
  if (password.length > MAX_PASSWORD_LENGTH) return { ok: false, bits, code: 'password_too_long' };
  if (bits < MIN_PASSWORD_BITS) return { ok: false, bits, code: 'password_too_weak' };
  const lower = password.toLowerCase();
  const personal = [context.email?.split('@')[0], ...(context.names ?? [])].filter((v): v is string => !!v && v.length >= 4);
  if (personal.some((p) => lower.includes(p.toLowerCase()))) return { ok: false, bits, code: 'password_personal' };
  if (/(.)\1{5,}/.test(password)) return { ok: false, bits, code: 'password_repeated' };
  const guessable = guessability(password);
  if (guessable) return { ok: false, bits, code: guessable };
  return { ok: true, bits };
}

export type CodeState = 'valid' | 'used' | 'expired' | 'revoked';

/**
 * The code alone identifies the invitation (a letter carries nothing else). Guessing is out of reach:
 * ≈ 49 bits per code and 10 tries a minute per address (rate limit on the route).
 */
export function activationCodeState(code: { expires_at: string; used_at: string | null; revoked_at: string | null }, now: Date): CodeState {
  if (code.used_at) return 'used';
  if (code.revoked_at) return 'revoked';
  if (Date.parse(code.expires_at) <= now.getTime()) return 'expired';
  return 'valid';
}

/** The outcome code of a code that no longer works (wording in identity.outcomes.ts). */
export const CODE_STATE_OUTCOME = { used: 'code_used', expired: 'code_expired', revoked: 'code_revoked' } as const satisfies Record<Exclude<CodeState, 'valid'>, string>;

export const RESET_TOKEN_HOURS = 2;
export const VERIFY_TOKEN_HOURS = 48;

export const STATUS_LABELS: Record<string, string> = {
  invited: 'Invitation envoyée',
  unverified: 'Adresse à confirmer',
  pending_link: 'En attente de rattachement',
  active: 'Actif',
  disabled: 'Désactivé',
};
