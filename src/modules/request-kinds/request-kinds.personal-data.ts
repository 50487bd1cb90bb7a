import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { anonymiseKinds, kindsExportRows } from './request-kinds.repository.ts';

/**
 * Personal data of the QF update and justified absence requests: the quotient read on an attestation
 * (income) and the day a child was ill. The documents themselves are the documents module's.
 */
export const requestKindsPersonalData: PersonalDataDeclaration = {
  module: 'request-kinds',
  tables: [
    { name: 'quotient_requests', keys: ['request_id', 'household_id'], personal: ['qf_value', 'qf_month', 'qf_source'] },
    { name: 'absence_requests', keys: ['request_id', 'household_id', 'child_person_id'], personal: ['day'] },
  ],
  sections: [
    { key: 'quotient_requests', title: 'Demandes de mise à jour du quotient familial', empty: 'Aucune.', fields: { request: 'Demande', qf_value: 'Quotient (€)', qf_month: 'À partir de', qf_source: 'Organisme' } },
    { key: 'absence_requests', title: 'Demandes d\'absence justifiée', empty: 'Aucune.', fields: { request: 'Demande', child: 'Enfant', day: 'Jour' } },
  ],

  async export(db, scope) {
    const { quotients, absences } = await kindsExportRows(db, scope.householdId);
    return {
      quotient_requests: quotients.map((q) => ({ request: q.reference, qf_value: q.qf_value, qf_month: q.qf_month, qf_source: q.qf_source === 'caf' ? 'CAF' : q.qf_source === 'msa' ? 'MSA' : null })),
      absence_requests: absences.map((a) => ({ request: a.reference, child: a.first_name, day: a.day })),
    };
  },

  /** The quotient goes; the day of absence stays with the request's dates (the booking keeps it anyway). */
  anonymise: (tx, scope) => anonymiseKinds(tx, scope.householdId),
};
