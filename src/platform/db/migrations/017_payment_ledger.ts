import type { Kysely } from 'kysely';

/**
 * The payment ledger (issue 11): every sum of money the régie received, whatever the means (card or
 * direct debit online through PayFiP, cash, cheque, CESU, ANCV, card at the counter), with its receipt
 * number, and how it is allocated to the household's invoices. A payment's unallocated remainder is
 * the household's credit. `invoices.paid_cents` stays equal to the sum of its active allocations,
 * maintained in the same transaction; `payments.allocated_cents` the same for the payment (the
 * conditional UPDATE on it forbids allocating more than was received, even with two agents at once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('regie_id', 'text', (c) => c.notNull().references('regies.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique()) // Q-2026-000123, gap-free per year
    .addColumn('means', 'text', (c) => c.notNull()) // card_online | direct_debit_online | cash | cheque | cesu | ancv | card_counter
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('allocated_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}')) // JSON: cheque number and bank…
    .addColumn('transaction_id', 'text', (c) => c.unique().references('payment_transactions.id'))
    .addColumn('recorded_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema.createIndex('payments_household').on('payments').columns(['household_id', 'received_at']).execute();
  await db.schema.createIndex('payments_regie_received').on('payments').columns(['regie_id', 'received_at']).execute();

  await db.schema
    .createTable('payment_allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('allocated_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema.createIndex('payment_allocations_payment').on('payment_allocations').column('payment_id').execute();
  await db.schema.createIndex('payment_allocations_invoice').on('payment_allocations').column('invoice_id').execute();
  await db.schema.createIndex('payment_allocations_household').on('payment_allocations').columns(['household_id', 'allocated_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_allocations').execute();
  await db.schema.dropTable('payments').execute();
}
