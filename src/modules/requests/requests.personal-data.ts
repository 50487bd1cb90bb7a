import { labelOf, flag, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { STATUS_LABELS } from './requests.domain.ts';
import { anonymiseRequests, requestExportRows } from './requests.personal-data.repository.ts';

/**
 * Personal data of the request model: each request's summary names the child, and messages and
 * decision notes are free text written by the family or the town.
 */
export const requestsPersonalData: PersonalDataDeclaration = {
  module: 'requests',
  tables: [
    { name: 'requests', keys: ['household_id', 'subject_person_id'], personal: ['summary'] },
    { name: 'request_events', keys: ['request_id', 'actor_id'], personal: ['actor_label', 'note'] },
    { name: 'request_messages', keys: ['request_id', 'author_id'], personal: ['author_label', 'body'] },
  ],
  sections: [
    { key: 'requests', title: 'Demandes', empty: 'Aucune demande.', fields: { reference: 'Numéro', summary: 'Demande', status: 'État', created_at: 'Déposée le', updated_at: 'Mise à jour le' } },
    { key: 'request_events', title: 'Suivi des demandes', empty: 'Aucune étape enregistrée.', fields: { request: 'Demande', at: 'Date', by: 'Par', to_status: 'Nouvel état', note: 'Motif ou note' } },
    { key: 'request_messages', title: 'Messages des demandes', empty: 'Aucun message.', fields: { request: 'Demande', at: 'Date', by: 'Auteur', from_family: 'Écrit par la famille', body: 'Message' } },
  ],

  async export(db, scope) {
    const { requests, events, messages } = await requestExportRows(db, scope.householdId);
    return {
      requests: requests.map((r) => ({ ...r, status: labelOf(STATUS_LABELS, r.status) })),
      request_events: events.map((e) => ({ request: e.reference, at: e.at, by: e.actor_label, from_status: labelOf(STATUS_LABELS, e.from_status), to_status: labelOf(STATUS_LABELS, e.to_status), note: e.note })),
      request_messages: messages.map((m) => ({ request: m.reference, at: m.at, by: m.author_label, from_family: flag(m.from_family), body: m.body })),
    };
  },

  /** Requests keep their type, status and dates (statistics); every text that may name the child goes. */
  anonymise: (tx, scope) => anonymiseRequests(tx, scope),
};
