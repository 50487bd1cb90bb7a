import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { ButtonLink, Select, Table, Tag, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import { criterionLabel, type TariffLine, type TariffVersion } from './tariffs.domain.ts';
import { LINE_SLOTS, lineField } from './tariffs.agent-forms.ts';
import { CATEGORY_LABELS, RESIDENCY_LABELS } from './tariffs.outcomes.ts';

export const BASE = '/agent/tarifs';

interface FormProps {
  ctx: PageCtx;
  errors?: FieldErrors;
  values?: FormValues;
}

/** The lines of a version as a table: the criterion in words, the amount, garde or repas. */
export function LinesTable(props: { lines: readonly TariffLine[]; caption: string }) {
  return (
    <Table
      caption={props.caption}
      rows={[...props.lines]}
      columns={[
        { header: 'Ordre', cell: (l) => String(props.lines.indexOf(l) + 1), numeric: true },
        { header: 'Critère', cell: (l) => criterionLabel(l) },
        { header: 'Prix', cell: (l) => formatEuros(l.amountCents), numeric: true },
        { header: 'Nature', cell: (l) => CATEGORY_LABELS[l.category] },
      ]}
    />
  );
}

const surcharges = (v: TariffVersion) => `Présence sans réservation : + ${formatEuros(v.presentWithoutBookingCents)} ; annulation hors délai : + ${formatEuros(v.lateCancellationCents)}.`;

export function TariffsPage(props: { ctx: PageCtx; versions: (TariffVersion & { label: string; yearLabel: string })[]; places: { postcode: string; city: string }[]; hasTargets: boolean }) {
  return (
    <Layout ctx={props.ctx} title="Tarifs">
      <h1>Tarifs</h1>
      <p>Chaque tarif est une liste ordonnée de critères : la première ligne qui correspond à la famille donne le prix, la dernière est le tarif par défaut. Sans quotient familial connu, la famille paie la tranche la plus élevée.</p>
      {props.hasTargets ? <ButtonLink href={`${BASE}/nouvelle`} variant="primary">Créer une version de tarif</ButtonLink> : <p>Créez d'abord des prestations dans le catalogue.</p>}
      <h2>Communes de résidence</h2>
      <p>
        {props.places.length ? `Résidents : foyers domiciliés à ${props.places.map((p) => `${p.postcode} ${p.city}`).join(', ')}.` : 'Aucune commune indiquée : tous les foyers sont considérés comme résidents.'}{' '}
        <a href={`${BASE}/communes`}>Modifier les communes de résidence</a>
      </p>
      <h2>Versions des tarifs</h2>
      {props.versions.length === 0 && <p>Aucun tarif n'est encore défini.</p>}
      {props.versions.map((v) => (
        <section aria-labelledby={`v-${v.id}`}>
          <h3 id={`v-${v.id}`}>
            {v.label} — à partir du {formatDateLong(v.appliesFrom)} ({v.yearLabel})
          </h3>
          <p>{v.lockedAt ? <Tag tone="grey">Verrouillée : utilisée par des factures émises</Tag> : <Tag tone="green">Modifiable</Tag>}</p>
          <LinesTable lines={v.lines} caption={`Lignes du tarif ${v.label}, à partir du ${formatDateLong(v.appliesFrom)}`} />
          <p>{surcharges(v)}</p>
          <p>
            {!v.lockedAt && (
              <>
                <a href={`${BASE}/versions/${v.id}`}>
                  Modifier<span class="visually-hidden"> le tarif {v.label} à partir du {formatDateLong(v.appliesFrom)}</span>
                </a>{' '}
                ·{' '}
              </>
            )}
            <a href={`${BASE}/versions/${v.id}/copier`}>
              Nouvelle version à partir d'une date<span class="visually-hidden"> pour {v.label}</span>
            </a>
          </p>
        </section>
      ))}
    </Layout>
  );
}

const RESIDENCY_OPTIONS = Object.entries(RESIDENCY_LABELS).map(([value, label]) => ({ value, label }));
const CATEGORY_OPTIONS = Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label }));

