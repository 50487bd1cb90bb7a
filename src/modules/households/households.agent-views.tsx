import { plural } from '../../platform/format.ts';
import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { Button, ButtonLink, Choices, PostForm, Select, SummaryList, Table, Tag, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime, formatPhone } from '../../platform/format.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { STATUS_LABELS } from '../identity/identity.domain.ts';
import type { Member } from './households.repository.ts';
import { DIETS, PENDING_KIND_LABELS, QUOTIENT_SOURCES, RELATIONS } from './households.domain.ts';
import { AddChildFields } from './households.family-views.tsx';
import { ContributedSections } from './households.agent-sections.tsx';
import type { ComponentChildren } from 'preact';

interface SearchRow {
  id: string;
  reference: string;
  name: string;
  address_line1: string;
  postcode: string;
  city: string;
  archived_at: string | null;
}

export function SearchPage(props: { ctx: PageCtx; q: string; archives: boolean; rows: SearchRow[] | null }) {
  return (
    <Layout ctx={props.ctx} title={props.q ? `Familles : « ${props.q} »` : 'Familles'}>
      <h1>Familles</h1>
      <form method="get" action="/agent/foyers" role="search">
        <TextField name="q" type="search" label="Rechercher un foyer" hint="Nom ou prénom d'un parent ou d'un enfant, courriel, téléphone, adresse ou numéro de foyer" value={props.q} autocomplete="off" spellcheck={false} />
        <Choices type="checkbox" name="archives" label="Options" options={[{ value: '1', label: 'Inclure les foyers archivés' }]} selected={props.archives ? ['1'] : []} />
        <Button>Rechercher</Button>
      </form>
      <p>
        <ButtonLink href="/agent/foyers/nouveau">Créer un foyer</ButtonLink>
      </p>
      {props.rows && (
        <Table
          caption={`${plural(props.rows.length, 'foyer trouvé', 'foyers trouvés')}${props.rows.length === 50 ? ' (50 premiers : précisez la recherche)' : ''}`}
          rows={props.rows}
          empty="Aucun foyer ne correspond. Vérifiez l'orthographe ou cherchez avec un autre membre du foyer."
          columns={[
            { header: 'Foyer', cell: (r) => <a href={`/agent/foyers/${r.id}`}>{r.name}</a> },
            { header: 'Numéro', cell: (r) => r.reference },
            { header: 'Adresse', cell: (r) => `${r.address_line1}, ${r.postcode} ${r.city}` },
            { header: 'État', cell: (r) => (r.archived_at ? <Tag>Archivé</Tag> : <Tag tone="green">Actif</Tag>) },
          ]}
        />
      )}
    </Layout>
  );
}

interface FormProps {
  ctx: PageCtx;
  errors?: FieldErrors;
  values?: FormValues;
}

export function AddressFields({ errors = {}, values = {} }: { errors?: FieldErrors; values?: FormValues }) {
  return (
    <>
      <TextField name="address_line1" label="Numéro et rue" autocomplete="off" errors={errors} values={values} />
      <TextField name="address_line2" label="Complément d'adresse (facultatif)" autocomplete="off" errors={errors} values={values} />
      <TextField name="postcode" label="Code postal" inputmode="numeric" width="short" autocomplete="off" errors={errors} values={values} />
      <TextField name="city" label="Commune" width="medium" autocomplete="off" errors={errors} values={values} />
    </>
  );
}

export function GuardianFields({ errors = {}, values = {} }: { errors?: FieldErrors; values?: FormValues }) {
  return (
    <>
      <TextField name="first_name" label="Prénom du responsable" autocomplete="off" width="medium" errors={errors} values={values} />
      <TextField name="last_name" label="Nom du responsable" autocomplete="off" width="medium" errors={errors} values={values} />
      <Select name="relationship" label="Lien avec les enfants (facultatif)" placeholder="Non renseigné" options={RELATIONS.slice(0, 2).concat(['Autre']).map((r) => ({ value: r, label: r }))} errors={errors} values={values} />
      <TextField name="email" label="Adresse électronique (facultatif)" type="email" autocomplete="off" spellcheck={false} errors={errors} values={values} />
      <TextField name="phone" label="Téléphone (facultatif)" type="tel" autocomplete="off" width="medium" errors={errors} values={values} />
    </>
  );
}

