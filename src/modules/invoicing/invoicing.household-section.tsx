import type { HouseholdSection } from '../households/households.agent-service.ts';
import { ButtonLink } from '../../platform/ui/components.tsx';
import type { InvoicingDocuments } from './invoicing.documents-service.ts';
import type { LedgerService } from './invoicing.ledger-service.ts';
import { AccountTables } from './invoicing.family-views.tsx';
import { BalanceExplained } from './invoicing.ledger.components.tsx';

/**
 * The household page's « Factures et avoirs, paiements »: the balance explained line by line, the
 * way to record a counter payment (the régie; the form refuses other roles), then invoices and
 * credit notes, each leading to its page. A fixed number of queries.
 */
export const invoicingHouseholdSection = (docs: InvoicingDocuments, ledger: LedgerService): HouseholdSection => ({
  title: 'Factures et avoirs, paiements',
  async render(_db, household) {
    const [account, balance] = await Promise.all([docs.accountOf(household.id), ledger.balance(household.id)]);
    return (
      <>
        <p>
          <ButtonLink href={`/agent/foyers/${household.id}/paiement`} variant="secondary">Enregistrer un paiement au guichet (régie)</ButtonLink>
        </p>
        <BalanceExplained balance={balance} receiptUrl={(id) => `/agent/paiements/${id}`} />
        <AccountTables account={account} base="/agent/factures" />
      </>
    );
  },
});
