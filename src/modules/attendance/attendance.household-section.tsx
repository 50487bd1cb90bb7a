import type { HouseholdSection } from '../households/households.agent-service.ts';
import { Table } from '../../platform/ui/components.tsx';
import { monthDays, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { monthTally } from './attendance.month.domain.ts';
import * as repo from './attendance.repository.ts';

/** Where the counter reads a child's month day by day (attendance.household-routes.tsx). */
export const monthDetailUrl = (householdId: string, childId: string, month: string) => `/agent/foyers/${householdId}/presences?enfant=${childId}&mois=${month}`;

/**
 * The household page's « Réservations et présences » of this month: per child and service, days booked,
 * waiting, present and absent, each row leading to the days themselves. One grouped query.
 */
export const attendanceHouseholdSection: HouseholdSection = {
  title: 'Réservations et présences du mois',
  async render(db, household, today) {
    const month = today.slice(0, 7);
    const days = monthDays(month);
    const childIds = household.children.map((c) => c.id);
    const tallies = monthTally(await repo.monthCountsOf(db, household.id, childIds, days[0], days[days.length - 1]), childIds);
    const names = new Map(household.children.map((c) => [c.id, c.first_name]));
    return (
      <Table
        caption={`Réservations et présences – ${monthLabel(month)}`}
        rows={tallies}
        empty={`Aucune réservation en ${monthLabel(month)}.`}
        columns={[
          { header: 'Enfant', cell: (t) => names.get(t.childId) },
          { header: 'Service', cell: (t) => t.serviceName },
          { header: 'Jours réservés', cell: (t) => t.booked, numeric: true },
          { header: 'En attente', cell: (t) => t.waiting, numeric: true },
          { header: 'Présent', cell: (t) => t.present, numeric: true },
          { header: 'Absent', cell: (t) => (t.justified > 0 ? `${t.absent} (dont ${t.justified} justifiée${t.justified > 1 ? 's' : ''})` : t.absent), numeric: true },
          {
            header: 'Détail',
            cell: (t) => (
              <a href={monthDetailUrl(household.id, t.childId, month)}>
                Jour par jour<span class="visually-hidden"> : {names.get(t.childId)}, {t.serviceName}</span>
              </a>
            ),
          },
        ]}
      />
    );
  },
};
