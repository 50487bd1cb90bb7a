import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The queries behind calendar-feed.personal-data.ts: a household's feed, read for the RGPD export and deleted on anonymisation. */

export async function feedRows(db: Executor, householdId: string) {
  return db.selectFrom('calendar_feeds').select(['version']).where('household_id', '=', householdId).execute();
}

export async function deleteFeed(tx: Executor, householdId: string): Promise<void> {
  await tx.deleteFrom('calendar_feeds').where('household_id', '=', householdId).execute();
}