export const NewHouseholdPage = (p: FormProps) => (
  <FormPage ctx={p.ctx} title="Créer un foyer" errors={p.errors} back="/agent/foyers" action="/agent/foyers/nouveau" submit="Créer le foyer">
    <h2>Adresse du foyer</h2>
    <AddressFields errors={p.errors} values={p.values} />
    <h2>Premier responsable</h2>
    <GuardianFields errors={p.errors} values={p.values} />
  </FormPage>
);

export const EditAddressPage = (p: FormProps & { id: string }) => (
  <FormPage ctx={p.ctx} title="Modifier l'adresse du foyer" errors={p.errors} back={`/agent/foyers/${p.id}`} action={`/agent/foyers/${p.id}/adresse`} submit="Enregistrer l'adresse">
    <AddressFields errors={p.errors} values={p.values} />
  </FormPage>
);

export const AddGuardianPage = (p: FormProps & { id: string }) => (
  <FormPage ctx={p.ctx} title="Ajouter un responsable" errors={p.errors} back={`/agent/foyers/${p.id}`} action={`/agent/foyers/${p.id}/responsables`} submit="Ajouter le responsable">
    <GuardianFields errors={p.errors} values={p.values} />
  </FormPage>
);

export const AgentAddChildPage = (p: FormProps & { id: string; schools: string[]; classLevels: string[] }) => (
  <FormPage ctx={p.ctx} title="Ajouter un enfant" errors={p.errors} back={`/agent/foyers/${p.id}`} action={`/agent/foyers/${p.id}/enfants`} submit="Ajouter l'enfant">
    <AddChildFields errors={p.errors} values={p.values} schools={p.schools} classLevels={p.classLevels} />
  </FormPage>
);

