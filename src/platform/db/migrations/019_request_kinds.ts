import type { Kysely } from 'kysely';

/**
 * Requests of every kind (issue 12, item 4): the due date of a « complément demandé » and the day its
 * reminder went; the town's switch and help text per type of request; the rows of the « mise à jour
 * du quotient familial » and « absence justifiée » types.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('requests').addColumn('due_date', 'text').execute();
  await db.schema.alterTable('requests').addColumn('reminded_at', 'text').execute();
  await db.schema.createIndex('requests_status_due').on('requests').columns(['status', 'due_date']).execute();

  // No row: the type is offered, without help text.
  await db.schema
    .createTable('request_types')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('help_text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('quotient_requests')
    .addColumn('request_id', 'text', (c) => c.primaryKey().references('requests.id').onDelete('cascade'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    // The attestation CAF/MSA of the wallet; the purge of its file leaves the request without it.
    .addColumn('document_id', 'text', (c) => c.references('documents.id').onDelete('set null'))
    // Entered (or confirmed from the validated attestation) by the agent; required to accept.
    .addColumn('qf_value', 'integer')
    .addColumn('qf_month', 'text')
    .addColumn('qf_source', 'text') // caf | msa
    .execute();
  await db.schema.createIndex('quotient_requests_household').on('quotient_requests').column('household_id').execute();

  await db.schema
    .createTable('absence_requests')
    .addColumn('request_id', 'text', (c) => c.primaryKey().references('requests.id').onDelete('cascade'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('booking_id', 'text', (c) => c.notNull().references('bookings.id'))
    .addColumn('child_person_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.references('documents.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('absence_requests_household').on('absence_requests').column('household_id').execute();
  await db.schema.createIndex('absence_requests_booking').on('absence_requests').column('booking_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('absence_requests').execute();
  await db.schema.dropTable('quotient_requests').execute();
  await db.schema.dropTable('request_types').execute();
  await db.schema.dropIndex('requests_status_due').execute();
  await db.schema.alterTable('requests').dropColumn('reminded_at').execute();
  await db.schema.alterTable('requests').dropColumn('due_date').execute();
}
