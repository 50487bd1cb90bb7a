import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Pagination, PostForm, SummaryList, Table, Tag } from '../../platform/ui/components.tsx';
import { formatDateTime } from '../../platform/format.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import type { KitchenDay } from '../attendance/attendance.domain.ts';

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

/** « 0 demande », « 1 demande », « 3 demandes » (French singular up to one), never « demande(s) ». */
const count = (n: number, one: string, many: string) => `${n} ${n <= 1 ? one : many}`;

interface GroupOfDay {
  id: string;
  name: string;
  facility_name: string;
  expected: number;
  present: number;
  absent: number;
}

interface KitchenFacility {
  id: string;
  name: string;
  days: KitchenDay[];
}

function KitchenDaySummary(props: { d: KitchenDay }) {
  const { d } = props;
  return (
    <>
      <p>
        <strong>{count(d.total, 'repas', 'repas')}</strong> : {d.byDiet.map((x) => `${x.label.toLowerCase()} ${x.meals}`).join(', ')}
      </p>
      {(d.pai > 0 || d.avoid.length > 0) && (
        <ul>
          {d.avoid.map((a) => (
            <li>
              {`Sans ${a.what.charAt(0).toLocaleLowerCase('fr')}${a.what.slice(1)} : ${count(a.children, 'enfant', 'enfants')}`}
            </li>
          ))}
          {d.pai > 0 && <li>{count(d.pai, 'enfant avec un PAI : suivre son protocole', 'enfants avec un PAI : suivre leur protocole')}</li>}
        </ul>
      )}
    </>
  );
}

export function DashboardPage(props: {
  ctx: PageCtx;
  today: string;
  guardians: Partial<Record<'invited' | 'pending_link', number>> | null;
  pendingChanges: number | null;
  enrolments: number | null;
  failedMails: number | null;
  groups: GroupOfDay[] | null;
  kitchen: KitchenFacility[] | null;
  regie: boolean;
}) {
  const { ctx, guardians, pendingChanges, enrolments, failedMails, groups, kitchen, today } = props;
  const hasQueues = enrolments !== null || pendingChanges !== null || guardians !== null || failedMails !== null;
  return (
    <Layout ctx={ctx} title="Tableau de bord">
      <h1>Bonjour {ctx.user?.name}</h1>
      {groups && (
        <section aria-labelledby="dash-groups">
          <h2 id="dash-groups">Pointage d'aujourd'hui, {dayLabel(today)}</h2>
          {groups.length === 0 ? (
            <p>Vous n'êtes affecté à aucun groupe. Demandez à la coordination de vous y affecter.</p>
          ) : (
            <ul class="cards">
              {groups.map((g) => (
                <li class="card" data-group={g.id}>
                  <p>
                    <a href={`/agent/pointage/${g.id}?jour=${today}`}>
                      {g.facility_name} – {g.name}
                    </a>
                  </p>
                  <p>
                    {g.expected === 0
                      ? 'Aucun enfant attendu aujourd\'hui.'
                      : `${count(g.expected, 'enfant attendu', 'enfants attendus')} : ${count(g.present, 'présent', 'présents')}, ${count(g.absent, 'absent', 'absents')}, ${g.expected - g.present - g.absent} à pointer.`}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {kitchen && (
        <section aria-labelledby="dash-kitchen">
          <h2 id="dash-kitchen">Repas à préparer</h2>
          {kitchen.map((f) => {
            const todayCounts = f.days.find((d) => d.day === today);
            const later = f.days.filter((d) => d.day !== today);
            return (
              <section aria-labelledby={`k-${f.id}`} class="dash-kitchen">
                <h3 id={`k-${f.id}`}>{f.name}</h3>
                <h4>Aujourd'hui, {dayLabel(today)}</h4>
                {todayCounts ? <KitchenDaySummary d={todayCounts} /> : <p>Aucun repas réservé aujourd'hui.</p>}
                <p>
                  <a href={`/agent/cuisine?etablissement=${f.id}&jour=${today}`}>
                    Détail par unité et feuille à imprimer<span class="visually-hidden"> : {f.name}</span>
                  </a>
                </p>
                {later.length > 0 && (
                  <>
                    <h4>Les jours suivants</h4>
                    <ul class="dash-kitchen__days">
                      {later.map((d) => (
                        <li>
                          <strong>{dayLabel(d.day)}</strong>
                          <KitchenDaySummary d={d} />
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </section>
            );
          })}
          {kitchen.length === 0 && <p>Aucun établissement n'est encore déclaré.</p>}
        </section>
      )}
      {hasQueues && (
        <section aria-labelledby="dash-queues">
          <h2 id="dash-queues">À traiter</h2>
          <ul class="cards">
            {enrolments !== null && (
              <li class="card">
                <p>
                  <strong>{count(enrolments, 'demande d\'inscription', 'demandes d\'inscription')}</strong> à traiter
                </p>
                <a href="/agent/inscriptions">Traiter les inscriptions</a>
              </li>
            )}
            {pendingChanges !== null && (
              <li class="card">
                <p>
                  <strong>{count(pendingChanges, 'modification demandée', 'modifications demandées')}</strong> par les familles, à valider
                </p>
                <a href="/agent/modifications">Voir les modifications à valider</a>
              </li>
            )}
            {guardians && (
              <>
                <li class="card">
                  <p>
                    <strong>{count(guardians.pending_link ?? 0, 'compte créé en ligne', 'comptes créés en ligne')}</strong> en attente de rattachement à un foyer
                  </p>
                  <a href="/agent/invitations">Voir les comptes en attente</a> puis <a href="/agent/foyers">rattachez-les depuis la fiche du foyer</a>
                </li>
                <li class="card">
                  <p>
                    <strong>{count(guardians.invited ?? 0, 'responsable invité', 'responsables invités')}</strong> sans compte activé pour l'instant
                  </p>
                  <a href="/agent/invitations">Voir les invitations</a>
                </li>
              </>
            )}
            {failedMails !== null && (
              <li class="card">
                <p>
                  <strong>{count(failedMails, 'courriel', 'courriels')}</strong> en échec d'envoi
                </p>
                <a href="/agent/courriels">Voir les courriels</a>
              </li>
            )}
          </ul>
          {enrolments !== null && <p class="hint">Les pièces justificatives à vérifier s'ajouteront à cette liste quand leur dépôt en ligne sera ouvert.</p>}
        </section>
      )}
      {props.regie && (
        <section aria-labelledby="dash-regie">
          <h2 id="dash-regie">Régie</h2>
          <p>
            La facturation n'est pas encore ouverte dans le portail : les factures, les paiements et les impayés de chaque famille s'afficheront ici dès sa mise en
            service. En attendant, les réservations et les présences de chaque enfant, qui serviront à facturer, sont enregistrées au fil des jours.
          </p>
        </section>
      )}
      {!hasQueues && !groups && !kitchen && !props.regie && <p>Aucune liste n'est associée à votre rôle pour l'instant. Demandez à un administrateur de vérifier vos rôles.</p>}
    </Layout>
  );
}
