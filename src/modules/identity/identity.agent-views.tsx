import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import {
  Button,
  Choices,
  ErrorSummary,
  Pagination,
  PostForm,
  SummaryList,
  Table,
  Tag,
  TextField,
  type FieldErrors,
  type FormValues,
} from '../../platform/ui/components.tsx';
import { AGENT_ROLES, ROLE_LABELS, parseRoles } from '../../platform/http/auth-types.ts';
import { formatDateLong, formatDateTime } from '../../platform/format.ts';
import { STATUS_LABELS } from './identity.domain.ts';

const statusTag = (status: string) => (
  <Tag tone={status === 'active' ? 'green' : status === 'disabled' ? 'red' : status === 'invited' ? 'blue' : 'orange'}>{STATUS_LABELS[status] ?? status}</Tag>
);

interface InvitationRow {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  status: string;
  expires_at: string | null;
  channel: string | null;
}

export function InvitationsPage(props: { ctx: PageCtx; rows: InvitationRow[]; page: number; total: number; now: Date; errors?: FieldErrors; values?: FormValues }) {
  const { ctx, errors = {}, values = {} } = props;
  return (
    <Layout ctx={ctx} title="Invitations des familles" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Invitations des familles</h1>
      <p>Créez le compte d'un responsable légal : il reçoit un code d'activation par courriel, ou vous imprimez une lettre s'il n'a pas d'adresse électronique.</p>
      <h2>Inviter un responsable</h2>
      <PostForm action="/agent/invitations" csrf={ctx.csrf}>
        <TextField name="first_name" label="Prénom" autocomplete="off" width="medium" errors={errors} values={values} />
        <TextField name="last_name" label="Nom" autocomplete="off" width="medium" errors={errors} values={values} />
        <TextField name="email" label="Adresse électronique (facultatif)" hint="Sans adresse, une lettre avec le code sera à imprimer." type="email" autocomplete="off" spellcheck={false} errors={errors} values={values} />
        <Button>Créer le compte et envoyer le code</Button>
      </PostForm>
      <h2>Comptes en attente</h2>
      <Table
        caption={`Comptes pas encore activés ou à rattacher (${props.total})`}
        rows={props.rows}
        empty="Aucun compte en attente."
        columns={[
          { header: 'Responsable', cell: (r) => <a href={`/agent/invitations/${r.id}`}>{`${r.first_name} ${r.last_name}`}</a> },
          { header: 'Adresse électronique', cell: (r) => r.email ?? 'Aucune (courrier)' },
          { header: 'État', cell: (r) => statusTag(r.status) },
          {
            header: 'Code',
            cell: (r) =>
              r.status !== 'invited' ? '—' : !r.expires_at ? 'Aucun code' : Date.parse(r.expires_at) <= props.now.getTime() ? <Tag tone="red">Expiré</Tag> : `Valable jusqu'au ${formatDateLong(r.expires_at)}`,
          },
        ]}
      />
      <Pagination page={props.page} pageSize={50} total={props.total} href={(p) => `/agent/invitations?page=${p}`} />
    </Layout>
  );
}

export function InvitationPage(props: {
  ctx: PageCtx;
  user: { id: string; first_name: string; last_name: string; email: string | null; status: string; created_at: string };
}) {
  const { ctx, user } = props;
  const name = `${user.first_name} ${user.last_name}`;
  return (
    <Layout ctx={ctx} title={`Compte de ${name}`}>
      <p>
        <a href="/agent/invitations">Retour aux invitations</a>
      </p>
      <h1>Compte de {name}</h1>
      <SummaryList
        rows={[
          { key: 'Adresse électronique', value: user.email ?? 'Aucune : le code est remis par courrier' },
          { key: 'État', value: statusTag(user.status) },
          { key: 'Créé le', value: formatDateTime(user.created_at) },
        ]}
      />
      {user.status === 'invited' && user.email && (
        <PostForm action={`/agent/invitations/${user.id}/renvoyer`} csrf={ctx.csrf}>
          <p>Le responsable n'a pas reçu son code, ou il a expiré ? Un nouveau code remplace l'ancien.</p>
          <Button variant="secondary">Envoyer un nouveau code par courriel</Button>
        </PostForm>
      )}
      {user.status === 'invited' && !user.email && (
        <PostForm action={`/agent/invitations/${user.id}/lettre`} csrf={ctx.csrf}>
          <p>La lettre contient un nouveau code d'activation, qui remplace les codes imprimés avant.</p>
          <Button>Imprimer la lettre d'activation (PDF)</Button>
        </PostForm>
      )}
      {user.status === 'invited' && (
        <PostForm action={`/agent/invitations/${user.id}/code-guichet`} csrf={ctx.csrf}>
          <h2>Remettre un code au guichet</h2>
          <p>
            La personne est devant vous ? Le portail affiche une seule fois un nouveau code, qui remplace les précédents. Il n'est conservé nulle part en clair, et
            votre demande est inscrite dans l'historique de la famille.
          </p>
          <Button variant="secondary">Générer un nouveau code à remettre</Button>
        </PostForm>
      )}
      {(user.status === 'active' || user.status === 'pending_link') && user.email && (
        <PostForm action={`/agent/invitations/${user.id}/reinitialiser`} csrf={ctx.csrf}>
          <h2>Mot de passe oublié</h2>
          <p>Un lien pour choisir un nouveau mot de passe part à l'adresse du compte, {user.email}. Vous ne le voyez pas : seul le titulaire le reçoit.</p>
          <Button variant="secondary">Envoyer un lien de réinitialisation</Button>
        </PostForm>
      )}
    </Layout>
  );
}

