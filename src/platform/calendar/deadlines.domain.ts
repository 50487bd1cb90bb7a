import { Temporal } from 'temporal-polyfill';
import { formatTime } from '../format.ts';
import { addDays, dayLabel, isWorkingDay, mondayOf, TIME_ZONE, todayIn, weekdayName } from './calendar.domain.ts';

/**
 * Booking and cancellation deadlines, stored as data on each service and evaluated by the server
 * at the instant of the request, in Europe/Paris (so a deadline at 12:00 stays 12:00 across DST).
 */
export type DeadlineRule =
  /** « J-2 ouvrés à 12 h » (working: Monday–Friday except public holidays) or « J-7 à 18 h » (calendar days). */
  | { kind: 'days_before'; days: number; working: boolean; time: string }
  /** « le jeudi à 12 h de la semaine précédente » (weekday 1 = Monday). */
  | { kind: 'weekday_previous_week'; weekday: number; time: string };

// A service's two rules are parsed for every day of every calendar: parsed once per text.
const parsed = new Map<string, DeadlineRule>();

export function parseRule(json: string): DeadlineRule {
  let rule = parsed.get(json);
  if (!rule) {
    rule = checkedRule(json);
    if (parsed.size >= 1000) parsed.clear();
    parsed.set(json, rule);
  }
  return rule;
}

function checkedRule(json: string): DeadlineRule {
  const r = JSON.parse(json) as DeadlineRule;
  if (r.kind === 'days_before' && Number.isInteger(r.days) && r.days >= 0 && /^\d\d:\d\d$/.test(r.time)) return r;
  if (r.kind === 'weekday_previous_week' && r.weekday >= 1 && r.weekday <= 7 && /^\d\d:\d\d$/.test(r.time)) return r;
  throw new Error(`Règle de délai invalide : ${json}`);
}

/** The rule in the words families read. */
export function describeRule(r: DeadlineRule): string {
  if (r.kind === 'weekday_previous_week') return `le ${weekdayName(r.weekday)} de la semaine précédente, ${formatTime(r.time)}`;
  if (r.days === 1 && !r.working) return `la veille à ${formatTime(r.time)}`;
  if (r.days === 0) return `le jour même à ${formatTime(r.time)}`;
  return `${r.days} jour${r.days > 1 ? 's' : ''}${r.working ? ' ouvré' + (r.days > 1 ? 's' : '') : ''} avant, à ${formatTime(r.time)}`;
}

/** The day on which the deadline falls. */
export function deadlineDay(rule: DeadlineRule, day: string): string {
  if (rule.kind === 'weekday_previous_week') return addDays(mondayOf(day), rule.weekday - 1 - 7);
  if (!rule.working) return addDays(day, -rule.days);
  let d = day;
  for (let n = 0; n < rule.days; ) {
    d = addDays(d, -1);
    if (isWorkingDay(d)) n++;
  }
  return d;
}

// Deadlines are a pure function of (rule, day): a month calendar or an opening-day form asks for
// the same few again and again, and each costs a time-zone conversion. Bounded memo.
const instants = new Map<string, number>();

/** The deadline instant of a rule for a day: the wall-clock time in Paris on the deadline day. */
export function deadlineInstant(rule: DeadlineRule, day: string): Date {
  const key = `${rule.kind === 'days_before' ? `d${rule.days}${rule.working ? 'w' : ''}` : `w${rule.weekday}`}@${rule.time}|${day}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    ms = Temporal.PlainDate.from(deadlineDay(rule, day)).toZonedDateTime({ timeZone: TIME_ZONE, plainTime: Temporal.PlainTime.from(rule.time) }).epochMilliseconds;
    if (instants.size >= 10_000) instants.clear();
    instants.set(key, ms);
  }
  return new Date(ms);
}

/** Open strictly before the deadline: at the deadline itself it is too late. */
export const isBeforeDeadline = (rule: DeadlineRule, day: string, now: Date) => now.getTime() < deadlineInstant(rule, day).getTime();

const formatted = new Map<number, string>();

/** The Paris wall-clock day and time of an instant. */
const paris = (instant: Date) => Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(TIME_ZONE);

/** « jeudi 28 novembre, 12 h » (the same few deadlines recur on every calendar: memo). */
export function formatDeadline(instant: Date): string {
  const ms = instant.getTime();
  let text = formatted.get(ms);
  if (text === undefined) {
    const z = paris(instant);
    text = `${dayLabel(z.toPlainDate().toString())}, ${formatTime(z)}`;
    if (formatted.size >= 10_000) formatted.clear();
    formatted.set(ms, text);
  }
  return text;
}

/**
 * Until when something can be done, as families read it: « avant 12 h » on the day itself,
 * « jusqu'au mardi 17 novembre, 12 h » otherwise.
 */
export function formatUntil(instant: Date, now: Date): string {
  if (todayIn(instant) === todayIn(now)) return `avant ${formatTime(paris(instant))}`;
  return `jusqu'au ${formatDeadline(instant)}`;
}

/** « lundi 4 janvier à 8 h », « mardi 1er décembre à 8 h 30 »: when something opens (an instant, in Paris). */
export function formatOpening(instant: Date): string {
  const z = paris(instant);
  return `${dayLabel(z.toPlainDate().toString())} à ${formatTime(z)}`;
}
