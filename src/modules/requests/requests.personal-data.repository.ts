import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { AnonymiseScope } from '../../platform/privacy/personal-data.ts';
import { ANONYMOUS_NAME, REDACTED } from '../../platform/privacy/personal-data.ts';

/** The queries behind requests.personal-data.ts: a household's requests, their steps and messages, exported or anonymised. */

export async function requestExportRows(db: Executor, householdId: string) {
  const [requests, events, messages] = await Promise.all([
    db.selectFrom('requests').select(['reference', 'type', 'summary', 'status', 'created_at', 'updated_at']).where('household_id', '=', householdId).orderBy('created_at', 'desc').execute(),
    db
      .selectFrom('request_events')
      .innerJoin('requests', 'requests.id', 'request_events.request_id')
      .select(['requests.reference', 'request_events.at', 'request_events.actor_label', 'request_events.from_status', 'request_events.to_status', 'request_events.note'])
      .where('requests.household_id', '=', householdId)
      .orderBy('request_events.at')
      .execute(),
    db
      .selectFrom('request_messages')
      .innerJoin('requests', 'requests.id', 'request_messages.request_id')
      .select(['requests.reference', 'request_messages.at', 'request_messages.author_label', 'request_messages.from_family', 'request_messages.body'])
      .where('requests.household_id', '=', householdId)
      .orderBy('request_messages.at')
      .execute(),
  ]);
  return { requests, events, messages };
}

/** Requests keep their type, status and dates (statistics); every text that may name the child goes. */
export async function anonymiseRequests(tx: Executor, scope: AnonymiseScope): Promise<void> {
  const ids = tx.selectFrom('requests').select('id').where('household_id', '=', scope.householdId);
  await tx.updateTable('requests').set({ summary: REDACTED }).where('household_id', '=', scope.householdId).execute();
  await tx.updateTable('request_messages').set({ body: REDACTED }).where('request_id', 'in', ids).execute();
  await tx.updateTable('request_messages').set({ author_label: ANONYMOUS_NAME }).where('request_id', 'in', ids).where('from_family', '=', 1).execute();
  await tx.updateTable('request_events').set({ note: null }).where('request_id', 'in', ids).where('note', 'is not', null).execute();
  if (scope.userIds.length) await tx.updateTable('request_events').set({ actor_label: ANONYMOUS_NAME }).where('actor_id', 'in', scope.userIds).execute();
}
