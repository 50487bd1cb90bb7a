import type { Kysely } from 'kysely';

/**
 * Online payments through PayFiP (issue 11): one row per attempt, whatever it pays (the items are a
 * JSON list the invoicing module fills), and one lock per item paid online, so that a second attempt
 * on the same invoice is refused atomically while one may still be running (20 minutes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payment_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull()) // JSON [{ invoiceId, amountCents }]
    .addColumn('refdet', 'text', (c) => c.notNull().unique())
    .addColumn('id_op', 'text', (c) => c.unique()) // null until PayFiP gave it
    .addColumn('status', 'text', (c) => c.notNull()) // pending | paid | refused | abandoned | failed
    .addColumn('means', 'text') // card | direct_debit, once paid
    .addColumn('bank_data', 'text') // JSON of PayFiP's answer (without the e-mail), for audit
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text')
    .execute();
  await db.schema.createIndex('payment_transactions_household').on('payment_transactions').columns(['household_id', 'created_at']).execute();
  await db.schema.createIndex('payment_transactions_status').on('payment_transactions').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('payment_item_locks')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('payment_transactions.id'))
    .addColumn('locked_until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_item_locks_transaction').on('payment_item_locks').column('transaction_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_item_locks').execute();
  await db.schema.dropTable('payment_transactions').execute();
}
