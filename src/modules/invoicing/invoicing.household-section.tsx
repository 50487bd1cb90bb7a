import type { HouseholdSection } from '../households/households.agent-service.ts';
import type { InvoicingDocuments } from './invoicing.documents-service.ts';
import { AccountTables, BalanceSummary } from './invoicing.family-views.tsx';

/** The household page's « Factures et avoirs »: balance, invoices and credit notes, each leading to its page. Three queries. */
export const invoicingHouseholdSection = (docs: InvoicingDocuments): HouseholdSection => ({
  title: 'Factures et avoirs',
  async render(_db, household) {
    const account = await docs.accountOf(household.id);
    return (
      <>
        <BalanceSummary balance={account.balance} />
        <AccountTables account={account} base="/agent/factures" />
      </>
    );
  },
});
