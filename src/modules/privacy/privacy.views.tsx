import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, ErrorSummary, NotificationBanner, PostForm, SummaryList, Table, Tag, type FieldErrors } from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime } from '../../platform/format.ts';
import { DIETS, PENDING_KIND_LABELS, PENDING_STATUS_LABELS, QUOTIENT_SOURCES } from '../households/households.domain.ts';
import type { PrivacyService } from './privacy.service.ts';
import { ANONYMOUS_HOUSEHOLD_NAME } from './privacy.domain.ts';

export type HouseholdExport = Awaited<ReturnType<PrivacyService['exportHousehold']>>;
export type AnonymisationPreview = Awaited<ReturnType<PrivacyService['anonymisationPreview']>>;

const yesNo = (v: boolean) => (v ? 'Oui' : 'Non');
const day = (d: string | null) => (d ? formatDateLong(`${d}T12:00:00Z`) : '—');
const when = (d: string | null) => (d ? formatDateTime(d) : '—');
const orNone = (v: string | null | undefined) => (v && v.trim() ? v : 'Non renseigné');

/** « Mes données » : what the portal holds about the household, readable, with the JSON download. */
export function FamilyDataPage(props: { ctx: PageCtx; data: HouseholdExport }) {
  const { ctx, data } = props;
  const h = data.household;
  return (
    <Layout ctx={ctx} title="Mes données personnelles">
      <p>
        <a href="/famille/foyer">Retour à mon foyer</a>
      </p>
      <h1>Mes données personnelles</h1>
      <p>
        Voici toutes les informations que le portail famille conserve sur votre foyer. La mairie les utilise pour inscrire vos enfants, les accueillir en sécurité et
        calculer vos tarifs. Vous pouvez demander à la mairie de corriger une information inexacte.
      </p>
      <p>
        Quand votre foyer n'utilise plus les services, la mairie l'archive ; ses données personnelles sont anonymisées quelques années plus tard. En savoir plus sur la page{' '}
        <a href="/donnees-personnelles">données personnelles</a>.
      </p>
      <p>
        <ButtonLink href="/famille/donnees.json" variant="primary">
          Télécharger mes données (JSON)
        </ButtonLink>
      </p>
      <p class="hint">Le fichier JSON contient les mêmes informations que cette page, dans un format que d'autres services peuvent relire.</p>

      <h2>Foyer</h2>
      <SummaryList
        rows={[
          { key: 'Nom', value: h.name },
          { key: 'Numéro de foyer', value: h.reference },
          { key: 'Adresse', value: [h.address.line1, h.address.line2, `${h.address.postcode} ${h.address.city}`].filter(Boolean).join(', ') },
          { key: 'Créé le', value: when(h.created_at) },
        ]}
      />

      <h2>Responsables</h2>
      <Table
        caption="Responsables du foyer"
        captionHidden
        rows={data.guardians}
        empty="Aucun responsable."
        columns={[
          { header: 'Nom', cell: (g) => <>{g.first_name} {g.last_name}{g.payer && <> <Tag tone="blue">Payeur</Tag></>}</> },
          { header: 'Lien', cell: (g) => orNone(g.relationship) },
          { header: 'Courriel', cell: (g) => orNone(g.email) },
          { header: 'Téléphone', cell: (g) => orNone(g.phone) },
        ]}
      />

      <h2>Enfants</h2>
      {data.children.length === 0 && <p>Aucun enfant enregistré.</p>}
      {data.children.map((c) => (
        <section aria-labelledby={`enfant-${c.id}`}>
          <h3 id={`enfant-${c.id}`}>
            {c.first_name} {c.last_name}
          </h3>
          <SummaryList
            rows={[
              { key: 'Date de naissance', value: day(c.birth_date) },
              { key: 'École et classe', value: [c.school, c.class_level].filter(Boolean).join(', ') || 'Non renseignées' },
              { key: 'Régime alimentaire', value: DIETS[c.health.diet as keyof typeof DIETS] ?? c.health.diet ?? '—' },
              { key: 'Allergies', value: c.health.allergies || 'Aucune allergie signalée' },
              { key: 'Projet d\'accueil individualisé (PAI)', value: c.health.has_pai ? `Oui${c.health.pai_description ? ` : ${c.health.pai_description}` : ''}` : 'Non' },
              { key: 'Médecin traitant', value: c.health.doctor_name ? `${c.health.doctor_name}${c.health.doctor_phone ? `, ${c.health.doctor_phone}` : ''}` : 'Non renseigné' },
              { key: 'Photos', value: yesNo(c.authorisations.photo) },
              { key: 'Rentrer seul', value: yesNo(c.authorisations.leave_alone) },
              { key: 'Transport en car', value: yesNo(c.authorisations.transport) },
            ]}
          />
          <Table
            caption={`Personnes autorisées pour ${c.first_name}`}
            rows={c.pickup_persons}
            empty="Aucune personne autorisée en dehors des responsables."
            columns={[
              { header: 'Nom', cell: (p) => p.name },
              { header: 'Lien', cell: (p) => p.relation },
              { header: 'Téléphone', cell: (p) => p.phone },
              { header: 'Rôle', cell: (p) => [p.may_pick_up ? 'Peut venir chercher' : '', p.emergency_contact ? 'À appeler en urgence' : ''].filter(Boolean).join(', ') },
            ]}
          />
        </section>
      ))}

      <h2>Quotient familial</h2>
      <Table
        caption="Quotients familiaux enregistrés"
        captionHidden
        rows={data.quotients}
        empty="Aucun quotient familial enregistré."
        columns={[
          { header: 'Montant', cell: (q) => `${q.value_eur} €` },
          { header: 'Mois de référence', cell: (q) => q.reference_month },
          { header: 'Source', cell: (q) => QUOTIENT_SOURCES[q.source] ?? q.source },
          { header: 'Enregistré le', cell: (q) => when(q.created_at) },
        ]}
      />

      <h2>Demandes de modification</h2>
      <Table
        caption="Vos demandes de modification"
        captionHidden
        rows={data.pending_changes}
        empty="Aucune demande de modification."
        columns={[
          { header: 'Demande', cell: (c) => <>{PENDING_KIND_LABELS[c.kind]} : {c.summary}</> },
          { header: 'Envoyée le', cell: (c) => when(c.submitted_at) },
          { header: 'État', cell: (c) => <>{PENDING_STATUS_LABELS[c.status]}{c.reason ? ` (motif : ${c.reason})` : ''}</> },
        ]}
      />

      <h2>Compte de connexion</h2>
      {data.account ? (
        <SummaryList
          rows={[
            { key: 'Adresse de connexion', value: orNone(data.account.email) },
            { key: 'Compte créé le', value: when(data.account.created_at) },
            { key: 'Dernière connexion', value: when(data.account.last_login_at) },
          ]}
        />
      ) : (
        <p>Un agent consulte ces données pour le foyer : le compte de connexion du responsable n'est pas affiché.</p>
      )}
      <p class="hint">Votre mot de passe n'est jamais conservé en clair : la mairie ne peut pas le lire.</p>

      <h2>Historique</h2>
      <Table
        caption="Ce qui a été fait sur votre foyer, et par qui"
        captionHidden
        rows={data.history}
        empty="Aucune action enregistrée."
        columns={[
          { header: 'Date', cell: (r) => when(r.at) },
          { header: 'Par', cell: (r) => r.by },
          { header: 'Action', cell: (r) => r.summary },
        ]}
      />
    </Layout>
  );
}

