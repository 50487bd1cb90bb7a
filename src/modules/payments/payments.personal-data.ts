import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { formatEuros } from '../../platform/format.ts';
import { transactionRows } from './payments.personal-data.repository.ts';

const STATUS: Record<string, string> = { pending: 'en attente', paid: 'payé', refused: 'refusé', abandoned: 'abandonné', failed: 'non abouti' };
const MEANS: Record<string, string> = { card: 'carte bancaire', direct_debit: 'prélèvement' };

/**
 * Online payments of a household: exported; kept at anonymisation, because they are accounting
 * records the régie must keep (they hold no name nor contact detail; the e-mail sent to PayFiP is
 * not stored, and `bank_data` keeps PayFiP's answer without it).
 */
export const paymentsPersonalData: PersonalDataDeclaration = {
  module: 'payments',
  tables: [
    { name: 'payment_transactions', keys: ['household_id'], personal: [], note: 'Pièces comptables de la régie : gardées à l\'anonymisation (aucun nom ni coordonnée, le courriel envoyé à PayFiP n\'est pas gardé).' },
  ],
  sections: [
    {
      key: 'payment_transactions',
      title: 'Paiements en ligne',
      empty: 'Aucun paiement en ligne.',
      fields: { created_at: 'Commencé le', amount: 'Montant', status: 'Résultat', means: 'Moyen', refdet: 'Référence' },
    },
  ],

  async export(db, scope) {
    const rows = await transactionRows(db, scope.householdId);
    return {
      payment_transactions: rows.map((r) => ({ created_at: r.created_at, amount: formatEuros(r.amount_cents), status: STATUS[r.status] ?? r.status, means: r.means ? MEANS[r.means] : '', refdet: r.refdet, settled_at: r.settled_at })),
    };
  },

  anonymise: () => Promise.resolve(),
};
