import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import {
  Button,
  Choices,
  DateField,
  PostForm,
  Select,
  SummaryList,
  Table,
  Tag,
  TextArea,
  TextField,
  type FieldErrors,
  type FormValues,
} from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime, formatPhone, householdName } from '../../platform/format.ts';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import type { Member } from './households.repository.ts';
import { DIETS, PENDING_KIND_LABELS, PENDING_STATUS_LABELS, QUOTIENT_SOURCES, RELATIONS } from './households.domain.ts';

const yesNo = (v: number | null) => (v ? 'Oui' : 'Non');

interface PendingChange {
  id: string;
  kind: 'new_child' | 'address';
  summary: string;
  status: 'pending' | 'accepted' | 'refused';
  reason: string | null;
  submitted_at: string;
  decided_at: string | null;
}

const statusTag = (s: PendingChange['status']) => <Tag tone={s === 'accepted' ? 'green' : s === 'refused' ? 'red' : 'orange'}>{PENDING_STATUS_LABELS[s]}</Tag>;

export function PendingChanges({ changes }: { changes: PendingChange[] }) {
  return (
    <Table
      caption="Vos demandes de modification"
      rows={changes}
      empty="Aucune demande de modification."
      columns={[
        { header: 'Demande', cell: (c) => <>{PENDING_KIND_LABELS[c.kind]} : {c.summary}</> },
        { header: 'Envoyée le', cell: (c) => formatDateLong(c.submitted_at) },
        { header: 'État', cell: (c) => <>{statusTag(c.status)}{c.reason && <p class="hint">Motif : {c.reason}</p>}</> },
      ]}
    />
  );
}

