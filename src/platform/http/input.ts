import { z } from 'zod';
import { isRealDay } from '../calendar/calendar.domain.ts';

// Messages of zod's own checks in French (« Trop grand : … »), for the schemas that give none.
z.config(z.locales.fr());

/**
 * True when a string anywhere in a parsed body, query or params holds a NUL byte (bounded walk).
 * Every request passes here: a plain loop, without an array of entries per object.
 */
export function hasNulByte(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  const fields = value as Record<string, unknown>;
  for (const key in fields) if (key.includes('\u0000') || hasNulByte(fields[key], depth + 1)) return true;
  return false;
}

/** The `_csrf` field of any parsed body, when it is one string (the global CSRF check reads it before the route's schema). */
export function csrfFieldOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || !('_csrf' in body)) return undefined;
  const value = body._csrf;
  return typeof value === 'string' ? value : undefined;
}

interface ValidationIssue {
  instancePath: string;
  message?: string;
}

/** The 400 page's text: which fields were refused and why, in French, at most five. */
export function describeInvalidInput(issues: readonly ValidationIssue[]): string {
  const parts = issues.slice(0, 5).map((i) => {
    const field = i.instancePath.replace(/^\//, '').split('/')[0];
    return field ? `« ${field} » : ${i.message ?? 'valeur refusée'}` : (i.message ?? 'valeur refusée');
  });
  return `Certaines valeurs envoyées ne sont pas acceptées (${parts.join(' ; ')}). Revenez au formulaire, vérifiez-le et envoyez-le de nouveau.`;
}

// Structural schemas for route declarations. They bound what a handler receives; the messages a
// person reads next to a field stay in the form's own schema (parseForm).

/** One text value of a form field, bounded; a field sent twice (an array) is refused. */
export const text = (max = 200) => z.string().max(max);

/** A form field that may be sent once, several times or not at all (checkboxes): always a bounded array. */
export const list = (maxItems = 100, item: z.ZodType<string> = z.string().max(200)) =>
  z
    .union([item, z.array(item).max(maxItems)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** A URL-encoded form: the CSRF token and the declared fields; other keys are dropped. */
export const form = <S extends z.ZodRawShape>(shape: S) => z.object({ _csrf: z.string().max(200).optional(), ...shape });

/** A calendar day 'YYYY-MM-DD' that exists, within years 2000–2099 (nothing else is ever booked or billed). */
export const day = z
  .string()
  .regex(/^20\d\d-\d\d-\d\d$/, 'Date invalide (attendu : AAAA-MM-JJ)')
  .refine(isRealDay, 'Cette date n\'existe pas');

/** A month 'YYYY-MM' within years 2000–2099. */
export const month = z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'Mois invalide (attendu : AAAA-MM)');

/** An id in a URL: a malformed one is a 404 (as an unknown one), never a 500. */
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const idParams = z.object({ id: uuid });
