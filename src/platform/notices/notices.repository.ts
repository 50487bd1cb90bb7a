import type { Executor } from '../audit/audit.repository.ts';
import { newId } from '../ids.ts';
import { prepared } from '../db/prepared.ts';

/** Portal notices: the family's inbox for automatic messages (a place freed, a day closed, a request decided). */
export async function insertNotice(tx: Executor, householdId: string, text: string, now: Date) {
  await tx.insertInto('notices').values({ id: newId(), household_id: householdId, at: now.toISOString(), text, read_at: null }).execute();
}

/** The latest notices of a household: 5 on the home page, 10 on the bookings page. */
export async function noticesOf(db: Executor, householdId: string, limit: 5 | 10 = 10) {
  return noticesQueries[limit].all(db, householdId);
}

// Read by every family home and calendar page: built and compiled once, one query per limit (on
// SQLite a limit is written in the SQL text, not bound: see database.ts).
const noticesQuery = (limit: number) => prepared((db, householdId: string) => db.selectFrom('notices').selectAll().where('household_id', '=', householdId).orderBy('at', 'desc').limit(limit));
const noticesQueries = { 5: noticesQuery(5), 10: noticesQuery(10) };
