import { publicHolidayName, weekday } from '../../platform/calendar/calendar.domain.ts';
import { deadlineInstant, type DeadlineRule } from '../../platform/calendar/deadlines.domain.ts';
import type { BookingStatus, ServiceKind } from '../../platform/vocabulary.ts';
import type { DayStatus } from './bookings.outcomes.ts';

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

/** Why an open day cannot change now (a code; `why` holds the calendar's words). */
export type DayLock = 'not_open' | 'draw_closed' | 'deadline';

/** Why a day has no service (a code; the words are in bookings.outcomes.ts). `name`: the holiday's or the closure's. */
export type ClosedWhy = 'public_holiday' | 'no_service' | 'outside_holidays' | 'school_holidays' | 'closure';

export type DayState =
  | { kind: 'closed'; closed: ClosedWhy; name?: string }
  | { kind: 'booked' | 'free' | 'waiting' | 'requested'; open: boolean; lock?: DayLock; position?: number | null; until?: Date; opensAt?: Date };

/** What a day is for a booking form: the status a page draws and the server compares. */
export const dayStatusOf = (booking: { status: BookingStatus } | null | undefined): DayStatus =>
  booking?.status === 'booked' || booking?.status === 'waiting' || booking?.status === 'requested' ? booking.status : 'none';

/** Days from `start` to `end` (0 for the same day), by arithmetic: no loop, whatever the years. NaN if malformed. */
export const daySpan = (start: string, end: string) => (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000;

/** A weekly pattern (and so any one form) covers three months at most: 93 days, first and last included. */
export const MAX_PATTERN_DAYS = 92;
/** A calendar page shows a month; nothing asks for more than two. */
export const MAX_CALENDAR_DAYS = 62;

/** Which periods a service runs in: school weeks, or the holidays. */
export const periodKindFor = (kind: ServiceKind): 'school' | 'holiday' => (kind === 'holiday' ? 'holiday' : 'school');

export function dayState(f: DayFacts): DayState {
  const holiday = publicHolidayName(f.day);
  if (holiday) return { kind: 'closed', closed: 'public_holiday', name: holiday };
  if (!f.weekdays.includes(weekday(f.day))) return { kind: 'closed', closed: 'no_service' };
  if (!f.period) return { kind: 'closed', closed: f.serviceKind === 'holiday' ? 'outside_holidays' : 'school_holidays' };
  if (f.closure) return { kind: 'closed', closed: 'closure', name: f.closure };

  const status = f.booking?.status;
  const kind = status === 'booked' ? 'booked' : status === 'waiting' ? 'waiting' : status === 'requested' ? 'requested' : 'free';
  const position = f.booking?.position ?? null;
  const { period, now } = f;
  if (period.booking_opens_at && now.getTime() < Date.parse(period.booking_opens_at)) {
    const opensAt = new Date(period.booking_opens_at);
    return { kind, open: false, lock: 'not_open', position, opensAt };
  }
  if (period.allocation === 'draw' && period.requests_close_at && !period.allocated_at && now.getTime() >= Date.parse(period.requests_close_at)) {
    return { kind, open: false, lock: 'draw_closed', position };
  }
  // Booking and cancelling each have their own deadline.
  const rule = kind === 'free' ? f.bookingRule : f.cancellationRule;
  const until = deadlineInstant(rule, f.day);
  // Open strictly before the deadline: at the deadline itself it is too late.
  if (now.getTime() >= until.getTime()) return { kind, open: false, lock: 'deadline', position, until };
  return { kind, open: true, position, until };
}

export type ChangeRefusal = { ok: false; code: 'closed' | DayLock; closed?: ClosedWhy; name?: string; at?: Date };
export type ChangeDecision = { ok: true; action: 'book' | 'cancel' | 'request' | 'none' } | ChangeRefusal;

/**
 * Decides what a wish (want = booked or not) means for a day. Agents may override a deadline or an
 * opening date; nobody may book a closed day.
 */
export function decideChange(f: DayFacts, want: boolean, agentOverride: boolean): ChangeDecision {
  const s = dayState(f);
  if (s.kind === 'closed') return want ? { ok: false, code: 'closed', closed: s.closed, name: s.name } : { ok: true, action: 'none' };
  const has = s.kind !== 'free';
  if (want === has) return { ok: true, action: 'none' };
  if (!s.open && !agentOverride) return { ok: false, code: s.lock ?? 'deadline', at: s.lock === 'not_open' ? s.opensAt : s.until };
  if (!want) return { ok: true, action: 'cancel' };
  const collecting = f.period?.allocation === 'draw' && !f.period.allocated_at;
  return { ok: true, action: collecting ? 'request' : 'book' };
}

/**
 * For each unit, the units of its service it excludes on a day (the town's « ne se cumulent pas »:
 * same service, same non-null exclusion group).
 */
export function exclusiveWith(units: readonly { id: string; service_id: string; exclusion_group: number | null }[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const u of units) {
    const others = u.exclusion_group === null ? [] : units.filter((o) => o.id !== u.id && o.service_id === u.service_id && o.exclusion_group === u.exclusion_group).map((o) => o.id);
    map.set(u.id, others);
  }
  return map;
}

/** The key of one child's unit on one day. */
export const childUnitDay = (childId: string, unitId: string, day: string) => `${childId}|${unitId}|${day}`;

/**
 * Which wishes (to book or to request) would leave a child with two units that exclude each other
 * on one day: wish index → the unit the child already has (or was given earlier in the same form:
 * the first wish of a form wins). `active`: child|unit|day keys booked, waiting or requested once
 * the form's own cancellations are done.
 */
export function exclusiveClashes(wishes: readonly { childId: string; unitId: string; day: string }[], active: ReadonlySet<string>, exclusive: ReadonlyMap<string, string[]>): Map<number, string> {
  const has = new Set(active);
  const clashes = new Map<number, string>();
  for (const [i, w] of wishes.entries()) {
    const other = (exclusive.get(w.unitId) ?? []).find((u) => has.has(childUnitDay(w.childId, u, w.day)));
    if (other) clashes.set(i, other);
    else has.add(childUnitDay(w.childId, w.unitId, w.day));
  }
  return clashes;
}
