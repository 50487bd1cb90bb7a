import type { Kysely } from 'kysely';

/** The counter means of payment, each with its count and net amount columns on a closure. */
const MEANS = ['cash', 'cheque', 'cesu', 'ancv', 'card_counter'] as const;

/**
 * Closing the cash-desk day (issue 11 item 3): one row per (régie, day in Paris), written once — the
 * unique constraint makes a double click or two agents close once. It keeps what was closed: who and
 * when, for each counter means the number of payments received that day and the net amount in cents
 * (received minus cancelled that day), the cancellations made that day, the net total, and optionally
 * the cash actually counted, the difference and the agent's comment. A closed day never changes: a
 * later cancellation goes to the journal of the day it is made (payments_regie_cancelled).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('cash_desk_closures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('regie_id', 'text', (c) => c.notNull().references('regies.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text')
    .addColumn('closed_by_label', 'text', (c) => c.notNull());
  for (const m of MEANS) {
    table = table.addColumn(`${m}_count`, 'integer', (c) => c.notNull().defaultTo(0)).addColumn(`${m}_cents`, 'integer', (c) => c.notNull().defaultTo(0));
  }
  await table
    .addColumn('cancelled_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('counted_cash_cents', 'integer')
    .addColumn('difference_cents', 'integer')
    .addColumn('comment', 'text')
    .addUniqueConstraint('cash_desk_closures_regie_day', ['regie_id', 'day'])
    .execute();
  // The cancellations made on a day, for that day's journal.
  await db.schema.createIndex('payments_regie_cancelled').on('payments').columns(['regie_id', 'cancelled_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('payments_regie_cancelled').execute();
  await db.schema.dropTable('cash_desk_closures').execute();
}
