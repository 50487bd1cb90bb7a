import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { accountExportRow, anonymiseLogins } from './identity.personal-data.repository.ts';

/**
 * Personal data of the identity module: logins, their sessions, activation codes and e-mail
 * tokens. Only the requesting guardian's own account is exported, never a hash, code or token.
 */

const STATUS = { invited: 'Invité, pas encore activé', unverified: 'Adresse à confirmer', pending_link: 'En attente de rattachement', active: 'Actif', disabled: 'Désactivé' };

export const identityPersonalData: PersonalDataDeclaration = {
  module: 'identity',
  tables: [
    { name: 'users', keys: ['id'], personal: ['email', 'first_name', 'last_name', 'phone', 'password_hash', 'last_login_at'] },
    { name: 'sessions', keys: ['user_id', 'acting_household_id'], personal: ['created_at', 'last_seen_at'] },
    { name: 'activation_codes', keys: ['user_id'], personal: ['code_hash'] },
    { name: 'email_tokens', keys: ['user_id'], personal: ['token_hash'] },
  ],
  sections: [
    {
      key: 'account',
      title: 'Compte de connexion',
      single: true,
      empty: 'Un agent consulte ces données pour le foyer : le compte de connexion du responsable n\'est pas affiché.',
      fields: { email: 'Adresse de connexion', first_name: 'Prénom', last_name: 'Nom', phone: 'Téléphone', status: 'État', created_at: 'Compte créé le', last_login_at: 'Dernière connexion' },
    },
  ],

  async export(db, scope) {
    if (!scope.userId) return { account: [] };
    const u = await accountExportRow(db, scope.userId);
    return { account: u ? [{ ...u, status: STATUS[u.status] }] : [] };
  },

  /** The logins of anonymised guardians: disabled, without e-mail nor password; their sessions, codes and tokens gone. */
  anonymise: (tx, scope, now) => anonymiseLogins(tx, scope, now.toISOString()),
};
