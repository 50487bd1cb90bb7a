import { outcomes } from '../../platform/result.ts';

/** Why a step of an enrolment request is refused (added to the request model's decision refusals). */
export const ENROLMENT_STEP_REFUSALS = outcomes({
  enrolment_missing: 'l\'inscription liée à cette demande est introuvable',
  no_group: 'aucun groupe n\'est défini pour la structure de ce service : créez-en un avant d\'accepter',
});
export type EnrolmentStepRefusal = keyof typeof ENROLMENT_STEP_REFUSALS;

/** Why a family's enrolment request is not filed: a missing answer (back to its question) or a duplicate. */
export const SUBMIT_REFUSALS = outcomes({
  no_child: 'Choisissez l\'enfant à inscrire',
  no_service: 'Choisissez un service',
  no_year: 'Choisissez l\'année scolaire',
  duplicate: 'L\'enfant est déjà inscrit ou a déjà une demande pour ce service cette année',
});
export type SubmitRefusal = keyof typeof SUBMIT_REFUSALS;
