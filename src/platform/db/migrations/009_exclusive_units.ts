import type { Kysely } from 'kysely';

/**
 * Units of one service that exclude each other (« Journée avec repas » or « Matinée sans repas »,
 * never both on one day): the units of a service sharing a non-null `exclusion_group` are
 * alternatives. Null (every existing unit): the unit combines with any other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('units').addColumn('exclusion_group', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('units').dropColumn('exclusion_group').execute();
}
