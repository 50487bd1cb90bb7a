import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The queries behind platform.personal-data.ts: the household's portal notices and the e-mails sent to its addresses. */

export async function noticeExportRows(db: Executor, householdId: string) {
  return db.selectFrom('notices').select(['at', 'text', 'read_at']).where('household_id', '=', householdId).orderBy('at', 'desc').limit(5000).execute();
}

/** The e-mail addresses of these persons and of their logins (a person may have none, or both). */
export async function addressesOf(db: Executor, personIds: readonly string[]) {
  return db
    .selectFrom('persons')
    .leftJoin('users', 'users.id', 'persons.user_id')
    .select(['persons.email as person_email', 'users.email as user_email'])
    .where('persons.id', 'in', personIds)
    .execute();
}

/** Only the subject and dates: a body may carry a secret (activation code, reset link). */
export async function mailExportRows(db: Executor, emails: readonly string[]) {
  return db.selectFrom('outbox').select(['to_address', 'subject', 'created_at', 'sent_at']).where('to_address', 'in', emails).orderBy('created_at', 'desc').limit(5000).execute();
}

export async function deleteNotices(tx: Executor, householdId: string): Promise<void> {
  await tx.deleteFrom('notices').where('household_id', '=', householdId).execute();
}

export async function deleteMailsTo(tx: Executor, emails: readonly string[]): Promise<void> {
  await tx.deleteFrom('outbox').where('to_address', 'in', emails).execute();
}

/** Forms kept across an expired session (platform/http/resume.ts) of these logins. */
export async function deleteSavedForms(tx: Executor, userIds: readonly string[]): Promise<void> {
  await tx.deleteFrom('saved_forms').where('user_id', 'in', userIds).execute();
}
