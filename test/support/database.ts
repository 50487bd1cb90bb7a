import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';

/**
 * A fresh, migrated database: an in-memory SQLite file, or a new PostgreSQL schema dropped at close.
 */
export async function freshDatabase(engine: Engine, options: { poolSize?: number; sqliteFile?: string } = {}): Promise<DatabaseHandle> {
  if (engine === 'sqlite') {
    const handle = openDatabase({ sqliteFile: options.sqliteFile ?? ':memory:' });
    await migrateToLatest(handle.db);
    return handle;
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL manquant');
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openDatabase({ url, pgSchema: schema, poolSize: options.poolSize });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
