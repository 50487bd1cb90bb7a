import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Pagination, PostForm, SummaryList, Table, Tag } from '../../platform/ui/components.tsx';
import { formatDateTime, plural } from '../../platform/format.ts';

const MAIL_STATUS: Record<string, { label: string; tone: 'green' | 'blue' | 'orange' | 'red' }> = {
  sent: { label: 'Envoyé', tone: 'green' },
  kept: { label: 'Conservé (pas de serveur d\'envoi)', tone: 'blue' },
  pending: { label: 'En attente d\'envoi', tone: 'orange' },
  failed: { label: 'Échec, à renvoyer', tone: 'red' },
};

interface MailRow {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  body_purged_at: string | null;
}

const mailTag = (status: string) => <Tag tone={MAIL_STATUS[status]?.tone}>{MAIL_STATUS[status]?.label ?? status}</Tag>;

export function MailsPage(props: { ctx: PageCtx; rows: MailRow[]; total: number; page: number; delivers: boolean; retentionDays: number }) {
  return (
    <Layout ctx={props.ctx} title="Courriels envoyés" wide>
      <h1>Courriels envoyés</h1>
      {!props.delivers && (
        <p>
          Aucun serveur d'envoi n'est configuré (SMTP_URL) : les courriels sont conservés ici, sans les codes d'activation ni les liens personnels, qui ne sont jamais
          gardés en clair. Pour donner son code à une famille, ouvrez son compte dans « Invitations » et choisissez « Générer un nouveau code à remettre ».
        </p>
      )}
      <p>
        Le texte d'un courriel est effacé {props.retentionDays} jours après son envoi ; seuls restent le destinataire, l'objet et la date. Chaque lecture d'un courriel est
        inscrite dans le journal et dans l'historique de la famille concernée.
      </p>
      <Table
        caption={`Courriels (${props.total})`}
        rows={props.rows}
        empty="Aucun courriel pour le moment."
        columns={[
          { header: 'Date', cell: (m) => formatDateTime(m.created_at) },
          { header: 'Destinataire', cell: (m) => m.to_address },
          { header: 'Objet', cell: (m) => <a href={`/agent/courriels/${m.id}`}>{m.subject}</a> },
          { header: 'État', cell: (m) => mailTag(m.status) },
          { header: 'Essais', cell: (m) => String(m.attempts), numeric: true },
        ]}
      />
      <Pagination page={props.page} pageSize={50} total={props.total} href={(p) => `/agent/courriels?page=${p}`} />
    </Layout>
  );
}

export function MailPage(props: { ctx: PageCtx; mail: MailRow & { text_body: string; has_secret: number; secret_kept: unknown } }) {
  const { mail, ctx } = props;
  return (
    <Layout ctx={ctx} title={`Courriel : ${mail.subject}`}>
      <p>
        <a href="/agent/courriels">Retour aux courriels</a>
      </p>
      <h1>{mail.subject}</h1>
      <SummaryList
        rows={[
          { key: 'Destinataire', value: mail.to_address },
          { key: 'Créé le', value: formatDateTime(mail.created_at) },
          { key: 'État', value: mailTag(mail.status) },
          { key: 'Essais d\'envoi', value: String(mail.attempts) },
          ...(mail.last_error ? [{ key: 'Dernière erreur', value: mail.last_error }] : []),
        ]}
      />
      <h2>Message</h2>
      {mail.body_purged_at ? (
        <p>Le texte de ce courriel a été effacé le {formatDateTime(mail.body_purged_at)}, après le délai de conservation.</p>
      ) : (
        <pre class="panel mail-body">{mail.text_body}</pre>
      )}
      {mail.status !== 'pending' && !mail.body_purged_at && (mail.has_secret === 0 || mail.secret_kept) && (
        <PostForm action={`/agent/courriels/${mail.id}/renvoyer`} csrf={ctx.csrf}>
          <Button variant="secondary">Renvoyer ce courriel</Button>
        </PostForm>
      )}
    </Layout>
  );
}

interface AuditRow {
  id: string;
  at: string;
  actor_label: string;
  action: string;
  target_type: string;
  summary: string;
  on_behalf_of_household_id: string | null;
}

export function AuditPage(props: { ctx: PageCtx; rows: AuditRow[]; total: number; page: number }) {
  return (
    <Layout ctx={props.ctx} title="Journal des actions" wide>
      <h1>Journal des actions</h1>
      <p>Chaque action qui modifie un compte ou les données d'une famille est enregistrée ici, avec son auteur.</p>
      <Table
        caption={`Actions enregistrées (${props.total})`}
        rows={props.rows}
        empty="Aucune action enregistrée."
        columns={[
          { header: 'Date', cell: (r) => formatDateTime(r.at) },
          { header: 'Auteur', cell: (r) => r.actor_label + (r.on_behalf_of_household_id ? ' (mode accueil)' : '') },
          { header: 'Action', cell: (r) => r.summary },
          { header: 'Code', cell: (r) => <code>{r.action}</code> },
        ]}
      />
      <Pagination page={props.page} pageSize={50} total={props.total} href={(p) => `/agent/journal?page=${p}`} />
    </Layout>
  );
}

export function DashboardPage(props: { ctx: PageCtx; guardians: Partial<Record<'invited' | 'pending_link', number>> | null; pendingChanges: number | null; enrolments: number | null; failedMails: number | null }) {
  const { ctx, guardians, pendingChanges, enrolments, failedMails } = props;
  const roles = ctx.user?.roles ?? [];
  return (
    <Layout ctx={ctx} title="Tableau de bord">
      <h1>Bonjour {ctx.user?.name}</h1>
      <h2>À traiter</h2>
      <ul class="cards">
        {enrolments !== null && (
          <li class="card">
            <p>
              <strong>{plural(enrolments, 'demande', 'demandes')}</strong> d'inscription à traiter
            </p>
            <a href="/agent/inscriptions">Traiter les inscriptions</a>
          </li>
        )}
        {pendingChanges !== null && (
          <li class="card">
            <p>
              <strong>{plural(pendingChanges, 'modification demandée', 'modifications demandées')}</strong> par les familles à valider
            </p>
            <a href="/agent/modifications">Voir les modifications à valider</a>
          </li>
        )}
        {guardians && (
          <>
            <li class="card">
              <p>
                <strong>{plural(guardians.pending_link ?? 0, 'compte créé', 'comptes créés')}</strong> en ligne en attente de rattachement à un foyer
              </p>
              <a href="/agent/invitations">Voir les comptes en attente</a> puis <a href="/agent/foyers">rattachez-les depuis la fiche du foyer</a>
            </li>
            <li class="card">
              <p>
                <strong>{plural(guardians.invited ?? 0, 'responsable invité', 'responsables invités')}</strong> {(guardians.invited ?? 0) > 1 ? "qui n'ont pas encore activé leur compte" : "qui n'a pas encore activé son compte"}
              </p>
              <a href="/agent/invitations">Voir les invitations</a>
            </li>
          </>
        )}
        {failedMails !== null && (
          <li class="card">
            <p>
              <strong>{plural(failedMails, 'courriel', 'courriels')}</strong> en échec d'envoi
            </p>
            <a href="/agent/courriels">Voir les courriels</a>
          </li>
        )}
      </ul>
      {roles.length > 0 && !guardians && failedMails === null && <p>Les listes de votre service apparaîtront ici.</p>}
    </Layout>
  );
}
