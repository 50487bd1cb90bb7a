import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, NotificationBanner, PostForm, SummaryList, Table, Tag } from '../../platform/ui/components.tsx';
import { BalanceExplained } from './invoicing.ledger.components.tsx';
import type { Balance } from './invoicing.ledger.domain.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import { lineText, type InvoiceStatus } from './invoicing.domain.ts';
import { INVOICE_STATUS_LABELS, INVOICE_STATUS_TONES, PAY } from './invoicing.outcomes.ts';
import { quotientText } from './invoicing.pdf.ts';
import type { ChargeKind } from './invoicing.pricing.ts';

export interface InvoiceRow {
  id: string;
  number: string;
  month: string;
  issued_at: string;
  due_on: string;
  total_cents: number;
  status: InvoiceStatus;
  remaining: number;
  regie_name: string;
}

export interface CreditNoteRow {
  id: string;
  number: string;
  issued_at: string;
  amount_cents: number;
  reason: string;
  invoice_id: string;
  invoice_number: string;
}

export interface Account {
  invoices: InvoiceRow[];
  creditNotes: CreditNoteRow[];
  balance: { totalCents: number; creditedCents: number; paidCents: number; dueCents: number };
}

export const StatusTag = ({ status }: { status: InvoiceStatus }) => <Tag tone={INVOICE_STATUS_TONES[status]}>{INVOICE_STATUS_LABELS[status]}</Tag>;

/** « Il vous reste 12,40 € à payer. » — the household's balance in one sentence, then its parts. */
export function BalanceSummary({ balance }: { balance: Account['balance'] }) {
  return (
    <SummaryList
      rows={[
        { key: 'Reste à payer', value: <strong>{formatEuros(Math.max(0, balance.dueCents))}</strong> },
        { key: 'Total facturé', value: formatEuros(balance.totalCents) },
        { key: 'Avoirs', value: formatEuros(balance.creditedCents) },
        { key: 'Déjà payé', value: formatEuros(balance.paidCents) },
      ]}
    />
  );
}

/** The invoices and credit notes of a household, for the family (`base` /factures) or an agent (`/agent/factures`). */
export function AccountTables(props: { account: Account; base: string }) {
  const { invoices, creditNotes } = props.account;
  return (
    <>
      <Table
        caption="Factures"
        rows={invoices}
        empty="Aucune facture pour l'instant."
        columns={[
          { header: 'Facture', cell: (i) => <a href={`${props.base}/${i.id}`}>{i.number}<span class="visually-hidden"> : {monthLabel(i.month)}</span></a> },
          { header: 'Mois', cell: (i) => monthLabel(i.month) },
          { header: 'Montant', cell: (i) => formatEuros(Number(i.total_cents)), numeric: true },
          { header: 'État', cell: (i) => <StatusTag status={i.status} /> },
          { header: 'Reste à payer', cell: (i) => formatEuros(i.remaining), numeric: true },
          { header: 'À régler avant le', cell: (i) => (i.remaining > 0 ? formatDateLong(i.due_on) : '—') },
        ]}
      />
      <Table
        caption="Avoirs"
        rows={creditNotes}
        empty="Aucun avoir."
        columns={[
          { header: 'Avoir', cell: (a) => a.number },
          { header: 'Sur la facture', cell: (a) => <a href={`${props.base}/${a.invoice_id}`}>{a.invoice_number}</a> },
          { header: 'Date', cell: (a) => formatDateLong(a.issued_at) },
          { header: 'Montant', cell: (a) => formatEuros(Number(a.amount_cents)), numeric: true },
          { header: 'Motif', cell: (a) => a.reason },
        ]}
      />
    </>
  );
}

/**
 * The family's account: several unpaid invoices can be paid at once (one PayFiP payment), then the
 * balance explained line by line, the invoices and the credit notes.
 */
export function FamilyInvoicesPage(props: { ctx: PageCtx; account: Account; balance: Balance; payError?: string; chosen?: string[] }) {
  const unpaid = props.account.invoices.filter((i) => i.remaining > 0);
  return (
    <Layout ctx={props.ctx} title={props.payError ? 'Erreur : Factures' : 'Factures'}>
      <h1>Factures</h1>
      {props.payError && (
        <NotificationBanner kind="warning" title="Le paiement n'a pas commencé">
          <p>{props.payError}</p>
        </NotificationBanner>
      )}
      {unpaid.length > 1 && (
        <section aria-labelledby="payer-plusieurs">
          <h2 id="payer-plusieurs">Payer plusieurs factures en une fois</h2>
          <PostForm action="/factures/payer" csrf={props.ctx.csrf}>
            <Choices
              type="checkbox"
              name="factures"
              label="Factures à payer par carte bancaire"
              hint={PAY.hint}
              options={unpaid.map((i) => ({ value: i.id, label: `${i.number} – ${monthLabel(i.month)} : ${formatEuros(i.remaining)}` }))}
              selected={props.chosen ?? unpaid.map((i) => i.id)}
            />
            <Button>{PAY.several}</Button>
          </PostForm>
        </section>
      )}
      <h2>Votre compte</h2>
      <BalanceExplained balance={props.balance} receiptUrl={(id) => `/paiements/recus/${id}/recu.pdf`} />
      <AccountTables account={props.account} base="/factures" />
    </Layout>
  );
}

