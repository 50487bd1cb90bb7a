import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { Button, ButtonLink, Choices, NotificationBanner, PostForm, Select, SummaryList, Table, TextField } from '../../platform/ui/components.tsx';
import { formatDateTime } from '../../platform/format.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { ALLOCATIONS, PERIOD_KINDS } from './catalogue.domain.ts';
import { DRAW_MODES } from './catalogue.draw.ts';
import { BASE, type Facility, type FormProps, type Period, type Service, type Year } from './catalogue.view-parts.tsx';

/** Pages of a school year's calendar: the year, its periods and their draw, closing a day. */

/** « 1er juin 2027 à 8 h 30 », Paris time. */
const instantText = (iso: string | null, none: string) => (iso ? formatDateTime(iso) : none);

export const YearFormPage = (p: FormProps & { id?: string }) => (
  <FormPage ctx={p.ctx} title={p.id ? 'Modifier l\'année scolaire' : 'Ajouter une année scolaire'} errors={p.errors} back={p.id ? `${BASE}/annees/${p.id}` : BASE} action={p.id ? `${BASE}/annees/${p.id}/modifier` : `${BASE}/annees/nouvelle`} submit="Enregistrer l'année scolaire">
    <TextField name="label" label="Nom de l'année scolaire" hint="Par exemple 2026-2027" width="medium" autocomplete="off" errors={p.errors} values={p.values} />
    <TextField name="start" type="date" label="Premier jour" width="medium" errors={p.errors} values={p.values} />
    <TextField name="end" type="date" label="Dernier jour" width="medium" errors={p.errors} values={p.values} />
  </FormPage>
);

export function CalendarPage(props: {
  ctx: PageCtx;
  year: Year;
  periods: Period[];
  holidays: { day: string; name: string }[];
  closures: { id: string; day: string; reason: string; facility_name: string | null; service_name: string | null }[];
}) {
  const y = props.year;
  return (
    <Layout ctx={props.ctx} title={`Calendrier ${y.label}`} wide>
      <p>
        <a href={BASE}>Retour au catalogue</a>
      </p>
      <h1>Calendrier {y.label}</h1>
      <p>
        Du {dayLabel(y.start_date, true)} au {dayLabel(y.end_date, true)}. <a href={`${BASE}/annees/${y.id}/modifier`}>Modifier l'année</a>
      </p>
      <div class="button-group">
        <ButtonLink href={`${BASE}/annees/${y.id}/periodes/nouvelle`} variant="primary">
          Ajouter une période
        </ButtonLink>
        <ButtonLink href={`${BASE}/annees/${y.id}/fermer`}>Fermer une journée</ButtonLink>
      </div>
      <h2>Périodes</h2>
      <Table
        caption={`Périodes ${y.label}`}
        captionHidden
        rows={props.periods}
        empty="Aucune période : ajoutez les périodes scolaires et chaque période de vacances."
        columns={[
          { header: 'Période', cell: (p) => <a href={`${BASE}/periodes/${p.id}`}>{p.label}</a> },
          { header: 'Type', cell: (p) => (p.kind === 'holiday' ? 'Vacances' : 'Scolaire') },
          { header: 'Dates', cell: (p) => `du ${dayLabel(p.start_date, true)} au ${dayLabel(p.end_date, true)}` },
          { header: 'Ouverture des réservations', cell: (p) => instantText(p.booking_opens_at, 'Dès l\'inscription') },
          { header: 'Attribution', cell: (p) => (p.allocation === 'draw' ? `Tirage${p.allocated_at ? ' (fait)' : ''}` : 'Ordre d\'arrivée') },
        ]}
      />
      <h2>Jours fériés</h2>
      <Table
        caption={`Jours fériés de l'année scolaire ${y.label} (calculés)`}
        rows={props.holidays}
        empty="Aucun jour férié dans l'année."
        columns={[
          { header: 'Jour', cell: (h) => dayLabel(h.day, true) },
          { header: 'Férié', cell: (h) => h.name },
        ]}
      />
      <h2>Journées fermées</h2>
      <Table
        caption={`Journées fermées ${y.label}`}
        captionHidden
        rows={props.closures}
        empty="Aucune journée fermée."
        columns={[
          { header: 'Jour', cell: (c) => dayLabel(c.day, true) },
          { header: 'Structure', cell: (c) => c.facility_name ?? 'Toutes' },
          { header: 'Prestation', cell: (c) => c.service_name ?? 'Toutes' },
          { header: 'Motif', cell: (c) => c.reason },
        ]}
      />
    </Layout>
  );
}

