import type { Kysely } from 'kysely';

/**
 * Régies in the back office (issue 10): the history of which régie invoices a service. A row says
 * « from this month on, this service is invoiced by this régie »; before a service's first row, its
 * régie is `services.regie_id` (the one it was created with, migration 013). The draft of a régie's
 * month takes exactly the services assigned to it for that month (invoicing/README.md « Régies »).
 * Régie names are unique: two régies with one name could not be told apart on the pages.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('service_regies')
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('from_month', 'text', (c) => c.notNull())
    .addColumn('regie_id', 'text', (c) => c.notNull().references('regies.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addPrimaryKeyConstraint('service_regies_pk', ['service_id', 'from_month'])
    .execute();
  await db.schema.createIndex('service_regies_regie').on('service_regies').columns(['regie_id', 'from_month']).execute();
  await db.schema.createIndex('regies_name').on('regies').column('name').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('regies_name').execute();
  await db.schema.dropTable('service_regies').execute();
}
