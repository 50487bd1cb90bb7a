import { outcomes } from '../../platform/result.ts';
import type { Decision } from './requests.domain.ts';

/**
 * Why a decision left a request unchanged. A type of request (enrolments) adds its own codes through
 * its handler's `refusals`; the wording of every code is declared once, here or there.
 */
export const DECISION_REFUSALS = outcomes({
  already: 'elle est déjà dans cet état',
  not_allowed: 'ce n\'est pas possible depuis son état actuel',
  reason_missing: 'le motif du refus ou le complément demandé manque',
  due_missing: 'la date limite du complément manque',
  changed: 'la demande a été modifiée entre-temps : rechargez la page',
});
export type DecisionRefusal = keyof typeof DECISION_REFUSALS;

/** What a decision did, for the agent's confirmation: singular and plural. */
export const DECISION_DONE: Readonly<Record<Decision, [one: string, many: string]>> = Object.freeze({
  in_review: ['passée en instruction', 'passées en instruction'],
  complement_requested: ['en attente d\'un complément', 'en attente d\'un complément'],
  accepted: ['acceptée', 'acceptées'],
  waiting_list: ['mise en liste d\'attente', 'mises en liste d\'attente'],
  refused: ['refusée', 'refusées'],
});

/** What the family and the town's settings page are told; wording declared once. */
export const REQUEST_OUTCOMES = outcomes({
  draft_saved: 'Votre brouillon est enregistré. Vous pourrez l\'envoyer plus tard depuis « Mes demandes ».',
  draft_sent: 'Votre demande est envoyée au service. Vous serez prévenu à chaque étape.',
  draft_deleted: 'Le brouillon est supprimé.',
  not_draft: 'Cette demande n\'est plus un brouillon : elle a déjà été envoyée.',
  complement_answered: 'Votre réponse est envoyée : le service reprend l\'examen de votre demande.',
  not_waiting_complement: 'Le service n\'attend plus de complément sur cette demande : rechargez la page.',
  answer_missing: 'Écrivez votre réponse au service',
  type_off: 'Cette démarche n\'est plus proposée en ligne. Contactez la mairie.',
  types_saved: 'Les démarches proposées sont enregistrées.',
  types_unchanged: 'Aucun changement : rien n\'a été enregistré.',
  due_missing: 'Indiquez la date limite de réponse du complément',
  due_invalid: 'La date limite n\'est pas une date valide',
  due_past: 'La date limite doit être après aujourd\'hui',
  due_too_far: 'La date limite doit être dans les 60 jours',
  complement_reason_missing: 'Indiquez ce qui manque : la famille le lira',
});
export type RequestOutcome = keyof typeof REQUEST_OUTCOMES;
