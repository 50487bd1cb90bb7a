import type { Executor } from '../../platform/audit/audit.repository.ts';
import { prepared } from '../../platform/db/prepared.ts';
import type { NewsItemsTable } from '../../platform/db/schema-messaging.ts';

/** News and menus of the town. */

export async function insertNews(tx: Executor, item: NewsItemsTable) {
  await tx.insertInto('news_items').values(item).execute();
}

/** At most this many items on the home pages. */
const CURRENT_NEWS_SHOWN = 6;

/** What is published today, menus first, then the newest. */
export async function currentNews(db: Executor, today: string) {
  return currentNewsQuery.all(db, today, today);
}

// Read by the public and the family home pages: built and compiled once.
const currentNewsQuery = prepared((db, from: string, until: string) =>
  db
    .selectFrom('news_items')
    .select(['id', 'kind', 'title', 'body', 'starts_on', 'ends_on'])
    .where('starts_on', '<=', from)
    .where('ends_on', '>=', until)
    .orderBy('kind')
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .limit(CURRENT_NEWS_SHOWN),
);

/** Current and coming items, then the last ended ones, for the agent's page. */
export async function recentNews(db: Executor, limit: number) {
  return db.selectFrom('news_items').select(['id', 'kind', 'title', 'starts_on', 'ends_on', 'created_by_label']).orderBy('ends_on', 'desc').orderBy('starts_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function deleteNews(tx: Executor, id: string) {
  const r = await tx.deleteFrom('news_items').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
