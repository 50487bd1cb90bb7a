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
import * as m010 from './migrations/010_saved_forms_booking_recap.ts';
import * as m011 from './migrations/011_enrolments_by_request.ts';
import * as m012 from './migrations/012_tariffs.ts';
import * as m013 from './migrations/013_invoicing.ts';
import * as m014 from './migrations/014_documents.ts';
import * as m015 from './migrations/015_messaging.ts';
import * as m016 from './migrations/016_payfip.ts';
import * as m017 from './migrations/017_payment_ledger.ts';
import * as m018 from './migrations/018_certificates.ts';
import * as m019 from './migrations/019_request_kinds.ts';
import * as m020 from './migrations/020_request_attachments.ts';
import * as m021 from './migrations/021_notifications.ts';
import * as m022 from './migrations/022_regie_assignments.ts';
import * as m023 from './migrations/023_cash_desk_closures.ts';
import * as m024 from './migrations/024_enrolment_documents.ts';
import * as m025 from './migrations/025_request_documents.ts';
import * as m026 from './migrations/026_bookings_child_day.ts';

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
  '010_saved_forms_booking_recap': m010,
  '011_enrolments_by_request': m011,
  '012_tariffs': m012,
  '013_invoicing': m013,
  '014_documents': m014,
  '015_messaging': m015,
  '016_payfip': m016,
  '017_payment_ledger': m017,
  '018_certificates': m018,
  '019_request_kinds': m019,
  '020_request_attachments': m020,
  '021_notifications': m021,
  '022_regie_assignments': m022,
  '023_cash_desk_closures': m023,
  '024_enrolment_documents': m024,
  '025_request_documents': m025,
  '026_bookings_child_day': m026,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function migrateToLatest(db: Db): Promise<string[]> {
  // On PostgreSQL the migration tables live in the connection's own schema: the migrator would
  // otherwise find another schema's tables (several test schemas or towns in one database).
  let migrationTableSchema: string | undefined;
  let migratorDb = db;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
    migrationTableSchema = rows[0]?.s;
    migratorDb = withOwnSchemaIntrospection(db);
  }
  const migrator = new Migrator({ db: migratorDb, provider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Kysely's PostgreSQL introspector calls has_schema_privilege() on every schema of the database,
 * which fails with « schema … does not exist » when another schema is dropped at the same moment
 * (test schemas, or another town's schema being removed). The migrator only needs to know whether
 * its two tables exist in its own schema: this answers that from the catalogue, by name only.
 */
function withOwnSchemaIntrospection(db: Db): Db {
  const introspection = {
    getSchemas: async () => {
      const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(db);
      return rows;
    },
    getTables: async () => {
      const { rows } = await sql<{ name: string; schema: string; kind: string }>`
        select c.relname as name, n.nspname as schema, c.relkind as kind
        from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'v', 'p')`.execute(db);
      return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v', columns: [] }));
    },
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  };
  // Kysely keeps its state in private fields: methods must run on the real instance, not the proxy.
  return new Proxy(db, {
    get(target, key) {
      if (key === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
