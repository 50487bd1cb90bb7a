import { createQueryId, type CompiledQuery, type Kysely, type RootOperationNode } from 'kysely';
import type { Database } from './schema.ts';

type Executor = Kysely<Database>;
type Value = string | number | null;
/** What a prepared query takes: values, or lists of values (one SQL text per list length). */
export type Arg = Value | readonly Value[];

interface Template {
  sql: string;
  node: RootOperationNode;
  /** Per SQL parameter: a constant of the query, or where its value comes from in the arguments. */
  parameters: ({ constant: unknown } | { arg: number; item?: number })[];
}

const MARK = '\u0000prepared:';

/**
 * A query that Kysely builds and compiles once (per engine and list lengths), then runs with new
 * values. Building and compiling a query costs Kysely ~50 µs, several times what SQLite needs to
 * run it; on the routes every family hits at once (session, household, a booking form) that is
 * most of the time spent in the database layer.
 *
 * `build` is called once with marker values in place of the arguments: each argument must be used
 * only as a value of the query (a compared value, an `in` list, a value set), never to decide its
 * shape (no `if` on it): an argument that does not reach the SQL parameters is refused at once.
 * Plugins are shown the query (diagnostics) but cannot rewrite it.
 */
export function prepared<A extends Arg[], O>(build: (db: Executor, ...args: A) => { compile(): CompiledQuery<O> }) {
  // Keyed by the database's adapter, which its transactions share: one template per engine and database.
  const templates = new WeakMap<object, Map<string, Template>>();

  function template(db: Executor, args: A): Template {
    const adapter = db.getExecutor().adapter;
    let byShape = templates.get(adapter);
    if (!byShape) templates.set(adapter, (byShape = new Map<string, Template>()));
    const shape = args.map((a) => (Array.isArray(a) ? a.length : '.')).join(',');
    let t = byShape.get(shape);
    if (t) return t;
    const markers = args.map((a, i) => (Array.isArray(a) ? a.map((_, j) => `${MARK}${i}:${j}`) : `${MARK}${i}`));
    const compiled = build(db, ...(markers as unknown as A)).compile();
    const used = new Set<number>();
    t = {
      sql: compiled.sql,
      node: compiled.query,
      parameters: compiled.parameters.map((p) => {
        if (typeof p !== 'string' || !p.startsWith(MARK)) return { constant: p };
        const [arg, item] = p.slice(MARK.length).split(':').map(Number);
        used.add(arg);
        return item === undefined ? { arg } : { arg, item };
      }),
    };
    const unused = args.findIndex((a, i) => !used.has(i) && !(Array.isArray(a) && a.length === 0));
    if (unused >= 0) throw new Error(`prepared: argument ${unused} is not a value of the query`);
    byShape.set(shape, t);
    return t;
  }

  async function execute(db: Executor, args: A) {
    const t = template(db, args);
    const queryId = createQueryId();
    const executor = db.getExecutor();
    executor.transformQuery(t.node, queryId);
    const parameters = t.parameters.map((p) => ('constant' in p ? p.constant : p.item === undefined ? args[p.arg] : (args[p.arg] as readonly Value[])[p.item]));
    return executor.executeQuery<O>({ query: t.node, queryId, sql: t.sql, parameters });
  }

  return {
    all: async (db: Executor, ...args: A): Promise<O[]> => (await execute(db, args)).rows,
    first: async (db: Executor, ...args: A): Promise<O | undefined> => (await execute(db, args)).rows[0],
    /** Rows changed by an insert, update or delete. */
    run: async (db: Executor, ...args: A): Promise<number> => Number((await execute(db, args)).numAffectedRows ?? 0),
  };
}
