import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, CsrfField, ErrorSummary, FileField, NotificationBanner, PostForm, SummaryList, Table, Tag, type FieldErrors } from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime, plural } from '../../platform/format.ts';
import { COLUMNS, type ImportPlan, type PlannedLine } from './imports.domain.ts';
import { RECIPIENT_STATE_LABELS, type CampaignCounts, type RecipientState } from './campaigns.domain.ts';
import type { ImportSummary } from './imports.service.ts';
import type { CampaignRecipient } from './imports.repository.ts';

interface RecentImport {
  id: string;
  created_at: string;
  filename: string;
  status: 'dry_run' | 'imported';
  summary: Partial<ImportSummary>;
  imported_at: string | null;
}

export function ImportPage(props: { ctx: PageCtx; recent: RecentImport[]; errors?: FieldErrors }) {
  const errors = props.errors ?? {};
  const error = errors.fichier;
  return (
    <Layout ctx={props.ctx} title="Importer des familles" hasErrors={!!error}>
      <ErrorSummary errors={errors} />
      <h1>Importer des familles</h1>
      <p>
        Déposez un fichier CSV avec une ligne par personne (responsables et enfants). Un premier passage montre, ligne par ligne, ce qui sera créé, ce qui est déjà
        présent et ce qui est rejeté, sans rien enregistrer. Vous confirmez ensuite l'import. Importer deux fois le même fichier ne crée rien de nouveau.
      </p>
      <p>
        <a href="/agent/import/exemple.csv" download>
          Télécharger un fichier d'exemple (CSV)
        </a>
        {' · '}
        <a href="/agent/campagnes">Campagnes d'activation des comptes</a>
      </p>
      {/* The CSRF field comes first: multipart fields are read in order, before the file. */}
      <form method="post" action="/agent/import" enctype="multipart/form-data" novalidate>
        <CsrfField token={props.ctx.csrf} />
        <FileField name="fichier" label="Fichier CSV" hint="UTF-8 ou Windows-1252 (enregistrement « CSV » d'Excel), séparateur point-virgule ou virgule, 2 Mo au maximum." accept=".csv,text/csv" errors={errors} />
        <Button>Vérifier le fichier</Button>
      </form>

      <h2>Colonnes du fichier</h2>
      <p>
        La première ligne donne les noms des colonnes (accents et majuscules indifférents). L'adresse du foyer est lue sur sa première ligne. Le fichier ne contient
        jamais de données de santé : toute autre colonne est ignorée.
      </p>
      <Table
        caption="Colonnes reconnues"
        rows={[...COLUMNS]}
        columns={[
          { header: 'Colonne', cell: (c) => <code>{c.name}</code> },
          { header: 'Obligatoire', cell: (c) => (c.required ? 'Oui' : 'Non') },
          { header: 'Contenu', cell: (c) => c.doc },
        ]}
      />

      <h2>Derniers fichiers</h2>
      <Table
        caption="Fichiers déposés récemment"
        captionHidden
        rows={props.recent}
        empty="Aucun fichier déposé."
        columns={[
          { header: 'Déposé le', cell: (r) => formatDateTime(r.created_at) },
          { header: 'Fichier', cell: (r) => <a href={`/agent/import/${r.id}`}>{r.filename}</a> },
          { header: 'État', cell: (r) => (r.status === 'imported' ? <Tag tone="green">Importé</Tag> : <Tag>Vérifié, non importé</Tag>) },
          { header: 'Lignes', numeric: true, cell: (r) => r.summary.lines ?? '' },
        ]}
      />
    </Layout>
  );
}

const OUTCOME: Record<PlannedLine['outcome'], { label: string; tone: 'green' | 'grey' | 'red' }> = {
  create: { label: 'Sera créé', tone: 'green' },
  present: { label: 'Déjà présent', tone: 'grey' },
  rejected: { label: 'Rejeté', tone: 'red' },
};

