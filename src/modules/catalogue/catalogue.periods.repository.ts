import type { Executor } from '../../platform/audit/audit.repository.ts';
import { prepared } from '../../platform/db/prepared.ts';

/**
 * Periods a family may need explained (bookings opening on a date, or places given by draw) that
 * are not over: at most 20, soonest first. The pages choose among them (bookings.openings.domain.ts).
 */
export async function periodsToExplain(db: Executor, today: string) {
  return periodsToExplainQuery.all(db, today);
}

const periodsToExplainQuery = prepared((db, today: string) =>
  db
    .selectFrom('periods')
    .select(['id', 'school_year_id', 'kind', 'label', 'start_date', 'end_date', 'booking_opens_at', 'allocation', 'requests_close_at', 'allocated_at', 'draw_mode'])
    .where('end_date', '>=', today)
    .where((eb) => eb.or([eb('booking_opens_at', 'is not', null), eb('allocation', '=', 'draw')]))
    .orderBy('start_date')
    .limit(20),
);
