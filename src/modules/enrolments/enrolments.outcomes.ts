import { outcomes } from '../../platform/result.ts';
import type { ServiceKind } from '../../platform/db/schema-services.ts';

/** Why a step of an enrolment request is refused (added to the request model's decision refusals). */
export const ENROLMENT_STEP_REFUSALS = outcomes({
  enrolment_missing: 'l\'inscription liée à cette demande est introuvable',
  no_group: 'aucun groupe n\'est défini pour la structure de ce service : créez-en un avant d\'accepter',
  documents_not_validated: 'les pièces justificatives de l\'inscription ne sont pas toutes validées : ouvrez « Voir et vérifier les pièces justificatives » sur la demande, validez-les (ou demandez à la famille de remplacer un document refusé), puis acceptez',
});
export type EnrolmentStepRefusal = keyof typeof ENROLMENT_STEP_REFUSALS;

/** Why a family's enrolment request is not filed: a missing answer (back to its question) or a duplicate. */
export const SUBMIT_REFUSALS = outcomes({
  no_child: 'Choisissez l\'enfant à inscrire',
  no_service: 'Choisissez un service',
  no_year: 'Choisissez l\'année scolaire',
  duplicate: 'L\'enfant est déjà inscrit ou a déjà une demande pour ce service cette année',
  documents_missing: 'Joignez un document pour chaque pièce demandée',
});

/** The error of a required document not given (pieces step), with its type's name. */
export const documentMissingText = (label: string) => `${label} : choisissez un de vos documents ou envoyez-en un`;
export type SubmitRefusal = keyof typeof SUBMIT_REFUSALS;

/** « Déjà inscrite », « Demande envoyée le 28 novembre 2026 »: where a child stands for a service (service step). */
export function standingText(standing: { kind: 'enrolled' } | { kind: 'requested' | 'refused'; at: string }, sex: string | null, formatDay: (at: string) => string) {
  if (standing.kind === 'enrolled') return sex === 'F' ? 'Déjà inscrite' : sex === 'M' ? 'Déjà inscrit' : 'Inscription déjà acceptée';
  if (standing.kind === 'requested') return `Demande envoyée le ${formatDay(standing.at)}`;
  return `Demande refusée (envoyée le ${formatDay(standing.at)}) : écrivez au service enfance depuis la demande`;
}

/** Per kind of service: what a child lacks, and the invitation (« aucun accueil du mercredi », « aux mercredis »). */
const MISSING_WORDS: Record<ServiceKind, { none: string; at: string; to: string }> = {
  canteen: { none: 'à aucune cantine', at: 'à la cantine', to: 'à la cantine' },
  morning: { none: 'à aucun accueil du matin', at: 'à l\'accueil du matin', to: 'à l\'accueil du matin' },
  evening: { none: 'à aucun accueil du soir', at: 'à l\'accueil du soir', to: 'à l\'accueil du soir' },
  wednesday: { none: 'à aucun accueil du mercredi', at: 'à l\'accueil du mercredi', to: 'aux mercredis' },
  holiday: { none: 'à aucun accueil des vacances', at: 'à l\'accueil des vacances', to: 'aux vacances' },
};

/** « Léa n'est inscrite à aucun accueil du mercredi. » and the link « Inscrivez Léa aux mercredis ». */
export function missingText(firstName: string, sex: string | null, kind: ServiceKind) {
  const w = MISSING_WORDS[kind];
  const why = sex === 'F' || sex === 'M' ? `${firstName} n'est ${sex === 'F' ? 'inscrite' : 'inscrit'} ${w.none}.` : `${firstName} n'a aucune inscription ${w.at}.`;
  return { why, link: `Inscrivez ${firstName} ${w.to}` };
}

/** After a document is sent from the pieces step. */
export const PIECE_ADDED = 'Le document est envoyé et gardé dans « Mes documents ». Vérifiez qu\'il est choisi, puis continuez.';
