import type { Kysely } from 'kysely';

/**
 * Messaging (issue 13): messages written by the town to an audience, the recipients snapshot taken at
 * the click (one row per guardian, whatever the number of households they belong to), the PDF
 * attachments, and each guardian's e-mail preferences.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The compose form's key: a double click or a resent form finds the message already made.
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull()) // manual | a notification kind
    .addColumn('category', 'text', (c) => c.notNull()) // information | urgent | rappel
    // The e-mail preference it falls under (a category, or a notification kind), and whether it may be refused.
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('essential', 'integer', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull()) // JSON { criterion: values[] }
    .addColumn('audience_label', 'text', (c) => c.notNull())
    .addColumn('households_count', 'integer', (c) => c.notNull())
    .addColumn('recipients_count', 'integer', (c) => c.notNull())
    .addColumn('send_at', 'text', (c) => c.notNull())
    .addColumn('mailing_done_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();

  await db.schema
    .createTable('message_recipients')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    // One of the guardian's households in the audience (the first by id), for the counter's list.
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('email', 'text')
    // pending: to be turned into an e-mail; queued: in the outbox; none: no address; opted_out: preference.
    .addColumn('mail_state', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addPrimaryKeyConstraint('message_recipients_pk', ['message_id', 'person_id'])
    .execute();
  await db.schema.createIndex('message_recipients_state').on('message_recipients').columns(['mail_state', 'message_id']).execute();
  await db.schema.createIndex('message_recipients_person').on('message_recipients').columns(['person_id', 'message_id']).execute();
  await db.schema.createIndex('message_recipients_household').on('message_recipients').column('household_id').execute();

  await db.schema
    .createTable('message_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    // Base64 of the PDF: one portable column type on both engines; files are small (bounded).
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_attachments_message').on('message_attachments').column('message_id').execute();

  // A row per guardian and category they switched off; no row: the e-mail is wanted.
  await db.schema
    .createTable('mail_preferences')
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_preferences_pk', ['person_id', 'category'])
    .execute();

  // News and menus the town publishes on the public home page and the family home, between two days.
  await db.schema
    .createTable('news_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // news | menu
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('news_items_dates').on('news_items').columns(['ends_on', 'starts_on']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['news_items', 'mail_preferences', 'message_attachments', 'message_recipients', 'messages']) await db.schema.dropTable(t).execute();
}
