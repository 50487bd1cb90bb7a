import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { Button, ButtonLink, Choices, NotificationBanner, PostForm, Select, SummaryList, Table, Tag, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateTime } from '../../platform/format.ts';
import type { FacilitiesTable, GroupsTable, PeriodsTable, SchoolYearsTable, ServicesTable, UnitsTable } from '../../platform/db/schema-services.ts';
import { describeRule, parseRule } from '../../platform/calendar/deadlines.domain.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { ALLOCATIONS, FACILITY_KINDS, PERIOD_KINDS, RULE_PREFIXES, SERVICE_KINDS, untilText, WEEKDAY_LABELS, type RulePrefix } from './catalogue.domain.ts';
import { DRAW_MODES } from './catalogue.draw.ts';

/** Pages of the catalogue's back office (roles admin and enfance). */

const BASE = '/agent/catalogue';

interface FormProps {
  ctx: PageCtx;
  errors?: FieldErrors;
  values?: FormValues;
}

type Facility = FacilitiesTable;
type Group = GroupsTable;
type Service = ServicesTable & { facility_name: string };
type Unit = UnitsTable;
type Year = SchoolYearsTable;
type Period = PeriodsTable;

const list = (csv: string) => csv.split(',').filter(Boolean);
const weekdaysText = (csv: string) => list(csv).map((d) => WEEKDAY_LABELS[Number(d) - 1]?.toLowerCase()).join(', ');
const levelsText = (csv: string) => list(csv).join(', ') || 'Tous les niveaux';
/** « 1er juin 2027 à 8 h 30 », Paris time. */
const instantText = (iso: string | null, none: string) => (iso ? formatDateTime(iso) : none);
const ruleText = (json: string) => {
  try {
    return describeRule(parseRule(json));
  } catch {
    return 'Règle illisible : enregistrez-la de nouveau';
  }
};
const agesText = (min: number | null, max: number | null) =>
  min === null && max === null ? 'Tous les âges' : min !== null && max !== null ? `De ${min} à ${max} ans` : min !== null ? `À partir de ${min} ans` : `Jusqu'à ${max} ans`;

