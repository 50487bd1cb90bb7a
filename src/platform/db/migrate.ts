import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_households.ts';
import * as m003 from './migrations/003_imports.ts';

/** Migrations are listed in code (not read from disk) so they work the same under tsx, tests and bundles. */
const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_households': m002,
  '003_imports': m003,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
