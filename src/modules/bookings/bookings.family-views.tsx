import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, ErrorSummary, NotificationBanner, PostForm, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { addDays, dayLabel, monthLabel, todayIn, weekday } from '../../platform/calendar/calendar.domain.ts';
import { formatDeadline } from '../../platform/calendar/deadlines.domain.ts';
import type { DayState } from './bookings.domain.ts';
import { formatEuros } from '../../platform/format.ts';
import { closedText, costText, daysCount, serviceUnitLabel, lineDetail, lockText, RESULT_HEADINGS, stateLabel, type DayStatus } from './bookings.outcomes.ts';
import type { ChangeResult } from './bookings.service.ts';
import { PeriodNotes } from './bookings.openings.components.tsx';
import type { PeriodNote } from './bookings.openings.domain.ts';
import { MissingEnrolments } from '../enrolments/enrolments.components.tsx';
import { PriceNote, PriceText } from './bookings.prices.components.tsx';
import type { DayPrice } from './bookings.prices.ts';
import type { MissingEnrolment } from '../enrolments/enrolments.service.ts';

export interface CalendarRow {
  serviceName: string;
  unit: { id: string; label: string };
  /** `price`: what the day costs this child (pages that show prices), null when no tariff applies. */
  days: { day: string; state: DayState; bookingId: string | null; price?: DayPrice | null }[];
}

export interface ChildCalendar {
  child: { id: string; first_name: string };
  rows: CalendarRow[];
}

const WEEKDAY_HEADERS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
const key = (childId: string, unitId: string, day: string) => `${childId}|${unitId}|${day}`;
/** What a day is as the page draws it: sent back with the form, so that a day changed since is not overwritten. */
export const shownStatus = (s: DayState): DayStatus => (s.kind === 'booked' || s.kind === 'waiting' || s.kind === 'requested' ? s.kind : 'none');

/** Weeks of the month as rows of Monday–Friday cells (null outside the month): no service runs at weekends. */
function weeks<T extends { day: string }>(days: T[]): (T | null)[][] {
  const rows: (T | null)[][] = [];
  let row: (T | null)[] = [];
  for (const d of days) {
    const wd = weekday(d.day);
    if (wd > 5) continue;
    if (row.length === 0) row = Array<T | null>(wd - 1).fill(null);
    row.push(d);
    if (wd === 5) {
      rows.push(row);
      row = [];
    }
  }
  if (row.length) rows.push([...row, ...Array<T | null>(5 - row.length).fill(null)]);
  return rows;
}

/** « restauration scolaire, repas »: a unit in the words of its service, for names and lists. */
export const unitWords = (serviceName: string, unitLabel: string) => (serviceName.toLowerCase() === unitLabel.toLowerCase() ? serviceName.toLowerCase() : `${serviceName.toLowerCase()}, ${unitLabel.toLowerCase()}`);

/**
 * « modifiable jusqu'au mardi 17 novembre, 12 h »: the deadline as people say it; given `today` (the
 * Paris day), a deadline of today or tomorrow reads « modifiable aujourd'hui avant 12 h ».
 */
export function untilWords(until: Date, today?: string) {
  const words = formatDeadline(until);
  const day = todayIn(until);
  if (today && (day === today || day === addDays(today, 1))) return `modifiable ${day === today ? 'aujourd\'hui' : 'demain'} avant ${words.slice(dayLabel(day).length + 2)}`;
  return `modifiable jusqu'au ${words}`;
}

/** What the calendar pages say above their form (month and week alike). */
export const HOW_TO_BOOK = 'Cochez les jours voulus, décochez ceux à annuler, puis enregistrez. Chaque jour indique jusqu\'à quand il peut changer.';

/** A household whose children have no accepted enrolment: what to do first. */
export const NoEnrolmentBanner = () => (
  <NotificationBanner kind="info" title="Aucune inscription acceptée">
    <p>Pour réserver, inscrivez d'abord votre enfant au service (cantine, garderie, centre de loisirs). Les réservations s'ouvrent dès que la mairie accepte l'inscription.</p>
    <p>
      <a href="/inscriptions/nouvelle">Inscrire un enfant à un service</a>
    </p>
  </NotificationBanner>
);

