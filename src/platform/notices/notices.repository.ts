import type { Executor } from '../audit/audit.repository.ts';
import { newId } from '../ids.ts';
import { prepared } from '../db/prepared.ts';

/** Portal notices: the family's inbox for automatic messages (a place freed, a day closed, a request decided). */
export async function insertNotice(tx: Executor, householdId: string, text: string, now: Date) {
  await tx.insertInto('notices').values({ id: newId(), household_id: householdId, at: now.toISOString(), text, read_at: null }).execute();
}

export async function noticesOf(db: Executor, householdId: string, limit = 10) {
  return noticesQuery.all(db, householdId, limit);
}

// Read by every family home and calendar page: built and compiled once.
const noticesQuery = prepared((db, householdId: string, limit: number) => db.selectFrom('notices').selectAll().where('household_id', '=', householdId).orderBy('at', 'desc').limit(limit));