interface AgentRow {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  roles: string;
  status: string;
  last_login_at: string | null;
}

const roleOptions = AGENT_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function AgentsPage(props: { ctx: PageCtx; agents: AgentRow[]; errors?: FieldErrors; values?: FormValues; selectedRoles?: string[] }) {
  const { ctx, errors = {}, values = {} } = props;
  return (
    <Layout ctx={ctx} title="Agents" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Agents</h1>
      <Table
        caption="Comptes des agents"
        rows={props.agents}
        columns={[
          { header: 'Agent', cell: (a) => <a href={`/agent/agents/${a.id}`}>{`${a.first_name} ${a.last_name}`}</a> },
          { header: 'Adresse électronique', cell: (a) => a.email },
          { header: 'Rôles', cell: (a) => parseRoles(a.roles).map((r) => ROLE_LABELS[r]).join(', ') },
          { header: 'État', cell: (a) => statusTag(a.status) },
          { header: 'Dernière connexion', cell: (a) => (a.last_login_at ? formatDateTime(a.last_login_at) : 'Jamais') },
        ]}
      />
      <h2>Ajouter un agent</h2>
      <PostForm action="/agent/agents" csrf={ctx.csrf}>
        <TextField name="first_name" label="Prénom" autocomplete="off" width="medium" errors={errors} values={values} />
        <TextField name="last_name" label="Nom" autocomplete="off" width="medium" errors={errors} values={values} />
        <TextField name="email" label="Adresse électronique professionnelle" hint="L'agent y recevra son code d'activation." type="email" autocomplete="off" spellcheck={false} errors={errors} values={values} />
        <Choices type="checkbox" name="roles" label="Rôles" hint="Un agent peut avoir plusieurs rôles." options={roleOptions} selected={props.selectedRoles} errors={errors} />
        <Button>Ajouter l'agent</Button>
      </PostForm>
    </Layout>
  );
}

export function AgentPage(props: { ctx: PageCtx; agent: AgentRow; errors?: FieldErrors }) {
  const { ctx, agent, errors = {} } = props;
  const name = `${agent.first_name} ${agent.last_name}`;
  return (
    <Layout ctx={ctx} title={`Agent ${name}`} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <p>
        <a href="/agent/agents">Retour aux agents</a>
      </p>
      <h1>{name}</h1>
      <SummaryList
        rows={[
          { key: 'Adresse électronique', value: agent.email },
          { key: 'État', value: statusTag(agent.status) },
        ]}
      />
      <PostForm action={`/agent/agents/${agent.id}`} csrf={ctx.csrf}>
        <Choices type="checkbox" name="roles" label="Rôles" options={roleOptions} selected={parseRoles(agent.roles)} errors={errors} />
        <Choices
          type="checkbox"
          name="disabled"
          label="Accès"
          options={[{ value: '1', label: 'Désactiver l\'accès de cet agent', hint: 'Il est déconnecté immédiatement et ne peut plus se connecter.' }]}
          selected={agent.status === 'disabled' ? ['1'] : []}
        />
        <Button>Enregistrer</Button>
      </PostForm>
    </Layout>
  );
}

/** The code handed at the counter: shown on this answer only (the page is never cached). */
export function CounterCodePage(props: { ctx: PageCtx; userId: string; code: string; expiresAt: Date; user: { firstName: string; lastName: string }; activationUrl: string }) {
  const { ctx, user } = props;
  const name = `${user.firstName} ${user.lastName}`;
  return (
    <Layout ctx={ctx} title={`Code d'activation de ${name}`}>
      <h1>Code d'activation de {name}</h1>
      <div class="panel">
        <p class="lead">
          Code à remettre : <strong class="activation-code">{props.code}</strong>
        </p>
        <p>
          À saisir sur {props.activationUrl}, une seule fois, jusqu'au {formatDateLong(props.expiresAt)}.
        </p>
      </div>
      <p>Ce code n'est affiché qu'ici et maintenant : notez-le pour la personne ou laissez-la le recopier. Les codes envoyés ou imprimés avant ne fonctionnent plus.</p>
      <p>
        <a href={`/agent/invitations/${props.userId}`}>Retour au compte</a>
      </p>
    </Layout>
  );
}
