import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { invoiceStatus, lineReason } from './invoicing.domain.ts';
import { INVOICE_STATUS_LABELS } from './invoicing.outcomes.ts';
import { ledgerPersonalData } from './invoicing.ledger.personal-data.ts';
import { anonymiseInvoices, creditNoteExportRows, invoiceExportRows, invoiceLineExportRows } from './invoicing.personal-data.repository.ts';

const euros = (cents: number | string) => (Number(cents) / 100).toFixed(2).replace('.', ',');

/**
 * Invoices, their lines and credit notes of a household. Anonymisation keeps them as accounting
 * records (amounts, days, numbers) but removes the payer's name and address and the children's
 * first names; drafts and anomalies, recomputed at will, are deleted.
 */
export const invoicingPersonalData: PersonalDataDeclaration = {
  module: 'invoicing',
  tables: [
    { name: 'invoices', keys: ['household_id'], personal: ['payer_name', 'payer_address', 'total_cents'] },
    { name: 'invoice_lines', keys: ['child_person_id'], personal: ['child_name', 'day', 'amount_cents'] },
    { name: 'credit_notes', keys: ['household_id'], personal: ['reason', 'amount_cents'] },
    { name: 'invoice_draft_lines', keys: ['household_id', 'child_person_id'], personal: ['day', 'amount_cents'] },
    { name: 'invoice_anomalies', keys: ['household_id', 'child_person_id'], personal: ['day'] },
    ...ledgerPersonalData.tables,
  ],
  sections: [
    { key: 'invoices', title: 'Factures', empty: 'Aucune facture.', fields: { number: 'Numéro', month: 'Mois', total: 'Montant (€)', status: 'État', payer: 'Payeur' } },
    { key: 'invoice_lines', title: 'Lignes des factures', empty: 'Aucune ligne facturée.', fields: { invoice: 'Facture', child: 'Enfant', service: 'Service', day: 'Jour', amount: 'Montant (€)', reason: 'Calcul du prix' } },
    { key: 'credit_notes', title: 'Avoirs', empty: 'Aucun avoir.', fields: { number: 'Numéro', invoice: 'Facture', amount: 'Montant (€)', reason: 'Motif' } },
    ...ledgerPersonalData.sections,
  ],

  async export(db, scope) {
    const [invoices, lines, notes, ledger] = await Promise.all([invoiceExportRows(db, scope.householdId), invoiceLineExportRows(db, scope.householdId), creditNoteExportRows(db, scope.householdId), ledgerPersonalData.export(db, scope)]);
    return {
      ...ledger,
      invoices: invoices.map((i) => ({
        number: i.number,
        month: i.month,
        issued_at: i.issued_at,
        due_on: i.due_on,
        total: euros(i.total_cents),
        status: INVOICE_STATUS_LABELS[invoiceStatus(Number(i.total_cents), Number(i.paid_cents), Number(i.credited_cents))],
        payer: i.payer_name,
        payer_address: i.payer_address,
      })),
      invoice_lines: lines.map((l) => ({
        invoice: l.number,
        child: l.child_name,
        service: l.service_name,
        day: l.day,
        amount: euros(l.amount_cents),
        reason: lineReason({ kind: l.kind, criterionLabel: l.criterion_label, surchargeCents: Number(l.surcharge_cents) }),
        quotient: l.quotient,
      })),
      credit_notes: notes.map((n) => ({ number: n.number, invoice: n.invoice_number, issued_at: n.issued_at, amount: euros(n.amount_cents), reason: n.reason })),
    };
  },

  async anonymise(tx, scope) {
    await anonymiseInvoices(tx, scope.householdId, scope.personIds);
  },
};
