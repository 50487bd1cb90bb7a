import type { Executor } from '../../platform/audit/audit.repository.ts';

/** Adds an amount received to an invoice of this household; false when the household has no such invoice. */
export async function addPaid(tx: Executor, householdId: string, invoiceId: string, amountCents: number): Promise<boolean> {
  const result = await tx
    .updateTable('invoices')
    .set((eb) => ({ paid_cents: eb('paid_cents', '+', amountCents) }))
    .where('id', '=', invoiceId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
