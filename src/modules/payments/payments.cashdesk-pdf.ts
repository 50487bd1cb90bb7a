import { renderPdf, winAnsiText } from '../../platform/pdf/pdf.ts';
import { taggedTable, type PdfColumn } from '../../platform/pdf/pdf-table.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatEuros, householdName } from '../../platform/format.ts';
import type { CashDeskService } from '../invoicing/invoicing.cashdesk-service.ts';
import { MEANS_LABELS } from '../invoicing/invoicing.outcomes.ts';
import { instantLabel, lineLabel, meansOf, timeOf } from './payments.cashdesk-views.tsx';

type ClosedJournal = Awaited<ReturnType<CashDeskService['closedJournal']>>;

const COLUMNS: PdfColumn[] = [
  { header: 'Reçu', width: 120 },
  { header: 'Heure', width: 45 },
  { header: 'Foyer', width: 120 },
  { header: 'Moyen', width: 130 },
  { header: 'Montant', width: 68, right: true },
];


/**
 * The journal of a closed cash-desk day (« journal de caisse ») as a tagged PDF: the régie and the
 * day, each payment and each cancellation of the day, the totals by means as closed, who closed it
 * and when, and the cash counted.
 */
export function cashJournalPdf(town: string, j: ClosedJournal): Promise<Buffer> {
  const c = j.closure;
  const dayText = dayLabel(j.day, true);
  return renderPdf({ title: `Journal de caisse du ${dayText} – ${j.regie.name}`, author: town }, (doc) => {
    const root = doc.struct('Document');
    doc.addStructure(root);
    const para = (text: string, font = 'Helvetica', size = 10, tag = 'P') => root.add(doc.struct(tag, {}, () => doc.font(font).fontSize(size).text(winAnsiText(text))));
    para(`${town} – ${j.regie.name}`, 'Helvetica-Bold', 12);
    para(`Journal de caisse du ${dayText}`, 'Helvetica-Bold', 18, 'H1');
    para(`Clôturé par ${c.closed_by_label}, le ${instantLabel(c.closed_at)}.`);
    doc.moveDown();
    para('Paiements et annulations du jour', 'Helvetica-Bold', 13, 'H2');
    if (j.journal.lines.length === 0) para('Aucun paiement au guichet ce jour.');
    else taggedTable(doc, root, COLUMNS, j.journal.lines.map((l) => [lineLabel(l), timeOf(l.at), `${householdName(l.payment.household_name)} (${l.payment.household_reference})`, meansOf(l.payment), formatEuros(l.cents)]));
    doc.moveDown();
    para('Totaux par moyen de paiement', 'Helvetica-Bold', 13, 'H2');
    const list = doc.struct('L');
    root.add(list);
    const item = (text: string, bold = false) => list.add(doc.struct('LI', {}, () => doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10).text(winAnsiText(text))));
    for (const m of c.byMeans) item(`${MEANS_LABELS[m.means]} : ${m.count} paiement${m.count > 1 ? 's' : ''}, ${formatEuros(m.cents)}`);
    if (Number(c.cancelled_count) > 0) item(`Dont annulations du jour : ${Number(c.cancelled_count)}, ${formatEuros(-Number(c.cancelled_cents))}`);
    item(`Total du jour : ${formatEuros(Number(c.total_cents))}`, true);
    list.end();
    if (c.counted_cash_cents !== null) {
      doc.moveDown();
      para(`Espèces attendues : ${formatEuros(Number(c.cash_cents))} ; espèces comptées : ${formatEuros(Number(c.counted_cash_cents))} ; écart : ${formatEuros(Number(c.difference_cents ?? 0))}.${c.comment ? ` Commentaire : ${c.comment}` : ''}`);
    }
    doc.moveDown();
    para('Les paiements en ligne (PayFiP) ne passent pas par la caisse et ne figurent pas dans ce journal. Une annulation faite après la clôture figure dans le journal du jour où elle est faite.', 'Helvetica', 8);
    root.end();
  });
}
