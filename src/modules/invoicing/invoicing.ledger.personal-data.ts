import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { formatEuros } from '../../platform/format.ts';
import { MEANS_LABELS } from './invoicing.outcomes.ts';
import { allocationExportRows, paymentExportRows } from './invoicing.payments.repository.ts';

/**
 * Part of the invoicing module's declaration (invoicing.personal-data.ts spreads it). The payment ledger of a household (payments received, by any means, and their allocation to
 * invoices): exported; kept at anonymisation, as accounting records of the régie. The details hold
 * a cheque's number and bank, never a name; a cancellation reason is an agent's note on the mistake.
 */
export const ledgerPersonalData: PersonalDataDeclaration = {
  module: 'invoicing-ledger',
  tables: [
    { name: 'payments', keys: ['household_id'], personal: ['amount_cents', 'details', 'cancel_reason'], note: 'Pièces comptables de la régie (reçus) : gardées à l\'anonymisation ; aucun nom ni coordonnée.' },
    { name: 'payment_allocations', keys: ['household_id'], personal: ['amount_cents'], note: 'Imputation des paiements sur les factures : gardée avec les factures.' },
  ],
  sections: [
    { key: 'payments', title: 'Paiements reçus', empty: 'Aucun paiement reçu.', fields: { number: 'Reçu', received_at: 'Reçu le', means: 'Moyen', amount: 'Montant', cancelled: 'Annulé' } },
    { key: 'payment_allocations', title: 'Paiements imputés sur les factures', empty: 'Aucune imputation.', fields: { payment: 'Reçu', invoice: 'Facture', amount: 'Montant', allocated_at: 'Le' } },
  ],

  async export(db, scope) {
    const [payments, allocations] = await Promise.all([paymentExportRows(db, scope.householdId), allocationExportRows(db, scope.householdId)]);
    return {
      payments: payments.map((p) => ({ number: p.number, received_at: p.received_at, means: MEANS_LABELS[p.means], amount: formatEuros(Number(p.amount_cents)), allocated: formatEuros(Number(p.allocated_cents)), details: p.details, cancelled: p.cancelled_at ? `oui (${p.cancel_reason ?? ''})` : 'non' })),
      payment_allocations: allocations.filter((a) => a.cancelled_at === null).map((a) => ({ payment: a.payment_number, invoice: a.invoice_number, amount: formatEuros(Number(a.amount_cents)), allocated_at: a.allocated_at })),
    };
  },

  anonymise: () => Promise.resolve(),
};
