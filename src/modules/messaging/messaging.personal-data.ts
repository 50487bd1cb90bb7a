import { labelOf, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { anonymiseMessaging, messagingExportRows } from './messaging.personal-data.repository.ts';

const MAIL_STATES = { pending: 'Courriel en préparation', queued: 'Courriel envoyé', none: 'Sans adresse : sur le portail seulement', opted_out: 'Courriel refusé : sur le portail seulement' };

/**
 * Messaging keeps, for each guardian a message was sent to, the address used and when it was read,
 * and the categories of e-mails a guardian switched off. The messages themselves are the town's text.
 */
export const messagingPersonalData: PersonalDataDeclaration = {
  module: 'messaging',
  tables: [
    { name: 'messages', keys: ['created_by'], personal: ['created_by_label'], note: 'Auteur du message : un agent de la mairie, pas une famille.' },
    { name: 'message_recipients', keys: ['person_id', 'household_id', 'user_id'], personal: ['email', 'read_at'] },
    { name: 'mail_preferences', keys: ['person_id'], personal: ['category'] },
  ],
  sections: [
    { key: 'messages_received', title: 'Messages reçus de la mairie', empty: 'Aucun message reçu.', fields: { subject: 'Objet', sent_at: 'Envoyé le', to: 'Destinataire', email: 'Adresse utilisée', mail: 'Courriel', read_at: 'Lu le' } },
    { key: 'mail_preferences', title: 'Courriels refusés', empty: 'Aucun : tous les courriels sont acceptés.', fields: { who: 'Responsable', category: 'Catégorie refusée', updated_at: 'Depuis le' } },
  ],

  async export(db, scope) {
    const { received, preferences } = await messagingExportRows(db, scope.personIds);
    return {
      messages_received: received.map((r) => ({ subject: r.subject, sent_at: r.send_at, to: `${r.first_name} ${r.last_name}`, email: r.email, mail: labelOf(MAIL_STATES, r.mail_state), read_at: r.read_at })),
      mail_preferences: preferences.map((p) => ({ who: `${p.first_name} ${p.last_name}`, category: p.category, updated_at: p.updated_at })),
    };
  },

  anonymise: (tx, scope) => anonymiseMessaging(tx, scope),
};
