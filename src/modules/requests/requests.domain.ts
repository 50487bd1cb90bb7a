/**
 * The general request model: every formality a family files (enrolment now; change of situation,
 * QF update, justified absence later) moves through the same statuses, each step dated with who and why.
 * Pure rules: no I/O.
 */

export const REQUEST_STATUSES = ['submitted', 'in_review', 'accepted', 'refused', 'waiting_list'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const isRequestStatus = (s: string): s is RequestStatus => (REQUEST_STATUSES as readonly string[]).includes(s);

/** What families and agents read. */
export const STATUS_LABELS: Record<RequestStatus, string> = {
  submitted: 'Déposée',
  in_review: 'En instruction',
  accepted: 'Acceptée',
  refused: 'Refusée',
  waiting_list: 'Liste d\'attente',
};

/** Colour of the status tag; the word is always shown with it. */
export const STATUS_TONES: Record<RequestStatus, 'grey' | 'blue' | 'green' | 'red' | 'orange'> = {
  submitted: 'grey',
  in_review: 'blue',
  accepted: 'green',
  refused: 'red',
  waiting_list: 'orange',
};

/** The agent's action that leads to each status (buttons of the queues). */
export const ACTION_LABELS: Record<Exclude<RequestStatus, 'submitted'>, string> = {
  in_review: 'Passer en instruction',
  accepted: 'Accepter',
  waiting_list: 'Mettre en liste d\'attente',
  refused: 'Refuser',
};
export const DECISIONS = ['in_review', 'accepted', 'waiting_list', 'refused'] as const;
export type Decision = (typeof DECISIONS)[number];
export const isDecision = (s: string): s is Decision => (DECISIONS as readonly string[]).includes(s);

/** Allowed moves: déposée → en instruction → acceptée | refusée | liste d'attente; liste d'attente → acceptée | refusée. */
const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  submitted: ['in_review'],
  in_review: ['accepted', 'refused', 'waiting_list'],
  waiting_list: ['accepted', 'refused'],
  accepted: [],
  refused: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const isFinal = (s: RequestStatus) => TRANSITIONS[s].length === 0;

/**
 * The steps an agent's decision takes from the current status: the move itself when allowed, or,
 * for a request still « déposée », through « en instruction » first (deciding implies examining),
 * so the timeline stays true. Null when the decision is not possible from there.
 */
export function stepsTo(from: RequestStatus, to: RequestStatus): RequestStatus[] | null {
  if (canTransition(from, to)) return [to];
  if (from === 'submitted' && canTransition('in_review', to)) return ['in_review', to];
  return null;
}

/** The decisions offered to an agent on a request in this status. */
export const decisionsFrom = (from: RequestStatus): Decision[] => DECISIONS.filter((d) => stepsTo(from, d) !== null);

/** A refusal always says why (and the family reads it). */
export const needsReason = (to: RequestStatus) => to === 'refused';

/** Why a decision cannot be taken from a status: a code of DECISION_REFUSALS, or null when it can. */
export function refusalOf(from: RequestStatus, to: RequestStatus): 'already' | 'not_allowed' | null {
  if (stepsTo(from, to)) return null;
  return from === to ? 'already' : 'not_allowed';
}

/** « D-2026-000123 »: the year of filing and a counter of that year. */
export const formatRequestReference = (year: number, n: number) => `D-${year}-${String(n).padStart(6, '0')}`;

export const MESSAGE_MAX = 2000;
export const REASON_MAX = 1000;