export const PeriodFormPage = (p: FormProps & { year: Year; id?: string }) => (
  <FormPage
    ctx={p.ctx}
    title={`${p.id ? 'Modifier la période' : 'Ajouter une période'} – ${p.year.label}`}
    errors={p.errors}
    back={p.id ? `${BASE}/periodes/${p.id}` : `${BASE}/annees/${p.year.id}`}
    action={p.id ? `${BASE}/periodes/${p.id}/modifier` : `${BASE}/annees/${p.year.id}/periodes/nouvelle`}
    submit="Enregistrer la période"
  >
    <Choices type="radio" name="kind" label="Type de période" options={Object.entries(PERIOD_KINDS).map(([value, label]) => ({ value, label }))} selected={[p.values?.kind ?? '']} errors={p.errors} />
    <TextField name="label" label="Nom de la période" hint="Par exemple « Période 2 » ou « Vacances d'hiver »" autocomplete="off" errors={p.errors} values={p.values} />
    <TextField name="start" type="date" label="Premier jour" width="medium" errors={p.errors} values={p.values} />
    <TextField name="end" type="date" label="Dernier jour" width="medium" errors={p.errors} values={p.values} />
    <h2>Ouverture des réservations</h2>
    <p class="hint">Laissez vide pour ouvrir les réservations dès l'inscription. Heure de Paris.</p>
    <TextField name="opens_date" type="date" label="Date d'ouverture (facultatif)" width="medium" errors={p.errors} values={p.values} />
    <TextField name="opens_time" label="Heure d'ouverture" hint="Par exemple 8 h 30" width="short" autocomplete="off" errors={p.errors} values={p.values} />
    <Choices type="radio" name="allocation" label="Attribution des places" options={Object.entries(ALLOCATIONS).map(([value, label]) => ({ value, label }))} selected={[p.values?.allocation ?? 'fcfs']} errors={p.errors} />
    <TextField name="close_date" type="date" label="Clôture des demandes : date (tirage seulement)" width="medium" errors={p.errors} values={p.values} />
    <TextField name="close_time" label="Clôture des demandes : heure (tirage seulement)" hint="Par exemple 18 h" width="short" autocomplete="off" errors={p.errors} values={p.values} />
    <Choices type="radio" name="draw_mode" label="Tirage : comment les jours sont attribués (tirage seulement)" options={Object.entries(DRAW_MODES).map(([value, label]) => ({ value, label }))} selected={[p.values?.draw_mode ?? 'day']} errors={p.errors} />
  </FormPage>
);

/** How the draw orders the requests, in words the town can show to a family who asks. */
function DrawRules({ period }: { period: Period }) {
  return (
    <>
      <h2>Ordre du tirage</h2>
      <ol>
        <li>Les enfants dont l'école dans la commune est renseignée passent d'abord ; les autres ensuite.</li>
        <li>
          {period.draw_mode === 'request'
            ? 'Entre eux, chaque demande (les jours demandés pour un enfant dans une même semaine, du lundi au dimanche) reçoit un numéro tiré au sort : '
            : 'Entre eux, chaque jour demandé reçoit un numéro tiré au sort : '}
          l'empreinte SHA-256 du code de la période ({period.id}) et de la demande. Le plus petit numéro passe en premier. Le même tirage refait sur les mêmes demandes donne le même résultat.
        </li>
        <li>
          {period.draw_mode === 'request'
            ? 'Dans cet ordre, une demande obtient tous ses jours s\'il reste une place chacun de ces jours ; sinon elle n\'en obtient aucun et l\'enfant est inscrit en liste d\'attente pour chacun de ces jours.'
            : 'Dans cet ordre, chaque jour demandé obtient une place s\'il en reste ; sinon l\'enfant est inscrit en liste d\'attente de ce jour.'}
        </li>
        <li>Si deux numéros étaient égaux, l'ordre alphabétique du code de la demande les départagerait.</li>
      </ol>
    </>
  );
}

