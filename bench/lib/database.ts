import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';

/**
 * A fresh, migrated database for one benchmark server: a SQLite file (WAL, as in production) in
 * the given file path, or a new PostgreSQL schema `bench_…` in TEST_DATABASE_URL. Closing it drops
 * the schema; so does a failed migration (unlike test/support/database.ts, nothing is left behind).
 */
export async function benchDatabase(engine: Engine, sqliteFile: string): Promise<DatabaseHandle & { pgSchema?: string }> {
  if (engine === 'sqlite') {
    const handle = openDatabase({ sqliteFile });
    try {
      await migrateToLatest(handle.db);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle;
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL manquant');
  const schema = `bench_${crypto.randomBytes(6).toString('hex')}`;
  const admin = async (query: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(query);
    } finally {
      await c.end();
    }
  };
  await admin(`create schema ${schema}`);
  // The production default pool size (10 connections), named after the schema so that the CPU of
  // its backends can be measured (bench/lib/cpu.ts).
  const named = `${url}${url.includes('?') ? '&' : '?'}application_name=${schema}`;
  const handle = openDatabase({ url: named, pgSchema: schema });
  const close = async () => {
    try {
      await handle.close();
    } finally {
      await admin(`drop schema if exists ${schema} cascade`);
    }
  };
  try {
    await migrateToLatest(handle.db);
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
  return { ...handle, pgSchema: schema, close };
}
