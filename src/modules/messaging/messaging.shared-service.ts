import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { guardiansOf, unreadCount } from './messaging.inbox.repository.ts';

/** The guardians whose inbox a family page shows: the guardian logged in, or all of the household's at the counter. */
export async function readersOf(db: Executor, actor: FamilyActor): Promise<string[]> {
  return actor.personId ? [actor.personId] : guardiansOf(db, actor.householdId);
}

/** Unread messages, for the home page's link to the inbox. */
export async function unreadMessages(db: Executor, actor: FamilyActor, now: Date): Promise<number> {
  return unreadCount(db, await readersOf(db, actor), now);
}

export { currentNews } from './messaging.news.repository.ts';