function Cell({ childId, childName, row, d, today }: { childId: string; childName: string; row: CalendarRow; d: CalendarRow['days'][number]; today: string }) {
  const { state } = d;
  // The accessible name says which day it is (« Léa, jeudi 3 décembre, restauration scolaire, repas »);
  // its state is the checked state, and what else there is to know is its description.
  const name = `${childName}, ${dayLabel(d.day)}, ${unitWords(row.serviceName, row.unit.label)}`;
  const num = Number(d.day.slice(8));
  if (state.kind === 'closed') {
    return (
      <td class="cal__day cal__day--closed">
        <span class="cal__num">{num}</span>
        <span class="cal__state">{closedText(state.closed, state.name)}</span>
      </td>
    );
  }
  const has = state.kind !== 'free';
  if (!state.open) {
    // No box to tick: the day is read as text, with why it cannot change.
    return (
      <td class={`cal__day${has ? ' cal__day--booked' : ''} cal__day--locked`}>
        <span class="cal__num" aria-hidden="true">
          {num}
        </span>
        <span class="visually-hidden">{name}, ne peut plus changer : </span>
        <span class="cal__state">{stateLabel(state)}</span>
        <span class="cal__why">{lockText(state)}</span>
        <PriceText price={d.price} class="cal__price" />
        {state.kind === 'booked' && d.bookingId && d.day > today && (
          <a class="cal__absence" href={`/reservations/absence/${d.bookingId}`}>
            Signaler une absence<span class="visually-hidden"> : {name}</span>
          </a>
        )}
      </td>
    );
  }
  const id = `c-${childId}-${row.unit.id}-${d.day}`;
  return (
    <td class={`cal__day${has ? ' cal__day--booked' : ''}`}>
      <input type="hidden" name="affiche" value={`${key(childId, row.unit.id, d.day)}|${shownStatus(state)}`} />
      <input class="cal__check" type="checkbox" id={id} name="reserve" value={key(childId, row.unit.id, d.day)} checked={has} aria-describedby={`${id}-d`} />
      <label for={id} class="cal__label">
        <span class="cal__num" aria-hidden="true">
          {num}
        </span>
        <span class="visually-hidden">{name}</span>
      </label>
      <span id={`${id}-d`} class="cal__desc">
        <span class="cal__state">{stateLabel(state)}</span>
        {state.until && (
          <span class="cal__until">
            <span class="visually-hidden">, </span>
            {untilWords(state.until)}
          </span>
        )}
        <PriceText price={d.price} class="cal__price" />
      </span>
    </td>
  );
}

/**
 * The month of every child and unit. `prev` / `next`: the closest months with an opened period, if
 * any (no link beyond them); `week`: the Monday the « Voir par semaine » link opens.
 */
