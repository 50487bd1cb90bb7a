import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, ErrorSummary, NotificationBanner, Pagination, PostForm, Select, SummaryList, Table, Tag, TextArea, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { dayLabel, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateTime, formatEuros, householdName, plural } from '../../platform/format.ts';
import { ANOMALY_KINDS, type AnomalyKind, type InvoiceStatus, type RunStatus } from './invoicing.domain.ts';
import { ANOMALY_LABELS, INVOICE_STATUS_LABELS, INVOICE_STATUS_TONES, RUN_STATUS_LABELS } from './invoicing.outcomes.ts';
import { InvoiceDetail, readable, type InvoiceView } from './invoicing.family-views.tsx';

const STATUS_TONES: Record<RunStatus, 'orange' | 'blue' | 'green'> = { draft: 'orange', controlled: 'blue', issued: 'green' };
export const runUrl = (id: string) => `/agent/regie/facturations/${id}`;

export interface RunRow {
  id: string;
  month: string;
  status: RunStatus;
  draft_version: number;
  invoices: number | null;
  cents: number | null;
  credited: number | null;
}

export function RegieHomePage(props: { ctx: PageCtx; regies: { id: string; name: string; runs: RunRow[] }[]; months: string[]; errors?: FieldErrors; values?: FormValues }) {
  return (
    <Layout ctx={props.ctx} title="Régie : facturation" hasErrors={!!props.errors} wide>
      <h1>Régie : facturation</h1>
      <ErrorSummary errors={props.errors ?? {}} />
      <p>Chaque mois terminé se facture par régie : calculez le brouillon, lisez le contrôle, validez-le, puis émettez les factures.</p>
      <ul class="link-list">
        <li>
          <a href="/agent/regie/caisse">Caisse du jour : les paiements reçus, par moyen de paiement, et la clôture</a>
        </li>
        <li>
          <a href="/agent/regie/regies">Régies et services facturés</a>
        </li>
      </ul>
      {props.regies.map((r) => (
        <section aria-labelledby={`regie-${r.id}`}>
          <h2 id={`regie-${r.id}`}>{r.name}</h2>
          <Table
            caption={`Facturations – ${r.name}`}
            captionHidden
            rows={r.runs}
            empty="Aucune facturation pour l'instant."
            columns={[
              { header: 'Mois', cell: (x) => <a href={runUrl(x.id)}>{monthLabel(x.month)}<span class="visually-hidden"> – {r.name}</span></a> },
              { header: 'État', cell: (x) => <Tag tone={STATUS_TONES[x.status]}>{RUN_STATUS_LABELS[x.status]}</Tag> },
              { header: 'Factures', cell: (x) => x.invoices ?? '—', numeric: true },
              { header: 'Montant', cell: (x) => (x.cents === null ? '—' : formatEuros(Number(x.cents))), numeric: true },
              { header: 'Avoirs', cell: (x) => (x.credited ? formatEuros(Number(x.credited)) : '—'), numeric: true },
            ]}
          />
          <PostForm action={`/agent/regie/${r.id}/facturations`} csrf={props.ctx.csrf}>
            <Select name={`mois-${r.id}`} label={`Mois à facturer – ${r.name}`} options={props.months.map((m) => ({ value: m, label: monthLabel(m) }))} values={props.values} errors={props.errors} />
            <Button variant="secondary">Ouvrir ce mois</Button>
          </PostForm>
        </section>
      ))}
    </Layout>
  );
}

export interface AnomalyGroup {
  kind: AnomalyKind;
  count: number;
  sample: { household_id: string | null; household_name: string | null; reference: string | null; first_name: string | null; day: string | null; amount_cents: number | null }[];
}

export interface RunPageProps {
  ctx: PageCtx;
  run: { id: string; month: string; status: RunStatus; draft_version: number; drafted_at: string | null; controlled_at: string | null; issued_at: string | null };
  regie: { name: string };
  anomalies: AnomalyGroup[];
  totals: { service_name: string; criterion_label: string; lines: number; cents: number }[];
  summary: { lines: number; cents: number; invoices: number | null };
  invoices: RunInvoices | null;
}

export interface RunInvoices {
  page: number;
  pageSize: number;
  total: number;
  sums: { cents: number; credited: number; paid: number };
  rows: { id: string; number: string; household_name: string; reference: string; total_cents: number; credited_cents: number; paid_cents: number; status: InvoiceStatus }[];
}

