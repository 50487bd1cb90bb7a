import { z } from 'zod';
import type { FieldErrors, FormValues } from '../ui/components.tsx';

export type FormResult<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/** The submitted text values, to show the form again as the user left it (passwords excluded). */
export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === '_csrf' || /password|mot_de_passe/.test(key)) continue;
      if (typeof value === 'string') values[key] = value;
    }
  }
  return values;
}

/** Validate a form with zod; the first message per field is kept (one error per field, GOV.UK style). */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const values = formValues(body);
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    if (!errors[key]) errors[key] = issue.message;
  }
  return { ok: false, errors, values };
}

/** Trimmed text; empty means missing with the given message. */
export const requiredText = (message: string, max = 200) =>
  z.string({ error: message }).trim().min(1, message).max(max, `${max} caractères au maximum`);

export const optionalText = (max = 200) =>
  z.string().trim().max(max, `${max} caractères au maximum`).optional().transform((v) => (v ? v : undefined));

export const emailField = (message = 'Saisissez une adresse électronique') =>
  z
    .string({ error: message })
    .trim()
    .min(1, message)
    .max(254, 'L\'adresse électronique est trop longue')
    .email('Saisissez une adresse électronique valide, par exemple nom@exemple.fr')
    .transform((v) => v.toLowerCase());
