import { sql, type Kysely } from 'kysely';

/**
 * Automatic notifications (issue 13 item 4): the town's setting of each notification kind (on/off,
 * its text; no row: on, with the default text). Notifications are messages (`messages.kind` is the
 * kind), so the inbox, the recipients and the e-mails are those of migration 015; the message's
 * unique `idempotency_key` (« notification:<kind>:<fact>:<household> ») makes each fact reach a
 * household once. The unsubscribe topic of the waiting-list place now has the kind's name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_settings')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    // null: the default text of the kind (messaging.notifications.ts).
    .addColumn('subject', 'text')
    .addColumn('body', 'text')
    .addColumn('updated_by_label', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`update mail_preferences set category = 'waiting_list_place' where category = 'waiting_list'`.execute(db);
  // The worker looks for documents nearing their end by day.
  await db.schema.createIndex('documents_valid_until').on('documents').columns(['valid_until', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('documents_valid_until').execute();
  await sql`update mail_preferences set category = 'waiting_list' where category = 'waiting_list_place'`.execute(db);
  await db.schema.dropTable('notification_settings').execute();
}
