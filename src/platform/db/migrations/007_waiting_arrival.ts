import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Waiting ranks become the instant the server received the request that put the child on the list
 * (microseconds since 1970, src/modules/bookings/README.md): 64-bit on PostgreSQL (SQLite's
 * integers already are). Ranks given before stay smaller, so those children stay ahead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`alter table bookings alter column waiting_rank type bigint`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Arrival stamps do not fit back in 32 bits: ranks are renumbered per slot in the same order.
  await sql`update bookings set waiting_rank = (select count(*) from bookings w where w.slot_id = bookings.slot_id and w.status = 'waiting' and w.waiting_rank <= bookings.waiting_rank) where status = 'waiting'`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`alter table bookings alter column waiting_rank type integer`.execute(db);
}
