import { sql, type Kysely } from 'kysely';

/**
 * Waiting lists kept on their slot's row, which a booking transaction locks anyway:
 * - `waiting_seq`, the last rank given, instead of one global counter on which every transaction
 *   putting a child on any waiting list queued on an opening day;
 * - `waiting`, how many children wait now, so that a family put on the list learns its position
 *   without counting the whole list (quadratic over an opening day).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slots').addColumn('waiting_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('slots').addColumn('waiting', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Existing ranks stay valid: each slot's sequence starts after the highest rank it already holds.
  await sql`update slots set
    waiting_seq = coalesce((select max(b.waiting_rank) from bookings b where b.slot_id = slots.id), 0),
    waiting = (select count(*) from bookings b where b.slot_id = slots.id and b.status = 'waiting')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slots').dropColumn('waiting').execute();
  await db.schema.alterTable('slots').dropColumn('waiting_seq').execute();
}
