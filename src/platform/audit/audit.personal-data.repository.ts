import type { AnonymiseScope, ExportScope } from '../privacy/personal-data.ts';
import { ANONYMOUS_NAME, REDACTED } from '../privacy/personal-data.ts';
import type { Executor } from './audit.repository.ts';

/** The queries behind audit.personal-data.ts: the log entries about a household (and its logins), exported or redacted. */

export async function historyExportRows(db: Executor, scope: ExportScope) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'actor_label', 'action', 'summary'])
    .where((eb) => {
      const about = [eb.and([eb('target_type', '=', 'household'), eb('target_id', '=', scope.householdId)]), eb('on_behalf_of_household_id', '=', scope.householdId)];
      if (scope.userId) about.push(eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', scope.userId)]));
      return eb.or(about);
    })
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(5000)
    .execute();
}

/**
 * Summaries about the household (or done for it at the counter) and about the anonymised logins are
 * redacted, and the anonymised guardians' own name no longer labels what they did.
 */
export async function redactHistory(tx: Executor, scope: AnonymiseScope): Promise<void> {
  await tx
    .updateTable('audit_log')
    .set({ summary: REDACTED })
    .where((eb) => {
      const about = [eb.and([eb('target_type', '=', 'household'), eb('target_id', '=', scope.householdId)]), eb('on_behalf_of_household_id', '=', scope.householdId)];
      if (scope.userIds.length) about.push(eb.and([eb('target_type', '=', 'user'), eb('target_id', 'in', scope.userIds)]));
      return eb.or(about);
    })
    .execute();
  if (scope.userIds.length) await tx.updateTable('audit_log').set({ actor_label: ANONYMOUS_NAME }).where('actor_id', 'in', scope.userIds).execute();
}
