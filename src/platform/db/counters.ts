import type { Executor } from '../audit/audit.repository.ts';

/** Next value of a named counter, atomically (UPDATE … RETURNING on both engines), inside the caller's transaction. */
export async function nextCounter(tx: Executor, name: string): Promise<number> {
  const row = await tx.updateTable('counters').set((eb) => ({ value: eb('value', '+', 1) })).where('name', '=', name).returning('value').executeTakeFirst();
  if (row) return Number(row.value);
  const inserted = await tx.insertInto('counters').values({ name, value: 1 }).onConflict((oc) => oc.column('name').doNothing()).returning('value').executeTakeFirst();
  // Another transaction created the counter first: take the next value from it.
  return inserted ? 1 : nextCounter(tx, name);
}
