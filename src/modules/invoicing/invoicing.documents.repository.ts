import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { CreditNoteLinesTable, CreditNotesTable } from '../../platform/db/schema-invoicing.ts';

/** Invoices and credit notes as documents: a household's list, one invoice with its lines, credit notes. */

export async function invoicesOf(db: Executor, householdId: string) {
  return db
    .selectFrom('invoices')
    .innerJoin('regies', 'regies.id', 'invoices.regie_id')
    .select(['invoices.id', 'invoices.number', 'invoices.month', 'invoices.issued_at', 'invoices.due_on', 'invoices.total_cents', 'invoices.paid_cents', 'invoices.credited_cents', 'regies.name as regie_name'])
    .where('invoices.household_id', '=', householdId)
    .orderBy('invoices.issued_at', 'desc')
    .orderBy('invoices.number', 'desc')
    .limit(200)
    .execute();
}

export async function creditNotesOf(db: Executor, householdId: string) {
  return db
    .selectFrom('credit_notes as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select(['a.id', 'a.number', 'a.issued_at', 'a.amount_cents', 'a.reason', 'a.invoice_id', 'i.number as invoice_number'])
    .where('a.household_id', '=', householdId)
    .orderBy('a.issued_at', 'desc')
    .limit(200)
    .execute();
}

/** What the household owes: invoices less credit notes less payments, in cents (payments: issue 11). */
export async function balanceOf(db: Executor, householdId: string) {
  const row = await db
    .selectFrom('invoices')
    .select([(eb) => eb.fn.sum<number>('total_cents').as('total'), (eb) => eb.fn.sum<number>('paid_cents').as('paid'), (eb) => eb.fn.sum<number>('credited_cents').as('credited')])
    .where('household_id', '=', householdId)
    .executeTakeFirst();
  return { totalCents: Number(row?.total ?? 0), paidCents: Number(row?.paid ?? 0), creditedCents: Number(row?.credited ?? 0) };
}

export async function invoice(db: Executor, id: string) {
  return db
    .selectFrom('invoices')
    .innerJoin('regies', 'regies.id', 'invoices.regie_id')
    .innerJoin('households', 'households.id', 'invoices.household_id')
    .select(['invoices.id', 'invoices.number', 'invoices.year', 'invoices.month', 'invoices.issued_at', 'invoices.due_on', 'invoices.total_cents', 'invoices.paid_cents', 'invoices.credited_cents', 'invoices.payer_name', 'invoices.payer_address', 'invoices.household_id', 'invoices.regie_id', 'regies.name as regie_name', 'households.reference', 'households.name as household_name'])
    .where('invoices.id', '=', id)
    .executeTakeFirst();
}

export async function linesOf(db: Executor, invoiceId: string) {
  return db
    .selectFrom('invoice_lines as l')
    .leftJoin('credit_note_lines as c', (j) => j.onRef('c.invoice_id', '=', 'l.invoice_id').onRef('c.booking_id', '=', 'l.booking_id'))
    .leftJoin('credit_notes as a', 'a.id', 'c.credit_note_id')
    .select(['l.booking_id', 'l.child_name', 'l.service_name', 'l.unit_label', 'l.day', 'l.kind', 'l.category', 'l.amount_cents', 'l.surcharge_cents', 'l.criterion_label', 'l.quotient', 'l.quotient_source', 'l.quotient_from', 'l.resident', 'l.sibling_rank', 'l.tariff_version_id', 'a.number as credit_note_number'])
    .where('l.invoice_id', '=', invoiceId)
    .orderBy('l.child_name')
    .orderBy('l.day')
    .orderBy('l.service_name')
    .execute();
}

export async function creditNotesOfInvoice(db: Executor, invoiceId: string) {
  return db.selectFrom('credit_notes').select(['id', 'number', 'issued_at', 'amount_cents', 'reason']).where('invoice_id', '=', invoiceId).orderBy('issued_at').execute();
}

export async function creditNote(db: Executor, id: string) {
  return db.selectFrom('credit_notes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function creditNoteLines(db: Executor, creditNoteId: string) {
  return db
    .selectFrom('credit_note_lines as c')
    .innerJoin('invoice_lines as l', (j) => j.onRef('l.invoice_id', '=', 'c.invoice_id').onRef('l.booking_id', '=', 'c.booking_id'))
    .select(['l.child_name', 'l.service_name', 'l.unit_label', 'l.day', 'l.kind', 'l.criterion_label', 'l.sibling_rank', 'l.surcharge_cents', 'c.amount_cents'])
    .where('c.credit_note_id', '=', creditNoteId)
    .orderBy('l.child_name')
    .orderBy('l.day')
    .execute();
}

/** The invoice row, locked until the credit note's transaction ends (two agents at once: one after the other). */
export async function lockInvoice(tx: Executor, id: string) {
  return tx.updateTable('invoices').set((eb) => ({ credited_cents: eb('credited_cents', '+', 0) })).where('id', '=', id).returning(['id', 'credited_cents']).executeTakeFirst();
}

export async function insertCreditNote(tx: Executor, note: CreditNotesTable, lines: readonly CreditNoteLinesTable[]) {
  await tx.insertInto('credit_notes').values(note).execute();
  await tx.insertInto('credit_note_lines').values([...lines]).execute();
  await tx
    .updateTable('invoices')
    .set((eb) => ({ credited_cents: eb('credited_cents', '+', note.amount_cents) }))
    .where('id', '=', note.invoice_id)
    .execute();
}

/** An issued run's invoices for the CSV export, in number order, a page at a time (keyset on the sequence). */
export async function invoicesOfRunPage(db: Executor, runId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('invoices')
    .innerJoin('households', 'households.id', 'invoices.household_id')
    .select(['invoices.seq', 'invoices.number', 'invoices.month', 'invoices.issued_at', 'invoices.due_on', 'invoices.total_cents', 'invoices.credited_cents', 'invoices.paid_cents', 'invoices.payer_name', 'households.reference'])
    .where('invoices.run_id', '=', runId)
    .where('invoices.seq', '>', afterSeq)
    .orderBy('invoices.seq')
    .limit(limit)
    .execute();
}

/** One page of an issued run's invoices for the run's page, in number order, with the household. */
export async function invoicesOfRun(db: Executor, runId: string, page: number, pageSize: number) {
  return db
    .selectFrom('invoices')
    .innerJoin('households', 'households.id', 'invoices.household_id')
    .select(['invoices.id', 'invoices.number', 'invoices.total_cents', 'invoices.credited_cents', 'invoices.paid_cents', 'invoices.household_id', 'households.name as household_name', 'households.reference'])
    .where('invoices.run_id', '=', runId)
    .orderBy('invoices.seq')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
}
