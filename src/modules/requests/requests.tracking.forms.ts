/**
 * The forms of the two request types without a table of their own (« Changement de situation »,
 * « Autre demande »): what a family sends is parsed here, and the answers stored with a request are
 * read back through the same schemas. Their limits and labels are rules of requests.tracking.domain.ts.
 */
import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/http/forms.ts';
import { isPostcode } from '../households/households.domain.ts';
import { DETAILS_MAX, OTHER_SUBJECT_MAX, OTHER_TEXT_MAX, SITUATION_KINDS } from './requests.tracking.domain.ts';

const kindField = z.enum(SITUATION_KINDS, { error: 'Choisissez ce qui change' });
const details = optionalText(DETAILS_MAX);

/** The form of a change of situation, per kind; a jugement is required for a change of custody (checked with the file). */
export const situationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('address'),
    address_line1: requiredText('Saisissez le numéro et la rue', 120),
    address_line2: optionalText(120),
    postcode: z.string({ error: 'Saisissez un code postal à 5 chiffres, par exemple 62160' }).trim().refine(isPostcode, 'Saisissez un code postal à 5 chiffres, par exemple 62160'),
    city: requiredText('Saisissez la commune', 80),
    details,
  }),
  z.object({
    kind: z.literal('guardian_joins'),
    first_name: requiredText('Saisissez le prénom', 80),
    last_name: requiredText('Saisissez le nom', 80),
    email: z
      .string()
      .trim()
      .max(254, 'L\'adresse électronique est trop longue')
      .optional()
      .transform((v) => (v ? v.toLowerCase() : undefined))
      .refine((v) => v === undefined || z.email().safeParse(v).success, 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr'),
    relationship: optionalText(60),
    details,
  }),
  z.object({ kind: z.literal('guardian_leaves'), person: z.string({ error: 'Choisissez la personne qui quitte le foyer' }).min(1, 'Choisissez la personne qui quitte le foyer').max(60), details }),
  z.object({ kind: z.literal('custody'), details: requiredText('Décrivez en quelques mots ce que le jugement change', DETAILS_MAX) }),
]);
export type SituationAnswers = z.infer<typeof situationSchema>;

/** Parses the form: the kind first (its own message), then the fields of that kind. */
export function parseSituation(body: Record<string, unknown>): { ok: true; data: SituationAnswers } | { ok: false; errors: Record<string, string> } {
  const kind = kindField.safeParse(body.kind);
  if (!kind.success) return { ok: false, errors: { kind: 'Choisissez ce qui change' } };
  const parsed = situationSchema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

// « Autre demande »

export const otherSchema = z.object({
  subject: requiredText('Donnez un titre court à votre demande', OTHER_SUBJECT_MAX),
  text: requiredText('Décrivez votre demande', OTHER_TEXT_MAX),
});
export type OtherAnswers = z.infer<typeof otherSchema>;