export function CalendarPage(props: { ctx: PageCtx; today: string; month: string; prev: string | null; next: string | null; week: string; calendars: ChildCalendar[]; notices: { at: string; text: string }[]; periodNotes?: PeriodNote[]; missing?: MissingEnrolment[] }) {
  const { ctx, month } = props;
  const anyRow = props.calendars.some((c) => c.rows.length > 0);
  return (
    <Layout ctx={ctx} title={`Réservations – ${monthLabel(month)}`} wide>
      <h1>Réservations</h1>
      <p class="view-switch">
        <a href={`/reservations/semaine?du=${props.week}`}>Voir par semaine</a>
      </p>
      <nav class="month-nav" aria-label="Mois">
        {props.prev ? (
          <a href={`/reservations?mois=${props.prev}`}>
            Mois précédent<span class="visually-hidden"> : {monthLabel(props.prev)}</span>
          </a>
        ) : (
          <span />
        )}
        <strong>{monthLabel(month)}</strong>
        {props.next ? (
          <a href={`/reservations?mois=${props.next}`}>
            Mois suivant<span class="visually-hidden"> : {monthLabel(props.next)}</span>
          </a>
        ) : (
          <span />
        )}
      </nav>
      <PeriodNotes notes={props.periodNotes ?? []} />
      <MissingEnrolments missing={props.missing} />
      {!anyRow && <NoEnrolmentBanner />}
      {anyRow && (
        <>
          <p>{HOW_TO_BOOK}</p>
          <PriceNote calendars={props.calendars} />
          <p>
            <a href="/reservations/semaine-type">Réserver les mêmes jours chaque semaine (semaine type)</a> · <a href="/famille/calendrier">Voir les réservations dans mon agenda</a>
          </p>
          <PostForm action="/reservations" csrf={ctx.csrf}>
            <input type="hidden" name="mois" value={month} />
            {props.calendars.map(({ child, rows }) =>
              rows.map((row) => (
                <div class="table-wrapper">
                  <table class="cal">
                    <caption class="table__caption">
                      {child.first_name} – {serviceUnitLabel(row.serviceName, row.unit.label)} – {monthLabel(month)}
                    </caption>
                    <thead>
                      <tr>
                        {WEEKDAY_HEADERS.slice(0, 5).map((h) => (
                          <th scope="col" abbr={h}>
                            {h.slice(0, 3)}
                            <span class="visually-hidden">{h.slice(3)}</span>
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {weeks(row.days).map((w) => (
                        <tr>{w.map((d) => (d ? <Cell childId={child.id} childName={child.first_name} row={row} d={d} today={props.today} /> : <td class="cal__day cal__day--empty" />))}</tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )),
            )}
            <Button>Enregistrer mes réservations</Button>
          </PostForm>
        </>
      )}
      {props.notices.length > 0 && (
        <>
          <h2>Derniers messages</h2>
          <ul>
            {props.notices.map((n) => (
              <li>{n.text}</li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

/** Every day of a form that changed, was refused or was changed elsewhere meanwhile, by kind, child and date. */
export function ResultsPage(props: { ctx: PageCtx; results: (ChangeResult & { childName: string; unitLabel: string; priceCents?: number | null })[]; back: string }) {
  const cost = costText(props.results);
  const groups = RESULT_HEADINGS.map(({ codes, heading }) => ({ heading, codes, results: props.results.filter((r) => codes.includes(r.code)) })).filter((g) => g.results.length > 0);
  return (
    <Layout ctx={props.ctx} title="Vos changements">
      <h1>Vos changements</h1>
      {groups.map((g) => (
        <>
          <h2>
            {g.heading} ({daysCount(g.results.length)})
          </h2>
          <ul>
            {g.results.map((r) => (
              <li>
                {r.childName}, {dayLabel(r.day)} ({r.unitLabel})
                {lineDetail(r) && ` : ${lineDetail(r)}`}
                {(r.code === 'booked' || r.code === 'cancelled') && typeof r.priceCents === 'number' && ` — ${formatEuros(r.priceCents)}`}
              </li>
            ))}
          </ul>
        </>
      ))}
      {cost && (
        <p>
          {cost} <a href="/famille/tarifs">Combien vais-je payer ?</a>
        </p>
      )}
      {props.results.some((r) => r.code === 'conflict') && <p>Ces jours ont été changés depuis que vous avez ouvert la page (sur un autre appareil ou par un autre responsable). Ils sont restés tels quels : vérifiez-les dans le calendrier.</p>}
      {props.results.some((r) => !r.ok && r.code !== 'conflict') && <p>Pour un cas particulier (urgence, changement de travail), l'accueil de la mairie peut vous aider.</p>}
      {groups.length === 0 && <p>Aucun changement : vos réservations étaient déjà ainsi.</p>}
      <ButtonLink href={props.back} variant="primary">
        Retour au calendrier
      </ButtonLink>
    </Layout>
  );
}

export function WeeklyPatternPage(props: {
  ctx: PageCtx;
  children: { id: string; first_name: string }[];
  units: { id: string; label: string }[];
  errors?: FieldErrors;
  values?: FormValues;
  selected?: { enfants: string[]; unites: string[]; jours: string[] };
}) {
  const { ctx, errors = {}, values = {} } = props;
  const sel = props.selected ?? { enfants: props.children.map((c) => c.id), unites: [], jours: [] };
  return (
    <Layout ctx={ctx} title="Semaine type" hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/reservations">Retour au calendrier</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Réserver les mêmes jours chaque semaine</h1>
      <p>Les jours fermés (vacances, fériés) sont sautés. Les jours dont le délai est passé ne changent pas : ils vous seront listés.</p>
      <PostForm action="/reservations/semaine-type" csrf={ctx.csrf}>
        <Choices type="checkbox" name="enfants" label="Pour quels enfants ?" options={props.children.map((c) => ({ value: c.id, label: c.first_name }))} selected={sel.enfants} errors={errors} />
        <Choices type="checkbox" name="unites" label="Quels services ?" options={props.units.map((u) => ({ value: u.id, label: u.label }))} selected={sel.unites} errors={errors} />
        <Choices
          type="checkbox"
          name="jours"
          label="Quels jours de la semaine ?"
          inline
          options={WEEKDAY_HEADERS.slice(0, 5).map((d, i) => ({ value: String(i + 1), label: d }))}
          selected={sel.jours}
          errors={errors}
        />
        <TextField name="debut" label="Du" type="date" width="medium" errors={errors} values={values} />
        <TextField name="fin" label="Au" type="date" width="medium" hint="Trois mois au plus." errors={errors} values={values} />
        <Choices
          type="radio"
          name="action"
          label="Que faire ces jours-là ?"
          options={[
            { value: 'reserver', label: 'Réserver' },
            { value: 'annuler', label: 'Annuler les réservations' },
          ]}
          selected={[values.action ?? 'reserver']}
          errors={errors}
        />
        <Button>Appliquer</Button>
      </PostForm>
    </Layout>
  );
}

export function AbsencePage(props: { ctx: PageCtx; bookingId: string; summary: string; error?: string }) {
  return (
    <Layout ctx={props.ctx} title="Signaler une absence" hasErrors={!!props.error}>
      <p>
        <a href="/reservations">Retour au calendrier</a>
      </p>
      {props.error && <ErrorSummary errors={{ confirmer: props.error }} />}
      <h1>Signaler une absence</h1>
      <p class="lead">{props.summary}</p>
      <p>Le délai d'annulation est passé : l'équipe saura que votre enfant ne viendra pas. Le jour reste facturé, sauf si vous remettez un justificatif (certificat médical) à la mairie.</p>
      <PostForm action={`/reservations/absence/${props.bookingId}`} csrf={props.ctx.csrf}>
        <Button>Confirmer l'absence</Button>
      </PostForm>
    </Layout>
  );
}

/** The form a summary page sends again on « Confirmer »: every field of the form it summarises, hidden. */
export interface ConfirmForm {
  action: string;
  back: string;
  fields: (readonly [string, string])[];
}

interface NamedDay {
  childName: string;
  day: string;
  unitLabel: string;
}

/**
 * « Vous allez annuler 3 jours : … »: what a form will do, before it does it (RGAA 11.12 for changes
 * hard to undo). Nothing is saved until « Confirmer »; the form sent is the one drawn, so a day
 * changed elsewhere meanwhile is still reported as a conflict.
 */
export function ConfirmPage(props: { ctx: PageCtx; cancels: NamedDay[]; books: NamedDay[]; form: ConfirmForm; notice?: string }) {
  const { cancels, books, form } = props;
  const item = (d: NamedDay) => <li>{`${d.childName}, ${dayLabel(d.day)}, ${d.unitLabel}`}</li>;
  return (
    <Layout ctx={props.ctx} title="Vérifiez vos changements">
      {props.notice && (
        <NotificationBanner kind="info">
          <p>{props.notice}</p>
        </NotificationBanner>
      )}
      <h1>Vérifiez vos changements</h1>
      <p class="lead">Rien n'est encore enregistré.</p>
      {cancels.length > 0 && (
        <section class="booking-summary" aria-labelledby="resume-annuler">
          <h2 id="resume-annuler">Vous allez annuler {daysCount(cancels.length)} :</h2>
          <ul>{cancels.map(item)}</ul>
        </section>
      )}
      {books.length > 0 && (
        <section class="booking-summary" aria-labelledby="resume-reserver">
          <h2 id="resume-reserver">Vous allez réserver {daysCount(books.length)} :</h2>
          <ul>{books.map(item)}</ul>
        </section>
      )}
      <PostForm action={form.action} csrf={props.ctx.csrf}>
        {form.fields.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="button-group">
          <Button name="confirme" value="oui">
            Confirmer
          </Button>
          <ButtonLink href={form.back}>Revenir sans rien changer</ButtonLink>
        </div>
      </PostForm>
    </Layout>
  );
}
