import type { Kysely } from 'kysely';

/**
 * Enrolments found from their request: the family's home (pending enrolments of a household) and
 * the agent's household page join requests → enrolments. Without this index SQLite read every
 * enrolment of the town for each home page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('enrolments_request').on('enrolments').column('request_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('enrolments_request').execute();
}
