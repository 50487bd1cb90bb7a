import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, PostForm } from '../../platform/ui/components.tsx';
import { addDays, dayLabel, monthLabel, weekday } from '../../platform/calendar/calendar.domain.ts';
import type { DayState } from './bookings.domain.ts';
import { closedText, lockText, stateLabel } from './bookings.outcomes.ts';
import { HOW_TO_BOOK, NoEnrolmentBanner, shownStatus, unitWords, untilWords, type CalendarRow } from './bookings.family-views.tsx';
import { MissingEnrolments } from '../enrolments/enrolments.components.tsx';
import { PriceNote, PriceText } from './bookings.prices.components.tsx';
import type { DayPrice } from './bookings.prices.ts';
import type { MissingEnrolment } from '../enrolments/enrolments.service.ts';

/**
 * The week of every child of the household, for a phone: one section per day, each child's units as
 * large boxes (or, for units that exclude each other, one choice), one form for the whole week.
 * It posts to the month's handler (`POST /reservations`) the same `affiche` / `reserve` fields.
 */

/** Radio buttons of one child and day are named `choix-<child>-<day>`; « Aucune » sends this value. */
export const CHOICE_PREFIX = 'choix-';
export const NO_CHOICE = 'aucune';

export interface WeekRow extends CalendarRow {
  /** Units of the same service this one does not combine with on a day. */
  exclusiveWith?: string[];
}

export interface WeekCalendar {
  child: { id: string; first_name: string };
  rows: WeekRow[];
}

type Day = CalendarRow['days'][number];
type OpenState = Extract<DayState, { open: boolean }>;

/** One line of a day: a unit alone, or units that exclude each other offered as one choice. */
export type Entry = { kind: 'one'; child: WeekCalendar['child']; row: WeekRow; d: Day } | { kind: 'choice'; child: WeekCalendar['child']; rows: { row: WeekRow; d: Day }[] };

const key = (childId: string, unitId: string, day: string) => `${childId}|${unitId}|${day}`;
const isOpen = (s: DayState): s is OpenState & { open: true } => s.kind !== 'closed' && s.open;
/** « lundi 7 décembre 2026 »… the week is named by its Monday. */
export const weekLabel = (monday: string) => `semaine du ${dayLabel(monday, true)}`;

/** Monday to Friday, and Saturday or Sunday only when some unit of the household runs then. */
export function weekDays(monday: string, calendars: WeekCalendar[]): string[] {
  const runs = (day: string) => calendars.some((c) => c.rows.some((r) => r.days.some((d) => d.day === day && !(d.state.kind === 'closed' && (d.state.closed === 'no_service' || d.state.closed === 'public_holiday')))));
  return [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(monday, n)).filter((day) => weekday(day) <= 5 || runs(day));
}

/**
 * The lines of one day, child by child. Units that exclude each other become one choice when each of
 * them can still change and the child has one at most; otherwise each unit keeps its own line.
 */
export function dayEntries(day: string, calendars: WeekCalendar[]): Entry[] {
  return calendars.flatMap(({ child, rows }) => {
    const found = rows.flatMap((row) => row.days.filter((d) => d.day === day).map((d) => ({ row, d })));
    const done = new Set<string>();
    const entries: Entry[] = [];
    for (const item of found) {
      if (done.has(item.row.unit.id)) continue;
      const group = found.filter((o) => o === item || (item.row.exclusiveWith ?? []).includes(o.row.unit.id));
      const asChoice = group.length > 1 && group.every((o) => isOpen(o.d.state)) && group.filter((o) => o.d.state.kind !== 'free').length <= 1;
      if (asChoice) {
        group.forEach((o) => done.add(o.row.unit.id));
        entries.push({ kind: 'choice', child, rows: group });
      } else entries.push({ kind: 'one', child, row: item.row, d: item.d });
    }
    return entries;
  });
}

/** What a box says under its label, and is described by: « Réservé, modifiable jusqu'au… ». */
function Description({ id, state, today, price }: { id: string; state: OpenState; today: string; price?: DayPrice | null }) {
  return (
    <span id={id} class="wk__desc">
      <span class="wk__state">{stateLabel(state)}</span>
      {state.until && (
        <>
          , <span class="wk__until">{untilWords(state.until, today)}</span>
        </>
      )}
      {price && (
        <>
          , <PriceText price={price} class="wk__price" />
        </>
      )}
    </span>
  );
}

