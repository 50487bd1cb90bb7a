import type { PeriodFacts } from './bookings.domain.ts';

/**
 * Which periods a family is told about, and at which stage (pure: `now` and the facts are passed in).
 * A period is explained when its bookings open soon (at a date and hour the town set) or when its
 * places are given by draw: before the draw (requests open, then closed) and for a while after it
 * (what each child obtained). A period open on a first-come basis needs no explanation: the calendar
 * shows its days.
 */

export interface ExplainedPeriod extends PeriodFacts {
  id: string;
  school_year_id: string;
  draw_mode: 'day' | 'request';
}

/**
 * - `opens_soon`: bookings (or draw requests) open at a date and hour still to come;
 * - `collecting`: a draw period taking requests (until `requests_close_at` when set);
 * - `awaiting_draw`: requests are closed, the draw is still to be run;
 * - `drawn`: the draw was run; the page says what each child obtained.
 */
export type OpeningStage = 'opens_soon' | 'collecting' | 'awaiting_draw' | 'drawn';

export interface PeriodStage {
  period: ExplainedPeriod;
  stage: OpeningStage;
  /** The instant that matters most at this stage (opening, close of requests, draw), for ordering. */
  at: Date | null;
}

/** A period explained, with, after its draw, one sentence per child of what it holds now. */
export interface PeriodNote extends PeriodStage {
  results: { childId: string; text: string }[];
}

const DAY_MS = 86_400_000;
/** How far ahead an opening is announced. */
export const OPENING_HORIZON_DAYS = 21;
/** How long after a draw its result stays on the pages (the period must not be over either). */
export const DRAWN_SHOWN_DAYS = 30;
/** At most this many periods explained on a page. */
export const MAX_EXPLAINED = 4;

/** The stage of one period now, or null when there is nothing to explain. */
export function stageOf(p: ExplainedPeriod, now: Date, today: string): PeriodStage | null {
  if (p.end_date < today) return null;
  const t = now.getTime();
  const opens = p.booking_opens_at ? new Date(p.booking_opens_at) : null;
  if (opens && t < opens.getTime()) return opens.getTime() - t <= OPENING_HORIZON_DAYS * DAY_MS ? { period: p, stage: 'opens_soon', at: opens } : null;
  if (p.allocation !== 'draw') return null;
  if (p.allocated_at) {
    const drawn = new Date(p.allocated_at);
    return t - drawn.getTime() <= DRAWN_SHOWN_DAYS * DAY_MS ? { period: p, stage: 'drawn', at: drawn } : null;
  }
  const closes = p.requests_close_at ? new Date(p.requests_close_at) : null;
  if (closes && t >= closes.getTime()) return { period: p, stage: 'awaiting_draw', at: closes };
  return { period: p, stage: 'collecting', at: closes };
}

/**
 * The periods to explain to a household: those of the school years and kinds (school weeks or
 * holidays) its children are enrolled for, at most MAX_EXPLAINED, the soonest stage first.
 */
export function periodsToExplainNow(periods: readonly ExplainedPeriod[], enrolledFor: readonly { schoolYearId: string; kind: 'school' | 'holiday' }[], now: Date, today: string): PeriodStage[] {
  const wanted = new Set(enrolledFor.map((e) => `${e.schoolYearId}|${e.kind}`));
  return periods
    .filter((p) => wanted.has(`${p.school_year_id}|${p.kind}`))
    .map((p) => stageOf(p, now, today))
    .filter((s): s is PeriodStage => s !== null)
    .sort((a, b) => (a.at?.getTime() ?? Infinity) - (b.at?.getTime() ?? Infinity) || a.period.start_date.localeCompare(b.period.start_date))
    .slice(0, MAX_EXPLAINED);
}

/** « des vacances de Noël », « de la période 3 », « de « Stage de février » »: the period named inside a sentence. */
export function ofPeriod(label: string): string {
  const l = label.trim();
  if (/^vacances\b/i.test(l)) return `des ${l[0].toLowerCase()}${l.slice(1)}`;
  if (/^période\b/i.test(l)) return `de la ${l[0].toLowerCase()}${l.slice(1)}`;
  return `de « ${l} »`;
}
