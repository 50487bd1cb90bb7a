import { sql } from 'kysely';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { PaymentsTable } from '../../platform/db/schema-payments.ts';

/** The SQL of the payment ledger (payments and their allocations to invoices). Writes run inside the caller's transaction. */

export async function insertPayment(tx: Executor, row: PaymentsTable): Promise<void> {
  await tx.insertInto('payments').values(row).execute();
}

export function findPayment(db: Executor, id: string) {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function paymentOfTransaction(db: Executor, transactionId: string) {
  return db.selectFrom('payments').select(['id']).where('transaction_id', '=', transactionId).executeTakeFirst();
}

/** An invoice of this household: its régie and what remains to pay. */
export function invoiceOfHousehold(db: Executor, householdId: string, invoiceId: string) {
  return db.selectFrom('invoices').select(['id', 'regie_id', 'number', 'due_on', 'total_cents', 'paid_cents', 'credited_cents']).where('id', '=', invoiceId).where('household_id', '=', householdId).executeTakeFirst();
}

/** The household's invoices with something left to pay (optionally of one régie), oldest due first. */
export function openInvoices(db: Executor, householdId: string, regieId: string | null) {
  let q = db
    .selectFrom('invoices')
    .select(['id', 'regie_id', 'number', 'due_on', 'month', 'total_cents', 'paid_cents', 'credited_cents'])
    .where('household_id', '=', householdId)
    .where(sql<boolean>`total_cents - credited_cents - paid_cents > 0`);
  if (regieId) q = q.where('regie_id', '=', regieId);
  return q.orderBy('due_on').orderBy('number').execute();
}

/** Payments of the household with money not yet allocated (its credit), oldest first. */
export function paymentsWithCredit(db: Executor, householdId: string, regieId: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'number', 'amount_cents', 'allocated_cents'])
    .where('household_id', '=', householdId)
    .where('regie_id', '=', regieId)
    .where('cancelled_at', 'is', null)
    .where(sql<boolean>`amount_cents > allocated_cents`)
    .orderBy('received_at')
    .orderBy('number')
    .execute();
}

/**
 * Allocates part of a payment to an invoice of the same household, atomically on both sides:
 * the payment must still have the money (not cancelled), the invoice must still owe it. False
 * (nothing written) otherwise. Both UPDATEs hold their rows until the transaction ends.
 */
export async function allocate(tx: Executor, a: { id: string; paymentId: string; invoiceId: string; householdId: string; amountCents: number; at: string }): Promise<boolean> {
  if (a.amountCents <= 0) return false;
  const fromPayment = await tx
    .updateTable('payments')
    .set((eb) => ({ allocated_cents: eb('allocated_cents', '+', a.amountCents) }))
    .where('id', '=', a.paymentId)
    .where('household_id', '=', a.householdId)
    .where('cancelled_at', 'is', null)
    .where(sql<boolean>`amount_cents - allocated_cents >= ${a.amountCents}`)
    .executeTakeFirst();
  if (Number(fromPayment.numUpdatedRows) !== 1) return false;
  const toInvoice = await tx
    .updateTable('invoices')
    .set((eb) => ({ paid_cents: eb('paid_cents', '+', a.amountCents) }))
    .where('id', '=', a.invoiceId)
    .where('household_id', '=', a.householdId)
    .where(sql<boolean>`total_cents - credited_cents - paid_cents >= ${a.amountCents}`)
    .executeTakeFirst();
  if (Number(toInvoice.numUpdatedRows) !== 1) {
    await tx.updateTable('payments').set((eb) => ({ allocated_cents: eb('allocated_cents', '-', a.amountCents) })).where('id', '=', a.paymentId).execute();
    return false;
  }
  await tx.insertInto('payment_allocations').values({ id: a.id, payment_id: a.paymentId, invoice_id: a.invoiceId, household_id: a.householdId, amount_cents: a.amountCents, allocated_at: a.at, cancelled_at: null }).execute();
  return true;
}

