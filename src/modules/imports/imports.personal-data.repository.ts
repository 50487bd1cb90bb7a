import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The queries behind imports.personal-data.ts: a household's activation-campaign recipients. */

export async function campaignRecipientRows(db: Executor, householdId: string) {
  return db.selectFrom('campaign_recipients').select(['channel', 'created_at']).where('household_id', '=', householdId).orderBy('created_at').execute();
}

export async function deleteCampaignRecipients(tx: Executor, householdId: string): Promise<void> {
  await tx.deleteFrom('campaign_recipients').where('household_id', '=', householdId).execute();
}
