import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { labelOf } from '../../platform/privacy/personal-data.ts';

const STATUS = { submitted: 'Déposée', in_review: 'En instruction', accepted: 'Acceptée', refused: 'Refusée', waiting_list: 'Liste d\'attente' };

/**
 * Enrolments tie a child to a service for a school year. They hold no free text: once the child is
 * anonymised they stay, without a name, for the town's statistics.
 */
export const enrolmentsPersonalData: PersonalDataDeclaration = {
  module: 'enrolments',
  tables: [{ name: 'enrolments', keys: ['child_person_id', 'request_id'], personal: ['service_id', 'school_year_id', 'group_id', 'status'] }],
  sections: [{ key: 'enrolments', title: 'Inscriptions aux services', empty: 'Aucune inscription.', fields: { child: 'Enfant', service: 'Service', school_year: 'Année scolaire', status: 'État', created_at: 'Demandée le' } }],

  async export(db, scope) {
    if (scope.personIds.length === 0) return { enrolments: [] };
    const rows = await db
      .selectFrom('enrolments')
      .innerJoin('requests', 'requests.id', 'enrolments.request_id')
      .innerJoin('persons', 'persons.id', 'enrolments.child_person_id')
      .innerJoin('services', 'services.id', 'enrolments.service_id')
      .innerJoin('school_years', 'school_years.id', 'enrolments.school_year_id')
      .select(['persons.first_name', 'services.name as service', 'school_years.label as school_year', 'enrolments.status', 'enrolments.created_at'])
      .where('requests.household_id', '=', scope.householdId)
      .orderBy('enrolments.created_at', 'desc')
      .execute();
    return { enrolments: rows.map((r) => ({ child: r.first_name, service: r.service, school_year: r.school_year, status: labelOf(STATUS, r.status), created_at: r.created_at })) };
  },

  async anonymise() {
    // Nothing to blank: no free text, and the child's person row is anonymised by the households module.
  },
};
