import { dayLabel, publicHolidayName, weekday } from '../../platform/calendar/calendar.domain.ts';
import { deadlineInstant, formatDeadline, type DeadlineRule } from '../../platform/calendar/deadlines.domain.ts';
import type { BookingStatus, ServiceKind } from '../../platform/db/schema-services.ts';

/**
 * What a day is for one child and one unit, and whether it may change now: the rules the server
 * enforces and the words the calendar shows. Pure: every fact is passed in.
 */

export interface PeriodFacts {
  kind: 'school' | 'holiday';
  label: string;
  start_date: string;
  end_date: string;
  booking_opens_at: string | null;
  allocation: 'fcfs' | 'draw';
  requests_close_at: string | null;
  allocated_at: string | null;
}

export interface DayFacts {
  day: string;
  now: Date;
  serviceKind: ServiceKind;
  weekdays: number[];
  /** The period of the right kind containing the day, if any. */
  period: PeriodFacts | null;
  closure: string | null;
  bookingRule: DeadlineRule;
  cancellationRule: DeadlineRule;
  booking: { status: BookingStatus; position: number | null } | null;
}

export type DayState =
  | { kind: 'closed'; reason: string }
  | { kind: 'booked' | 'free' | 'waiting' | 'requested'; open: boolean; why?: string; position?: number | null; until?: Date };

/** Which periods a service runs in: school weeks, or the holidays. */
export const periodKindFor = (kind: ServiceKind): 'school' | 'holiday' => (kind === 'holiday' ? 'holiday' : 'school');

export function dayState(f: DayFacts): DayState {
  const holiday = publicHolidayName(f.day);
  if (holiday) return { kind: 'closed', reason: `Férié : ${holiday}` };
  if (!f.weekdays.includes(weekday(f.day))) return { kind: 'closed', reason: 'Pas d\'accueil ce jour-là' };
  if (!f.period) return { kind: 'closed', reason: f.serviceKind === 'holiday' ? 'Hors vacances scolaires' : 'Vacances scolaires' };
  if (f.closure) return { kind: 'closed', reason: `Fermé : ${f.closure}` };

  const status = f.booking?.status;
  const kind = status === 'booked' ? 'booked' : status === 'waiting' ? 'waiting' : status === 'requested' ? 'requested' : 'free';
  const position = f.booking?.position ?? null;
  const { period, now } = f;
  if (period.booking_opens_at && now.getTime() < Date.parse(period.booking_opens_at)) {
    return { kind, open: false, position, why: `Réservations ouvertes à partir du ${formatDeadline(new Date(period.booking_opens_at))}` };
  }
  if (period.allocation === 'draw' && period.requests_close_at && !period.allocated_at && now.getTime() >= Date.parse(period.requests_close_at)) {
    return { kind, open: false, position, why: 'Demandes closes : attribution des places en cours' };
  }
  // Booking and cancelling each have their own deadline.
  const rule = kind === 'free' ? f.bookingRule : f.cancellationRule;
  const until = deadlineInstant(rule, f.day);
  // Open strictly before the deadline: at the deadline itself it is too late.
  if (now.getTime() >= until.getTime()) return { kind, open: false, position, until, why: `Délai dépassé le ${formatDeadline(until)}` };
  return { kind, open: true, position, until };
}

/** Words for a state, e.g. for a checkbox's label and the day's status. */
export function stateLabel(s: DayState): string {
  if (s.kind === 'closed') return s.reason;
  const base = { booked: 'Réservé', free: 'Non réservé', waiting: 'Liste d\'attente', requested: 'Demandé' }[s.kind];
  const pos = s.kind === 'waiting' && s.position ? ` (${ordinal(s.position)} sur la liste)` : '';
  return `${base}${pos}`;
}

export type ChangeRefusal = { ok: false; message: string };
export type ChangeDecision = { ok: true; action: 'book' | 'cancel' | 'request' | 'none' } | ChangeRefusal;

/**
 * Decides what a wish (want = booked or not) means for a day. Agents may override a deadline or an
 * opening date; nobody may book a closed day.
 */
export function decideChange(f: DayFacts, want: boolean, agentOverride: boolean): ChangeDecision {
  const s = dayState(f);
  const label = dayLabel(f.day);
  if (s.kind === 'closed') return want ? { ok: false, message: `${capitalise(label)} : ${s.reason.toLowerCase()}.` } : { ok: true, action: 'none' };
  const has = s.kind !== 'free';
  if (want === has) return { ok: true, action: 'none' };
  if (!s.open && !agentOverride) return { ok: false, message: `${capitalise(label)} : ${s.why?.toLowerCase() ?? 'ne peut plus être modifié'}.` };
  if (!want) return { ok: true, action: 'cancel' };
  const collecting = f.period?.allocation === 'draw' && !f.period.allocated_at;
  return { ok: true, action: collecting ? 'request' : 'book' };
}

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** « 1ᵉʳ », « 3ᵉ » */
export const ordinal = (n: number) => `${n}${n === 1 ? 'ᵉʳ' : 'ᵉ'}`;

/**
 * Reproducible draw: each request gets a score from a hash of the period and the booking id,
 * so the town can show how the order was found and run it again to the same result.
 */
export function drawOrder<T extends { id: string; priority: number }>(items: T[], seed: string, hash: (s: string) => string): T[] {
  return [...items].sort((a, b) => b.priority - a.priority || (hash(`${seed}:${a.id}`) < hash(`${seed}:${b.id}`) ? -1 : 1));
}
