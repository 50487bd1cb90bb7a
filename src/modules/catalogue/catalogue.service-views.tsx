import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { Choices, Select, SummaryList, Table, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { describeRule, parseRule } from '../../platform/calendar/deadlines.domain.ts';
import { RULE_PREFIXES, SERVICE_KINDS, WEEKDAY_LABELS, untilText, type RulePrefix } from './catalogue.domain.ts';
import type { RequiredDocument } from './catalogue.documents.repository.ts';
import { requiredText } from './catalogue.documents-views.tsx';
import { BASE, LevelChoices, levelsText, weekdaysText, type Facility, type FormProps, type Group, type Service, type Unit } from './catalogue.view-parts.tsx';

/** Pages of a service: its form and page, its units, the units that do not combine, its capacities. */

const ruleText = (json: string) => {
  try {
    return describeRule(parseRule(json));
  } catch {
    return 'Règle illisible : enregistrez-la de nouveau';
  }
};
const agesText = (min: number | null, max: number | null) =>
  min === null && max === null ? 'Tous les âges' : min !== null && max !== null ? `De ${min} à ${max} ans` : min !== null ? `À partir de ${min} ans` : `Jusqu'à ${max} ans`;

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

export function ServicePage(props: { ctx: PageCtx; service: Service; units: Unit[]; groups: Group[]; capacity: (unitId: string, groupId: string) => number | null; required: RequiredDocument[] }) {
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
          { key: 'Pièces demandées à l\'inscription', value: requiredText(props.required) },
        ]}
      />
      <p>
        <a href={`${BASE}/prestations/${s.id}/modifier`}>Modifier la prestation</a>
      </p>
      <p>
        <a href={`${BASE}/prestations/${s.id}/pieces`}>Choisir les pièces demandées à l'inscription</a>
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
