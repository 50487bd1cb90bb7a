import type { Executor } from '../../platform/audit/audit.repository.ts';

/**
 * The queries of the RGPD module itself: who belongs to a household, and the guard that marks it
 * anonymised once. What each module holds, and how it is exported or anonymised, is in that
 * module's `*.personal-data.ts` (the registry in src/personal-data.ts).
 */

// Export

export async function householdReference(db: Executor, householdId: string) {
  return db.selectFrom('households').select(['reference']).where('id', '=', householdId).executeTakeFirst();
}

export async function memberIds(db: Executor, householdId: string): Promise<string[]> {
  const rows = await db.selectFrom('household_members').select('person_id').where('household_id', '=', householdId).execute();
  return rows.map((r) => r.person_id);
}

// Anonymisation

export async function householdForAnonymisation(db: Executor, householdId: string) {
  return db.selectFrom('households').select(['id', 'reference', 'name', 'archived_at', 'anonymised_at']).where('id', '=', householdId).executeTakeFirst();
}

/**
 * Marks the household anonymised, once: the condition is in the UPDATE itself (still archived at the
 * instant the rule was checked against, not yet anonymised), so two admins clicking at the same time
 * anonymise it once, and a household reactivated in between is left alone.
 */
export async function markAnonymised(tx: Executor, householdId: string, checkedArchivedAt: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('households')
    .set({ anonymised_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', householdId)
    .where('anonymised_at', 'is', null)
    .where('archived_at', '=', checkedArchivedAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function membersOfHousehold(db: Executor, householdId: string) {
  return db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .select(['persons.id', 'persons.kind', 'persons.birth_date', 'persons.email', 'persons.user_id', 'household_members.role'])
    .where('household_members.household_id', '=', householdId)
    .execute();
}

/** Which of these persons also belong to another household that still holds personal data. */
export async function personsSharedWithLiveHousehold(db: Executor, personIds: string[], householdId: string): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('household_members')
    .innerJoin('households', 'households.id', 'household_members.household_id')
    .select('household_members.person_id')
    .where('household_members.person_id', 'in', personIds)
    .where('household_members.household_id', '!=', householdId)
    .where('households.anonymised_at', 'is', null)
    .where('households.merged_into_id', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

export async function emailsOfUsers(db: Executor, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users').select('email').where('id', 'in', userIds).execute();
  return rows.map((r) => r.email).filter((e): e is string => !!e);
}

