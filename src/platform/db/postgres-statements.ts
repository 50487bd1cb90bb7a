import { createHash } from 'node:crypto';
import pg from 'pg';

/** Distinct statements a connection keeps prepared; beyond, new texts run unnamed (lists of every length stay bounded). */
export const MAX_NAMED_STATEMENTS = 400;

/** PostgreSQL refuses a prepared statement whose tables changed shape since it was prepared (a migration from another instance). */
const STALE_PLAN = '0A000';

type QueryResult = pg.QueryResult<Record<string, unknown>>;

/**
 * A pg client that runs each parameterised statement as a named prepared statement of its
 * connection: PostgreSQL parses and plans it once per connection instead of at every call. The
 * portal's pages run 6 to 16 short statements each, for which parsing and planning were most of
 * the database's work: the family home went from 283 to 502 pages/s on PostgreSQL with the same
 * queries (docs/benchmarks.md).
 *
 * The name is a hash of the SQL text, so the same text always gets the same name on a connection.
 * Statements without parameters (transaction control, DDL, `select 1`) run as before.
 * If PostgreSQL says a prepared plan is stale (a table changed shape under a running instance), the
 * connection forgets its statements, and that statement is retried unnamed when it ran outside a
 * transaction (inside one, the transaction fails once and the statements are forgotten at its end).
 */
export class PreparingClient extends pg.Client {
  #named = new Set<string>();
  #stale = false;
  #inTransaction = false;

  // pg's query() is heavily overloaded; Kysely calls only query(text, values) and expects a promise.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || args.length !== 2) return (super.query as (...a: unknown[]) => never)(...args);
    return this.#run(text, values as unknown[]) as never;
  }

  async #run(text: string, values: unknown[]): Promise<QueryResult> {
    const plain = () => super.query<Record<string, unknown>>(text, values);
    const ends = this.#track(text);
    if (values.length === 0) {
      const result = await plain();
      // A transaction that failed on a stale statement is over: forget them before the next one.
      if (ends && this.#stale) await this.#forgetStatements();
      return result;
    }
    if (this.#stale && !this.#inTransaction) await this.#forgetStatements();
    const name = this.#nameFor(text);
    if (!name) return plain();
    try {
      return await super.query<Record<string, unknown>>({ name, text, values });
    } catch (err) {
      if ((err as { code?: string }).code !== STALE_PLAN) throw err;
      this.#stale = true;
      if (this.#inTransaction) throw err;
      await this.#forgetStatements();
      return plain();
    }
  }

  #nameFor(text: string): string | null {
    const name = `pf_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`;
    if (this.#named.has(name)) return name;
    if (this.#named.size >= MAX_NAMED_STATEMENTS) return null;
    this.#named.add(name);
    return name;
  }

  /** Follows the transaction state from Kysely's control statements; true when one ends. */
  #track(text: string): boolean {
    const head = text.trimStart().slice(0, 8).toLowerCase();
    if (head.startsWith('begin') || head.startsWith('start')) this.#inTransaction = true;
    else if (head.startsWith('commit') || head.startsWith('rollback')) return !(this.#inTransaction = false);
    return false;
  }

  async #forgetStatements() {
    await super.query('deallocate all');
    const connection = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
    connection.parsedStatements = {};
    this.#named.clear();
    this.#stale = false;
  }
}
