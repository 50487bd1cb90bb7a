import { outcomes } from '../../platform/result.ts';

/** Why accepting a QF update or a justified absence is refused (the request stays as it was). */
export const KIND_STEP_REFUSALS = outcomes({
  qf_missing: 'le quotient et son mois ne sont pas encore saisis : saisissez-les d\'abord',
  day_invoiced: 'ce jour est déjà facturé : seul un avoir peut le corriger',
  not_absent: 'ce jour n\'est plus une absence à justifier (réservation annulée ou enfant pointé présent)',
  kind_missing: 'les informations de la demande sont introuvables',
});
export type KindStepRefusal = keyof typeof KIND_STEP_REFUSALS;

/** What the family's forms and the agent's quotient page say. */
export const KIND_OUTCOMES = outcomes({
  document_missing: 'Choisissez l\'attestation à joindre, ou envoyez-en une',
  certificate_missing: 'Choisissez le certificat médical à joindre, ou envoyez-en un',
  document_unusable: 'Ce document ne peut pas être joint : il est refusé, expiré ou d\'un autre type',
  day_missing: 'Choisissez le jour d\'absence à justifier',
  day_unknown: 'Ce jour ne peut pas être justifié : il n\'est pas réservé, est déjà pointé, est trop ancien ou est déjà facturé',
  already_asked: 'Une demande est déjà en cours pour ce jour',
  action_missing: 'Choisissez d\'envoyer la demande ou de l\'enregistrer en brouillon',
  qf_value_missing: 'Saisissez le quotient familial, en euros',
  qf_value_invalid: 'Le quotient familial est un nombre entier d\'euros, 99 999 au plus',
  qf_month_invalid: 'Choisissez le mois à partir duquel il s\'applique (AAAA-MM)',
  qf_month_future: 'Le mois ne peut pas être après le mois prochain',
  qf_source_missing: 'Choisissez l\'organisme : CAF ou MSA',
  qf_saved: 'Le quotient est enregistré sur la demande. Acceptez-la pour qu\'il entre dans l\'historique du foyer.',
  request_closed: 'Cette demande est close ou n\'est pas une mise à jour du quotient',
});
export type KindOutcome = keyof typeof KIND_OUTCOMES;
