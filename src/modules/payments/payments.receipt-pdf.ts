import { renderPdf } from '../../platform/pdf/pdf.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatDateTime, formatEuros } from '../../platform/format.ts';
import { MEANS_LABELS } from '../invoicing/invoicing.outcomes.ts';
import type { PaymentMeans } from '../../platform/db/schema-payments.ts';

export interface ReceiptForPdf {
  town: string;
  regieName: string;
  payment: { number: string; means: PaymentMeans; amount_cents: number; allocated_cents: number; received_at: string; cancelled_at: string | null; cancel_reason: string | null };
  details: Record<string, string>;
  household: { reference: string; payer: string; address: string };
  allocations: { number: string; month: string; amount_cents: number; cancelled_at: string | null }[];
}

/**
 * The receipt of a payment as a tagged PDF (like the invoice: structure tree, headings, paragraphs,
 * French language, title displayed), rendered on demand from the ledger's rows.
 */
export function receiptPdf(r: ReceiptForPdf): Promise<Buffer> {
  const p = r.payment;
  return renderPdf({ title: `Reçu ${p.number}`, author: r.town }, (doc) => {
    const root = doc.struct('Document');
    doc.addStructure(root);
    const para = (text: string, font = 'Helvetica', size = 10, tag = 'P') => root.add(doc.struct(tag, {}, () => doc.font(font).fontSize(size).text(text)));
    para(`${r.town} – ${r.regieName}`, 'Helvetica-Bold', 12);
    para(`Reçu ${p.number}`, 'Helvetica-Bold', 18, 'H1');
    if (p.cancelled_at) para(`PAIEMENT ANNULÉ le ${formatDateLong(p.cancelled_at)} : ${p.cancel_reason ?? ''}`, 'Helvetica-Bold', 12);
    para(`Foyer ${r.household.reference} – ${r.household.payer}\n${r.household.address}`);
    doc.moveDown();
    para(`Reçu le ${formatDateTime(p.received_at)} : ${formatEuros(Number(p.amount_cents))}`, 'Helvetica-Bold', 12);
    const detail = p.means === 'cheque' ? ` n° ${r.details.cheque_number ?? ''}, ${r.details.bank ?? ''}` : '';
    para(`Moyen de paiement : ${MEANS_LABELS[p.means].toLowerCase()}${detail}`);
    doc.moveDown();
    para('Factures réglées par ce paiement', 'Helvetica-Bold', 13, 'H2');
    const active = r.allocations.filter((a) => !a.cancelled_at);
    if (active.length === 0) para('Aucune facture : la somme est gardée au crédit du foyer.');
    const list = doc.struct('L');
    root.add(list);
    for (const a of active) list.add(doc.struct('LI', {}, () => doc.font('Helvetica').fontSize(10).text(`Facture ${a.number} (${monthLabel(a.month)}) : ${formatEuros(Number(a.amount_cents))}`)));
    list.end();
    const credit = Number(p.amount_cents) - Number(p.allocated_cents);
    if (!p.cancelled_at && credit > 0 && active.length > 0) para(`Gardé au crédit du foyer, déduit de la prochaine facture : ${formatEuros(credit)}`);
    doc.moveDown();
    para('Ce reçu atteste la somme reçue par la régie. Gardez-le : il vous sera demandé en cas de réclamation.', 'Helvetica', 8);
    root.end();
  });
}
