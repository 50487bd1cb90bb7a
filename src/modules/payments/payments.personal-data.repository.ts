import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The query behind payments.personal-data.ts: a household's online payments, for the RGPD export. */
export function transactionRows(db: Executor, householdId: string) {
  return db.selectFrom('payment_transactions').select(['created_at', 'amount_cents', 'status', 'means', 'refdet', 'settled_at']).where('household_id', '=', householdId).orderBy('created_at').execute();
}
