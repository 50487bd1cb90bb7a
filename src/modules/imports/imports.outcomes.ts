import { outcomes } from '../../platform/result.ts';

/** Outcomes of imports and activation campaigns: services return these codes, pages show this wording (once, here). */
export const IMPORT_OUTCOMES = outcomes({
  no_file: 'Choisissez un fichier CSV',
  too_large: 'Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.',
  already_imported: 'Ce fichier est déjà importé.',
  has_rejected_lines: 'Rien n\'est importé : des lignes sont rejetées (voir le détail ci-dessous). Corrigez le fichier et déposez-le à nouveau.',
  unreadable: 'Le fichier ne peut pas être lu.',
  nobody_to_invite: 'Tous les responsables ont déjà un compte ou un code : aucune campagne à lancer.',
  no_letter_to_print: 'Aucune lettre à imprimer : tous les destinataires sans courriel ont activé leur compte.',
  nobody_to_remind: 'Personne à relancer par courriel.',
});
export type ImportOutcome = keyof typeof IMPORT_OUTCOMES;

/** « 1 foyer », « 2 foyers », « 0 foyer »: a count with its noun, never « foyer(s) ». */
export const count = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
