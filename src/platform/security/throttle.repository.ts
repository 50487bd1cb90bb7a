import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.ts';

/** The counter of a key, or undefined. */
export async function findCounter(db: Executor, key: string) {
  return db.selectFrom('auth_throttle').select(['failures', 'window_start', 'last_at']).where('key', '=', key).executeTakeFirst();
}

export async function findCounters(db: Executor, keys: string[]) {
  return db.selectFrom('auth_throttle').select(['key', 'failures', 'window_start', 'last_at']).where('key', 'in', keys).execute();
}

/**
 * One more event for `key`, atomically on both engines (one upsert): a counter whose window started
 * before `windowStart` starts again at 1. Several instances share the table.
 */
export async function bump(db: Executor, key: string, now: Date, windowStart: Date) {
  const at = now.toISOString();
  const expired = sql<boolean>`auth_throttle.window_start < ${windowStart.toISOString()}`;
  return db
    .insertInto('auth_throttle')
    .values({ key, failures: 1, window_start: at, last_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when ${expired} then 1 else auth_throttle.failures + 1 end`,
        window_start: sql<string>`case when ${expired} then ${at} else auth_throttle.window_start end`,
        last_at: at,
      }),
    )
    .returning(['failures', 'window_start'])
    .executeTakeFirstOrThrow();
}

export async function clear(db: Executor, keys: string[]) {
  if (keys.length) await db.deleteFrom('auth_throttle').where('key', 'in', keys).execute();
}

/** Counters idle for a day are of no use any more. */
export async function deleteStale(db: Executor, before: Date) {
  await db.deleteFrom('auth_throttle').where('last_at', '<', before.toISOString()).execute();
}
