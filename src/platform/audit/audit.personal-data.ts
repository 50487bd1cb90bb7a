import type { PersonalDataDeclaration } from '../privacy/personal-data.ts';
import { historyExportRows, redactHistory } from './audit.personal-data.repository.ts';

/**
 * The audit log as personal data: the family reads what was done on its household (and on its own
 * login); once anonymised, the log keeps who did what and when, without the personal data.
 */

export const auditPersonalData: PersonalDataDeclaration = {
  module: 'audit',
  tables: [{ name: 'audit_log', keys: ['actor_id', 'target_id', 'on_behalf_of_household_id'], personal: ['actor_label', 'summary'] }],
  sections: [{ key: 'history', title: 'Historique', empty: 'Aucune action enregistrée.', fields: { at: 'Date', by: 'Par', summary: 'Action' } }],

  async export(db, scope) {
    const rows = await historyExportRows(db, scope);
    return { history: rows.map((r) => ({ at: r.at, by: r.actor_label, action: r.action, summary: r.summary })) };
  },

  /**
   * Summaries about the household (or done for it at the counter) and about the anonymised logins are
   * redacted, and the anonymised guardians' own name no longer labels what they did. Runs last, so
   * the rows written by the other declarations' anonymisation are redacted too.
   */
  anonymise: (tx, scope) => redactHistory(tx, scope),
};
