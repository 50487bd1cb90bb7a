import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { AnonymiseScope } from '../../platform/privacy/personal-data.ts';

/** The queries behind messaging.personal-data.ts. */

/** Messages received by the household's guardians, with when each was read, and their e-mail choices. */
export async function messagingExportRows(db: Executor, personIds: string[]) {
  if (personIds.length === 0) return { received: [], preferences: [] };
  const [received, preferences] = await Promise.all([
    db
      .selectFrom('message_recipients as r')
      .innerJoin('messages as m', 'm.id', 'r.message_id')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .select(['m.subject', 'm.send_at', 'p.first_name', 'p.last_name', 'r.email', 'r.mail_state', 'r.read_at'])
      .where('r.person_id', 'in', personIds)
      .orderBy('m.send_at', 'desc')
      .limit(5000)
      .execute(),
    db.selectFrom('mail_preferences as mp').innerJoin('persons as p', 'p.id', 'mp.person_id').select(['p.first_name', 'p.last_name', 'mp.category', 'mp.updated_at']).where('mp.person_id', 'in', personIds).execute(),
  ]);
  return { received, preferences };
}

/** Anonymised guardians keep their place in the counts of a message, without address nor account. */
export async function anonymiseMessaging(tx: Executor, scope: AnonymiseScope) {
  if (scope.personIds.length === 0) return;
  await tx.updateTable('message_recipients').set({ email: null, user_id: null }).where('person_id', 'in', scope.personIds).execute();
  await tx.deleteFrom('mail_preferences').where('person_id', 'in', scope.personIds).execute();
}
