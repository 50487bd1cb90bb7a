import { outcomes } from '../../platform/result.ts';

/** Why accepting a « changement de situation » is refused (added to the request model's decision refusals). */
export const SITUATION_STEP_REFUSALS = outcomes({
  answers_missing: 'les réponses de la famille à cette demande sont introuvables',
  household_closed: 'ce foyer est archivé, anonymisé ou fusionné : il ne peut plus être modifié',
});
export type SituationStepRefusal = keyof typeof SITUATION_STEP_REFUSALS;

/** What an agent reads after taking a request in hand or giving it back. */
export const ASSIGN_DONE = outcomes({
  taken: 'Vous vous occupez de cette demande.',
  released: 'La demande n\'est plus attribuée.',
});

/** What the family and agents read after sending (flash messages). */
export const TRACKING_DONE = outcomes({
  message_sent_family: 'Votre message est envoyé au service.',
  message_sent_agent: 'Votre message est envoyé à la famille.',
});

/** Form messages of the new request types and of the messages with a file. */
export const TRACKING_FORM = outcomes({
  message_or_file: 'Écrivez votre message ou joignez un fichier',
  jugement_missing: 'Joignez le jugement de garde (une photo ou un PDF)',
  person_unknown: 'Choisissez la personne qui quitte le foyer',
  answer_empty: 'Écrivez votre réponse, choisissez un de vos documents ou envoyez-en un nouveau',
  answer_document_unusable: 'Ce document ne peut pas être joint : il est refusé ou n\'est plus valable. Envoyez-en un nouveau.',
  answer_two_documents: 'Choisissez un document déjà envoyé ou envoyez-en un nouveau, pas les deux',
});
