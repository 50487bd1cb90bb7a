import { outcomes } from '../../platform/result.ts';

/** Why a document was not added, replaced or removed; the wording families read. */
export const DOCUMENT_OUTCOMES = outcomes({
  no_file: 'Choisissez le document à envoyer, ou prenez-le en photo.',
  type_missing: 'Choisissez le type de document',
  type_unknown: 'Ce type de document n\'est plus proposé : choisissez-en un autre',
  person_unknown: 'Choisissez le foyer ou l\'un de vos enfants',
  date_missing: 'Indiquez la date écrite sur le document',
  date_future: 'La date du document ne peut pas être dans le futur',
  date_too_old: 'Ce document a plus de dix ans : vérifiez l\'année',
});
export type DocumentOutcome = keyof typeof DOCUMENT_OUTCOMES;

/** What the family reads after a change. */
export const DOCUMENT_DONE = {
  added: 'Votre document est envoyé. Le service enfance va le vérifier.',
  replaced: 'Votre document est remplacé. Le service enfance va vérifier le nouveau.',
  removed: 'Le document est supprimé.',
} as const;
