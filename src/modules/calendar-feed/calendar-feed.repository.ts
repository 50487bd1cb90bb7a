import type { Executor } from '../../platform/audit/audit.repository.ts';

export async function feedVersion(db: Executor, householdId: string): Promise<number> {
  const row = await db.selectFrom('calendar_feeds').select('version').where('household_id', '=', householdId).executeTakeFirst();
  return row?.version ?? 1;
}

/** A new version makes the previous secret address stop working. */
export async function bumpVersion(tx: Executor, householdId: string, current: number) {
  await tx
    .insertInto('calendar_feeds')
    .values({ household_id: householdId, version: current + 1 })
    .onConflict((oc) => oc.column('household_id').doUpdateSet({ version: current + 1 }))
    .execute();
}

/**
 * Active bookings of the household's children, whoever booked them: a child of separated parents
 * appears in both households' agendas, as in both families' booking calendars.
 */
export async function bookingsForFeed(db: Executor, householdId: string, from: string, to: string) {
  return db
    .selectFrom('household_members')
    .innerJoin('bookings', 'bookings.child_person_id', 'household_members.person_id')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('units', 'units.id', 'bookings.unit_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['bookings.id', 'bookings.day', 'persons.first_name', 'units.label', 'services.name'])
    .where('household_members.household_id', '=', householdId)
    .where('household_members.role', '=', 'child')
    .where('bookings.status', '=', 'booked')
    .where('bookings.day', '>=', from)
    .where('bookings.day', '<=', to)
    .orderBy('bookings.day')
    .orderBy('persons.first_name')
    .orderBy('units.position')
    .limit(5000)
    .execute();
}

export async function householdExists(db: Executor, id: string) {
  return db.selectFrom('households').select(['id', 'name']).where('id', '=', id).where('anonymised_at', 'is', null).executeTakeFirst();
}
