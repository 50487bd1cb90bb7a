import type { Kysely } from 'kysely';

/**
 * CSV imports of families (the uploaded text is kept between the dry run and the confirmation)
 * and activation campaigns (who was sent a code, by which channel).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // dry_run | imported
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('imported_at', 'text')
    .execute();
  await db.schema.createIndex('imports_created_at').on('imports').column('created_at').execute();

  await db.schema
    .createTable('activation_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_reminder_at', 'text')
    .addColumn('letters_printed_at', 'text')
    .execute();

  await db.schema
    .createTable('campaign_recipients')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('activation_campaigns.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('channel', 'text', (c) => c.notNull()) // email | letter
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_recipients_pk', ['campaign_id', 'user_id'])
    .execute();
  await db.schema.createIndex('campaign_recipients_user').on('campaign_recipients').column('user_id').execute();
  // Progress of a campaign: the latest activation e-mail of each recipient.
  await db.schema.createIndex('outbox_to_kind').on('outbox').columns(['to_address', 'kind']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_to_kind').execute();
  await db.schema.dropTable('campaign_recipients').execute();
  await db.schema.dropTable('activation_campaigns').execute();
  await db.schema.dropTable('imports').execute();
}
