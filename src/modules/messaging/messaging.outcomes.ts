import { outcomes } from '../../platform/result.ts';
import { ATTACHMENT_BYTES_MAX, ATTACHMENTS_MAX } from './messaging.domain.ts';

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