export function OverviewPage(props: { ctx: PageCtx; facilities: (Facility & { groups: Group[]; services: (ServicesTable & { facility_name: string })[] })[]; years: Year[] }) {
  return (
    <Layout ctx={props.ctx} title="Catalogue" wide>
      <h1>Catalogue</h1>
      <p>Les structures, leurs groupes d'enfants et les prestations que les familles réservent ; le calendrier de chaque année scolaire.</p>
      <div class="button-group">
        <ButtonLink href={`${BASE}/structures/nouvelle`} variant="primary">
          Ajouter une structure
        </ButtonLink>
        <ButtonLink href={`${BASE}/prestations/nouvelle`}>Ajouter une prestation</ButtonLink>
      </div>

      <h2>Années scolaires et calendrier</h2>
      <Table
        caption="Années scolaires"
        captionHidden
        rows={props.years}
        empty="Aucune année scolaire : ajoutez-en une pour créer les périodes et fermer des journées."
        columns={[
          { header: 'Année', cell: (y) => <a href={`${BASE}/annees/${y.id}`}>Calendrier {y.label}</a> },
          { header: 'Du', cell: (y) => dayLabel(y.start_date, true) },
          { header: 'Au', cell: (y) => dayLabel(y.end_date, true) },
        ]}
      />
      <p>
        <a href={`${BASE}/annees/nouvelle`}>Ajouter une année scolaire</a>
      </p>

      <h2>Structures</h2>
      {props.facilities.length === 0 && <p class="empty">Aucune structure : commencez par ajouter une école ou un centre de loisirs.</p>}
      {props.facilities.map((f) => (
        <section class="panel" aria-labelledby={`s-${f.id}`}>
          <h3 id={`s-${f.id}`}>
            {f.name} <Tag>{FACILITY_KINDS[f.kind]}</Tag>
          </h3>
          {f.address && <p class="muted">{f.address}</p>}
          <p>
            <a href={`${BASE}/structures/${f.id}/modifier`}>
              Modifier<span class="visually-hidden"> la structure {f.name}</span>
            </a>
          </p>
          <h4>Groupes</h4>
          {f.groups.length === 0 ? (
            <p class="empty">Aucun groupe : les réservations et les capacités se comptent par groupe.</p>
          ) : (
            <ul>
              {f.groups.map((g) => (
                <li>
                  <a href={`${BASE}/groupes/${g.id}`}>{g.name}</a> – {levelsText(g.class_levels)}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href={`${BASE}/structures/${f.id}/groupes/nouveau`}>
              Ajouter un groupe<span class="visually-hidden"> à {f.name}</span>
            </a>
          </p>
          <Table
            caption={`Prestations de ${f.name}`}
            rows={f.services}
            empty="Aucune prestation."
            columns={[
              { header: 'Prestation', cell: (s) => <a href={`${BASE}/prestations/${s.id}`}>{s.name}</a> },
              { header: 'Type', cell: (s) => SERVICE_KINDS[s.kind] },
              { header: 'Jours', cell: (s) => weekdaysText(s.weekdays) },
              { header: 'État', cell: (s) => (s.active ? <Tag tone="green">Ouverte</Tag> : <Tag>Fermée</Tag>) },
            ]}
          />
          <p>
            <a href={`${BASE}/prestations/nouvelle?structure=${f.id}`}>
              Ajouter une prestation<span class="visually-hidden"> à {f.name}</span>
            </a>
          </p>
        </section>
      ))}
    </Layout>
  );
}

export const FacilityFormPage = (p: FormProps & { id?: string }) => (
  <FormPage ctx={p.ctx} title={p.id ? 'Modifier la structure' : 'Ajouter une structure'} errors={p.errors} back={BASE} action={p.id ? `${BASE}/structures/${p.id}/modifier` : `${BASE}/structures/nouvelle`} submit="Enregistrer la structure">
    <TextField name="name" label="Nom de la structure" hint="Par exemple « École Jules-Ferry »" autocomplete="off" errors={p.errors} values={p.values} />
    <Choices type="radio" name="kind" label="Type de structure" options={Object.entries(FACILITY_KINDS).map(([value, label]) => ({ value, label }))} selected={[p.values?.kind ?? '']} errors={p.errors} />
    <TextField name="address" label="Adresse (facultatif)" autocomplete="off" errors={p.errors} values={p.values} />
  </FormPage>
);

export const GroupFormPage = (p: FormProps & { facilityName: string; action: string; back: string; classLevels: string[]; levels: string[]; editing: boolean }) => (
  <FormPage ctx={p.ctx} title={p.editing ? `Modifier le groupe – ${p.facilityName}` : `Ajouter un groupe – ${p.facilityName}`} errors={p.errors} back={p.back} action={p.action} submit="Enregistrer le groupe">
    <TextField name="name" label="Nom du groupe" hint="Par exemple « Maternelle » ou « CP-CE1 »" autocomplete="off" width="medium" errors={p.errors} values={p.values} />
    <LevelChoices classLevels={p.classLevels} selected={p.levels} errors={p.errors} label="Niveaux de classe du groupe" />
  </FormPage>
);

function LevelChoices(props: { classLevels: string[]; selected: string[]; errors?: FieldErrors; label: string }) {
  if (props.classLevels.length === 0) return <p class="hint">La liste des niveaux de classe de la commune est vide : tous les niveaux sont acceptés.</p>;
  return (
    <Choices
      type="checkbox"
      name="levels"
      label={props.label}
      hint="Aucune case cochée : tous les niveaux."
      inline
      options={props.classLevels.map((l) => ({ value: l, label: l }))}
      selected={props.selected}
      errors={props.errors}
    />
  );
}

export function GroupPage(props: { ctx: PageCtx; group: Group & { facility_name: string }; animators: { id: string; first_name: string; last_name: string; email: string | null; status: string }[]; assigned: string[] }) {
  const g = props.group;
  return (
    <Layout ctx={props.ctx} title={`Groupe ${g.name} – ${g.facility_name}`}>
      <p>
        <a href={BASE}>Retour au catalogue</a>
      </p>
      <h1>
        Groupe {g.name} – {g.facility_name}
      </h1>
      <SummaryList
        rows={[
          { key: 'Structure', value: g.facility_name },
          { key: 'Nom', value: g.name },
          { key: 'Niveaux', value: levelsText(g.class_levels) },
        ]}
      />
      <p>
        <a href={`${BASE}/groupes/${g.id}/modifier`}>Modifier le groupe</a>
      </p>
      <h2>Animateurs du groupe</h2>
      {props.animators.length === 0 ? (
        <p class="empty">Aucun agent n'a le rôle animateur. Un administrateur le donne depuis la page Agents.</p>
      ) : (
        <PostForm action={`${BASE}/groupes/${g.id}/animateurs`} csrf={props.ctx.csrf}>
          <Choices
            type="checkbox"
            name="agents"
            label="Animateurs qui font le pointage de ce groupe"
            hint="Ils voient les enfants de ce groupe et leurs alertes de santé, et rien d'autre."
            options={props.animators.map((a) => ({ value: a.id, label: `${a.first_name} ${a.last_name}`, hint: a.status === 'active' ? a.email ?? undefined : 'Compte pas encore activé' }))}
            selected={props.assigned}
          />
          <Button>Enregistrer les animateurs</Button>
        </PostForm>
      )}
    </Layout>
  );
}

function RuleFields(props: { prefix: RulePrefix; errors?: FieldErrors; values?: FormValues }) {
  const { prefix, values = {} } = props;
  return (
    <>
      <h2>{RULE_PREFIXES[prefix]}</h2>
      <Choices
        type="radio"
        name={`${prefix}_type`}
        label={`Type de délai ${prefix === 'booking' ? 'de réservation' : 'd\'annulation'}`}
        options={[
          { value: 'days_before', label: 'Un nombre de jours avant le jour réservé', hint: 'Par exemple « 2 jours ouvrés avant, à 12 h » ou « la veille à 18 h » (1 jour, pas en jours ouvrés)' },
          { value: 'weekday_previous_week', label: 'Un jour de la semaine précédente', hint: 'Par exemple « le jeudi à 12 h de la semaine précédente »' },
        ]}
        selected={[values[`${prefix}_type`] ?? '']}
        errors={props.errors}
      />
      <TextField name={`${prefix}_days`} label="Nombre de jours avant (délai « jours avant »)" hint="0 = le jour même" inputmode="numeric" width="short" autocomplete="off" errors={props.errors} values={values} />
      <Choices
        type="radio"
        name={`${prefix}_working`}
        label="Compter en jours ouvrés ? (délai « jours avant »)"
        hint="Jours ouvrés : du lundi au vendredi, hors jours fériés."
        inline
        options={[
          { value: 'oui', label: 'Oui' },
          { value: 'non', label: 'Non' },
        ]}
        selected={[values[`${prefix}_working`] ?? '']}
        errors={props.errors}
      />
      <Select
        name={`${prefix}_weekday`}
        label="Jour de la semaine précédente (délai « jour de la semaine précédente »)"
        placeholder="Choisissez un jour"
        options={WEEKDAY_LABELS.map((l, i) => ({ value: String(i + 1), label: l }))}
        errors={props.errors}
        values={values}
      />
      <TextField name={`${prefix}_time`} label="Heure limite" hint="Heure de Paris, par exemple 12 h ou 18 h 30" width="short" autocomplete="off" errors={props.errors} values={values} />
    </>
  );
}

export const ServiceFormPage = (p: FormProps & { id?: string; facilities: Facility[]; classLevels: string[]; weekdays: string[]; levels: string[] }) => (
  <FormPage
    ctx={p.ctx}
    title={p.id ? 'Modifier la prestation' : 'Ajouter une prestation'}
    errors={p.errors}
    back={p.id ? `${BASE}/prestations/${p.id}` : BASE}
    action={p.id ? `${BASE}/prestations/${p.id}/modifier` : `${BASE}/prestations/nouvelle`}
    submit="Enregistrer la prestation"
  >
    <Select name="facility" label="Structure" placeholder="Choisissez une structure" options={p.facilities.map((f) => ({ value: f.id, label: f.name }))} errors={p.errors} values={p.values} />
    <Choices type="radio" name="kind" label="Type de prestation" options={Object.entries(SERVICE_KINDS).map(([value, label]) => ({ value, label }))} selected={[p.values?.kind ?? '']} errors={p.errors} />
    <TextField name="name" label="Nom affiché aux familles" hint="Par exemple « Restauration scolaire » ou « Accueil du soir »" autocomplete="off" errors={p.errors} values={p.values} />
    <Choices type="checkbox" name="weekdays" label="Jours d'ouverture" inline options={WEEKDAY_LABELS.map((l, i) => ({ value: String(i + 1), label: l }))} selected={p.weekdays} errors={p.errors} />
    <LevelChoices classLevels={p.classLevels} selected={p.levels} errors={p.errors} label="Niveaux de classe admis" />
    <TextField name="min_age" label="Âge minimum, en années (facultatif)" inputmode="numeric" width="short" autocomplete="off" errors={p.errors} values={p.values} />
    <TextField name="max_age" label="Âge maximum, en années (facultatif)" inputmode="numeric" width="short" autocomplete="off" errors={p.errors} values={p.values} />
    <RuleFields prefix="booking" errors={p.errors} values={p.values} />
    <RuleFields prefix="cancellation" errors={p.errors} values={p.values} />
  </FormPage>
);

export function ServicePage(props: { ctx: PageCtx; service: Service; units: Unit[]; groups: Group[]; capacity: (unitId: string, groupId: string) => number | null }) {
  const s = props.service;
  return (
    <Layout ctx={props.ctx} title={`${s.name} – ${s.facility_name}`} wide>
      <p>
        <a href={BASE}>Retour au catalogue</a>
      </p>
      <h1>
        {s.name} – {s.facility_name}
      </h1>
      <SummaryList
        rows={[
          { key: 'Type', value: SERVICE_KINDS[s.kind] },
          { key: 'Jours', value: weekdaysText(s.weekdays) },
          { key: 'Niveaux admis', value: levelsText(s.class_levels) },
          { key: 'Âges', value: agesText(s.min_age, s.max_age) },
          { key: 'Délai de réservation', value: untilText(ruleText(s.booking_rule)) },
          { key: 'Délai d\'annulation', value: untilText(ruleText(s.cancellation_rule)) },
        ]}
      />
      <p>
        <a href={`${BASE}/prestations/${s.id}/modifier`}>Modifier la prestation</a>
      </p>
      <h2>Unités réservées</h2>
      <Table
        caption={`Unités de ${s.name}`}
        captionHidden
        rows={props.units}
        empty="Aucune unité : ajoutez ce que les familles réservent (un repas, une matinée, une journée avec repas…)."
        columns={[
          { header: 'Unité', cell: (u) => u.label },
          { header: 'Repas', cell: (u) => (u.is_meal ? 'Oui' : 'Non') },
          {
            header: 'Action',
            cell: (u) => (
              <a href={`${BASE}/unites/${u.id}/modifier`}>
                Modifier<span class="visually-hidden"> l'unité {u.label}</span>
              </a>
            ),
          },
        ]}
      />
      <p>
        <a href={`${BASE}/prestations/${s.id}/unites/nouvelle`}>Ajouter une unité</a>
      </p>
      {props.units.length >= 2 && (
        <>
          <h2>Unités qui ne se cumulent pas</h2>
          <p>{exclusiveText(props.units)}</p>
          <p>
            <a href={`${BASE}/prestations/${s.id}/cumuls`}>Choisir les unités qui ne se cumulent pas</a>
          </p>
        </>
      )}
      <h2>Capacités par jour</h2>
      {props.groups.length === 0 ? (
        <p class="empty">
          {s.facility_name} n'a pas encore de groupe : <a href={`${BASE}/structures/${s.facility_id}/groupes/nouveau`}>ajoutez un groupe</a> pour fixer des capacités.
        </p>
      ) : props.units.length === 0 ? (
        <p class="empty">Ajoutez d'abord une unité.</p>
      ) : (
        <>
          <div class="table-wrapper">
            <table class="table">
              <caption class="table__caption">Places par jour, par unité et par groupe</caption>
              <thead>
                <tr>
                  <th scope="col">Unité</th>
                  {props.groups.map((g) => (
                    <th scope="col" class="num">
                      {g.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {props.units.map((u) => (
                  <tr>
                    <th scope="row">{u.label}</th>
                    {props.groups.map((g) => {
                      const c = props.capacity(u.id, g.id);
                      return <td class="num">{c === null ? 'Illimité' : `${c} place${c > 1 ? 's' : ''}`}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a href={`${BASE}/prestations/${s.id}/capacites`}>Modifier les capacités</a>
          </p>
        </>
      )}
    </Layout>
  );
}

export const UnitFormPage = (p: FormProps & { service: Service; action: string; editing: boolean }) => (
  <FormPage ctx={p.ctx} title={`${p.editing ? 'Modifier l\'unité' : 'Ajouter une unité'} – ${p.service.name}`} errors={p.errors} back={`${BASE}/prestations/${p.service.id}`} action={p.action} submit="Enregistrer l'unité">
    <TextField name="label" label="Nom de l'unité" hint="Ce que la famille réserve : « Repas », « Matin », « Soir », « Demi-journée », « Journée avec repas »" autocomplete="off" width="medium" errors={p.errors} values={p.values} />
    <Choices
      type="radio"
      name="is_meal"
      label="Cette unité comprend-elle un repas ?"
      hint="Les repas sont comptés pour la cuisine et ne comptent pas dans l'attestation fiscale de frais de garde."
      inline
      options={[
        { value: 'oui', label: 'Oui' },
        { value: 'non', label: 'Non' },
      ]}
      selected={[p.values?.is_meal ?? '']}
      errors={p.errors}
    />
  </FormPage>
);

/** « Journée avec repas et Matinée sans repas : une seule par jour. » */
export function exclusiveText(units: Unit[]): string {
  const labels = units.filter((u) => u.exclusion_group !== null).map((u) => `« ${u.label} »`);
  if (labels.length < 2) return 'Toutes les unités se cumulent : une famille peut en réserver plusieurs le même jour.';
  return `${labels.slice(0, -1).join(', ')} et ${labels[labels.length - 1]} : une seule par jour et par enfant.`;
}

export const ExclusiveUnitsPage = (p: FormProps & { service: Service; units: Unit[]; selected: string[] }) => (
  <FormPage
    ctx={p.ctx}
    title={`Unités qui ne se cumulent pas – ${p.service.name}`}
    errors={p.errors}
    back={`${BASE}/prestations/${p.service.id}`}
    action={`${BASE}/prestations/${p.service.id}/cumuls`}
    submit="Enregistrer"
    intro={<p>Un enfant ne peut avoir qu'une seule des unités cochées le même jour (par exemple « Journée avec repas » ou « Matinée sans repas »). Les réservations déjà faites ne changent pas.</p>}
  >
    <Choices
      type="checkbox"
      name="exclusive"
      label="Unités qui ne se cumulent pas"
      hint="Cochez au moins deux unités, ou aucune si toutes se cumulent."
      options={p.units.map((u) => ({ value: u.id, label: u.label }))}
      selected={p.selected}
      errors={p.errors}
    />
  </FormPage>
);

export const capacityField = (unitId: string, groupId: string) => `c_${unitId}_${groupId}`;

export const CapacitiesPage = (p: FormProps & { service: Service; units: Unit[]; groups: Group[] }) => (
  <FormPage
    ctx={p.ctx}
    title={`Capacités – ${p.service.name}`}
    errors={p.errors}
    back={`${BASE}/prestations/${p.service.id}`}
    action={`${BASE}/prestations/${p.service.id}/capacites`}
    submit="Enregistrer les capacités"
    intro={<p>Le nombre de places par jour pour chaque unité et chaque groupe. Laissez vide pour un nombre illimité (souvent la cantine). Une nouvelle capacité vaut pour les jours où personne n'a encore réservé.</p>}
  >
    {p.units.map((u) => (
      <fieldset class="fieldset">
        <legend class="fieldset__legend">{u.label}</legend>
        {p.groups.map((g) => (
          <TextField name={capacityField(u.id, g.id)} label={`${u.label} – groupe ${g.name}`} hint="Places par jour ; vide = illimité" inputmode="numeric" width="short" autocomplete="off" errors={p.errors} values={p.values} />
        ))}
      </fieldset>
    ))}
  </FormPage>
);

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
