import { addDays, mondayOf, monthDays } from '../../platform/calendar/calendar.domain.ts';

/**
 * Where a calendar's « précédent / suivant » links may go: only to weeks and months that meet a period
 * the town has opened (school weeks, holidays, of any year). Pure: the periods are passed in.
 */

/** A period's first and last day (`'YYYY-MM-DD'`). */
export interface Span {
  start_date: string;
  end_date: string;
}

/** Where a page of the calendar stands among the opened periods. */
export interface Place {
  /** Some opened period meets the page's days. */
  inside: boolean;
  /** The closest opened day before the page's first day, if any (the previous link goes there). */
  before: string | null;
  /** The closest opened day after the page's last day, if any. */
  after: string | null;
  /** Outside: the opened day closest to the page (a gap between two periods: the next one on a tie). */
  nearest: string | null;
}

const earlier = (a: string, b: string) => (a < b ? a : b);
const later = (a: string, b: string) => (a > b ? a : b);
const distance = (a: string, b: string) => Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`));

/** Where the days `first`..`last` stand among the opened periods. */
export function placeOf(spans: readonly Span[], first: string, last: string): Place {
  let before: string | null = null;
  let after: string | null = null;
  let inside = false;
  for (const s of spans) {
    if (s.start_date <= last && s.end_date >= first) inside = true;
    if (s.start_date < first) before = before === null ? earlier(s.end_date, addDays(first, -1)) : later(before, earlier(s.end_date, addDays(first, -1)));
    if (s.end_date > last) after = after === null ? later(s.start_date, addDays(last, 1)) : earlier(after, later(s.start_date, addDays(last, 1)));
  }
  let nearest: string | null = null;
  if (!inside) nearest = before === null ? after : after === null ? before : distance(after, last) <= distance(first, before) ? after : before;
  return { inside, before, after, nearest };
}

/** The week (Monday to Sunday) of a day, and where it stands: previous and next weeks skip weeks no period meets. */
export function weekPlace(spans: readonly Span[], day: string) {
  const monday = mondayOf(day);
  const place = placeOf(spans, monday, addDays(monday, 6));
  return { monday, ...place, prev: place.before && mondayOf(place.before), next: place.after && mondayOf(place.after) };
}

/** A month (`'YYYY-MM'`) and where it stands: previous and next months skip months no period meets. */
export function monthPlace(spans: readonly Span[], month: string) {
  const days = monthDays(month);
  const place = placeOf(spans, days[0], days[days.length - 1]);
  return { month, ...place, prev: place.before && place.before.slice(0, 7), next: place.after && place.after.slice(0, 7) };
}

/** The opened days as a whole, for the page that says there is nothing to book: first and last day, or null. */
export function openedRange(spans: readonly Span[]): { first: string; last: string } | null {
  if (spans.length === 0) return null;
  return { first: spans.reduce((a, s) => earlier(a, s.start_date), spans[0].start_date), last: spans.reduce((a, s) => later(a, s.end_date), spans[0].end_date) };
}