export function DryRunPage(props: { ctx: PageCtx; row: { id: string; filename: string; encoding: string; status: string; created_at: string; imported_at: string | null }; summary: ImportSummary; plan: ImportPlan | null; error: string | null }) {
  const { row, plan, summary } = props;
  if (row.status === 'imported') {
    return (
      <Layout ctx={props.ctx} title={`Import de ${row.filename}`}>
        <p>
          <a href="/agent/import">Retour aux imports</a>
        </p>
        <h1>Import de {row.filename}</h1>
        <SummaryList
          rows={[
            { key: 'Importé le', value: row.imported_at ? formatDateTime(row.imported_at) : '' },
            { key: 'Foyers créés', value: String(summary.householdsCreated ?? 0) },
            { key: 'Personnes créées', value: String(summary.personsCreated ?? 0) },
            { key: 'Lignes déjà présentes', value: String(summary.present ?? 0) },
          ]}
        />
        <p>Le contenu du fichier n'est plus conservé. Pour ouvrir les comptes des familles, lancez une campagne d'activation.</p>
        <p>
          <a href="/agent/campagnes" class="btn btn--primary">
            Campagnes d'activation
          </a>
        </p>
      </Layout>
    );
  }
  const counts = plan?.counts;
  return (
    <Layout ctx={props.ctx} title={`Vérification de ${row.filename}`} wide>
      <p>
        <a href="/agent/import">Déposer un autre fichier</a>
      </p>
      <h1>Vérification de {row.filename}</h1>
      {props.error && (
        <NotificationBanner kind="warning" title="Fichier illisible">
          <p>{props.error}</p>
        </NotificationBanner>
      )}
      {plan && counts && (
        <>
          <SummaryList
            rows={[
              { key: 'Lignes lues', value: String(counts.lines) },
              { key: 'À créer', value: String(counts.create) },
              { key: 'Déjà présentes', value: String(counts.present) },
              { key: 'Rejetées', value: String(counts.rejected) },
              { key: 'Foyers nouveaux', value: String(counts.newHouseholds) },
              { key: 'Foyers déjà connus', value: String(counts.matchedHouseholds) },
              { key: 'Encodage, séparateur', value: `${row.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252'}, « ${plan.delimiter} »` },
            ]}
          />
          {plan.ignoredColumns.length > 0 && (
            <NotificationBanner>
              <p>Colonnes ignorées : {plan.ignoredColumns.join(', ')}.</p>
            </NotificationBanner>
          )}
          {counts.rejected > 0 ? (
            <NotificationBanner kind="warning" title="Rien ne sera importé">
              <p>
                {plural(counts.rejected, 'ligne rejetée', 'lignes rejetées')}. Corrigez-les dans le fichier, puis déposez-le à nouveau : l'import se fait en entier ou pas du tout.
              </p>
              <ul>
                {plan.lines
                  .filter((l) => l.outcome === 'rejected')
                  .slice(0, 20)
                  .map((l) => (
                    <li>
                      Ligne {l.line} : {l.errors.join(' ; ')}
                    </li>
                  ))}
              </ul>
            </NotificationBanner>
          ) : counts.create === 0 ? (
            <NotificationBanner title="Rien de nouveau">
              <p>Toutes les personnes de ce fichier sont déjà présentes : l'import ne créerait rien.</p>
            </NotificationBanner>
          ) : (
            <PostForm action={`/agent/import/${row.id}/confirmer`} csrf={props.ctx.csrf}>
              <p>
                {plural(counts.create, 'personne', 'personnes')} et {plural(counts.newHouseholds, 'foyer', 'foyers')} {counts.create + counts.newHouseholds > 1 ? 'seront créés' : 'sera créé'}. Les foyers déjà connus ne sont pas modifiés, seules les personnes nouvelles y
                sont ajoutées.
              </p>
              <Button>Importer pour de bon</Button>
            </PostForm>
          )}
          <Table
            caption={`Détail ligne par ligne (${counts.lines} lignes)`}
            rows={plan.lines}
            columns={[
              { header: 'Ligne', numeric: true, cell: (l) => l.line },
              { header: 'Foyer', cell: (l) => l.ref },
              { header: 'Type', cell: (l) => l.type ?? '' },
              { header: 'Personne', cell: (l) => `${l.firstName} ${l.lastName}`.trim() },
              { header: 'Résultat', cell: (l) => <Tag tone={OUTCOME[l.outcome].tone}>{l.outcome === 'create' && l.newHousehold && l.type === 'responsable' ? 'Sera créé (nouveau foyer)' : OUTCOME[l.outcome].label}</Tag> },
              { header: 'Motif', cell: (l) => l.errors.join(' ; ') },
            ]}
          />
        </>
      )}
    </Layout>
  );
}

// Campaigns

