/**
 * The general request model: every formality a family files (enrolment, QF update, justified absence,
 * change of situation…) moves through the same statuses, each step dated with who and why.
 * Pure rules: no I/O.
 */

export const REQUEST_STATUSES = ['draft', 'submitted', 'in_review', 'complement_requested', 'accepted', 'refused', 'waiting_list'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const isRequestStatus = (s: string): s is RequestStatus => (REQUEST_STATUSES as readonly string[]).includes(s);

/** What families and agents read. */
export const STATUS_LABELS: Record<RequestStatus, string> = {
  draft: 'Brouillon',
  submitted: 'Déposée',
  in_review: 'En instruction',
  complement_requested: 'Complément demandé',
  accepted: 'Acceptée',
  refused: 'Refusée',
  waiting_list: 'Liste d\'attente',
};

/** Colour of the status tag; the word is always shown with it. */
export const STATUS_TONES: Record<RequestStatus, 'grey' | 'blue' | 'green' | 'red' | 'orange'> = {
  draft: 'grey',
  submitted: 'grey',
  in_review: 'blue',
  complement_requested: 'orange',
  accepted: 'green',
  refused: 'red',
  waiting_list: 'orange',
};

/** The agent's action that leads to each status (buttons of the queues). */
export const ACTION_LABELS: Record<Decision, string> = {
  in_review: 'Passer en instruction',
  complement_requested: 'Demander un complément',
  accepted: 'Accepter',
  waiting_list: 'Mettre en liste d\'attente',
  refused: 'Refuser',
};
/** What an agent decides; `draft` and `submitted` are the family's (a draft is sent by the family only). */
export const DECISIONS = ['in_review', 'complement_requested', 'accepted', 'waiting_list', 'refused'] as const;
export type Decision = (typeof DECISIONS)[number];
export const isDecision = (s: string): s is Decision => (DECISIONS as readonly string[]).includes(s);
/** Decisions a queue takes on many requests at once: a complement is asked one request at a time. */
export const BULK_DECISIONS: readonly Decision[] = DECISIONS.filter((d) => d !== 'complement_requested');

/**
 * Allowed moves: brouillon → déposée (the family sends it) → en instruction → complément demandé |
 * acceptée | refusée | liste d'attente; complément demandé → en instruction (the family answers, or the
 * agent takes it back) | refusée; liste d'attente → acceptée | refusée.
 */
const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  draft: ['submitted'],
  submitted: ['in_review'],
  in_review: ['complement_requested', 'accepted', 'refused', 'waiting_list'],
  complement_requested: ['in_review', 'refused'],
  waiting_list: ['accepted', 'refused'],
  accepted: [],
  refused: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const isFinal = (s: RequestStatus) => TRANSITIONS[s].length === 0;

/** Statuses an agent never sees: a draft is the family's own until sent. */
export const isHiddenFromAgents = (s: string) => s === 'draft';

/** Open statuses (not final, not a draft): what the household page and the family's « en cours » count. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'in_review', 'complement_requested', 'waiting_list'];

/**
 * The steps an agent's decision takes from the current status: the move itself when allowed, or,
 * for a request still « déposée » or waiting for a complement, through « en instruction » first
 * (deciding implies examining), so the timeline stays true. Null when the decision is not possible from there.
 */
export function stepsTo(from: RequestStatus, to: RequestStatus): RequestStatus[] | null {
  if (canTransition(from, to)) return [to];
  if ((from === 'submitted' || from === 'complement_requested') && from !== to && canTransition('in_review', to)) return ['in_review', to];
  return null;
}

/** The decisions offered to an agent on a request in this status. */
export const decisionsFrom = (from: RequestStatus): Decision[] => DECISIONS.filter((d) => stepsTo(from, d) !== null);

/** A refusal always says why, and a complement says what is missing (the family reads both). */
export const needsReason = (to: RequestStatus) => to === 'refused' || to === 'complement_requested';

/** A complement is asked with the day the family should answer by. */
export const needsDueDate = (to: RequestStatus) => to === 'complement_requested';

/** The family has this many days at least, and at most COMPLEMENT_MAX_DAYS, to answer a complement. */
export const COMPLEMENT_MAX_DAYS = 60;
/** The reminder goes this many days before the due date (and on any later day up to it, once). */
export const REMINDER_DAYS_BEFORE = 2;

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** Why a due date cannot be set: not a date, not after today, or too far. Null when it is fine. */
export function dueDateProblem(due: string, today: string): 'due_invalid' | 'due_past' | 'due_too_far' | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(due) || Number.isNaN(Date.parse(`${due}T00:00:00Z`)) || new Date(`${due}T00:00:00Z`).toISOString().slice(0, 10) !== due) return 'due_invalid';
  const days = dayNumber(due) - dayNumber(today);
  if (days < 1) return 'due_past';
  if (days > COMPLEMENT_MAX_DAYS) return 'due_too_far';
  return null;
}

/** Is it time for the reminder of a complement due on `due`? From REMINDER_DAYS_BEFORE days before, up to the day itself. */
export function reminderDue(due: string, today: string): boolean {
  const days = dayNumber(due) - dayNumber(today);
  return days >= 0 && days <= REMINDER_DAYS_BEFORE;
}

/** Why a decision cannot be taken from a status: a code of DECISION_REFUSALS, or null when it can. */
export function refusalOf(from: RequestStatus, to: RequestStatus): 'already' | 'not_allowed' | null {
  if (stepsTo(from, to)) return null;
  return from === to ? 'already' : 'not_allowed';
}

/** « D-2026-000123 »: the year of filing and a counter of that year. */
export const formatRequestReference = (year: number, n: number) => `D-${year}-${String(n).padStart(6, '0')}`;

export const MESSAGE_MAX = 2000;
export const REASON_MAX = 1000;

/** A wallet document an answer may join: waiting for a check, or validated and still valid on `today`; never refused nor expired. */
export const isJoinableDocument = (doc: { status: string; valid_until: string | null }, today: string) =>
  doc.status === 'pending' || (doc.status === 'validated' && (doc.valid_until === null || doc.valid_until >= today));
