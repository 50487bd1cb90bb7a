import { outcomes } from '../../platform/result.ts';
import { RETENTION_YEARS, type AnonymisationDecision } from './privacy.domain.ts';

/** Why a household cannot be anonymised now: codes decide, this wording is shown (once, here). */
export const ANONYMISE_REFUSALS = outcomes({
  already_anonymised: 'Ce foyer est déjà anonymisé.',
  not_archived: 'Ce foyer est actif : archivez-le d\'abord. Il pourra être anonymisé à la fin de la durée de conservation.',
  retention_running: `Ce foyer est archivé depuis moins de ${RETENTION_YEARS} ans : il ne peut pas encore être anonymisé.`,
  changed_meanwhile: 'Ce foyer vient d\'être modifié ou anonymisé par ailleurs. Rechargez la page.',
  not_confirmed: 'Cochez la case pour confirmer l\'anonymisation définitive',
});
export type AnonymiseRefusal = keyof typeof ANONYMISE_REFUSALS;

const frenchDate = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

/** The sentence an admin reads when anonymisation is refused, with the first day it will be possible. */
export function refusalText(d: Exclude<AnonymisationDecision, { ok: true }>): string {
  if (d.code === 'retention_running') return `Ce foyer est archivé depuis moins de ${RETENTION_YEARS} ans : il pourra être anonymisé à partir du ${frenchDate.format(d.notBefore)}.`;
  return ANONYMISE_REFUSALS[d.code];
}
