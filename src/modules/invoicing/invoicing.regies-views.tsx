import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ErrorSummary, PostForm, Select, Table, Tag, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { nextMonth, previousMonth } from './invoicing.domain.ts';
import { REGIE_NAME_MAX } from './invoicing.regies-service.ts';

export const REGIES_URL = '/agent/regie/regies';
export const regieUrl = (id: string) => `${REGIES_URL}/${id}`;
export const serviceRegieUrl = (id: string) => `/agent/regie/services/${id}`;

interface Regie {
  id: string;
  name: string;
}

const nameOf = (regies: readonly Regie[], id: string) => regies.find((r) => r.id === id)?.name ?? '—';

/** The months a move can start from: a year back (refused if already billed) to a year ahead. */
export function moveMonths(current: string): string[] {
  let m = current;
  for (let i = 0; i < 12; i++) m = previousMonth(m);
  const months: string[] = [];
  for (let i = 0; i < 25; i++, m = nextMonth(m)) months.push(m);
  return months;
}

/** « Déjà calculé ou émis jusqu'à novembre 2026 : Régie enfance et restauration. » The month a move can start after. */
function startedHint(regies: readonly Regie[], lastStarted: readonly { regie_id: string; month: string }[]) {
  if (lastStarted.length === 0) return undefined;
  const parts = lastStarted.map((s) => `${monthLabel(s.month)} pour « ${nameOf(regies, s.regie_id)} »`);
  return `Dernier mois déjà calculé ou émis : ${parts.join(', ')}. Le changement commence après ce mois pour la régie actuelle du service et pour la nouvelle.`;
}

export function RegiesPage(props: {
  ctx: PageCtx;
  month: string;
  canEdit: boolean;
  regies: (Regie & { services: number })[];
  services: { id: string; name: string; active: boolean; regieId: string; planned: { from_month: string; regie_id: string }[] }[];
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const title = 'Régies et services facturés';
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={!!props.errors} wide>
      <p>
        <a href="/agent/regie">Retour à la facturation</a>
      </p>
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{title}</h1>
      <p>Chaque service est facturé par une régie. Une commune peut en avoir plusieurs : restauration scolaire, centre de loisirs…</p>
      <Table
        caption="Régies"
        rows={props.regies}
        columns={[
          { header: 'Régie', cell: (r) => r.name },
          { header: `Services en ${monthLabel(props.month)}`, cell: (r) => r.services, numeric: true },
          ...(props.canEdit
            ? [{ header: 'Action', cell: (r: Regie) => <a href={regieUrl(r.id)}>Renommer<span class="visually-hidden"> {r.name}</span></a> }]
            : []),
        ]}
      />
      {props.canEdit && (
        <PostForm action={REGIES_URL} csrf={props.ctx.csrf}>
          <TextField name="nom" label="Nom de la nouvelle régie" hint="Par exemple : Régie du centre de loisirs" values={props.values} errors={props.errors} />
          <Button variant="secondary">Créer la régie</Button>
        </PostForm>
      )}
      <h2>Services</h2>
      <Table
        caption="Régie de chaque service"
        captionHidden
        rows={props.services}
        columns={[
          { header: 'Service', cell: (s) => (s.active ? s.name : <>{s.name} <Tag tone="grey">Fermé</Tag></>) },
          { header: `Régie en ${monthLabel(props.month)}`, cell: (s) => nameOf(props.regies, s.regieId) },
          { header: 'Changement prévu', cell: (s) => (s.planned.length === 0 ? '—' : s.planned.map((p) => `À partir de ${monthLabel(p.from_month)} : ${nameOf(props.regies, p.regie_id)}`).join(' ; ')) },
          ...(props.canEdit
            ? [{ header: 'Action', cell: (s: { id: string; name: string }) => <a href={serviceRegieUrl(s.id)}>Changer de régie<span class="visually-hidden"> – {s.name}</span></a> }]
            : []),
        ]}
      />
      {!props.canEdit && <p class="hint">Seul un administrateur crée les régies et change la régie d'un service.</p>}
    </Layout>
  );
}

export function RenameRegiePage(props: { ctx: PageCtx; regie: Regie; errors?: FieldErrors; values?: FormValues }) {
  const title = `Renommer la régie « ${props.regie.name} »`;
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={!!props.errors}>
      <p>
        <a href={REGIES_URL}>Retour aux régies</a>
      </p>
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{title}</h1>
      <PostForm action={`${regieUrl(props.regie.id)}/nom`} csrf={props.ctx.csrf}>
        <TextField name="nom" label="Nouveau nom" hint={`${REGIE_NAME_MAX} caractères au maximum. Les factures déjà émises gardent leur régie.`} values={props.values ?? { nom: props.regie.name }} errors={props.errors} />
        <Button>Enregistrer le nom</Button>
      </PostForm>
    </Layout>
  );
}

export function ServiceRegiePage(props: {
  ctx: PageCtx;
  month: string;
  service: { id: string; name: string };
  base: string;
  assignments: { from_month: string; regie_id: string }[];
  current: string;
  regies: Regie[];
  /** The last month each régie has drafted or issued. */
  lastStarted: { regie_id: string; month: string }[];
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const title = `Régie du service « ${props.service.name} »`;
  const history = [{ label: 'Depuis sa création', regie: props.base }, ...props.assignments.map((a) => ({ label: `À partir de ${monthLabel(a.from_month)}`, regie: a.regie_id }))];
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={!!props.errors}>
      <p>
        <a href={REGIES_URL}>Retour aux régies</a>
      </p>
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{title}</h1>
      <h2>Régies successives</h2>
      <ul class="list">
        {history.map((h) => (
          <li>
            {h.label} : {nameOf(props.regies, h.regie)}
          </li>
        ))}
      </ul>
      <h2>Changer de régie</h2>
      <p>
        Le changement vaut pour le mois choisi et les suivants. Il n'est possible qu'à partir d'un mois qu'aucune des régies concernées n'a encore calculé ni émis : ainsi aucun mois n'est
        facturé deux fois ni oublié.
      </p>
      <PostForm action={serviceRegieUrl(props.service.id)} csrf={props.ctx.csrf}>
        <Select name="regie" label="Nouvelle régie" options={props.regies.map((r) => ({ value: r.id, label: r.name }))} values={props.values ?? { regie: props.current }} errors={props.errors} />
        <Select name="mois" label="À partir de" hint={startedHint(props.regies, props.lastStarted)} options={moveMonths(props.month).map((m) => ({ value: m, label: monthLabel(m) }))} values={props.values ?? { mois: props.month }} errors={props.errors} />
        <Button>Changer de régie</Button>
      </PostForm>
    </Layout>
  );
}
