import { addDays, mondayOf, weekday } from '../../platform/calendar/calendar.domain.ts';
import type { ServiceKind } from '../../platform/vocabulary.ts';
import type { ClosedWhy, DayState } from '../bookings/bookings.domain.ts';
import type { PeriodNote } from '../bookings/bookings.openings.domain.ts';

/**
 * The family's home page as a to-do list (pure rules: the facts and `now` are passed in).
 * « À faire »: what the family must do, most urgent first (deadlines, openings, a request that waits
 * for an answer). « À savoir »: what is under way (enrolments, requests, draws, changes) and the
 * latest notices. Then « Cette semaine »: each child's days.
 */

export interface HomeRow {
  serviceName: string;
  serviceKind: ServiceKind;
  unit: { id: string; label: string };
  days: { day: string; state: DayState }[];
}

export interface HomeCalendar {
  child: { id: string; first_name: string };
  rows: HomeRow[];
}

const DAY_MS = 86_400_000;
/** A deadline is listed when it closes within this many days. */
export const DEADLINE_HORIZON_DAYS = 7;
/** At most this many deadlines listed (the soonest). */
export const MAX_DEADLINES = 6;
/** The calendar read for the home page: 4 weeks back (the habits), 20 days ahead (deadlines, next week). */
export const HISTORY_DAYS = 28;
export const AHEAD_DAYS = 20;

/** The week « Cette semaine » shows: this week, or the next one from Friday 14 h and over the weekend. */
export function shownWeek(today: string, parisHour: number): { monday: string; next: boolean } {
  const wd = weekday(today);
  const next = wd >= 6 || (wd === 5 && parisHour >= 14);
  return { monday: next ? addDays(mondayOf(today), 7) : mondayOf(today), next };
}

const held = (s: DayState) => s.kind === 'booked' || s.kind === 'waiting' || s.kind === 'requested';

export interface DeadlineItem {
  childId: string;
  firstName: string;
  serviceKind: ServiceKind;
  serviceName: string;
  /** Monday of the week of the days. */
  monday: string;
  /** The earliest deadline of those days. */
  until: Date;
  days: string[];
}

/**
 * Days a child usually has and has not booked, whose booking deadline closes within the next
 * DEADLINE_HORIZON_DAYS days, grouped by child, service and week (the earliest deadline of the
 * group), soonest first, at most MAX_DEADLINES.
 *
 * « Usually has »: the weekdays on which the child holds a day of that service anywhere in the
 * calendar read (4 weeks back to 20 days ahead); a child who holds none yet is reminded of every
 * day of the service it is enrolled for. A day where the child already holds one unit of the
 * service (another unit of the day, e.g. the half-day instead of the whole day) is not a gap.
 */
export function deadlinesToBook(calendars: readonly HomeCalendar[], now: Date, today: string): DeadlineItem[] {
  const horizon = now.getTime() + DEADLINE_HORIZON_DAYS * DAY_MS;
  const items = new Map<string, DeadlineItem>();
  for (const { child, rows } of calendars) {
    const services = [...new Set(rows.map((r) => r.serviceName))];
    for (const serviceName of services) {
      const serviceRows = rows.filter((r) => r.serviceName === serviceName);
      const heldDays = new Set(serviceRows.flatMap((r) => r.days.filter((d) => held(d.state)).map((d) => d.day)));
      const habit = new Set([...heldDays].map(weekday));
      const days = [...new Set(serviceRows.flatMap((r) => r.days.map((d) => d.day)))].filter((day) => day >= today && !heldDays.has(day) && (habit.size === 0 || habit.has(weekday(day))));
      for (const day of days) {
        const open = serviceRows
          .map((r) => r.days.find((d) => d.day === day)?.state)
          .filter((s): s is Extract<DayState, { open: boolean }> => !!s && s.kind === 'free' && s.open && !!s.until && s.until.getTime() <= horizon);
        if (open.length === 0) continue;
        const until = new Date(Math.min(...open.map((s) => s.until!.getTime())));
        const key = `${child.id}|${serviceName}|${mondayOf(day)}`;
        const item = items.get(key) ?? { childId: child.id, firstName: child.first_name, serviceKind: serviceRows[0].serviceKind, serviceName, monday: mondayOf(day), until, days: [] };
        if (until < item.until) item.until = until;
        item.days.push(day);
        items.set(key, item);
      }
    }
  }
  return [...items.values()]
    .map((i) => ({ ...i, days: i.days.sort() }))
    .sort((a, b) => a.until.getTime() - b.until.getTime() || a.firstName.localeCompare(b.firstName, 'fr') || a.serviceName.localeCompare(b.serviceName, 'fr') || a.monday.localeCompare(b.monday))
    .slice(0, MAX_DEADLINES);
}

export type WeekEntry = { kind: 'booked' | 'requested'; serviceKind: ServiceKind; serviceName: string; unit: string } | { kind: 'waiting'; serviceKind: ServiceKind; serviceName: string; unit: string; position: number | null };

export interface WeekDay {
  day: string;
  entries: WeekEntry[];
  /** Why there is no service at all that day (every row closed for the same kind of reason), if so. */
  closed: { why: ClosedWhy; name?: string } | null;
}