export function CampaignsPage(props: { ctx: PageCtx; campaigns: { id: string; created_at: string; recipients: number }[]; waiting: number; waitingWithEmail: number }) {
  return (
    <Layout ctx={props.ctx} title="Campagnes d'activation">
      <h1>Campagnes d'activation</h1>
      <p>
        Une campagne envoie un code d'activation à chaque responsable d'un foyer actif qui n'a pas encore de compte : par courriel s'il a une adresse, sinon par une
        lettre à imprimer et à poster.
      </p>
      {props.waiting > 0 ? (
        <PostForm action="/agent/campagnes" csrf={props.ctx.csrf}>
          <p>
            {plural(props.waiting, 'responsable', 'responsables')} sans compte : {props.waitingWithEmail} par courriel, {props.waiting - props.waitingWithEmail} par lettre.
          </p>
          <Button>Lancer une campagne d'activation</Button>
        </PostForm>
      ) : (
        <p>Tous les responsables ont déjà un compte ou un code d'activation.</p>
      )}
      <Table
        caption="Campagnes lancées"
        rows={props.campaigns}
        empty="Aucune campagne lancée."
        columns={[
          { header: 'Lancée le', cell: (c) => <a href={`/agent/campagnes/${c.id}`}>{formatDateTime(c.created_at)}</a> },
          { header: 'Destinataires', numeric: true, cell: (c) => c.recipients },
        ]}
      />
    </Layout>
  );
}

const STATE_TONE: Record<RecipientState, 'green' | 'red' | 'orange' | 'blue' | 'grey'> = { active: 'green', bounced: 'red', expired: 'orange', sent: 'blue', queued: 'grey', letter: 'grey' };

export function CampaignPage(props: {
  ctx: PageCtx;
  campaign: { id: string; created_at: string; last_reminder_at: string | null; letters_printed_at: string | null };
  recipients: (CampaignRecipient & { state: RecipientState })[];
  counts: CampaignCounts;
  reminders: number;
}) {
  const { campaign, counts } = props;
  return (
    <Layout ctx={props.ctx} title={`Campagne du ${formatDateLong(campaign.created_at)}`} wide>
      <p>
        <a href="/agent/campagnes">Retour aux campagnes</a>
      </p>
      <h1>Campagne du {formatDateLong(campaign.created_at)}</h1>
      <div class="table-wrapper">
        <table class="table" id="progression">
          <caption class="table__caption">Progression</caption>
          <tbody>
            {(
              [
                ['Destinataires', counts.total],
                ['Courriels envoyés, compte pas encore activé', counts.sent],
                ['Courriels en attente d\'envoi', counts.queued],
                ['Lettres (destinataires sans courriel)', counts.letters],
                ['Comptes activés', counts.activated],
                ['Courriels en échec', counts.bounced],
                ['Codes expirés', counts.expired],
              ] as const
            ).map(([label, n]) => (
              <tr>
                <th scope="row">{label}</th>
                <td class="num" data-count={label}>
                  {n}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Relancer</h2>
      {props.reminders > 0 ? (
        <PostForm action={`/agent/campagnes/${campaign.id}/relancer`} csrf={props.ctx.csrf}>
          <p>{plural(props.reminders, 'responsable', 'responsables')} avec un code expiré ou un courriel en échec {props.reminders > 1 ? 'recevront' : 'recevra'} un nouveau code par courriel. Une adresse fausse échouera de nouveau : contactez alors la famille.</p>
          <Button variant="secondary">Relancer par courriel</Button>
        </PostForm>
      ) : (
        <p>Personne à relancer par courriel pour l'instant.</p>
      )}
      {campaign.last_reminder_at && <p>Dernière relance : {formatDateTime(campaign.last_reminder_at)}.</p>}

      <h2>Lettres à imprimer</h2>
      {counts.toPrint > 0 ? (
        <PostForm action={`/agent/campagnes/${campaign.id}/lettres`} csrf={props.ctx.csrf}>
          <p>
            {plural(counts.toPrint, 'responsable', 'responsables')} sans adresse électronique {counts.toPrint > 1 ? "n'ont pas encore activé leur compte" : "n'a pas encore activé son compte"}. Le PDF contient une lettre par personne avec un nouveau
            code : les lettres imprimées avant ne fonctionnent plus.
          </p>
          <Button variant="secondary">Télécharger les lettres (PDF)</Button>
        </PostForm>
      ) : (
        <p>Aucune lettre à imprimer.</p>
      )}
      {campaign.letters_printed_at && <p>Dernière impression : {formatDateTime(campaign.letters_printed_at)}.</p>}

      <Table
        caption="Destinataires"
        rows={props.recipients}
        columns={[
          { header: 'Responsable', cell: (r) => `${r.first_name} ${r.last_name}` },
          { header: 'Foyer', cell: (r) => <a href={`/agent/foyers/${r.household_id}`}>{r.reference}</a> },
          { header: 'Envoi', cell: (r) => (r.channel === 'email' ? `Courriel (${r.email})` : 'Lettre') },
          { header: 'Situation', cell: (r) => <Tag tone={STATE_TONE[r.state]}>{RECIPIENT_STATE_LABELS[r.state]}</Tag> },
        ]}
      />
    </Layout>
  );
}
