import { ANONYMOUS_NAME, REDACTED, type PersonalDataDeclaration } from '../privacy/personal-data.ts';

/**
 * The audit log as personal data: the family reads what was done on its household (and on its own
 * login); once anonymised, the log keeps who did what and when, without the personal data.
 */

export const auditPersonalData: PersonalDataDeclaration = {
  module: 'audit',
  tables: [{ name: 'audit_log', keys: ['actor_id', 'target_id', 'on_behalf_of_household_id'], personal: ['actor_label', 'summary'] }],
  sections: [{ key: 'history', title: 'Historique', empty: 'Aucune action enregistrée.', fields: { at: 'Date', by: 'Par', summary: 'Action' } }],

  async export(db, scope) {
    const rows = await db
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
    return { history: rows.map((r) => ({ at: r.at, by: r.actor_label, action: r.action, summary: r.summary })) };
  },

  /**
   * Summaries about the household (or done for it at the counter) and about the anonymised logins are
   * redacted, and the anonymised guardians' own name no longer labels what they did. Runs last, so
   * the rows written by the other declarations' anonymisation are redacted too.
   */
  async anonymise(tx, scope) {
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
  },
};
