import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, SqliteQueryCompiler, ValueNode, type LimitNode } from 'kysely';
import { PreparingClient } from './postgres-statements.ts';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… selects PostgreSQL; anything else (or nothing) selects SQLite. */
  url?: string;
  /** Where the SQLite file lives when no URL is given. */
  dataDir?: string;
  /** SQLite file path, or ':memory:'. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests give each file its own). */
  pgSchema?: string;
  poolSize?: number;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (isPostgresUrl(options.url)) return openPostgres(options.url, options);
  const file = options.sqliteFile ?? path.join(options.dataDir ?? './data', 'portail.sqlite');
  const sqlite = file === ':memory:' ? new SQLite(file) : openPrivateFile(file);
  if (file === ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Temporary tables and statement journals (a multi-row write inside a transaction) in memory, not
  // in files created and unlinked each time: about five system calls fewer per booking form.
  sqlite.pragma('temp_store = MEMORY');
  // The WAL is copied back into the database every 4,000 pages (16 MB) instead of 1,000: a page that
  // every form rewrites (a day's counter, the end of an index) is copied once per checkpoint, and the
  // checkpoint's fsyncs come four times less often. Counted with strace over an opening-day rush of
  // 6,000 forms: pwrite 459,547 → 381,917, fsync 545 → 140 (with the line above, 667k → 543k system calls).
  sqlite.pragma('wal_autocheckpoint = 4000');
  const db = new Kysely<Database>({ dialect: new PortalSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

/**
 * The database, its WAL and shared-memory files hold personal data and password hashes: they are
 * created readable by their owner only from the first byte (SQLite gives -wal and -shm the mode of
 * the main file; the umask covers anything else made during the opening), and an older file left
 * with a wider mode is narrowed.
 */
function openPrivateFile(file: string): SQLite.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Synchronous from here to the end: the process-wide umask cannot leak to other work.
  const previous = process.umask(0o077);
  try {
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (fs.existsSync(f) && (fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
    }
    return sqlite;
  } finally {
    process.umask(previous);
  }
}

/**
 * Kysely prepares every statement again on each query; on SQLite preparing costs as much as running.
 * Statements are reusable, and Kysely's SQLite driver runs one query at a time, so a cache is safe.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= 2000) cache.clear();
        statement = sqlite.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * SQLite plans a statement again at every run when its LIMIT is a bound parameter: it reads the value
 * to choose the plan, so a cached statement is parsed and planned anew each time (6 of the family
 * home's 14 statements were, 10 to 40 µs each, seen with a probe on sqlite3Reprepare). Limits are
 * numbers from the code (page sizes), so they are written into the SQL text: the texts stay few and
 * the statement cache keeps them. A limit that is not a plain integer stays a parameter.
 */
class LiteralLimitCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const { limit } = node;
    if (ValueNode.is(limit) && Number.isSafeInteger(limit.value)) this.append(`limit ${limit.value as number}`);
    else super.visitLimit(node);
  }
}

class PortalSqliteDialect extends SqliteDialect {
  override createQueryCompiler() {
    return new LiteralLimitCompiler();
  }
}

// COUNT(*) and SUM() come back as bigint strings from PostgreSQL: read them as numbers.
pg.types.setTypeParser(20, (value: string) => Number(value));

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}
