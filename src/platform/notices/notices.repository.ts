import type { Executor } from '../audit/audit.repository.ts';
import { newId } from '../ids.ts';

/** Portal notices: the family's inbox for automatic messages (a place freed, a day closed, a request decided). */
export async function insertNotice(tx: Executor, householdId: string, text: string, now: Date) {
  await tx.insertInto('notices').values({ id: newId(), household_id: householdId, at: now.toISOString(), text, read_at: null }).execute();
}

export async function noticesOf(db: Executor, householdId: string, limit = 10) {
  return db.selectFrom('notices').selectAll().where('household_id', '=', householdId).orderBy('at', 'desc').limit(limit).execute();
}