export function HouseholdPage(props: {
  ctx: PageCtx;
  household: { name: string; reference: string; address_line1: string; address_line2: string | null; postcode: string; city: string; payer_person_id: string | null; booking_recap_mail: number };
  members: Member[];
  changes: PendingChange[];
  quotient: { value_eur: number; reference_month: string; source: string } | null;
}) {
  const { ctx, household: h } = props;
  const guardians = props.members.filter((m) => m.role === 'guardian');
  const children = props.members.filter((m) => m.role === 'child');
  return (
    <Layout ctx={ctx} title="Mon foyer">
      <h1>{h.name}</h1>
      <p class="hint">Numéro de foyer : {h.reference}</p>
      <h2>Adresse</h2>
      <p>
        {h.address_line1}
        {h.address_line2 && (
          <>
            <br />
            {h.address_line2}
          </>
        )}
        <br />
        {h.postcode} {h.city}
      </p>
      <p>
        <a href="/famille/adresse">Signaler un changement d'adresse</a>
      </p>
      <h2>Responsables</h2>
      <ul class="cards">
        {guardians.map((g) => (
          <li class="card">
            <h3>
              {g.first_name} {g.last_name}
              {g.id === h.payer_person_id && <> <Tag tone="blue">Payeur</Tag></>}
            </h3>
            <p>
              Téléphone : {g.phone ? formatPhone(g.phone) : 'non renseigné'}
              <br />
              Courriel : {g.email ?? 'non renseigné'}
            </p>
            <a href={`/famille/responsables/${g.id}`}>
              Modifier les coordonnées<span class="visually-hidden"> de {g.first_name}</span>
            </a>
          </li>
        ))}
      </ul>
      <h2>Enfants</h2>
      <ul>
        {children.map((c) => (
          <li>
            <a href={`/famille/enfants/${c.id}`}>
              {c.first_name} {c.last_name}
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a href="/famille/enfants/ajouter">Ajouter un enfant</a>
      </p>
      <h2>Quotient familial</h2>
      {props.quotient ? (
        <p>
          {props.quotient.value_eur} € (à partir de {/^\d{4}-\d{2}$/.test(props.quotient.reference_month) ? monthLabel(props.quotient.reference_month) : props.quotient.reference_month}, {QUOTIENT_SOURCES[props.quotient.source as keyof typeof QUOTIENT_SOURCES] ?? props.quotient.source})
        </p>
      ) : (
        <p>Aucun quotient familial connu : le tarif le plus élevé s'appliquera. Donnez votre attestation CAF ou MSA à la mairie pour payer le bon tarif.</p>
      )}
      <p>
        <a href="/famille/tarifs">Combien vais-je payer ?</a>
      </p>
      <h2>Demandes de modification</h2>
      <PendingChanges changes={props.changes} />
      <h2>Courriels</h2>
      <PostForm action="/famille/recapitulatif-reservations" csrf={ctx.csrf}>
        <Choices
          type="checkbox"
          name="recapitulatif"
          label="Après chaque enregistrement de réservations"
          hint="Le récapitulatif (jours réservés, sur liste d'attente, annulés ou refusés) est aussi gardé dans l'historique du foyer."
          options={[{ value: 'oui', label: 'Recevoir par courriel le récapitulatif de mes réservations' }]}
          selected={props.household.booking_recap_mail === 1 ? ['oui'] : []}
        />
        <Button variant="secondary">Enregistrer ce choix</Button>
      </PostForm>
      <p>
        <a href="/famille/donnees">Télécharger mes données</a>
      </p>
    </Layout>
  );
}

export function ChildPage(props: {
  ctx: PageCtx;
  child: Member;
  health: { allergies: string; has_pai: number; pai_description: string; doctor_name: string; doctor_phone: string };
  pickups: { id: string; name: string; relation: string; phone: string; may_pick_up: number; emergency_contact: number }[];
  otherHouseholds: { name: string }[];
}) {
  const { ctx, child: c, health: h } = props;
  const base = `/famille/enfants/${c.id}`;
  return (
    <Layout ctx={ctx} title={`${c.first_name} ${c.last_name}`}>
      <p>
        <a href="/famille">Retour à l'accueil</a>
      </p>
      <h1>
        {c.first_name} {c.last_name}
      </h1>
      <SummaryList
        rows={[
          { key: 'Date de naissance', value: c.birth_date ? formatDateLong(`${c.birth_date}T12:00:00Z`) : '—' },
          { key: 'École', value: c.school ?? '—' },
          { key: 'Classe', value: c.class_level ?? '—' },
          ...(props.otherHouseholds.length ? [{ key: 'Aussi dans le foyer', value: props.otherHouseholds.map((o) => householdName(o.name)).join(', ') }] : []),
        ]}
      />
      <h2>Santé et régime</h2>
      <SummaryList
        rows={[
          { key: 'Régime alimentaire', value: DIETS[c.diet as keyof typeof DIETS] ?? c.diet },
          { key: 'Allergies', value: h.allergies || 'Aucune allergie signalée' },
          { key: 'Projet d\'accueil individualisé (PAI)', value: h.has_pai ? `Oui${h.pai_description ? ` : ${h.pai_description}` : ''}` : 'Non' },
          { key: 'Médecin traitant', value: h.doctor_name ? `${h.doctor_name}${h.doctor_phone ? `, ${formatPhone(h.doctor_phone)}` : ''}` : 'Non renseigné' },
        ]}
      />
      <p>
        <a href={`${base}/sante`}>
          Modifier la santé et le régime<span class="visually-hidden"> de {c.first_name}</span>
        </a>
      </p>
      <h2>Autorisations</h2>
      <SummaryList
        rows={[
          { key: 'Photos', value: yesNo(c.photo_allowed) },
          { key: 'Rentrer seul', value: yesNo(c.may_leave_alone) },
          { key: 'Transport en car', value: yesNo(c.transport_allowed) },
        ]}
      />
      <p>
        <a href={`${base}/autorisations`}>Modifier les autorisations</a>
      </p>
      <h2>Personnes autorisées</h2>
      <Table
        caption={`Personnes qui peuvent venir chercher ${c.first_name} ou être appelées`}
        rows={props.pickups}
        empty="Aucune personne autorisée en dehors des responsables."
        columns={[
          { header: 'Nom', cell: (p) => p.name },
          { header: 'Lien', cell: (p) => p.relation },
          { header: 'Téléphone', cell: (p) => formatPhone(p.phone) },
          { header: 'Rôle', cell: (p) => [p.may_pick_up ? 'Peut venir chercher' : '', p.emergency_contact ? 'À appeler en urgence' : ''].filter(Boolean).join(', ') },
          {
            header: 'Action',
            cell: (p) => (
              <PostForm action={`${base}/personnes/${p.id}/supprimer`} csrf={ctx.csrf}>
                <Button variant="link">
                  Retirer<span class="visually-hidden"> {p.name}</span>
                </Button>
              </PostForm>
            ),
          },
        ]}
      />
      <p>
        <a href={`${base}/personnes/ajouter`}>Ajouter une personne autorisée</a>
      </p>
    </Layout>
  );
}

interface FormProps {
  ctx: PageCtx;
  errors?: FieldErrors;
  values?: FormValues;
}

export function AddChildFields(props: { errors?: FieldErrors; values?: FormValues; schools: string[]; classLevels: string[] }) {
  const { errors = {}, values = {} } = props;
  return (
    <>
      <TextField name="first_name" label="Prénom de l'enfant" autocomplete="off" width="medium" errors={errors} values={values} />
      <TextField name="last_name" label="Nom de l'enfant" autocomplete="off" width="medium" errors={errors} values={values} />
      <DateField name="birth_date" label="Date de naissance" hint="Par exemple 27 3 2019" errors={errors} values={values} />
      <Choices type="radio" name="sex" label="Sexe" inline options={[{ value: 'F', label: 'Fille' }, { value: 'M', label: 'Garçon' }]} selected={values.sex ? [values.sex] : []} errors={errors} />
      <Select name="school" label="École (facultatif)" placeholder="Pas encore scolarisé ou autre école" options={props.schools.map((s) => ({ value: s, label: s }))} errors={errors} values={values} />
      <Select name="class_level" label="Classe (facultatif)" placeholder="Non renseignée" options={props.classLevels.map((s) => ({ value: s, label: s }))} errors={errors} values={values} />
    </>
  );
}

export function AddChildPage(props: FormProps & { schools: string[]; classLevels: string[] }) {
  return (
    <FormPage ctx={props.ctx} title="Ajouter un enfant" errors={props.errors} back="/famille" action="/famille/enfants/ajouter" submit="Envoyer à la mairie" intro={<p>La mairie vérifie chaque nouvel enfant avant qu'il apparaisse dans votre foyer. Vous verrez l'état de votre demande sur votre page d'accueil.</p>}>
      <AddChildFields {...props} />
    </FormPage>
  );
}

export function AddressPage(props: FormProps) {
  const { errors = {}, values = {} } = props;
  return (
    <FormPage ctx={props.ctx} title="Signaler un changement d'adresse" errors={errors} back="/famille/foyer" action="/famille/adresse" submit="Envoyer à la mairie" intro={<p>La mairie vérifie la nouvelle adresse (elle peut changer vos tarifs). Pensez à déposer un justificatif de domicile.</p>}>
      <TextField name="address_line1" label="Numéro et rue" autocomplete="address-line1" errors={errors} values={values} />
      <TextField name="address_line2" label="Complément d'adresse (facultatif)" autocomplete="address-line2" errors={errors} values={values} />
      <TextField name="postcode" label="Code postal" autocomplete="postal-code" inputmode="numeric" width="short" errors={errors} values={values} />
      <TextField name="city" label="Commune" autocomplete="address-level2" width="medium" errors={errors} values={values} />
    </FormPage>
  );
}

export function ContactPage(props: FormProps & { personId: string; name: string }) {
  const { errors = {}, values = {} } = props;
  return (
    <FormPage ctx={props.ctx} title={`Coordonnées de ${props.name}`} errors={errors} back="/famille/foyer" action={`/famille/responsables/${props.personId}`} submit="Enregistrer">
      <TextField name="phone" label="Téléphone" hint="Pour vous joindre en journée, par exemple 06 12 34 56 78" type="tel" autocomplete="tel" width="medium" errors={errors} values={values} />
      <TextField name="email" label="Adresse électronique de contact" type="email" autocomplete="email" spellcheck={false} errors={errors} values={values} />
    </FormPage>
  );
}

export function HealthPage(props: FormProps & { childId: string; name: string }) {
  const { errors = {}, values = {} } = props;
  return (
    <FormPage ctx={props.ctx} title={`Santé et régime de ${props.name}`} errors={errors} back={`/famille/enfants/${props.childId}`} action={`/famille/enfants/${props.childId}/sante`} submit="Enregistrer" intro={<p>Ces informations ne sont vues que par les agents qui accueillent votre enfant.</p>}>
      <Choices type="radio" name="diet" label="Régime alimentaire" options={Object.entries(DIETS).map(([value, label]) => ({ value, label }))} selected={[values.diet ?? 'standard']} errors={errors} />
      <TextArea name="allergies" label="Allergies" hint="Aliments, médicaments… Laissez vide s'il n'y en a pas." errors={errors} values={values} />
      <Choices type="radio" name="has_pai" label="Votre enfant a-t-il un projet d'accueil individualisé (PAI) ?" inline options={[{ value: '1', label: 'Oui' }, { value: '0', label: 'Non' }]} selected={[values.has_pai ?? '0']} errors={errors} />
      <TextArea name="pai_description" label="Si oui, ce qu'il faut savoir du PAI (facultatif)" errors={errors} values={values} />
      <TextField name="doctor_name" label="Médecin traitant (facultatif)" autocomplete="off" width="medium" errors={errors} values={values} />
      <TextField name="doctor_phone" label="Téléphone du médecin (facultatif)" type="tel" autocomplete="off" width="medium" errors={errors} values={values} />
    </FormPage>
  );
}

export function AuthorisationsPage(props: FormProps & { childId: string; name: string; selected: string[] }) {
  return (
    <FormPage ctx={props.ctx} title={`Autorisations pour ${props.name}`} errors={props.errors} back={`/famille/enfants/${props.childId}`} action={`/famille/enfants/${props.childId}/autorisations`} submit="Enregistrer">
      <input type="hidden" name="sent" value="1" />
      <Choices
        type="checkbox"
        name="authorisations"
        label="Cochez ce que vous autorisez"
        options={[
          { value: 'photo_allowed', label: 'Mon enfant peut être pris en photo lors des activités' },
          { value: 'may_leave_alone', label: 'Mon enfant peut rentrer seul après l\'accueil' },
          { value: 'transport_allowed', label: 'Mon enfant peut prendre le car pour les sorties' },
        ]}
        selected={props.selected}
      />
    </FormPage>
  );
}

export function PickupPage(props: FormProps & { childId: string; name: string }) {
  const { errors = {}, values = {} } = props;
  return (
    <FormPage ctx={props.ctx} title={`Ajouter une personne autorisée pour ${props.name}`} errors={errors} back={`/famille/enfants/${props.childId}`} action={`/famille/enfants/${props.childId}/personnes/ajouter`} submit="Ajouter">
      <TextField name="name" label="Prénom et nom" autocomplete="off" width="medium" errors={errors} values={values} />
      <Select name="relation" label="Lien avec l'enfant" placeholder="Choisissez" options={RELATIONS.map((r) => ({ value: r, label: r }))} errors={errors} values={values} />
      <TextField name="phone" label="Téléphone" type="tel" autocomplete="off" width="medium" errors={errors} values={values} />
      <Choices
        type="checkbox"
        name="roles"
        label="Cette personne"
        options={[
          { value: 'may_pick_up', label: 'peut venir chercher l\'enfant' },
          { value: 'emergency_contact', label: 'est à appeler en cas d\'urgence' },
        ]}
        selected={values.roles ? values.roles.split(',') : ['may_pick_up']}
        errors={errors}
      />
    </FormPage>
  );
}

export function HistoryPage(props: { ctx: PageCtx; rows: { at: string; actor_label: string; summary: string; on_behalf_of_household_id: string | null }[] }) {
  return (
    <Layout ctx={props.ctx} title="Historique du foyer">
      <h1>Historique du foyer</h1>
      <p>Ce qui a été fait sur votre dossier, par vous, par la mairie ou pour vous à l'accueil.</p>
      <Table
        caption="Dernières actions"
        rows={props.rows}
        empty="Aucune action pour le moment."
        columns={[
          { header: 'Date', cell: (r) => formatDateTime(r.at) },
          { header: 'Action', cell: (r) => r.summary },
          { header: 'Par', cell: (r) => (r.on_behalf_of_household_id ? <>{r.actor_label}, à l'accueil de la mairie</> : r.actor_label) },
        ]}
      />
    </Layout>
  );
}
