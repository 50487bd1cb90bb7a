/**
 * Tracking of every kind of request (issue 12, items 4–5): what the family is expected to do next,
 * the filters of the agents' single queue, and the answers of the two types without a table of their
 * own (« Changement de situation », « Autre demande »; their forms' schemas are in
 * requests.tracking.forms.ts). Pure rules: no I/O.
 */
import type { OtherAnswers, SituationAnswers } from './requests.tracking.forms.ts';

export const SITUATION = 'situation';
export const OTHER = 'other';

/**
 * What the family reads next to a request's status: what is expected of them now, in plain French.
 * `lastFromFamily` is who wrote last in its thread (1 the family, 0 the service, null nobody): a
 * question of the service not yet answered is waiting for the family.
 */
export function nextStepFor(status: string, lastFromFamily: number | null): string {
  const serviceWroteLast = lastFromFamily === 0;
  switch (status) {
    case 'draft':
      return 'À terminer : reprenez votre demande et envoyez-la.';
    case 'complement_requested':
      return 'À faire : le service attend un document ou une réponse de votre part. Répondez depuis la demande.';
    case 'submitted':
      return serviceWroteLast ? 'Le service vous a écrit : lisez son message et répondez-lui si besoin.' : 'Rien à faire : le service va examiner votre demande.';
    case 'in_review':
      return serviceWroteLast ? 'Le service vous a écrit : lisez son message et répondez-lui si besoin.' : 'Rien à faire : le service examine votre demande.';
    case 'waiting_list':
      return 'Rien à faire : vous serez prévenu dès qu\'une place se libère.';
    case 'accepted':
      return 'Demande acceptée : rien d\'autre à faire.';
    case 'refused':
      return 'Lisez le motif du refus. Pour en parler, écrivez au service depuis la demande.';
    default:
      return 'Suivez les étapes sur la page de la demande.';
  }
}

/** True when the family has something to do on it (the list shows it first, in words). */
export const waitsForFamily = (status: string, lastFromFamily: number | null) =>
  status === 'draft' || status === 'complement_requested' || (lastFromFamily === 0 && (status === 'submitted' || status === 'in_review'));

// The agents' queue

/** Statuses still to be processed by the service (« À traiter »). */
export const OPEN_STATUSES = ['submitted', 'in_review', 'complement_requested', 'waiting_list'] as const;

/** « En attente depuis » filter: more than N days since the request last changed. */
export const WAITING_FILTERS = [
  { value: '', label: 'Peu importe' },
  { value: '2', label: 'Plus de 2 jours' },
  { value: '7', label: 'Plus d\'une semaine' },
  { value: '15', label: 'Plus de 15 jours' },
  { value: '30', label: 'Plus d\'un mois' },
] as const;

export const ASSIGNMENT_FILTERS = [
  { value: '', label: 'Toutes' },
  { value: 'miennes', label: 'Les miennes' },
  { value: 'personne', label: 'Prises par personne' },
] as const;
export type AssignmentFilter = '' | 'miennes' | 'personne';

/** The instant before which a request must have last changed to be « en attente depuis plus de N jours ». */
export function waitingCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** Whole days a request has been waiting since it last changed (« depuis 3 jours »). */
export function daysWaiting(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000));
}

export function waitingText(since: string, now: Date): string {
  const d = daysWaiting(since, now);
  return d === 0 ? 'aujourd\'hui' : d === 1 ? 'depuis 1 jour' : `depuis ${d} jours`;
}

// « Changement de situation »

export const SITUATION_KINDS = ['address', 'guardian_joins', 'guardian_leaves', 'custody'] as const;
export type SituationKind = (typeof SITUATION_KINDS)[number];

export const SITUATION_KIND_LABELS: Record<SituationKind, string> = {
  address: 'Nous avons déménagé (nouvelle adresse)',
  guardian_joins: 'Un responsable arrive dans le foyer',
  guardian_leaves: 'Un responsable quitte le foyer',
  custody: 'La garde des enfants change (jugement)',
};

export const DETAILS_MAX = 1000;
export const OTHER_TEXT_MAX = 2000;
export const OTHER_SUBJECT_MAX = 120;

/** « Changement de situation : nouvelle adresse à Lens » (the request's summary, seen in lists). */
export function situationSummary(a: SituationAnswers, leaving?: string): string {
  switch (a.kind) {
    case 'address':
      return `Changement de situation : nouvelle adresse (${a.postcode} ${a.city})`;
    case 'guardian_joins':
      return `Changement de situation : arrivée de ${a.first_name} ${a.last_name}`;
    case 'guardian_leaves':
      return `Changement de situation : départ de ${leaving ?? 'un responsable'}`;
    case 'custody':
      return 'Changement de situation : garde des enfants (jugement)';
  }
}

// « Autre demande »

export const otherSummary = (a: OtherAnswers) => `Autre demande : ${a.subject}`;
