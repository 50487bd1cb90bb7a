import { sql, type Kysely } from 'kysely';

/**
 * Waiting lists kept on their slot's row, which a booking transaction locks anyway:
 * - `waiting_seq`, the last rank given, instead of one global counter on which every transaction
 *   putting a child on any waiting list queued on an opening day;
 * - `waiting`, how many children wait now, so that a family put on the list learns its position
 *   without counting the whole list (quadratic over an opening day);
 * - `closed`, set when the town closes the day: a form that was on its way when the day closed
 *   reads it with the lock it takes on the slot, and books nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slots').addColumn('waiting_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('slots').addColumn('waiting', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('slots').addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Existing ranks stay valid: each slot's sequence starts after the highest rank it already holds.
  await sql`update slots set
    waiting_seq = coalesce((select max(b.waiting_rank) from bookings b where b.slot_id = slots.id), 0),
    waiting = (select count(*) from bookings b where b.slot_id = slots.id and b.status = 'waiting'),
    closed = case when exists (
      select 1 from closures c join units u on u.id = slots.unit_id join services s on s.id = u.service_id
      where c.day = slots.day and (c.facility_id is null or c.facility_id = s.facility_id) and (c.service_id is null or c.service_id = s.id)
    ) then 1 else 0 end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slots').dropColumn('closed').execute();
  await db.schema.alterTable('slots').dropColumn('waiting').execute();
  await db.schema.alterTable('slots').dropColumn('waiting_seq').execute();
}
