import { renderPdf, winAnsiText } from '../../platform/pdf/pdf.ts';
import { taggedTable, type PdfColumn } from '../../platform/pdf/pdf-table.ts';
import { dayLabel, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import { lineReason, QUOTIENT_SOURCES, serviceUnit } from './invoicing.domain.ts';
import { INVOICE_STATUS_LABELS } from './invoicing.outcomes.ts';
import type { InvoiceStatus } from './invoicing.domain.ts';
import type { ChargeKind } from './invoicing.pricing.ts';


export interface InvoiceForPdf {
  town: string;
  invoice: { number: string; month: string; issued_at: string; due_on: string; total_cents: number; paid_cents: number; credited_cents: number; payer_name: string; payer_address: string; regie_name: string; reference: string; status: InvoiceStatus; remaining: number };
  lines: { child_name: string; service_name: string; unit_label: string; day: string; kind: ChargeKind; amount_cents: number; surcharge_cents: number; criterion_label: string; quotient: number | null; quotient_source: string | null; quotient_from: string | null; sibling_rank: number; tariff_version_id: string; credit_note_number: string | null }[];
  creditNotes: { number: string; issued_at: string; amount_cents: number; reason: string }[];
}

/** « QF 720 (attestation CAF, depuis septembre 2026) », or why the highest bracket applied. */
export function quotientText(l: { quotient: number | null; quotient_source: string | null; quotient_from: string | null }) {
  if (l.quotient === null) return 'quotient familial non connu';
  const from = l.quotient_from && /^\d{4}-\d{2}/.test(l.quotient_from) ? `depuis ${monthLabel(l.quotient_from.slice(0, 7))}` : null;
  const detail = [l.quotient_source ? (QUOTIENT_SOURCES[l.quotient_source] ?? l.quotient_source) : null, from].filter(Boolean).join(', ');
  return `QF ${l.quotient}${detail ? ` (${detail})` : ''}`;
}


const COLUMNS: PdfColumn[] = [
  { header: 'Enfant', width: 70 },
  { header: 'Service', width: 105 },
  { header: 'Jour', width: 80 },
  { header: 'Calcul du prix', width: 170 },
  { header: 'Montant', width: 58, right: true },
];

/**
 * The invoice as a tagged PDF (pdfkit's structure tree): headings, paragraphs and one real table
 * (TR / TH / TD) in reading order, borders marked as artefacts, French language, so that a screen
 * reader reads it as the page reads. Every line carries its trace (criterion, rank, QF and source).
 */
export function invoicePdf(p: InvoiceForPdf): Promise<Buffer> {
  const inv = p.invoice;
  return renderPdf({ title: `Facture ${inv.number} – ${monthLabel(inv.month)}`, author: p.town }, (doc) => {
    const root = doc.struct('Document');
    doc.addStructure(root);
    const para = (text: string, font = 'Helvetica', size = 10, tag = 'P') => root.add(doc.struct(tag, {}, () => doc.font(font).fontSize(size).text(winAnsiText(text))));

    para(`${p.town} – ${inv.regie_name}`, 'Helvetica-Bold', 12);
    para(`Facture ${inv.number}`, 'Helvetica-Bold', 18, 'H1');
    para(`Accueils de ${monthLabel(inv.month)}. Émise le ${formatDateLong(inv.issued_at)}, à régler avant le ${formatDateLong(inv.due_on)}.`);
    para(`Foyer ${inv.reference} – ${inv.payer_name}\n${inv.payer_address}`);
    doc.moveDown();
    para('Détail des jours facturés', 'Helvetica-Bold', 13, 'H2');
    taggedTable(doc, root, COLUMNS, p.lines.map((l) => [l.child_name, serviceUnit(l.service_name, l.unit_label), dayLabel(l.day, true), `${lineReason({ kind: l.kind, criterionLabel: l.criterion_label, surchargeCents: Number(l.surcharge_cents) })} ; ${quotientText(l)}${l.credit_note_number ? ` ; annulé par l'avoir ${l.credit_note_number}` : ''}`, formatEuros(Number(l.amount_cents))]));
    doc.moveDown();
    para('Montants', 'Helvetica-Bold', 13, 'H2');
    para(`Total de la facture : ${formatEuros(Number(inv.total_cents))}`, 'Helvetica-Bold', 11);
    if (Number(inv.credited_cents) > 0) para(`Avoirs déduits : ${formatEuros(Number(inv.credited_cents))}`);
    if (Number(inv.paid_cents) > 0) para(`Déjà payé : ${formatEuros(Number(inv.paid_cents))}`);
    para(`Reste à payer : ${formatEuros(inv.remaining)} (${INVOICE_STATUS_LABELS[inv.status].toLowerCase()})`, 'Helvetica-Bold', 11);
    for (const a of p.creditNotes) para(`Avoir ${a.number} du ${formatDateLong(a.issued_at)} : ${formatEuros(Number(a.amount_cents))}. Motif : ${a.reason}`);
    doc.moveDown();
    para('Le prix de chaque jour suit le tarif voté par la commune : le critère appliqué (tranche de quotient familial, commune ou hors commune, rang de l\'enfant) est indiqué sur chaque ligne. Les repas ne comptent pas pour le crédit d\'impôt pour frais de garde.', 'Helvetica', 8);
    root.end();
  });
}

