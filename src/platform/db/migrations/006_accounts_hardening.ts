import type { Kysely } from 'kysely';

/**
 * Accounts hardening (issue 8):
 * - outbox: the one-time secret of a message (activation code, link token) is kept apart from the
 *   body, sealed, and wiped once handed to SMTP; bodies are emptied after a short retention; the
 *   account and household a message is about, to audit an agent reading it;
 * - auth_throttle: failure counters for logins and caps on e-mails, shared by every instance.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('sealed_secret', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('has_secret', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('outbox').addColumn('user_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('household_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('body_purged_at', 'text').execute();
  await db.schema.createIndex('outbox_retention').on('outbox').columns(['body_purged_at', 'created_at']).execute();

  await db.schema
    .createTable('auth_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_throttle_last').on('auth_throttle').column('last_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auth_throttle').execute();
  await db.schema.dropIndex('outbox_retention').execute();
  for (const column of ['body_purged_at', 'household_id', 'user_id', 'has_secret', 'sealed_secret']) await db.schema.alterTable('outbox').dropColumn(column).execute();
}
