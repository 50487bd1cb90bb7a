import type { AudienceCriterion } from '../../platform/audience/audience.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';

/**
 * Messaging audiences about bookings: families with a child booked (place confirmed) on a day, or on
 * at least one day of a period. A child in two households matches both.
 */
export const bookingAudienceCriteria: readonly AudienceCriterion[] = [
  {
    key: 'reserve_le',
    legend: 'Enfant réservé le',
    hint: 'Un jour où un enfant a une place réservée (tous services), par exemple un jour de grève. Format : AAAA-MM-JJ.',
    input: 'day',
    describeDay: (day) => `enfant réservé le ${dayLabel(day, true)}`,
    households: (db, values) =>
      db
        .selectFrom('bookings as b')
        .innerJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'b.child_person_id').on('hm.role', '=', 'child'))
        .where('b.status', '=', 'booked')
        .where('b.day', 'in', [...values])
        .select('hm.household_id'),
  },
  {
    key: 'periode',
    legend: 'Enfant réservé pendant la période',
    input: 'choices',
    choices: async (db, today) =>
      (await db.selectFrom('periods').select(['id as value', 'label', 'start_date']).where('end_date', '>=', today).orderBy('start_date').limit(40).execute()).map((p) => ({ value: p.value, label: p.label })),
    households: (db, values) =>
      db
        .selectFrom('bookings as b')
        .innerJoin('periods as p', (j) => j.onRef('b.day', '>=', 'p.start_date').onRef('b.day', '<=', 'p.end_date'))
        .innerJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'b.child_person_id').on('hm.role', '=', 'child'))
        .where('b.status', '=', 'booked')
        .where('p.id', 'in', [...values])
        .select('hm.household_id'),
  },
];
