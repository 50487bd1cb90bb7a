import type { Kysely } from 'kysely';

/**
 * How a period collected on requests is drawn, chosen by the town per period:
 * - `day`: each day's places are drawn separately (the behaviour before this migration, kept for
 *   existing periods);
 * - `request`: a child's requested days of one week (same unit) are given together or not at all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('periods').addColumn('draw_mode', 'text', (c) => c.notNull().defaultTo('day')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('periods').dropColumn('draw_mode').execute();
}
