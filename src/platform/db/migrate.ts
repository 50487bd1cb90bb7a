import { Migrator, PostgresAdapter, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_households.ts';
import * as m003 from './migrations/003_imports.ts';
import * as m004 from './migrations/004_services_bookings.ts';
import * as m005 from './migrations/005_waiting_lists.ts';
import * as m006 from './migrations/006_accounts_hardening.ts';
import * as m007 from './migrations/007_waiting_arrival.ts';
import * as m008 from './migrations/008_draw_mode.ts';
import * as m009 from './migrations/009_exclusive_units.ts';

/** Migrations are listed in code (not read from disk) so they work the same under tsx, tests and bundles. */
const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_households': m002,
  '003_imports': m003,
  '004_services_bookings': m004,
  '005_waiting_lists': m005,
  '006_accounts_hardening': m006,
  '007_waiting_arrival': m007,
  '008_draw_mode': m008,
  '009_exclusive_units': m009,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function migrateToLatest(db: Db): Promise<string[]> {
  // On PostgreSQL the migration tables live in the connection's own schema: the migrator would
  // otherwise find another schema's tables (several test schemas or towns in one database).
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
    migrationTableSchema = rows[0]?.s;
  }
  const migrator = new Migrator({ db, provider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
