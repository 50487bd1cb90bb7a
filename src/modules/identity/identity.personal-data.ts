import { ANONYMOUS_NAME, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';

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
    const u = await db.selectFrom('users').select(['email', 'first_name', 'last_name', 'phone', 'status', 'email_verified_at', 'created_at', 'last_login_at']).where('id', '=', scope.userId).executeTakeFirst();
    return { account: u ? [{ ...u, status: STATUS[u.status] }] : [] };
  },

  /** The logins of anonymised guardians: disabled, without e-mail nor password; their sessions, codes and tokens gone. */
  async anonymise(tx, scope, now) {
    const at = now.toISOString();
    // An agent still "acting for" this household at the counter leaves it.
    await tx.updateTable('sessions').set({ acting_household_id: null }).where('acting_household_id', '=', scope.householdId).execute();
    if (scope.userIds.length === 0) return;
    await tx
      .updateTable('users')
      .set({ status: 'disabled', email: null, password_hash: null, phone: null, first_name: ANONYMOUS_NAME, last_name: ANONYMOUS_NAME, updated_at: at })
      .where('id', 'in', scope.userIds)
      .execute();
    await tx.deleteFrom('sessions').where('user_id', 'in', scope.userIds).execute();
    await tx.deleteFrom('email_tokens').where('user_id', 'in', scope.userIds).execute();
    await tx.updateTable('activation_codes').set({ revoked_at: at }).where('user_id', 'in', scope.userIds).where('revoked_at', 'is', null).where('used_at', 'is', null).execute();
  },
};