/** A run: where it stands, the control (anomalies), totals by service and bracket, and the next action. */
export function RunPage(props: RunPageProps) {
  const { run, regie } = props;
  const title = `Facturation de ${monthLabel(run.month)} – ${regie.name}`;
  const blocking = props.anomalies.some((a) => a.kind === 'no_tariff' && a.count > 0);
  return (
    <Layout ctx={props.ctx} title={title} wide>
      <p>
        <a href="/agent/regie">Retour à la régie</a>
      </p>
      <h1>{title}</h1>
      <p>
        <Tag tone={STATUS_TONES[run.status]}>{RUN_STATUS_LABELS[run.status]}</Tag>{' '}
        {run.issued_at ? `Émise le ${formatDateTime(run.issued_at)}.` : run.drafted_at ? `Brouillon n° ${run.draft_version} calculé le ${formatDateTime(run.drafted_at)}.` : 'Aucun brouillon calculé.'}
      </p>
      <SummaryList
        rows={[
          { key: 'Lignes', value: String(props.summary.lines) },
          { key: 'Montant total', value: formatEuros(Number(props.summary.cents)) },
          ...(props.summary.invoices !== null ? [{ key: 'Factures émises', value: String(props.summary.invoices) }] : []),
        ]}
      />
      {run.status !== 'issued' && (
        <div class="actions">
          <PostForm action={`${runUrl(run.id)}/brouillon`} csrf={props.ctx.csrf}>
            <Button variant={run.draft_version > 0 ? 'secondary' : 'primary'}>{run.draft_version > 0 ? 'Recalculer le brouillon' : 'Calculer le brouillon'}</Button>
          </PostForm>
          {run.status === 'draft' && run.draft_version > 0 && !blocking && (
            <PostForm action={`${runUrl(run.id)}/controle`} csrf={props.ctx.csrf}>
              <input type="hidden" name="version" value={String(run.draft_version)} />
              <Button>Valider le contrôle</Button>
            </PostForm>
          )}
          {run.status === 'controlled' && <ButtonLink href={`${runUrl(run.id)}/emission`} variant="primary">Émettre les factures</ButtonLink>}
        </div>
      )}
      {run.status === 'issued' && (
        <p>
          <ButtonLink href={`${runUrl(run.id)}/factures.csv`}>Exporter les factures (CSV pour Excel)</ButtonLink>
          <ButtonLink href={`${runUrl(run.id)}/pes.xml`} variant="secondary">Fichier PES V2 pour le comptable public</ButtonLink>
        </p>
      )}
      {run.status !== 'issued' && run.draft_version > 0 && <Control anomalies={props.anomalies} />}
      {props.invoices && <RunInvoicesTable runId={run.id} invoices={props.invoices} />}
      <Table
        caption="Totaux par service et par tranche"
        rows={props.totals}
        empty="Aucune ligne."
        columns={[
          { header: 'Service', cell: (t) => t.service_name },
          { header: 'Tarif appliqué', cell: (t) => t.criterion_label },
          { header: 'Jours', cell: (t) => t.lines, numeric: true },
          { header: 'Montant', cell: (t) => formatEuros(Number(t.cents)), numeric: true },
        ]}
      />
    </Layout>
  );
}

/** An issued run's invoices, a page at a time, and the total line of all of them. */
function RunInvoicesTable({ runId, invoices }: { runId: string; invoices: RunInvoices }) {
  const { sums } = invoices;
  return (
    <section aria-labelledby="factures">
      <h2 id="factures">Factures émises</h2>
      <Table
        caption={`Factures émises (${invoices.total})`}
        captionHidden
        rows={invoices.rows}
        empty="Aucune facture sur cette page."
        columns={[
          { header: 'Numéro', cell: (i) => <a href={`/agent/factures/${i.id}`}>{i.number}</a> },
          { header: 'Foyer', cell: (i) => `${householdName(i.household_name)} (${i.reference})` },
          { header: 'Montant', cell: (i) => formatEuros(i.total_cents), numeric: true },
          { header: 'Avoirs', cell: (i) => (i.credited_cents ? formatEuros(i.credited_cents) : '—'), numeric: true },
          { header: 'Payé', cell: (i) => (i.paid_cents ? formatEuros(i.paid_cents) : '—'), numeric: true },
          { header: 'État', cell: (i) => <Tag tone={INVOICE_STATUS_TONES[i.status]}>{INVOICE_STATUS_LABELS[i.status]}</Tag> },
        ]}
        foot={[`Total des ${plural(invoices.total, 'facture', 'factures')}`, '', formatEuros(sums.cents), formatEuros(sums.credited), formatEuros(sums.paid), `Reste dû : ${formatEuros(Math.max(0, sums.cents - sums.credited - sums.paid))}`]}
      />
      <Pagination page={invoices.page} pageSize={invoices.pageSize} total={invoices.total} href={(p) => `${runUrl(runId)}?page=${p}#factures`} />
    </section>
  );
}