export function PeriodPage(props: { ctx: PageCtx; period: Period; year: Year; drawOpen: boolean; error?: string }) {
  const p = props.period;
  return (
    <Layout ctx={props.ctx} title={`${p.label} – ${props.year.label}`} hasErrors={!!props.error}>
      <p>
        <a href={`${BASE}/annees/${props.year.id}`}>Retour au calendrier {props.year.label}</a>
      </p>
      {props.error && (
        <NotificationBanner kind="warning" title="Tirage impossible">
          <p>{props.error}</p>
        </NotificationBanner>
      )}
      <h1>
        {p.label} – {props.year.label}
      </h1>
      <SummaryList
        rows={[
          { key: 'Type', value: PERIOD_KINDS[p.kind] },
          { key: 'Dates', value: `du ${dayLabel(p.start_date, true)} au ${dayLabel(p.end_date, true)}` },
          { key: 'Ouverture des réservations', value: instantText(p.booking_opens_at, 'Dès l\'inscription') },
          { key: 'Attribution des places', value: ALLOCATIONS[p.allocation] },
          ...(p.allocation === 'draw'
            ? [
                { key: 'Clôture des demandes', value: instantText(p.requests_close_at, 'Non fixée') },
                { key: 'Tirage', value: DRAW_MODES[p.draw_mode] },
                { key: 'Tirage fait', value: p.allocated_at ? `Le ${instantText(p.allocated_at, '')}` : 'Pas encore' },
              ]
            : []),
        ]}
      />
      <p>
        <a href={`${BASE}/periodes/${p.id}/modifier`}>Modifier la période</a>
      </p>
      {p.allocation === 'draw' && <DrawRules period={p} />}
      {p.allocation === 'draw' && !p.allocated_at && (
        <>
          <h2>Attribution des places</h2>
          {props.drawOpen ? (
            <PostForm action={`${BASE}/periodes/${p.id}/tirage`} csrf={props.ctx.csrf}>
              <p>Les demandes sans place vont en liste d'attente. Chaque famille reçoit son résultat sur le portail et par courriel : les jours obtenus et sa place sur chaque liste d'attente, par enfant et par date.</p>
              <Button variant="warning">Attribuer les places (tirage)</Button>
            </PostForm>
          ) : (
            <p>{p.requests_close_at ? `Les demandes sont recueillies jusqu'au ${instantText(p.requests_close_at, '')} : le tirage sera possible ensuite.` : 'Fixez la date de clôture des demandes pour pouvoir faire le tirage.'}</p>
          )}
        </>
      )}
    </Layout>
  );
}

export const CloseDayPage = (p: FormProps & { year: Year; facilities: Facility[]; services: Service[] }) => (
  <FormPage
    ctx={p.ctx}
    title="Fermer une journée"
    errors={p.errors}
    back={`${BASE}/annees/${p.year.id}`}
    action={`${BASE}/annees/${p.year.id}/fermer`}
    submit="Continuer"
    intro={<p>Grève, sortie, travaux : les réservations de ce jour sont annulées sans être facturées, et les familles sont prévenues. Vous vérifierez avant de confirmer.</p>}
  >
    <TextField name="day" type="date" label="Jour fermé" width="medium" errors={p.errors} values={p.values} />
    <Select name="facility" label="Structure" placeholder="Choisissez une structure" options={p.facilities.map((f) => ({ value: f.id, label: f.name }))} errors={p.errors} values={p.values} />
    <Select name="service" label="Prestation" placeholder="Toutes les prestations de la structure" options={p.services.map((s) => ({ value: s.id, label: `${s.facility_name} – ${s.name}` }))} errors={p.errors} values={p.values} />
    <TextField name="reason" label="Motif" hint="Les familles le liront, par exemple « grève » ou « sortie scolaire »" autocomplete="off" errors={p.errors} values={p.values} />
  </FormPage>
);

export function CloseDayCheckPage(props: { ctx: PageCtx; year: Year; values: { day: string; facility: string; service: string; reason: string }; facilityName: string; serviceName: string | null; bookings: number; households: number }) {
  const v = props.values;
  const back = `${BASE}/annees/${props.year.id}/fermer`;
  return (
    <Layout ctx={props.ctx} title="Vérifiez avant de fermer la journée">
      <h1>Vérifiez avant de fermer la journée</h1>
      <SummaryList
        rows={[
          { key: 'Jour', value: dayLabel(v.day, true) },
          { key: 'Structure', value: props.facilityName },
          { key: 'Prestation', value: props.serviceName ?? 'Toutes les prestations' },
          { key: 'Motif', value: v.reason },
          { key: 'Réservations annulées', value: `${props.bookings} réservation${props.bookings > 1 ? 's' : ''}, non facturée${props.bookings > 1 ? 's' : ''}` },
          { key: 'Familles prévenues', value: `${props.households} famille${props.households > 1 ? 's' : ''}, sur le portail et par courriel` },
        ]}
      />
      <PostForm action={`${back}/confirmer`} csrf={props.ctx.csrf}>
        <input type="hidden" name="day" value={v.day} />
        <input type="hidden" name="facility" value={v.facility} />
        <input type="hidden" name="service" value={v.service} />
        <input type="hidden" name="reason" value={v.reason} />
        <div class="button-group">
          <Button variant="warning">Fermer la journée et annuler {props.bookings} réservation{props.bookings > 1 ? 's' : ''}</Button>
          <a href={`${BASE}/annees/${props.year.id}`}>Ne pas fermer</a>
        </div>
      </PostForm>
    </Layout>
  );
}
