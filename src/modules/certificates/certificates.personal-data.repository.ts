import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The queries behind certificates.personal-data.ts. */
export function certificateExportRows(db: Executor, householdId: string) {
  return db.selectFrom('certificates').select(['number', 'kind', 'period_start', 'period_end', 'amount_cents', 'day_count', 'holder_initials', 'issued_at']).where('household_id', '=', householdId).orderBy('issued_at').execute();
}

/** The initials go; numbers, periods and amounts stay (a certificate already handed out still verifies). */
export async function anonymiseCertificates(tx: Executor, householdId: string) {
  await tx.updateTable('certificates').set({ holder_initials: '' }).where('household_id', '=', householdId).execute();
}
