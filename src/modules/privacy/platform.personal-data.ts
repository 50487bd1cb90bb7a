import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { addressesOf, deleteMailsTo, deleteNotices, deleteSavedForms, mailExportRows, noticeExportRows } from './platform.personal-data.repository.ts';

/**
 * Personal data of the platform's shared tables, declared by the privacy module: the family's
 * portal notices (they name the child), the e-mails sent to its addresses and the forms kept across a
 * reconnection. All go on anonymisation.
 */
export const platformPersonalData: PersonalDataDeclaration = {
  module: 'platform',
  tables: [
    { name: 'notices', keys: ['household_id'], personal: ['text'] },
    { name: 'outbox', keys: ['to_address'], personal: ['to_address', 'subject', 'text_body', 'html_body'] },
    {
      name: 'saved_forms',
      keys: ['user_id'],
      personal: ['sealed_body'],
      note: 'Un formulaire envoyé juste après la fin de la session, scellé et gardé 30 minutes au plus pour être vérifié après la reconnexion : non exporté (il n\'a pas encore d\'effet), supprimé à l\'anonymisation.',
    },
  ],
  sections: [
    { key: 'notices', title: 'Messages du portail', empty: 'Aucun message.', fields: { at: 'Date', text: 'Message', read_at: 'Lu le' } },
    { key: 'mails', title: 'Courriels envoyés', empty: 'Aucun courriel.', fields: { to: 'Destinataire', subject: 'Objet', created_at: 'Préparé le', sent_at: 'Envoyé le' } },
  ],

  async export(db, scope) {
    const [notices, addresses] = await Promise.all([noticeExportRows(db, scope.householdId), scope.personIds.length ? addressesOf(db, scope.personIds) : Promise.resolve([])]);
    const emails = [...new Set(addresses.flatMap((a) => [a.person_email, a.user_email]).filter((e): e is string => !!e))];
    const mails = emails.length ? await mailExportRows(db, emails) : [];
    return { notices, mails: mails.map((m) => ({ to: m.to_address, subject: m.subject, created_at: m.created_at, sent_at: m.sent_at })) };
  },

  async anonymise(tx, scope) {
    await deleteNotices(tx, scope.householdId);
    if (scope.emails.length) await deleteMailsTo(tx, scope.emails);
    if (scope.userIds.length) await deleteSavedForms(tx, scope.userIds);
  },
};
