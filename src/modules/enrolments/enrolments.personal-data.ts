import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { labelOf } from '../../platform/privacy/personal-data.ts';
import { enrolmentExportRows } from './enrolments.personal-data.repository.ts';
import { linksOfHousehold } from './enrolments.documents.repository.ts';

const STATUS = { submitted: 'Déposée', in_review: 'En instruction', accepted: 'Acceptée', refused: 'Refusée', waiting_list: 'Liste d\'attente' };

/**
 * Enrolments tie a child to a service for a school year. They hold no free text: once the child is
 * anonymised they stay, without a name, for the town's statistics.
 */
export const enrolmentsPersonalData: PersonalDataDeclaration = {
  module: 'enrolments',
  tables: [
    { name: 'enrolments', keys: ['child_person_id', 'request_id'], personal: ['service_id', 'school_year_id', 'group_id', 'status'] },
    // Which wallet documents an enrolment request carries: the documents themselves are the documents module's
    // (exported and deleted there; the link loses its document with them).
    { name: 'enrolment_documents', keys: ['household_id', 'request_id'], personal: ['document_id', 'document_type_id'] },
  ],
  sections: [
    { key: 'enrolments', title: 'Inscriptions aux services', empty: 'Aucune inscription.', fields: { child: 'Enfant', service: 'Service', school_year: 'Année scolaire', status: 'État', created_at: 'Demandée le' } },
    { key: 'enrolment_documents', title: 'Documents joints aux demandes d\'inscription', empty: 'Aucun document joint.', fields: { request: 'Demande', type: 'Pièce', document_date: 'Date du document' } },
  ],

  async export(db, scope) {
    const carried = (await linksOfHousehold(db, scope.householdId)).map((l) => ({ request: l.reference, type: l.type_label, document_date: l.document_date }));
    if (scope.personIds.length === 0) return { enrolments: [], enrolment_documents: carried };
    const rows = await enrolmentExportRows(db, scope.householdId);
    return { enrolments: rows.map((r) => ({ child: r.first_name, service: r.service, school_year: r.school_year, status: labelOf(STATUS, r.status), created_at: r.created_at })), enrolment_documents: carried };
  },

  async anonymise() {
    // Nothing to blank: no free text, and the child's person row is anonymised by the households module.
  },
};