function Control({ anomalies }: { anomalies: AnomalyGroup[] }) {
  const found = anomalies.filter((a) => a.count > 0);
  return (
    <section aria-labelledby="controle">
      <h2 id="controle">Contrôle du brouillon</h2>
      {found.length === 0 ? <NotificationBanner kind="success">Aucune anomalie.</NotificationBanner> : null}
      {ANOMALY_KINDS.map((kind) => {
        const a = anomalies.find((x) => x.kind === kind);
        if (!a || a.count === 0) return null;
        return (
          <details class="anomaly" open={kind === 'no_tariff'}>
            <summary>
              {ANOMALY_LABELS[kind].title} : {a.count}
            </summary>
            <p class="hint">{ANOMALY_LABELS[kind].hint}</p>
            <ul class="list">
              {a.sample.map((s) => (
                <li>
                  {s.household_id ? <a href={`/agent/foyers/${s.household_id}`}>{householdName(s.household_name ?? '')} ({s.reference})</a> : null}
                  {s.first_name ? ` — ${s.first_name}` : ''}
                  {s.day ? ` — ${dayLabel(s.day)}` : ''}
                  {s.amount_cents !== null ? ` — ${formatEuros(Number(s.amount_cents))}` : ''}
                </li>
              ))}
            </ul>
            {a.count > a.sample.length ? <p class="hint">Et {plural(a.count - a.sample.length, 'autre', 'autres')}.</p> : null}
          </details>
        );
      })}
    </section>
  );
}

/** The confirmation before issuing (financial, final: RGAA 11.12). */
export function IssueConfirmPage(props: { ctx: PageCtx; run: { id: string; month: string }; regie: { name: string }; summary: { lines: number; cents: number; households: number } }) {
  const title = `Émettre la facturation de ${monthLabel(props.run.month)} – ${props.regie.name}`;
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <p>
        {plural(props.summary.households, 'facture', 'factures')} pour {formatEuros(Number(props.summary.cents))} ({plural(props.summary.lines, 'jour facturé', 'jours facturés')}). Chaque foyer la reçoit par courriel.
      </p>
      <NotificationBanner kind="warning">Une facture émise ne change plus et ses jours ne peuvent plus être modifiés. Une erreur se corrige ensuite par un avoir.</NotificationBanner>
      <PostForm action={`${runUrl(props.run.id)}/emission`} csrf={props.ctx.csrf}>
        <Button>Confirmer l'émission</Button>
      </PostForm>
      <p>
        <a href={runUrl(props.run.id)}>Revenir au contrôle sans émettre</a>
      </p>
    </Layout>
  );
}

/** An invoice for agents; the régie (and admin) may issue a credit note on chosen lines. */
export function AgentInvoicePage(props: { ctx: PageCtx; view: InvoiceView; canCredit: boolean; errors?: FieldErrors; values?: FormValues; chosen?: string[] }) {
  const inv = props.view.invoice;
  const title = `Facture ${inv.number} – ${monthLabel(inv.month)}`;
  const open = props.view.lines.filter((l) => !l.credit_note_number);
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={!!props.errors} wide>
      <p>
        <a href={`/agent/foyers/${inv.household_id}`}>Retour au foyer {householdName(inv.payer_name)} ({inv.reference})</a>
      </p>
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{title}</h1>
      <InvoiceDetail view={props.view} pdfUrl={`/agent/factures/${inv.id}/facture.pdf`} />
      {props.canCredit && open.length > 0 && (
        <section aria-labelledby="avoir">
          <h2 id="avoir">Émettre un avoir</h2>
          <PostForm action={`/agent/factures/${inv.id}/avoir`} csrf={props.ctx.csrf}>
            <Choices type="checkbox" name="lignes" label="Jours à annuler" hint="L'avoir rembourse ou déduit le montant de ces jours. La facture elle-même ne change pas." options={open.map((l) => ({ value: l.booking_id, label: readable(l) }))} selected={props.chosen} errors={props.errors} />
            <TextArea name="motif" label="Motif de l'avoir" hint="La famille le lira (par exemple : absence pour maladie justifiée après la facturation)." rows={3} values={props.values} errors={props.errors} />
            <Button>Émettre l'avoir</Button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}
