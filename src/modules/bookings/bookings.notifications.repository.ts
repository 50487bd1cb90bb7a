import type { Executor } from '../../platform/audit/audit.repository.ts';

/** SQL of the booking deadline reminder (notification « deadline_reminder »). */

/** Holiday periods starting after `today` and before `until`, with the holiday services that may be booked then. */
export async function upcomingHolidayServices(db: Executor, today: string, until: string) {
  return db
    .selectFrom('periods as p')
    .innerJoin('services as s', (j) => j.on('s.kind', '=', 'holiday').on('s.active', '=', 1))
    .select(['p.id as period_id', 'p.label as period_label', 'p.school_year_id', 'p.start_date', 'p.end_date', 'p.allocation', 'p.requests_close_at', 's.id as service_id', 's.name as service_name', 's.weekdays', 's.booking_rule'])
    .where('p.kind', '=', 'holiday')
    .where('p.start_date', '>', today)
    .where('p.start_date', '<=', until)
    .orderBy('p.start_date')
    .orderBy('s.id')
    .execute();
}

/**
 * Households to remind for a service and a holiday period: a child with an accepted enrolment in the
 * service for the period's school year, booked (place confirmed) in that service during the previous
 * holiday period, and no booking of any kind (confirmed, waiting, requested) in the service during the
 * period yet.
 */
export async function householdsToRemind(db: Executor, c: { serviceId: string; schoolYearId: string; start: string; end: string }) {
  const previous = await db
    .selectFrom('periods')
    .select(['start_date', 'end_date'])
    .where('kind', '=', 'holiday')
    .where('end_date', '<', c.start)
    .orderBy('end_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!previous) return [];
  const rows = await db
    .selectFrom('enrolments as e')
    .innerJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'e.child_person_id').on('hm.role', '=', 'child'))
    .innerJoin('households as h', 'h.id', 'hm.household_id')
    .select('hm.household_id')
    .distinct()
    .where('e.service_id', '=', c.serviceId)
    .where('e.school_year_id', '=', c.schoolYearId)
    .where('e.status', '=', 'accepted')
    .where('h.archived_at', 'is', null)
    .where('h.anonymised_at', 'is', null)
    .where('h.merged_into_id', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('bookings as b')
          .select('b.id')
          .whereRef('b.household_id', '=', 'hm.household_id')
          .where('b.service_id', '=', c.serviceId)
          .where('b.status', '=', 'booked')
          .where('b.day', '>=', previous.start_date)
          .where('b.day', '<=', previous.end_date),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('bookings as b')
            .select('b.id')
            .whereRef('b.household_id', '=', 'hm.household_id')
            .where('b.service_id', '=', c.serviceId)
            .where('b.status', 'in', ['booked', 'waiting', 'requested'])
            .where('b.day', '>=', c.start)
            .where('b.day', '<=', c.end),
        ),
      ),
    )
    .orderBy('hm.household_id')
    .execute();
  return rows.map((r) => r.household_id);
}