function One({ entry, today }: { entry: Extract<Entry, { kind: 'one' }>; today: string }) {
  const { child, row, d } = entry;
  const { state } = d;
  const words = unitWords(row.serviceName, row.unit.label);
  const name = `${child.first_name}, ${dayLabel(d.day)}, ${words}`;
  if (state.kind === 'closed') {
    return (
      <li class="wk__item wk__item--closed">
        {child.first_name}, {words} : {closedText(state.closed, state.name)}
      </li>
    );
  }
  const has = state.kind !== 'free';
  if (!state.open) {
    return (
      <li class={`wk__item wk__item--locked${has ? ' wk__item--booked' : ''}`}>
        <span class="visually-hidden">{name}, ne peut plus changer : </span>
        <span aria-hidden="true">
          {child.first_name}, {words}
        </span>
        <span class="wk__desc">
          <span class="wk__state">{stateLabel(state)}</span> <span class="wk__until">{lockText(state)}</span> <PriceText price={d.price} class="wk__price" />
        </span>
        {state.kind === 'booked' && d.bookingId && d.day > today && (
          <a class="wk__absence" href={`/reservations/absence/${d.bookingId}`}>
            Signaler une absence<span class="visually-hidden"> : {name}</span>
          </a>
        )}
      </li>
    );
  }
  const id = `w-${child.id}-${row.unit.id}-${d.day}`;
  return (
    <li class={`wk__item wk__item--open${has ? ' wk__item--booked' : ''}`}>
      <input type="hidden" name="affiche" value={`${key(child.id, row.unit.id, d.day)}|${shownStatus(state)}`} />
      <input class="wk__check" type="checkbox" id={id} name="reserve" value={key(child.id, row.unit.id, d.day)} checked={has} aria-describedby={`${id}-d`} />
      <label for={id} class="wk__label">
        <span aria-hidden="true">
          {child.first_name}, {words}
        </span>
        <span class="visually-hidden">{name}</span>
      </label>
      <Description id={`${id}-d`} state={state} today={today} price={d.price} />
    </li>
  );
}

/** « Hugo, mercredi 9 décembre : centre de loisirs » — Journée avec repas / Matinée sans repas / Aucune. */
function Choice({ entry, day, today }: { entry: Extract<Entry, { kind: 'choice' }>; day: string; today: string }) {
  const { child, rows } = entry;
  const name = `${CHOICE_PREFIX}${child.id}-${day}`;
  const none = rows.every((o) => o.d.state.kind === 'free');
  const services = [...new Set(rows.map((o) => o.row.serviceName.toLowerCase()))].join(', ');
  return (
    <li class="wk__item wk__item--choice">
      <fieldset class="fieldset">
        <legend class="wk__legend">
          {child.first_name}, {dayLabel(day)} : {services}
        </legend>
        {rows.map(({ row, d }) => {
          const state = d.state as OpenState;
          const id = `w-${child.id}-${row.unit.id}-${day}`;
          return (
            <div class={`wk__option${state.kind !== 'free' ? ' wk__option--booked' : ''}`}>
              <input type="hidden" name="affiche" value={`${key(child.id, row.unit.id, day)}|${shownStatus(state)}`} />
              <input class="wk__check" type="radio" id={id} name={name} value={key(child.id, row.unit.id, day)} checked={state.kind !== 'free'} aria-describedby={`${id}-d`} />
              <label for={id} class="wk__label">
                {row.unit.label}
              </label>
              <Description id={`${id}-d`} state={state} today={today} price={d.price} />
            </div>
          );
        })}
        <div class="wk__option">
          <input class="wk__check" type="radio" id={`${name}-aucune`} name={name} value={NO_CHOICE} checked={none} />
          <label for={`${name}-aucune`} class="wk__label">
            Aucune
          </label>
        </div>
      </fieldset>
    </li>
  );
}

function DaySection({ day, calendars, today }: { day: string; calendars: WeekCalendar[]; today: string }) {
  const all = dayEntries(day, calendars);
  const closed = all.every((e) => e.kind === 'one' && e.d.state.kind === 'closed');
  // A unit that never runs on this weekday says nothing worth a line, beside the units that do.
  const entries = closed ? all : all.filter((e) => !(e.kind === 'one' && e.d.state.kind === 'closed' && e.d.state.closed === 'no_service'));
  const headingId = `j-${day}`;
  const title = dayLabel(day);
  return (
    <section class="wk__day" aria-labelledby={headingId}>
      <h2 id={headingId} class="wk__heading">
        {title.charAt(0).toUpperCase() + title.slice(1)}
      </h2>
      {closed ? (
        // A day without any service for anyone reads in one line (« Férié : Noël », « Vacances scolaires »).
        <p class="wk__closed">{[...new Set(entries.map((e) => (e.kind === 'one' && e.d.state.kind === 'closed' ? closedText(e.d.state.closed, e.d.state.name) : '')))].join(' ; ')}</p>
      ) : (
        <ul class="wk__list">{entries.map((e) => (e.kind === 'one' ? <One entry={e} today={today} /> : <Choice entry={e} day={day} today={today} />))}</ul>
      )}
    </section>
  );
}

