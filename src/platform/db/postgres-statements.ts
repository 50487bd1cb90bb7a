import { createHash } from 'node:crypto';
import pg from 'pg';

/** Distinct statements a connection keeps prepared; beyond, new texts run unnamed (lists of every length stay bounded). */
export const MAX_NAMED_STATEMENTS = 400;

/** PostgreSQL refuses a prepared statement whose tables changed shape since it was prepared (a migration from another instance). */
const STALE_PLAN = '0A000';

type QueryResult = pg.QueryResult<Record<string, unknown>>;

/**
 * How long a connection keeps a statement's plan before preparing it again (a setting so that tests
 * can shorten it). PostgreSQL keeps the plan it made at a statement's sixth run; a table that was
 * nearly empty then (a fresh town's bookings, read by every calendar before its first opening day)
 * was read whole at every booking form while it grew, until an ANALYZE: with autovacuum off, never
 * (one bench run read 69 million rows; database CPU per form 5.8 → 11.3 ms). Preparing again costs
 * a parse and five plans per statement and connection every ten seconds.
 */
export const PLAN_LIFETIME = { ms: 10_000 };

// Names of the texts seen, shared by the pool's connections (a hash per call showed in profiles).
const names = new Map<string, string>();
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `pf_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`;
    if (names.size < MAX_NAMED_STATEMENTS * 4) names.set(text, name);
  }
  return name;
}

/** What pg reads of a query object besides its text and values. */
interface NamedQuery {
  name: string;
  callback?: (err: Error | undefined, result: QueryResult) => void;
}

/** A statement's preparation on one connection: the name its plan is under, and when it was made. */
interface Statement {
  name: string;
  since: number;
}

/**
 * A pg client that runs each parameterised statement as a named prepared statement of its
 * connection: PostgreSQL parses and plans it once per connection instead of at every call. The
 * portal's pages run 6 to 16 short statements each, for which parsing and planning were most of
 * the database's work: the family home went from 283 to 502 pages/s on PostgreSQL with the same
 * queries (docs/benchmarks.md).
 *
 * The name is a hash of the SQL text and the time its plan was made: one name per text on a connection.
 * Statements without parameters (transaction control, DDL, `select 1`) run as before.
 * If PostgreSQL says a prepared plan is stale (a table changed shape under a running instance), the
 * connection forgets its statements, and that statement is retried unnamed when it ran outside a
 * transaction (inside one, the transaction fails once and the statements are forgotten at its end).
 *
 * A statement is prepared again, under a new name, once its plan is PLAN_LIFETIME old, so that its
 * plan follows the tables as they grow.
 */
export class PreparingClient extends pg.Client {
  /** By the name of their text. */
  #statements = new Map<string, Statement>();
  #stale = false;
  #inTransaction = false;

  // pg's query() is heavily overloaded; Kysely calls only query(text, values) and expects a promise.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || args.length !== 2) return (super.query as (...a: unknown[]) => never)(...args);
    return this.#run(text, values as unknown[]) as never;
  }

  async #run(text: string, values: unknown[]): Promise<QueryResult> {
    const ends = this.#track(text);
    if (values.length === 0) {
      const result = await super.query<Record<string, unknown>>(text, values);
      // A transaction that failed on a stale statement is over: forget them before the next one.
      if (ends && this.#stale) await this.#forgetStatements();
      return result;
    }
    if (this.#stale && !this.#inTransaction) await this.#forgetStatements();
    const name = this.#nameFor(text);
    if (!name) return super.query<Record<string, unknown>>(text, values);
    try {
      return await this.#runNamed(name, text, values);
    } catch (err) {
      if ((err as { code?: string }).code !== STALE_PLAN) throw err;
      this.#stale = true;
      if (this.#inTransaction) throw err;
      await this.#forgetStatements();
      return super.query<Record<string, unknown>>(text, values);
    }
  }

  /**
   * A named statement, handed to pg as a query object: given a plain `{ name, text, values }`, pg
   * copies it property by property first (cloneQueryConfig), which cost more than the rest of the
   * statement's way through pg.
   */
  #runNamed(name: string, text: string, values: unknown[]): Promise<QueryResult> {
    const query = new pg.Query(text, values) as unknown as NamedQuery;
    query.name = name;
    return new Promise((resolve, reject) => {
      query.callback = (err, result) => (err ? reject(err) : resolve(result));
      super.query(query as unknown as pg.Submittable);
    });
  }

  #nameFor(text: string): string | null {
    const base = nameOf(text);
    const now = Date.now();
    const statement = this.#statements.get(base);
    if (!statement) {
      if (this.#statements.size >= MAX_NAMED_STATEMENTS) return null;
      const name = `${base}_${now}`;
      this.#statements.set(base, { name, since: now });
      return name;
    }
    if (now - statement.since >= PLAN_LIFETIME.ms) {
      this.#drop(statement.name);
      statement.name = `${base}_${now}`;
      statement.since = now;
    }
    return statement.name;
  }

  /** An old plan, dropped on the server in the connection's queue of statements (an error only leaves it there). */
  #drop(name: string) {
    const connection = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
    delete connection.parsedStatements[name];
    super.query(`deallocate "${name}"`).catch(() => undefined);
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
    this.#statements.clear();
    this.#stale = false;
  }
}