export interface InvoiceLine {
  booking_id: string;
  child_name: string;
  service_name: string;
  unit_label: string;
  day: string;
  kind: ChargeKind;
  category: string;
  amount_cents: number;
  surcharge_cents: number;
  criterion_label: string;
  quotient: number | null;
  quotient_source: string | null;
  quotient_from: string | null;
  sibling_rank: number;
  credit_note_number: string | null;
}

export interface InvoiceView {
  invoice: InvoiceRow & { paid_cents: number; credited_cents: number; payer_name: string; reference: string; household_id: string };
  lines: InvoiceLine[];
  creditNotes: { id: string; number: string; issued_at: string; amount_cents: number; reason: string }[];
}

export const readable = (l: InvoiceLine) =>
  lineText({ childName: l.child_name, serviceName: l.service_name, unitLabel: l.unit_label, day: l.day, kind: l.kind, amountCents: Number(l.amount_cents), criterionLabel: l.criterion_label, surchargeCents: Number(l.surcharge_cents) });

/** One invoice: its amounts, then each line as a sentence a parent reads, with the QF used. */
export function InvoiceDetail(props: { view: InvoiceView; pdfUrl: string }) {
  const { invoice: inv, lines, creditNotes } = props.view;
  return (
    <>
      <p>
        <StatusTag status={inv.status} /> {inv.regie_name}, émise le {formatDateLong(inv.issued_at)}
        {inv.remaining > 0 ? `, à régler avant le ${formatDateLong(inv.due_on)}` : ''}.
      </p>
      <SummaryList
        rows={[
          { key: 'Montant de la facture', value: formatEuros(Number(inv.total_cents)) },
          ...(Number(inv.credited_cents) > 0 ? [{ key: 'Avoirs', value: `− ${formatEuros(Number(inv.credited_cents))}` }] : []),
          ...(Number(inv.paid_cents) > 0 ? [{ key: 'Déjà payé', value: formatEuros(Number(inv.paid_cents)) }] : []),
          { key: 'Reste à payer', value: <strong>{formatEuros(inv.remaining)}</strong> },
        ]}
      />
      <p>
        <ButtonLink href={props.pdfUrl}>Télécharger la facture (PDF)</ButtonLink>
      </p>
      <h2>Détail des jours facturés</h2>
      <ul class="list invoice-lines">
        {lines.map((l) => (
          <li>
            {readable(l)}
            <span class="hint"> — {quotientText(l)}</span>
            {l.credit_note_number ? <> <Tag tone="grey">Annulé par l'avoir {l.credit_note_number}</Tag></> : null}
          </li>
        ))}
      </ul>
      {creditNotes.length > 0 && (
        <>
          <h2>Avoirs sur cette facture</h2>
          <ul class="list">
            {creditNotes.map((a) => (
              <li>
                Avoir {a.number} du {formatDateLong(a.issued_at)} : {formatEuros(Number(a.amount_cents))}. Motif : {a.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function FamilyInvoicePage(props: { ctx: PageCtx; view: InvoiceView; payError?: string }) {
  const inv = props.view.invoice;
  const title = `Facture ${inv.number} – ${monthLabel(inv.month)}`;
  return (
    <Layout ctx={props.ctx} title={props.payError ? `Erreur : ${title}` : title}>
      <p>
        <a href="/factures">Retour aux factures</a>
      </p>
      <h1>{title}</h1>
      {props.payError && (
        <NotificationBanner kind="warning" title="Le paiement n'a pas commencé">
          <p>{props.payError}</p>
        </NotificationBanner>
      )}
      {inv.remaining > 0 && (
        <PostForm action={`/factures/${inv.id}/payer`} csrf={props.ctx.csrf}>
          <p class="hint">{PAY.hint}</p>
          <Button>{PAY.button(inv.remaining)}</Button>
        </PostForm>
      )}
      <InvoiceDetail view={props.view} pdfUrl={`/factures/${inv.id}/facture.pdf`} />
    </Layout>
  );
}
