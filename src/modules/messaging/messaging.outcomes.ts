import { outcomes } from '../../platform/result.ts';
import { ATTACHMENT_BYTES_MAX, ATTACHMENTS_MAX } from './messaging.domain.ts';
import { TEMPLATE_BODY_MAX, TEMPLATE_SUBJECT_MAX } from './messaging.notifications.domain.ts';

/** Why a message was not sent, in the words the agent reads next to the field. */
export const SEND_REFUSALS = outcomes({
  empty_audience: 'Aucune famille ne correspond à ces critères : modifiez-les avant d\'envoyer.',
  unknown_choice: 'Un des critères choisis n\'existe plus : recomptez les destinataires.',
  bad_day: 'Indiquez un jour au format AAAA-MM-JJ, par exemple 2026-12-03.',
  send_at_past: 'L\'heure d\'envoi est passée : choisissez « Maintenant » ou une heure à venir.',
  send_at_invalid: 'Indiquez le jour (AAAA-MM-JJ) et l\'heure (HH:MM) de l\'envoi.',
  not_pdf: 'Les pièces jointes doivent être des fichiers PDF.',
  too_large: `Chaque pièce jointe doit faire au plus ${ATTACHMENT_BYTES_MAX / 1024 / 1024} Mo.`,
  too_many: `${ATTACHMENTS_MAX} pièces jointes au maximum.`,
  key_taken: 'Ce formulaire a déjà servi à un autre envoi : rechargez la page.',
});
export type SendRefusal = keyof typeof SEND_REFUSALS;

/** Why the town's text of a notification was not saved, next to its field. */
export const TEMPLATE_REFUSALS = outcomes({
  subject_missing: 'Écrivez l\'objet du courriel.',
  subject_too_long: `L'objet doit faire au plus ${TEMPLATE_SUBJECT_MAX} caractères.`,
  subject_multiline: 'L\'objet tient sur une seule ligne.',
  body_missing: 'Écrivez le texte du message.',
  body_too_long: `Le texte doit faire au plus ${TEMPLATE_BODY_MAX} caractères.`,
  unknown_placeholder: 'Ces champs n\'existent pas pour cette notification :',
  secret_placeholder: 'Un code ou un lien secret ne peut pas être mis dans un texte : le portail ajoute lui-même les liens personnels.',
  stray_braces: 'Des accolades ne forment pas un champ : un champ s\'écrit {{nom}}, avec deux accolades de chaque côté.',
});
export type TemplateRefusal = keyof typeof TEMPLATE_REFUSALS;
