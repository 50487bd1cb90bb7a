import type { Kysely } from 'kysely';

/**
 * Issue 12, tracking of every kind of request (items 4–5):
 * - request_attachments: files joined to a request (when it is filed) or to one of its messages, both
 *   sides; the bytes live in the encrypted store (stored_files, purpose 'attachment') and the row goes
 *   with its file (ON DELETE CASCADE: purge, anonymisation);
 * - request_answers: what the family answered in the form of a type that has no table of its own
 *   (« Changement de situation », « Autre demande »), as JSON checked by the type's schema on read;
 * - requests.assigned_to / assigned_label / assigned_at: the agent who took the request in hand
 *   (« Je m'en occupe »), for the agents' single queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('request_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    // Null: joined to the request itself when it was filed.
    .addColumn('message_id', 'text', (c) => c.references('request_messages.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('file_id', 'text', (c) => c.notNull().unique().references('stored_files.id').onDelete('cascade'))
    .addColumn('from_family', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_attachments_request').on('request_attachments').columns(['request_id', 'created_at']).execute();
  await db.schema.createIndex('request_attachments_household').on('request_attachments').column('household_id').execute();

  await db.schema
    .createTable('request_answers')
    .addColumn('request_id', 'text', (c) => c.primaryKey().references('requests.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_answers_household').on('request_answers').column('household_id').execute();

  await db.schema.alterTable('requests').addColumn('assigned_to', 'text').execute();
  await db.schema.alterTable('requests').addColumn('assigned_label', 'text').execute();
  await db.schema.alterTable('requests').addColumn('assigned_at', 'text').execute();
  await db.schema.createIndex('requests_status_created').on('requests').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('requests_assigned').on('requests').columns(['assigned_to', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('requests_assigned').execute();
  await db.schema.dropIndex('requests_status_created').execute();
  await db.schema.alterTable('requests').dropColumn('assigned_at').execute();
  await db.schema.alterTable('requests').dropColumn('assigned_label').execute();
  await db.schema.alterTable('requests').dropColumn('assigned_to').execute();
  await db.schema.dropTable('request_answers').execute();
  await db.schema.dropTable('request_attachments').execute();
}