/** Monday to Friday of the week starting `monday`, for one child: what it holds each day. */
export function weekOf(calendar: HomeCalendar, monday: string): WeekDay[] {
  return [0, 1, 2, 3, 4].map((i) => {
    const day = addDays(monday, i);
    const states = calendar.rows.map((r) => ({ row: r, state: r.days.find((d) => d.day === day)?.state })).filter((x): x is { row: HomeRow; state: DayState } => !!x.state);
    const entries: WeekEntry[] = states
      .filter((x) => held(x.state))
      .map(({ row, state }) => {
        const base = { serviceKind: row.serviceKind, serviceName: row.serviceName, unit: row.unit.label };
        return state.kind === 'waiting' ? { kind: 'waiting' as const, ...base, position: state.position ?? null } : { kind: state.kind as 'booked' | 'requested', ...base };
      });
    // A closure or a public holiday is worth saying (the day would otherwise be a gap); a day the service does not run is not.
    const closing = states.map((x) => x.state).find((s): s is Extract<DayState, { kind: 'closed' }> => s.kind === 'closed' && (s.closed === 'closure' || s.closed === 'public_holiday'));
    // School holidays, when no service of the child runs that day.
    const holidays = states.length > 0 && states.every((x) => x.state.kind === 'closed') && states.some((x) => x.state.kind === 'closed' && x.state.closed === 'school_holidays');
    const closed = closing ? { why: closing.closed, name: closing.name } : holidays ? { why: 'school_holidays' as const } : null;
    return { day, entries, closed: entries.length === 0 ? closed : null };
  });
}

export interface OpenRequest {
  id: string;
  reference: string;
  type: string;
  status: string;
  summary: string;
  created_at: string;
  last_from_family: number | null;
}

export interface PendingEnrolment {
  request_id: string;
  status: string;
  first_name: string;
  service_name: string;
  service_kind: ServiceKind;
}

export interface PendingChangeFact {
  id: string;
  kind: 'new_child' | 'address';
  summary: string;
  status: 'pending' | 'accepted' | 'refused';
  reason: string | null;
  submitted_at: string;
  decided_at: string | null;
}

export interface Notice {
  at: string;
  text: string;
}

export type TodoItem = { kind: 'deadline'; item: DeadlineItem } | { kind: 'opening'; note: PeriodNote } | { kind: 'reply'; request: OpenRequest };

export type InfoItem =
  | { kind: 'draw'; note: PeriodNote }
  | { kind: 'enrolment'; enrolment: PendingEnrolment }
  | { kind: 'request'; request: OpenRequest }
  | { kind: 'change'; change: PendingChangeFact }
  | { kind: 'notice'; notice: Notice; href: string };

/** Notices shown: the 3 latest of the last 30 days. */
export const NOTICES_SHOWN = 3;
export const NOTICE_DAYS = 30;
/** A refused change of the household stays on the home page this many days. */
export const REFUSED_SHOWN_DAYS = 30;

/** Where a notice leads: a request's thread list for a notice about a request, the bookings otherwise. */
export const noticeHref = (text: string) => (/\bdemande\b/i.test(text) ? '/demandes' : '/reservations');

/**
 * The two lists of the home page. À faire: deadlines, openings and requests collecting (the sooner
 * the higher), then requests waiting for an answer of the family. À savoir: draws under way or
 * done, enrolments and other requests under way, household changes waiting or refused lately, then
 * the latest notices (a draw's notice is left out while the draw's result is on the page).
 * `nothing`: nothing to do and nothing under way (« Rien à faire pour le moment »).
 */
export function homeLists(input: {
  now: Date;
  deadlines: DeadlineItem[];
  notes: PeriodNote[];
  requests: OpenRequest[];
  enrolments: PendingEnrolment[];
  changes: PendingChangeFact[];
  notices: Notice[];
  isDrawNotice: (text: string) => boolean;
}): { todo: TodoItem[]; info: InfoItem[]; nothing: boolean } {
  const t = input.now.getTime();
  const dated: { at: number; item: TodoItem }[] = [
    ...input.deadlines.map((d) => ({ at: d.until.getTime(), item: { kind: 'deadline' as const, item: d } })),
    ...input.notes.filter((n) => n.stage === 'opens_soon' || n.stage === 'collecting').map((n) => ({ at: n.at?.getTime() ?? Infinity, item: { kind: 'opening' as const, note: n } })),
  ];
  dated.sort((a, b) => a.at - b.at);
  const replies = input.requests.filter((r) => r.last_from_family === 0);
  const todo: TodoItem[] = [...replies.map((request) => ({ kind: 'reply' as const, request })), ...dated.map((d) => d.item)];

  const draws = input.notes.filter((n) => n.stage === 'awaiting_draw' || n.stage === 'drawn');
  // Enrolment requests are told through their enrolment (child and service named).
  const enrolmentRequests = new Set(input.enrolments.map((e) => e.request_id));
  const others = input.requests.filter((r) => r.last_from_family !== 0 && !enrolmentRequests.has(r.id));
  const changes = input.changes.filter((c) => c.status === 'pending' || (c.status === 'refused' && c.decided_at && t - Date.parse(c.decided_at) <= REFUSED_SHOWN_DAYS * DAY_MS));
  const drawShown = draws.some((n) => n.stage === 'drawn');
  const notices = input.notices
    .filter((n) => t - Date.parse(n.at) <= NOTICE_DAYS * DAY_MS && !(drawShown && input.isDrawNotice(n.text)))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, NOTICES_SHOWN);
  const info: InfoItem[] = [
    ...draws.map((note) => ({ kind: 'draw' as const, note })),
    ...input.enrolments.map((enrolment) => ({ kind: 'enrolment' as const, enrolment })),
    ...others.map((request) => ({ kind: 'request' as const, request })),
    ...changes.map((change) => ({ kind: 'change' as const, change })),
    ...notices.map((notice) => ({ kind: 'notice' as const, notice, href: noticeHref(notice.text) })),
  ];
  return { todo, info, nothing: todo.length === 0 && info.every((i) => i.kind === 'notice') };
}