/** The admin's page before anonymising: what will happen, the retention rule, and the button only when it applies. */
export function AnonymisePage(props: { ctx: PageCtx; preview: AnonymisationPreview; errors?: FieldErrors }) {
  const { ctx, preview: p } = props;
  const h = p.household;
  const errors = props.errors ?? {};
  const back = `/agent/foyers/${h.id}`;
  return (
    <Layout ctx={ctx} title={`Anonymiser ${h.name}`} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href={back}>Retour au foyer</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Anonymiser le foyer {h.reference}</h1>
      <h2>Règle de conservation</h2>
      <p>
        Un foyer peut être anonymisé quand il est archivé depuis au moins {p.retentionYears} ans. Avant, ses données restent nécessaires (factures, réclamations,
        retour de la famille).
      </p>
      <SummaryList
        rows={[
          { key: 'Foyer', value: h.name },
          { key: 'Archivé le', value: h.archived_at ? when(h.archived_at) : 'Non : le foyer est actif' },
          { key: 'Anonymisable à partir du', value: p.retentionEnd ? when(p.retentionEnd) : '—' },
          { key: 'Anonymisé le', value: h.anonymised_at ? when(h.anonymised_at) : 'Non' },
        ]}
      />
      <h2>Ce qui va se passer</h2>
      <ul>
        <li>
          {p.toAnonymise} personne(s) du foyer : noms remplacés par « Anonyme », date de naissance réduite à l'année, courriel et téléphone effacés.
        </li>
        {p.kept > 0 && <li>{p.kept} personne(s) rattachée(s) aussi à un autre foyer (par exemple un enfant de parents séparés) : conservée(s) sans changement.</li>}
        <li>Les comptes de connexion des responsables anonymisés sont désactivés : ils ne peuvent plus se connecter.</li>
        <li>Fiches sanitaires effacées, personnes autorisées supprimées, adresse du foyer effacée, nom du foyer : « {ANONYMOUS_HOUSEHOLD_NAME} ».</li>
        <li>Le journal garde les actions, leurs dates et leurs auteurs, mais le texte des lignes qui concernent ce foyer est remplacé par « [anonymisé] ».</li>
        <li>Les quotients familiaux (montants) restent, sans nom, pour les statistiques.</li>
      </ul>
      <p>
        <strong>Cette action est définitive.</strong>
      </p>
      {p.decision.ok ? (
        <PostForm action={`${back}/anonymiser`} csrf={ctx.csrf}>
          <Choices type="checkbox" name="confirm" label="Confirmation" options={[{ value: '1', label: 'Je confirme l\'anonymisation définitive de ce foyer' }]} selected={[]} errors={errors} />
          <Button variant="warning">Anonymiser le foyer</Button>
        </PostForm>
      ) : (
        <NotificationBanner kind="warning" title="Anonymisation impossible pour le moment">
          <p>{p.decision.reason}</p>
        </NotificationBanner>
      )}
    </Layout>
  );
}
