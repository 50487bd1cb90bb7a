import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The queries behind invoicing.personal-data.ts: a household's invoices, lines and credit notes. */

export async function invoiceExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('invoices')
    .select(['id', 'number', 'month', 'issued_at', 'due_on', 'total_cents', 'paid_cents', 'credited_cents', 'payer_name', 'payer_address'])
    .where('household_id', '=', householdId)
    .orderBy('issued_at', 'desc')
    .limit(2_000)
    .execute();
}

export async function invoiceLineExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
    .select(['i.number', 'l.child_name', 'l.service_name', 'l.day', 'l.kind', 'l.amount_cents', 'l.surcharge_cents', 'l.criterion_label', 'l.quotient', 'l.sibling_rank'])
    .where('i.household_id', '=', householdId)
    .orderBy('l.day', 'desc')
    .limit(20_000)
    .execute();
}

export async function creditNoteExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('credit_notes as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select(['a.number', 'i.number as invoice_number', 'a.issued_at', 'a.amount_cents', 'a.reason'])
    .where('a.household_id', '=', householdId)
    .orderBy('a.issued_at', 'desc')
    .limit(2_000)
    .execute();
}

/**
 * Invoices are accounting records the town must keep (numbers, days, amounts, how each price was
 * found): they stay, without the payer's name and address and without the children's first names.
 * Drafts and control anomalies are working data, recomputed at will: they go.
 */
export async function anonymiseInvoices(tx: Executor, householdId: string, personIds: readonly string[]) {
  await tx.updateTable('invoices').set({ payer_name: 'Foyer anonymisé', payer_address: '' }).where('household_id', '=', householdId).execute();
  if (personIds.length > 0) await tx.updateTable('invoice_lines').set({ child_name: 'Enfant' }).where('child_person_id', 'in', personIds).execute();
  await tx.deleteFrom('invoice_draft_lines').where('household_id', '=', householdId).execute();
  await tx.deleteFrom('invoice_anomalies').where('household_id', '=', householdId).execute();
}
