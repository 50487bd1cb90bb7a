import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The queries behind bookings.personal-data.ts: a household's bookings and attendance, for the RGPD export. */

export async function bookingExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['persons.first_name', 'services.name as service', 'bookings.day', 'bookings.status', 'bookings.waiting_rank', 'bookings.attendance', 'bookings.absence_declared_at', 'bookings.created_at', 'bookings.updated_at'])
    .where('bookings.household_id', '=', householdId)
    .orderBy('bookings.day', 'desc')
    .orderBy('persons.first_name')
    .limit(20_000)
    .execute();
}
