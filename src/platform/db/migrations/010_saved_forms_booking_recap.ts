import type { Kysely } from 'kysely';

/**
 * Issue 9:
 * - saved_forms: a form posted just after the session expired, kept (sealed) for 30 minutes so the
 *   same person finds it again after logging in (src/platform/http/resume.ts);
 * - households.booking_recap_mail: 1 when the family asked to receive the summary of its bookings
 *   by e-mail after each form it saves (default off).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saved_forms')
    // SHA-256 of the random handle held in the browser's cookie: the database alone gives nothing back.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('return_path', 'text', (c) => c.notNull())
    .addColumn('sealed_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_forms_user').on('saved_forms').column('user_id').execute();
  await db.schema.createIndex('saved_forms_expiry').on('saved_forms').column('expires_at').execute();
  await db.schema.alterTable('households').addColumn('booking_recap_mail', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('households').dropColumn('booking_recap_mail').execute();
  await db.schema.dropTable('saved_forms').execute();
}
