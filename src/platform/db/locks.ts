import { PostgresAdapter, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.ts';

/**
 * `SELECT … FOR UPDATE` on PostgreSQL: the rows stay locked until the transaction ends. SQLite
 * has one writer at a time (the transaction already holds the whole database) and no such clause.
 *
 * Give the query an ORDER BY: PostgreSQL locks rows in the order it meets them, and two
 * transactions locking the same rows in opposite orders deadlock (a second of waiting before
 * PostgreSQL notices and cancels one). An UPDATE on a small table meets its rows in their
 * physical order, which every update changes: lock first, in a fixed order, then update.
 */
export function forUpdate<TB extends keyof Database, O>(db: Kysely<Database>, query: SelectQueryBuilder<Database, TB, O>): SelectQueryBuilder<Database, TB, O> {
  return db.getExecutor().adapter instanceof PostgresAdapter ? query.forUpdate() : query;
}
