import type { Executor } from '../../platform/audit/audit.repository.ts';

/** Each guardian's e-mail preferences: one row per topic switched off. */

export async function topicsOff(db: Executor, personId: string) {
  return (await db.selectFrom('mail_preferences').select('category').where('person_id', '=', personId).execute()).map((r) => r.category);
}

/** Sets exactly the given optional topics off (the others on), in the caller's transaction. */
export async function setTopicsOff(tx: Executor, personId: string, optional: readonly string[], off: readonly string[], now: Date) {
  const on = optional.filter((t) => !off.includes(t));
  if (on.length > 0) await tx.deleteFrom('mail_preferences').where('person_id', '=', personId).where('category', 'in', on).execute();
  if (off.length > 0) {
    await tx
      .insertInto('mail_preferences')
      .values(off.map((category) => ({ person_id: personId, category, updated_at: now.toISOString() })))
      .onConflict((oc) => oc.columns(['person_id', 'category']).doNothing())
      .execute();
  }
}

export async function personExists(db: Executor, personId: string) {
  return !!(await db.selectFrom('persons').select('id').where('id', '=', personId).executeTakeFirst());
}
