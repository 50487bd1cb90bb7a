import type { Executor } from '../../platform/audit/audit.repository.ts';
import { prepared } from '../../platform/db/prepared.ts';

/**
 * The family's inbox: messages whose send time has come, addressed to the given guardians (the
 * guardian logged in, or every guardian of the household for an agent at the counter).
 */

export async function guardiansOf(db: Executor, householdId: string) {
  return (await db.selectFrom('household_members').select('person_id').where('household_id', '=', householdId).where('role', '=', 'guardian').execute()).map((r) => r.person_id);
}

export async function inboxOf(db: Executor, personIds: string[], now: Date, limit: number) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('message_recipients as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .select(['m.id', 'm.subject', 'm.category', 'm.send_at'])
    .select((eb) => [eb.fn.max('r.read_at').as('read_at'), eb.fn.min('r.read_at').as('first_read_at')])
    .where('r.person_id', 'in', personIds)
    .where('m.send_at', '<=', now.toISOString())
    .groupBy(['m.id', 'm.subject', 'm.category', 'm.send_at'])
    .orderBy('m.send_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
}

/** Messages not yet opened by these guardians (for the counter: by none of them). */
export async function unreadCount(db: Executor, personIds: string[], now: Date) {
  if (personIds.length === 0) return 0;
  const row = await unreadCountQuery.first(db, personIds, now.toISOString(), personIds);
  return Number(row?.n ?? 0);
}

// Read by every family home page: built and compiled once (per number of guardians).
const unreadCountQuery = prepared((db, personIds: readonly string[], now: string, readers: readonly string[]) =>
  db
    .selectFrom('message_recipients as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .select((eb) => eb.fn.count<number>('r.message_id').distinct().as('n'))
    .where('r.person_id', 'in', personIds)
    .where('r.read_at', 'is', null)
    .where('m.send_at', '<=', now)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('message_recipients as other').select('other.person_id').whereRef('other.message_id', '=', 'r.message_id').where('other.person_id', 'in', readers).where('other.read_at', 'is not', null)))),
);

/** The message if it was sent to one of these guardians and its time has come; else nothing (a 404). */
export async function inboxMessage(db: Executor, personIds: string[], messageId: string, now: Date) {
  if (personIds.length === 0) return undefined;
  return db
    .selectFrom('messages as m')
    .select(['m.id', 'm.subject', 'm.body', 'm.category', 'm.send_at'])
    .where('m.id', '=', messageId)
    .where('m.send_at', '<=', now.toISOString())
    .where((eb) => eb.exists(eb.selectFrom('message_recipients as r').select('r.person_id').whereRef('r.message_id', '=', 'm.id').where('r.person_id', 'in', personIds)))
    .executeTakeFirst();
}

/** The read receipt: the first opening only. */
export async function markRead(db: Executor, personId: string, messageId: string, now: Date) {
  await db.updateTable('message_recipients').set({ read_at: now.toISOString() }).where('message_id', '=', messageId).where('person_id', '=', personId).where('read_at', 'is', null).execute();
}
