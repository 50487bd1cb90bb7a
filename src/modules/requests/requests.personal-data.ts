import { ANONYMOUS_NAME, REDACTED, labelOf, flag, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { STATUS_LABELS } from './requests.domain.ts';

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
    const [requests, events, messages] = await Promise.all([
      db.selectFrom('requests').select(['reference', 'type', 'summary', 'status', 'created_at', 'updated_at']).where('household_id', '=', scope.householdId).orderBy('created_at', 'desc').execute(),
      db
        .selectFrom('request_events')
        .innerJoin('requests', 'requests.id', 'request_events.request_id')
        .select(['requests.reference', 'request_events.at', 'request_events.actor_label', 'request_events.from_status', 'request_events.to_status', 'request_events.note'])
        .where('requests.household_id', '=', scope.householdId)
        .orderBy('request_events.at')
        .execute(),
      db
        .selectFrom('request_messages')
        .innerJoin('requests', 'requests.id', 'request_messages.request_id')
        .select(['requests.reference', 'request_messages.at', 'request_messages.author_label', 'request_messages.from_family', 'request_messages.body'])
        .where('requests.household_id', '=', scope.householdId)
        .orderBy('request_messages.at')
        .execute(),
    ]);
    return {
      requests: requests.map((r) => ({ ...r, status: labelOf(STATUS_LABELS, r.status) })),
      request_events: events.map((e) => ({ request: e.reference, at: e.at, by: e.actor_label, from_status: labelOf(STATUS_LABELS, e.from_status), to_status: labelOf(STATUS_LABELS, e.to_status), note: e.note })),
      request_messages: messages.map((m) => ({ request: m.reference, at: m.at, by: m.author_label, from_family: flag(m.from_family), body: m.body })),
    };
  },

  /** Requests keep their type, status and dates (statistics); every text that may name the child goes. */
  async anonymise(tx, scope) {
    const ids = tx.selectFrom('requests').select('id').where('household_id', '=', scope.householdId);
    await tx.updateTable('requests').set({ summary: REDACTED }).where('household_id', '=', scope.householdId).execute();
    await tx.updateTable('request_messages').set({ body: REDACTED }).where('request_id', 'in', ids).execute();
    await tx.updateTable('request_messages').set({ author_label: ANONYMOUS_NAME }).where('request_id', 'in', ids).where('from_family', '=', 1).execute();
    await tx.updateTable('request_events').set({ note: null }).where('request_id', 'in', ids).where('note', 'is not', null).execute();
    if (scope.userIds.length) await tx.updateTable('request_events').set({ actor_label: ANONYMOUS_NAME }).where('actor_id', 'in', scope.userIds).execute();
  },
};
