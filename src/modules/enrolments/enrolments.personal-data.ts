import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { labelOf } from '../../platform/privacy/personal-data.ts';
import { enrolmentExportRows } from './enrolments.personal-data.repository.ts';

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
    const rows = await enrolmentExportRows(db, scope.householdId);
    return { enrolments: rows.map((r) => ({ child: r.first_name, service: r.service, school_year: r.school_year, status: labelOf(STATUS, r.status), created_at: r.created_at })) };
  },

  async anonymise() {
    // Nothing to blank: no free text, and the child's person row is anonymised by the households module.
  },
};
