import { outcomes } from '../../platform/result.ts';
import type { Decision } from './requests.domain.ts';

/**
 * Why a decision left a request unchanged. A type of request (enrolments) adds its own codes through
 * its handler's `refusals`; the wording of every code is declared once, here or there.
 */
export const DECISION_REFUSALS = outcomes({
  already: 'elle est déjà dans cet état',
  not_allowed: 'ce n\'est pas possible depuis son état actuel',
  reason_missing: 'le motif du refus manque',
  changed: 'la demande a été modifiée entre-temps : rechargez la page',
});
export type DecisionRefusal = keyof typeof DECISION_REFUSALS;

/** What a decision did, for the agent's confirmation: singular and plural. */
export const DECISION_DONE: Readonly<Record<Decision, [one: string, many: string]>> = Object.freeze({
  in_review: ['passée en instruction', 'passées en instruction'],
  accepted: ['acceptée', 'acceptées'],
  waiting_list: ['mise en liste d\'attente', 'mises en liste d\'attente'],
  refused: ['refusée', 'refusées'],
});