/**
 * The week page. `prev` / `next`: the Mondays of the closest weeks with an opened period (no link
 * beyond them); `opened`: the first and last opened day, the bounds of the date field.
 */
export function WeekPage(props: { ctx: PageCtx; today: string; monday: string; prev: string | null; next: string | null; opened: { first: string; last: string } | null; calendars: WeekCalendar[] }) {
  const { ctx, monday, today } = props;
  const calendars = props.calendars.filter((c) => c.rows.length > 0);
  const days = weekDays(monday, calendars);
  // The month most of the week's school days fall in: its Thursday's.
  const month = addDays(monday, 3).slice(0, 7);
  return (
    <Layout ctx={ctx} title={`Réservations – ${weekLabel(monday)}`}>
      <h1 class="wk__title">
        Réservations <span class="wk__subtitle">{weekLabel(monday)}</span>
      </h1>
      {calendars.length === 0 && <NoEnrolmentBanner />}
      {calendars.length > 0 && (
        <PostForm action="/reservations" csrf={ctx.csrf}>
          <input type="hidden" name="semaine" value={monday} />
          <p class="wk__help">{HOW_TO_BOOK} Enregistrez avant de changer de semaine.</p>
          <PriceNote calendars={calendars} />
          {days.map((day) => (
            <DaySection day={day} calendars={calendars} today={today} />
          ))}
          <Button>Enregistrer mes réservations</Button>
        </PostForm>
      )}
      {/* After the form: from the top of the page, the boxes come right after the menu (few keyboard stops). */}
      <nav class="month-nav wk__nav" aria-label="Semaines">
        {props.prev ? (
          <a href={`/reservations/semaine?du=${props.prev}`}>
            Semaine précédente<span class="visually-hidden"> : {weekLabel(props.prev)}</span>
          </a>
        ) : (
          <span />
        )}
        {props.next ? (
          <a href={`/reservations/semaine?du=${props.next}`}>
            Semaine suivante<span class="visually-hidden"> : {weekLabel(props.next)}</span>
          </a>
        ) : (
          <span />
        )}
      </nav>
      <form method="get" action="/reservations/semaine" class="wk__jump" novalidate>
        <label class="label" for="wk-du">
          Aller à la date
        </label>
        <input class="input input--short" type="date" id="wk-du" name="du" value={monday} min={props.opened?.first} max={props.opened?.last} />
        <button type="submit" class="btn btn--secondary">
          Afficher la semaine
        </button>
      </form>
      <p>
        <a href={`/reservations?mois=${month}`}>
          Voir le mois<span class="visually-hidden"> : {monthLabel(month)}</span>
        </a>{' '}
        · <a href="/reservations/semaine-type">Réserver les mêmes jours chaque semaine (semaine type)</a>
      </p>
    </Layout>
  );
}

/** A week or a month the town has opened no period for (`what`: « la semaine du… », « en mars 2031 »): nothing to book, and the closest opened days. */
/** `missing`: services a child could be enrolled in; enrolling does not wait for an opened period. */
export function OutOfPeriodPage(props: { ctx: PageCtx; what: string; nearest: string | null; opened: { first: string; last: string } | null; view: 'week' | 'month'; missing?: MissingEnrolment[] }) {
  const { nearest, opened } = props;
  const href = nearest && (props.view === 'week' ? `/reservations/semaine?du=${addDays(nearest, 1 - weekday(nearest))}` : `/reservations?mois=${nearest.slice(0, 7)}`);
  const target = nearest && (props.view === 'week' ? weekLabel(addDays(nearest, 1 - weekday(nearest))) : monthLabel(nearest.slice(0, 7)));
  return (
    <Layout ctx={props.ctx} title={`Rien à réserver ${props.what}`}>
      <h1>Rien à réserver {props.what}</h1>
      {opened ? (
        <p class="lead">
          La mairie n'a pas ouvert les réservations pour ces dates. Les périodes ouvertes vont du {dayLabel(opened.first, true)} au {dayLabel(opened.last, true)}.
        </p>
      ) : (
        <p class="lead">La mairie n'a encore ouvert aucune période de réservation. Revenez plus tard, ou renseignez-vous à l'accueil.</p>
      )}
      {href && target && (
        <ButtonLink href={href} variant="primary">
          Aller à la période ouverte la plus proche : {target}
        </ButtonLink>
      )}
      <MissingEnrolments missing={props.missing} />
    </Layout>
  );
}