/** Marks a payment cancelled once (row count 1 for the one caller that does it). */
export async function markCancelled(tx: Executor, id: string, by: string, reason: string, at: string): Promise<boolean> {
  const r = await tx.updateTable('payments').set({ cancelled_at: at, cancelled_by: by, cancel_reason: reason }).where('id', '=', id).where('cancelled_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Cancels a cancelled payment's allocations: each invoice's paid_cents goes down by what it had received. */
export async function cancelAllocations(tx: Executor, paymentId: string, at: string): Promise<{ invoiceId: string; amountCents: number }[]> {
  const rows = await tx.selectFrom('payment_allocations').select(['id', 'invoice_id', 'amount_cents']).where('payment_id', '=', paymentId).where('cancelled_at', 'is', null).execute();
  for (const r of rows) {
    await tx.updateTable('invoices').set((eb) => ({ paid_cents: eb('paid_cents', '-', Number(r.amount_cents)) })).where('id', '=', r.invoice_id).execute();
    await tx.updateTable('payment_allocations').set({ cancelled_at: at }).where('id', '=', r.id).execute();
  }
  await tx.updateTable('payments').set({ allocated_cents: 0 }).where('id', '=', paymentId).execute();
  return rows.map((r) => ({ invoiceId: r.invoice_id, amountCents: Number(r.amount_cents) }));
}

/** Households with credit among these (for the issue hook). */
export function householdsWithCredit(db: Executor, householdIds: readonly string[], regieId: string) {
  if (householdIds.length === 0) return Promise.resolve([] as { household_id: string }[]);
  return db
    .selectFrom('payments')
    .select('household_id')
    .distinct()
    .where('household_id', 'in', householdIds)
    .where('regie_id', '=', regieId)
    .where('cancelled_at', 'is', null)
    .where(sql<boolean>`amount_cents > allocated_cents`)
    .execute();
}

export function householdsOfRun(db: Executor, runId: string) {
  return db.selectFrom('invoices').select('household_id').where('run_id', '=', runId).execute();
}

/** Every line of a household's balance: invoices, credit notes, payments (not cancelled) and their active allocations. */
export async function balanceRows(db: Executor, householdId: string) {
  const [invoices, notes, payments, allocations] = await Promise.all([
    db.selectFrom('invoices').select(['id', 'number', 'issued_at', 'total_cents']).where('household_id', '=', householdId).execute(),
    db.selectFrom('credit_notes as n').innerJoin('invoices as i', 'i.id', 'n.invoice_id').select(['n.id', 'n.number', 'n.issued_at', 'n.amount_cents', 'i.number as invoice_number']).where('n.household_id', '=', householdId).execute(),
    db.selectFrom('payments').select(['id', 'number', 'means', 'received_at', 'amount_cents', 'allocated_cents']).where('household_id', '=', householdId).where('cancelled_at', 'is', null).execute(),
    db
      .selectFrom('payment_allocations as a')
      .innerJoin('payments as p', 'p.id', 'a.payment_id')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select(['a.allocated_at', 'a.amount_cents', 'p.number as payment_number', 'i.number as invoice_number'])
      .where('a.household_id', '=', householdId)
      .where('a.cancelled_at', 'is', null)
      .execute(),
  ]);
  return { invoices, notes, payments, allocations };
}

/** A payment's active allocations with their invoices' numbers (receipt). */
export function allocationsOf(db: Executor, paymentId: string) {
  return db
    .selectFrom('payment_allocations as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select(['a.invoice_id', 'i.number', 'i.month', 'a.amount_cents', 'a.cancelled_at'])
    .where('a.payment_id', '=', paymentId)
    .orderBy('i.due_on')
    .orderBy('i.number')
    .execute();
}

/** Payments of a household, newest first (agent's page). */
export function paymentsOfHousehold(db: Executor, householdId: string) {
  return db.selectFrom('payments').selectAll().where('household_id', '=', householdId).orderBy('received_at', 'desc').orderBy('number', 'desc').execute();
}

/** RGPD export rows. */
export function paymentExportRows(db: Executor, householdId: string) {
  return db.selectFrom('payments').select(['number', 'means', 'amount_cents', 'allocated_cents', 'received_at', 'details', 'cancelled_at', 'cancel_reason']).where('household_id', '=', householdId).orderBy('received_at').execute();
}
export function allocationExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('payment_allocations as a')
    .innerJoin('payments as p', 'p.id', 'a.payment_id')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select(['p.number as payment_number', 'i.number as invoice_number', 'a.amount_cents', 'a.allocated_at', 'a.cancelled_at'])
    .where('a.household_id', '=', householdId)
    .orderBy('a.allocated_at')
    .execute();
}

/** The household as a receipt or a counter form names it. */
export function householdHeader(db: Executor, householdId: string) {
  return db
    .selectFrom('households as h')
    .leftJoin('persons as p', 'p.id', 'h.payer_person_id')
    .select(['h.id', 'h.name', 'h.reference', 'h.address_line1', 'h.address_line2', 'h.postcode', 'h.city', 'p.first_name as payer_first', 'p.last_name as payer_last'])
    .where('h.id', '=', householdId)
    .executeTakeFirst();
}

export function regies(db: Executor) {
  return db.selectFrom('regies').select(['id', 'name']).orderBy('created_at').orderBy('name').execute();
}

/** Unpaid invoices past their due date, a page at a time (keyset on the id), for reminders and the Trésor's export. */
export function overdueInvoicesPage(db: Executor, today: string, afterId: string, limit: number) {
  return db
    .selectFrom('invoices as i')
    .innerJoin('households as h', 'h.id', 'i.household_id')
    .innerJoin('regies as r', 'r.id', 'i.regie_id')
    .select(['i.id', 'i.number', 'i.month', 'i.household_id', 'i.due_on', 'i.issued_at', 'i.total_cents', 'i.paid_cents', 'i.credited_cents', 'i.payer_name', 'i.payer_address', 'h.reference', 'r.name as regie_name'])
    .where('i.due_on', '<', today)
    .where(sql<boolean>`i.total_cents - i.credited_cents - i.paid_cents > 0`)
    .where('i.id', '>', afterId)
    .orderBy('i.id')
    .limit(limit)
    .execute();
}
