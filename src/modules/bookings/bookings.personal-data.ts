import { labelOf, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { bookingExportRows } from './bookings.personal-data.repository.ts';

const STATUS = { booked: 'Réservé', waiting: 'Liste d\'attente', requested: 'Demandé (tirage au sort)', cancelled: 'Annulé', closed: 'Annulé (fermeture)' };
const ATTENDANCE = { present: 'Présent', absent_justified: 'Absence justifiée', absent_unjustified: 'Absence non justifiée', present_unbooked: 'Présent sans réservation' };

/**
 * Bookings and attendance: what a child was booked on, and whether they came. They are the basis of
 * billing: once the household is anonymised they stay without a name (the child's person row is
 * anonymised by the households module) and no free text is held here.
 */
export const bookingsPersonalData: PersonalDataDeclaration = {
  module: 'bookings',
  tables: [{ name: 'bookings', keys: ['household_id', 'child_person_id', 'attendance_by'], personal: ['day', 'status', 'attendance', 'absence_declared_at'] }],
  sections: [{ key: 'bookings', title: 'Réservations et présences', empty: 'Aucune réservation.', fields: { child: 'Enfant', service: 'Service', day: 'Jour', status: 'Réservation', attendance: 'Présence' } }],

  async export(db, scope) {
    const rows = await bookingExportRows(db, scope.householdId);
    return {
      bookings: rows.map((r) => ({
        child: r.first_name,
        service: r.service,
        day: r.day,
        status: labelOf(STATUS, r.status),
        waiting_rank: r.waiting_rank,
        attendance: labelOf(ATTENDANCE, r.attendance),
        absence_declared_at: r.absence_declared_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
      })),
    };
  },

  async anonymise() {
    // Kept for billing and statistics, without a name: nothing here identifies the child once its person row is anonymised.
  },
};
