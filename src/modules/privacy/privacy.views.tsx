import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, ErrorSummary, NotificationBanner, PostForm, SummaryList, Table, type FieldErrors } from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime, formatPhone } from '../../platform/format.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import type { ExportedSection, ExportRow, ExportValue } from '../../platform/privacy/personal-data.ts';
import type { HouseholdExport, PrivacyService } from './privacy.service.ts';
import { ANONYMOUS_HOUSEHOLD_NAME } from './privacy.domain.ts';
import { refusalText } from './privacy.outcomes.ts';

export type AnonymisationPreview = Awaited<ReturnType<PrivacyService['anonymisationPreview']>>;

const yesNo = (v: boolean) => (v ? 'Oui' : 'Non');
const day = (d: string | null) => (d ? formatDateLong(`${d}T12:00:00Z`) : '—');
const when = (d: string | null) => (d ? formatDateTime(d) : '—');

/** One exported value as a person reads it: dates with the weekday, booleans as Oui/Non, phone numbers spaced, nothing as « — ». */
function cell(v: ExportValue, field = '') {
  if (v === null || v === '') return '—';
  if (typeof v === 'string' && /phone/.test(field)) return formatPhone(v);
  if (typeof v === 'boolean') return yesNo(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return when(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return day(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}$/.test(v)) return monthLabel(v);
  return String(v);
}

function Section(props: { section: ExportedSection }) {
  const s = props.section;
  const fields = Object.entries(s.fields);
  const id = `section-${s.key}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{s.title}</h2>
      {s.single ? (
        s.rows[0] ? <SummaryList rows={fields.map(([k, label]) => ({ key: label, value: cell(s.rows[0][k] ?? null, k) }))} /> : <p class="empty">{s.empty}</p>
      ) : (
        <Table caption={s.title} captionHidden rows={s.rows} empty={s.empty} columns={fields.map(([k, label]) => ({ header: label, cell: (r: ExportRow) => cell(r[k] ?? null, k) }))} />
      )}
    </section>
  );
}

/** « Mes données » : what the portal holds about the household, module by module, with the JSON download. */
export function FamilyDataPage(props: { ctx: PageCtx; data: HouseholdExport }) {
  const { ctx, data } = props;
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
      <p class="hint">Le fichier JSON contient les mêmes informations que cette page, dans un format que d'autres services peuvent relire. Votre mot de passe n'est jamais conservé en clair : la mairie ne peut pas le lire.</p>
      {data.sections.map((s) => (
        <Section section={s} />
      ))}
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
          {p.toAnonymise} {p.toAnonymise > 1 ? 'personnes' : 'personne'} du foyer : noms remplacés par « Anonyme », date de naissance réduite à l'année, courriel et téléphone effacés.
        </li>
        {p.kept > 0 && (
          <li>
            {p.kept > 1 ? `${p.kept} personnes rattachées aussi à un autre foyer (par exemple un enfant de parents séparés) : conservées sans changement.` : '1 personne rattachée aussi à un autre foyer (par exemple un enfant de parents séparés) : conservée sans changement.'}
          </li>
        )}
        <li>Les comptes de connexion des responsables anonymisés sont désactivés : ils ne peuvent plus se connecter.</li>
        <li>Fiches sanitaires effacées, personnes autorisées supprimées, adresse du foyer effacée, nom du foyer : « {ANONYMOUS_HOUSEHOLD_NAME} ».</li>
        <li>Le texte des demandes, de leurs messages et des messages du portail est effacé ; l'abonnement au calendrier et les courriels du foyer sont supprimés.</li>
        <li>Les inscriptions et les réservations restent, sans nom, pour la facturation et les statistiques.</li>
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
          <p>{refusalText(p.decision)}</p>
        </NotificationBanner>
      )}
    </Layout>
  );
}
