import { SummaryList, Table } from '../../platform/ui/components.tsx';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import type { Balance, BalanceLine } from './invoicing.ledger.domain.ts';
import { MEANS_LABELS } from './invoicing.outcomes.ts';

/** What a line of the balance says, as a sentence. */
function lineLabel(l: BalanceLine, receiptUrl?: (id: string) => string) {
  switch (l.kind) {
    case 'invoice':
      return `Facture ${l.number}`;
    case 'credit_note':
      return `Avoir ${l.number} sur la facture ${l.invoiceNumber}`;
    case 'payment':
      return (
        <>
          {receiptUrl ? <a href={receiptUrl(l.id)}>Paiement reçu {l.number}</a> : `Paiement reçu ${l.number}`} ({MEANS_LABELS[l.means].toLowerCase()})
          {l.amountCents > l.allocatedCents ? `, dont ${formatEuros(l.amountCents - l.allocatedCents)} gardés au crédit du foyer` : ''}
        </>
      );
    case 'allocation':
      return `Paiement ${l.paymentNumber} porté sur la facture ${l.invoiceNumber}`;
  }
}

const signed = (l: BalanceLine) => (l.kind === 'invoice' ? `+ ${formatEuros(l.amountCents)}` : l.kind === 'payment' ? formatEuros(l.amountCents) : `− ${formatEuros(l.amountCents)}`);

/**
 * The household's balance explained line by line (issue 11): each invoice adds what it costs, each
 * credit note and each payment carried to an invoice takes it off; money received and not yet
 * carried to an invoice is the household's credit, used by the next invoice.
 */
export function BalanceExplained(props: { balance: Balance; receiptUrl?: (id: string) => string }) {
  const b = props.balance;
  return (
    <>
      <SummaryList
        rows={[
          { key: 'Reste à payer', value: <strong>{formatEuros(Math.max(0, b.owedCents))}</strong> },
          { key: 'Total facturé', value: formatEuros(b.invoicedCents) },
          { key: 'Avoirs', value: `− ${formatEuros(b.creditedCents)}` },
          { key: 'Paiements portés sur les factures', value: `− ${formatEuros(b.allocatedCents)}` },
          ...(b.creditCents > 0 ? [{ key: 'Crédit du foyer', value: <>{formatEuros(b.creditCents)} <span class="hint">(déduit de la prochaine facture)</span></> }] : []),
        ]}
      />
      <Table
        caption="Le détail de votre compte, opération par opération"
        rows={b.lines}
        empty="Aucune opération pour l'instant."
        columns={[
          { header: 'Date', cell: (l) => formatDateLong(l.at) },
          { header: 'Opération', cell: (l) => lineLabel(l, props.receiptUrl) },
          { header: 'Montant', cell: signed, numeric: true },
        ]}
      />
    </>
  );
}
