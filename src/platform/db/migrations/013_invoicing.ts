import { sql, type Kysely } from 'kysely';

/** The town's first régie: every service belongs to it until the town declares others. */
export const DEFAULT_REGIE_ID = '01900000-0000-7000-8000-000000000001';

/**
 * Invoicing (issue 10): régies, monthly runs per régie (draft → controlled → issued), the draft's
 * lines and anomalies, issued invoices and their lines, credit notes, and the months that issuing
 * locked. Money is integer cents; numbers are unique per kind and year (gap-free by construction,
 * see invoicing/README.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('regies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into regies (id, name, created_at) values (${DEFAULT_REGIE_ID}, ${'Régie enfance et restauration'}, ${'2026-01-01T00:00:00.000Z'})`.execute(db);
  // No REFERENCES: SQLite refuses a foreign key on an added column with a non-null default.
  await db.schema.alterTable('services').addColumn('regie_id', 'text', (c) => c.notNull().defaultTo(DEFAULT_REGIE_ID)).execute();

  await db.schema
    .createTable('invoice_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('regie_id', 'text', (c) => c.notNull().references('regies.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | controlled | issued
    .addColumn('draft_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('drafted_at', 'text')
    .addColumn('drafted_by', 'text')
    .addColumn('controlled_version', 'integer')
    .addColumn('controlled_at', 'text')
    .addColumn('controlled_by', 'text')
    .addColumn('issued_at', 'text')
    .addColumn('issued_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoice_runs_regie_month', ['regie_id', 'month'])
    .execute();

  await db.schema
    .createTable('invoice_draft_lines')
    .addColumn('run_id', 'text', (c) => c.notNull().references('invoice_runs.id'))
    .addColumn('draft_version', 'integer', (c) => c.notNull())
    .addColumn('booking_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('child_person_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // booked | present_without_booking | late_cancellation
    .addColumn('category', 'text', (c) => c.notNull()) // garde | repas
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    // Part of the amount that is a surcharge (present without booking, late cancellation): never childcare for the tax certificate.
    .addColumn('surcharge_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tariff_version_id', 'text', (c) => c.notNull())
    .addColumn('criterion_label', 'text', (c) => c.notNull())
    .addColumn('quotient', 'integer')
    .addColumn('quotient_source', 'text')
    .addColumn('quotient_from', 'text')
    .addColumn('resident', 'integer', (c) => c.notNull())
    .addColumn('sibling_rank', 'integer', (c) => c.notNull())
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('invoice_draft_lines_pk', ['run_id', 'draft_version', 'booking_id'])
    .execute();
  await db.schema.createIndex('invoice_draft_lines_household').on('invoice_draft_lines').columns(['run_id', 'draft_version', 'household_id']).execute();

  await db.schema
    .createTable('invoice_anomalies')
    .addColumn('run_id', 'text', (c) => c.notNull().references('invoice_runs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text')
    .addColumn('child_person_id', 'text')
    .addColumn('booking_id', 'text')
    .addColumn('day', 'text')
    .addColumn('amount_cents', 'integer')
    .execute();
  await db.schema.createIndex('invoice_anomalies_run').on('invoice_anomalies').columns(['run_id', 'kind']).execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull().references('invoice_runs.id'))
    .addColumn('regie_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('payer_name', 'text', (c) => c.notNull())
    .addColumn('payer_address', 'text', (c) => c.notNull())
    // Kept up to date by payments (issue 11) and credit notes: the invoice's own lines never change.
    .addColumn('paid_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credited_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('invoices_year_seq', ['year', 'seq'])
    .addUniqueConstraint('invoices_run_household', ['run_id', 'household_id'])
    .execute();
  await db.schema.createIndex('invoices_household').on('invoices').columns(['household_id', 'issued_at']).execute();

  await db.schema
    .createTable('invoice_lines')
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('booking_id', 'text', (c) => c.notNull())
    .addColumn('child_person_id', 'text', (c) => c.notNull())
    .addColumn('child_name', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('unit_label', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    // Part of the amount that is a surcharge (present without booking, late cancellation): never childcare for the tax certificate.
    .addColumn('surcharge_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tariff_version_id', 'text', (c) => c.notNull())
    .addColumn('criterion_label', 'text', (c) => c.notNull())
    .addColumn('quotient', 'integer')
    .addColumn('quotient_source', 'text')
    .addColumn('quotient_from', 'text')
    .addColumn('resident', 'integer', (c) => c.notNull())
    .addColumn('sibling_rank', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('invoice_lines_pk', ['invoice_id', 'booking_id'])
    .execute();
  // One issued line per booking, ever: a day is never billed twice.
  await db.schema.createIndex('invoice_lines_booking').on('invoice_lines').column('booking_id').unique().execute();

  await db.schema
    .createTable('credit_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('regie_id', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addUniqueConstraint('credit_notes_year_seq', ['year', 'seq'])
    .execute();
  await db.schema.createIndex('credit_notes_invoice').on('credit_notes').column('invoice_id').execute();
  await db.schema.createIndex('credit_notes_household').on('credit_notes').columns(['household_id', 'issued_at']).execute();

  await db.schema
    .createTable('credit_note_lines')
    .addColumn('credit_note_id', 'text', (c) => c.notNull().references('credit_notes.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull())
    .addColumn('booking_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    // A line is credited once: two agents crediting the same day at once, one wins.
    .addPrimaryKeyConstraint('credit_note_lines_pk', ['invoice_id', 'booking_id'])
    .execute();
  await db.schema.createIndex('credit_note_lines_note').on('credit_note_lines').column('credit_note_id').execute();

  await db.schema
    .createTable('billing_locks')
    .addColumn('regie_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('locked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_locks_pk', ['regie_id', 'month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['billing_locks', 'credit_note_lines', 'credit_notes', 'invoice_lines', 'invoices', 'invoice_anomalies', 'invoice_draft_lines', 'invoice_runs']) await db.schema.dropTable(t).execute();
  await db.schema.alterTable('services').dropColumn('regie_id').execute();
  await db.schema.dropTable('regies').execute();
}