export const QuotientPage = (p: FormProps & { id: string }) => (
  <FormPage ctx={p.ctx} title="Enregistrer un quotient familial" errors={p.errors} back={`/agent/foyers/${p.id}`} action={`/agent/foyers/${p.id}/quotient`} submit="Enregistrer le quotient" intro={<p>Le quotient s'applique à partir du mois indiqué, jusqu'à un quotient d'un mois plus récent. Pour corriger une erreur, enregistrez le bon montant pour le même mois : il remplace l'ancien, qui reste dans l'historique.</p>}>
    <TextField name="value_eur" label="Quotient familial, en euros" hint="Nombre entier, par exemple 742" inputmode="numeric" width="short" autocomplete="off" errors={p.errors} values={p.values} />
    <TextField name="reference_month" label="S'applique à partir du mois" hint="Au format AAAA-MM, par exemple 2026-09" width="short" autocomplete="off" errors={p.errors} values={p.values} />
    <Choices type="radio" name="source" label="Source" options={(['caf', 'msa', 'agent'] as const).map((value) => ({ value, label: QUOTIENT_SOURCES[value] }))} selected={[p.values?.source ?? 'caf']} errors={p.errors} />
    <TextField name="reason" label="Motif" hint="Par exemple « attestation CAF de septembre » ou « correction d'une erreur de saisie »" autocomplete="off" errors={p.errors} values={p.values} />
    <TextField name="valid_until" label="Valable jusqu'au (facultatif)" type="date" width="medium" errors={p.errors} values={p.values} />
  </FormPage>
);

export const LinkAccountPage = (p: FormProps & { id: string }) => (
  <FormPage ctx={p.ctx} title="Rattacher un compte créé en ligne" errors={p.errors} back={`/agent/foyers/${p.id}`} action={`/agent/foyers/${p.id}/rattacher`} submit="Rattacher le compte" intro={<p>Le parent a créé son compte lui-même et confirmé son adresse. Vérifiez son identité avant de le rattacher.</p>}>
    <TextField name="email" label="Adresse électronique du compte" type="email" autocomplete="off" spellcheck={false} errors={p.errors} values={p.values} />
  </FormPage>
);

export const MergePage = (p: FormProps & { id: string; reference: string }) => (
  <FormPage ctx={p.ctx} title="Fusionner un foyer créé en double" errors={p.errors} back={`/agent/foyers/${p.id}`} action={`/agent/foyers/${p.id}/fusionner`} submit="Fusionner dans ce foyer" intro={<p>Les membres, quotients et demandes de l'autre foyer rejoignent le foyer {p.reference}, qui est conservé. L'autre foyer est archivé.</p>}>
    <TextField name="reference" label="Numéro de l'autre foyer" hint="Par exemple F-000123" width="medium" autocomplete="off" errors={p.errors} values={p.values} />
  </FormPage>
);

export const RefusePage = (p: FormProps & { changeId: string; summary: string }) => (
  <FormPage ctx={p.ctx} title="Refuser la demande" errors={p.errors} back="/agent/modifications" action={`/agent/modifications/${p.changeId}/refuser`} submit="Refuser la demande" intro={<p>{p.summary}</p>}>
    <TextField name="reason" label="Motif du refus" hint="La famille le lira : dites ce qu'elle peut faire." errors={p.errors} values={p.values} />
  </FormPage>
);

export function HealthRecordPage(props: { ctx: PageCtx; householdId: string; child: Member; health: { allergies: string; has_pai: number; pai_description: string; doctor_name: string; doctor_phone: string } }) {
  const { child: c, health: h } = props;
  return (
    <Layout ctx={props.ctx} title={`Fiche sanitaire de ${c.first_name} ${c.last_name}`}>
      <p>
        <a href={`/agent/foyers/${props.householdId}`}>Retour au foyer</a>
      </p>
      <h1>
        Fiche sanitaire de {c.first_name} {c.last_name}
      </h1>
      <p class="hint">Cette consultation est enregistrée dans le journal.</p>
      <SummaryList
        rows={[
          { key: 'Régime', value: DIETS[c.diet as keyof typeof DIETS] ?? c.diet },
          { key: 'Allergies', value: h.allergies || 'Aucune' },
          { key: 'PAI', value: h.has_pai ? `Oui${h.pai_description ? ` : ${h.pai_description}` : ''}` : 'Non' },
          { key: 'Médecin traitant', value: h.doctor_name ? `${h.doctor_name}${h.doctor_phone ? `, ${formatPhone(h.doctor_phone)}` : ''}` : 'Non renseigné' },
        ]}
      />
    </Layout>
  );
}

interface PendingRow {
  id: string;
  kind: 'new_child' | 'address';
  summary: string;
  submitted_at: string;
  household_id: string;
  name: string;
  reference: string;
}

export function PendingQueuePage(props: { ctx: PageCtx; rows: PendingRow[] }) {
  return (
    <Layout ctx={props.ctx} title="Modifications à valider" wide>
      <h1>Modifications à valider</h1>
      <p>Les familles ont demandé ces changements ; ils ne s'appliquent qu'après votre validation. Les plus anciens sont en haut.</p>
      <Table
        caption={`${plural(props.rows.length, 'demande', 'demandes')} en attente`}
        rows={props.rows}
        empty="Aucune demande en attente."
        columns={[
          { header: 'Reçue le', cell: (r) => formatDateTime(r.submitted_at) },
          { header: 'Foyer', cell: (r) => <a href={`/agent/foyers/${r.household_id}`}>{`${r.name} (${r.reference})`}</a> },
          { header: 'Demande', cell: (r) => `${PENDING_KIND_LABELS[r.kind]} – ${r.summary}` },
          {
            header: 'Décision',
            cell: (r) => (
              <div class="button-group">
                <PostForm action={`/agent/modifications/${r.id}/valider`} csrf={props.ctx.csrf}>
                  <Button>
                    Valider<span class="visually-hidden"> : {r.summary}</span>
                  </Button>
                </PostForm>
                <a href={`/agent/modifications/${r.id}/refuser`}>
                  Refuser<span class="visually-hidden"> : {r.summary}</span>
                </a>
              </div>
            ),
          },
        ]}
      />
    </Layout>
  );
}

export function HouseholdAgentPage(props: {
  ctx: PageCtx;
  household: { id: string; name: string; reference: string; address_line1: string; address_line2: string | null; postcode: string; city: string; payer_person_id: string | null; archived_at: string | null; merged_into_id: string | null };
  members: Member[];
  quotients: { value_eur: number; reference_month: string; source: string; reason: string; created_at: string; valid_until: string | null }[];
  quotient: { value_eur: number } | null;
  changes: { id: string; summary: string; status: string; reason: string | null; submitted_at: string }[];
  history: { at: string; actor_label: string; summary: string; on_behalf_of_household_id: string | null }[];
  pickups: { child_person_id: string; name: string; relation: string; phone: string }[];
  healthFlags: Map<string, { allergies: boolean; pai: boolean }>;
  /** Contributed by other modules (requests, enrolments, bookings…): see HouseholdSection. */
  sections?: readonly { title: string; content: ComponentChildren }[];
}) {
  const { ctx, household: h } = props;
  const base = `/agent/foyers/${h.id}`;
  const guardians = props.members.filter((m) => m.role === 'guardian');
  const children = props.members.filter((m) => m.role === 'child');
  return (
    <Layout ctx={ctx} title={h.name} wide>
      <p>
        <a href="/agent/foyers">Retour à la recherche</a>
      </p>
      <h1>
        {h.name} {h.archived_at && <Tag>Archivé</Tag>}
      </h1>
      <SummaryList
        rows={[
          { key: 'Numéro de foyer', value: h.reference },
          { key: 'Adresse', value: `${h.address_line1}${h.address_line2 ? `, ${h.address_line2}` : ''}, ${h.postcode} ${h.city}`, action: <a href={`${base}/adresse`}>Modifier<span class="visually-hidden"> l'adresse</span></a> },
          { key: 'Quotient familial', value: props.quotient ? `${props.quotient.value_eur} €` : 'Inconnu (tarif le plus élevé)', action: <a href={`${base}/quotient`}>Enregistrer<span class="visually-hidden"> un quotient</span></a> },
        ]}
      />
      {!h.archived_at && (
        <div class="button-group">
          <PostForm action={`${base}/accueil`} csrf={ctx.csrf}>
            <Button variant="secondary">Agir pour cette famille (mode accueil)</Button>
          </PostForm>
          <a href={`${base}/derogation`}>Réserver ou annuler hors délai</a>
        </div>
      )}
      <h2>Responsables</h2>
      <Table
        caption="Responsables légaux"
        captionHidden
        rows={guardians}
        columns={[
          { header: 'Nom', cell: (g) => <>{g.first_name} {g.last_name}{g.id === h.payer_person_id && <> <Tag tone="blue">Payeur</Tag></>}</> },
          { header: 'Contact', cell: (g) => [g.phone && formatPhone(g.phone), g.email].filter(Boolean).join(' · ') || '—' },
          { header: 'Compte', cell: (g) => (g.account_status ? STATUS_LABELS[g.account_status] ?? g.account_status : 'Pas de compte') },
          {
            header: 'Actions',
            cell: (g) => (
              <div class="button-group">
                {!g.user_id && (
                  <PostForm action={`${base}/responsables/${g.id}/inviter`} csrf={ctx.csrf}>
                    <Button variant="link">Envoyer un code d'activation<span class="visually-hidden"> à {g.first_name}</span></Button>
                  </PostForm>
                )}
                {g.id !== h.payer_person_id && (
                  <PostForm action={`${base}/responsables/${g.id}/payeur`} csrf={ctx.csrf}>
                    <Button variant="link">Définir comme payeur<span class="visually-hidden"> : {g.first_name}</span></Button>
                  </PostForm>
                )}
              </div>
            ),
          },
        ]}
      />
      <p>
        <a href={`${base}/responsables`}>Ajouter un responsable</a> · <a href={`${base}/rattacher`}>Rattacher un compte créé en ligne</a>
      </p>
      <h2>Enfants</h2>
      <Table
        caption="Enfants du foyer"
        captionHidden
        rows={children}
        empty="Aucun enfant."
        columns={[
          { header: 'Nom', cell: (c) => `${c.first_name} ${c.last_name}` },
          { header: 'Naissance', cell: (c) => (c.birth_date ? c.birth_date.split('-').reverse().join('/') : '—') },
          { header: 'École et classe', cell: (c) => [c.school, c.class_level].filter(Boolean).join(', ') || '—' },
          { header: 'Régime', cell: (c) => DIETS[c.diet as keyof typeof DIETS] ?? '—' },
          {
            header: 'Santé',
            cell: (c) => {
              const flags = props.healthFlags.get(c.id);
              return (
                <>
                  {flags?.allergies && <Tag tone="red">Allergies</Tag>} {flags?.pai && <Tag tone="orange">PAI</Tag>} {!flags?.allergies && !flags?.pai && 'Rien de signalé'}{' '}
                  <a href={`${base}/enfants/${c.id}/sante`}>Fiche sanitaire<span class="visually-hidden"> de {c.first_name}</span></a>
                </>
              );
            },
          },
          { header: 'Personnes autorisées', cell: (c) => props.pickups.filter((p) => p.child_person_id === c.id).map((p) => `${p.name} (${p.relation}, ${formatPhone(p.phone)})`).join(' ; ') || '—' },
        ]}
      />
      <p>
        <a href={`${base}/enfants`}>Ajouter un enfant</a>
      </p>
      <ContributedSections sections={props.sections ?? []} />
      <h2>Modifications du foyer demandées par la famille</h2>
      <Table
        caption="Modifications du foyer demandées par la famille"
        captionHidden
        rows={props.changes}
        empty="Aucune modification demandée (nouvel enfant, adresse)."
        columns={[
          { header: 'Reçue le', cell: (c) => formatDateLong(c.submitted_at) },
          { header: 'Demande', cell: (c) => c.summary },
          { header: 'État', cell: (c) => (c.status === 'pending' ? <a href="/agent/modifications">À valider</a> : c.status === 'accepted' ? 'Validée' : `Refusée : ${c.reason}`) },
        ]}
      />
      <h2>Quotients familiaux</h2>
      <Table
        caption="Historique des quotients"
        captionHidden
        rows={props.quotients}
        empty="Aucun quotient enregistré."
        columns={[
          { header: 'Valeur', cell: (q) => `${q.value_eur} €`, numeric: true },
          { header: 'À partir de', cell: (q) => (/^\d{4}-\d{2}$/.test(q.reference_month) ? monthLabel(q.reference_month) : q.reference_month) },
          { header: 'Source', cell: (q) => QUOTIENT_SOURCES[q.source as keyof typeof QUOTIENT_SOURCES] ?? q.source },
          { header: 'Motif', cell: (q) => q.reason || '—' },
          { header: 'Enregistré le', cell: (q) => formatDateLong(q.created_at) },
        ]}
      />
      <h2>Historique</h2>
      <Table
        caption="Historique du foyer"
        captionHidden
        rows={props.history}
        empty="Aucune action."
        columns={[
          { header: 'Date', cell: (r) => formatDateTime(r.at) },
          { header: 'Par', cell: (r) => r.actor_label + (r.on_behalf_of_household_id ? ' (mode accueil)' : '') },
          { header: 'Action', cell: (r) => r.summary },
        ]}
      />
      <h2>Gestion du dossier</h2>
      <div class="button-group">
        <a href={`${base}/fusionner`}>Fusionner un foyer créé en double</a>
        {ctx.user?.roles.includes('admin') && h.archived_at && <a href={`${base}/anonymiser`}>Anonymiser le foyer</a>}
        <PostForm action={`${base}/${h.archived_at ? 'reactiver' : 'archiver'}`} csrf={ctx.csrf}>
          <Button variant="secondary">{h.archived_at ? 'Réactiver le foyer' : 'Archiver le foyer'}</Button>
        </PostForm>
      </div>
    </Layout>
  );
}
