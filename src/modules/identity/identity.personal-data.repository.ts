import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { AnonymiseScope } from '../../platform/privacy/personal-data.ts';
import { ANONYMOUS_NAME } from '../../platform/privacy/personal-data.ts';

/** The queries behind identity.personal-data.ts: a guardian's own login for the RGPD export, and the anonymisation of the household's logins. */

export async function accountExportRow(db: Executor, userId: string) {
  return db.selectFrom('users').select(['email', 'first_name', 'last_name', 'phone', 'status', 'email_verified_at', 'created_at', 'last_login_at']).where('id', '=', userId).executeTakeFirst();
}

/** The logins of anonymised guardians: disabled, without e-mail nor password; their sessions, codes and tokens gone. */
export async function anonymiseLogins(tx: Executor, scope: AnonymiseScope, at: string): Promise<void> {
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
}