function LineFields(props: { i: number; errors?: FieldErrors; values?: FormValues }) {
  const f = (name: Parameters<typeof lineField>[1]) => lineField(props.i, name);
  const n = props.i + 1;
  return (
    <fieldset class="fieldset tariff-line">
      <legend class="fieldset__legend">Ligne {n}</legend>
      <TextField name={f('qf_min')} label={`QF minimum (ligne ${n})`} hint="Euros, inclus ; vide : pas de minimum" inputmode="numeric" width="short" autocomplete="off" errors={props.errors} values={props.values} />
      <TextField name={f('qf_max')} label={`QF maximum (ligne ${n})`} hint="Euros, inclus ; vide : sans limite" inputmode="numeric" width="short" autocomplete="off" errors={props.errors} values={props.values} />
      <Select name={f('residency')} label={`Résidence (ligne ${n})`} options={RESIDENCY_OPTIONS} errors={props.errors} values={props.values} />
      <TextField name={f('rank_min')} label={`Rang de l'enfant, minimum (ligne ${n})`} hint="1 = l'aîné ; vide : tous" inputmode="numeric" width="short" autocomplete="off" errors={props.errors} values={props.values} />
      <TextField name={f('rank_max')} label={`Rang de l'enfant, maximum (ligne ${n})`} hint="Même nombre : ce rang seulement" inputmode="numeric" width="short" autocomplete="off" errors={props.errors} values={props.values} />
      <TextField name={f('amount')} label={`Prix en euros (ligne ${n})`} hint="Par exemple 3,40" inputmode="text" width="short" autocomplete="off" errors={props.errors} values={props.values} />
      <Select name={f('category')} label={`Nature (ligne ${n})`} hint="Garde : compte pour l'attestation fiscale ; repas : jamais" options={CATEGORY_OPTIONS} errors={props.errors} values={{ [f('category')]: props.values?.[f('category')] ?? 'repas' }} />
    </fieldset>
  );
}

/**
 * The form of a version: a new one (target, school year and first day chosen), or an existing one
 * (only its lines and surcharges change).
 */
export function VersionFormPage(props: FormProps & { action: string; existing?: { label: string; appliesFrom: string; yearLabel: string }; targets?: { value: string; label: string }[]; years?: { id: string; label: string }[] }) {
  const title = props.existing ? 'Modifier une version de tarif' : 'Créer une version de tarif';
  return (
    <FormPage
      ctx={props.ctx}
      title={title}
      errors={props.errors}
      back={BASE}
      action={props.action}
      submit="Enregistrer le tarif"
      intro={
        <>
          {props.existing && (
            <p>
              {props.existing.label}, à partir du {formatDateLong(props.existing.appliesFrom)} ({props.existing.yearLabel}).
            </p>
          )}
          <p>Les lignes sont lues dans l'ordre : la première qui correspond donne le prix. Laissez vides les lignes inutiles. Un foyer sans quotient connu ne correspond qu'aux lignes sans QF maximum.</p>
        </>
      }
    >
      {!props.existing && (
        <>
          <Select name="target" label="Prestation" placeholder="Choisissez une prestation" options={props.targets ?? []} errors={props.errors} values={props.values} />
          <Select name="school_year" label="Année scolaire" placeholder="Choisissez une année" options={(props.years ?? []).map((y) => ({ value: y.id, label: y.label }))} errors={props.errors} values={props.values} />
          <TextField name="applies_from" label="S'applique à partir du" type="date" width="medium" errors={props.errors} values={props.values} />
        </>
      )}
      <h2>Critères</h2>
      {Array.from({ length: LINE_SLOTS }, (_, i) => (
        <LineFields i={i} errors={props.errors} values={props.values} />
      ))}
      <fieldset class="fieldset tariff-line">
        <legend class="fieldset__legend">Tarif par défaut (dernière ligne)</legend>
        <TextField name="default_amount" label="Prix par défaut en euros" hint="Quand aucune ligne ne correspond, par exemple 5,00" width="short" autocomplete="off" errors={props.errors} values={props.values} />
        <Select name="default_category" label="Nature du tarif par défaut" options={CATEGORY_OPTIONS} errors={props.errors} values={{ default_category: props.values?.default_category ?? 'repas' }} />
      </fieldset>
      <h2>Majorations</h2>
      <TextField name="present_without_booking" label="Majoration pour présence sans réservation, en euros" hint="Ajoutée au prix du jour ; vide : aucune" width="short" autocomplete="off" errors={props.errors} values={props.values} />
      <TextField name="late_cancellation" label="Majoration pour annulation hors délai, en euros" hint="Ajoutée au prix du jour ; vide : aucune" width="short" autocomplete="off" errors={props.errors} values={props.values} />
    </FormPage>
  );
}

export const PlacesPage = (p: FormProps) => (
  <FormPage ctx={p.ctx} title="Communes de résidence" errors={p.errors} back={BASE} action={`${BASE}/communes`} submit="Enregistrer les communes" intro={<p>Un foyer est résident quand son code postal et sa commune figurent dans cette liste. Un même code postal couvre souvent plusieurs communes : écrivez chacune. Liste vide : tous les foyers sont résidents.</p>}>
    <TextArea name="places" label="Communes, une par ligne" hint="Code postal puis commune, par exemple 62160 Beauval" rows={6} errors={p.errors} values={p.values} />
  </FormPage>
);
