import { sql, type Kysely } from 'kysely';

/**
 * Tariffs (issue 10): versions of a service's (or one unit's) tariff applying from a date within a
 * school year, their ordered criteria lines (the first match wins, the last one is the explicit
 * default), the surcharges, and the town's places of residence. The family quotient history keeps
 * the existing `quotients` table: each row now applies from its month (`reference_month`) and says
 * why it was entered; its sources become attestation CAF / MSA, agent entry or API Particulier.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tariff_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    // null: every unit of the service that has no tariff of its own.
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    // The unit again for the unique key below, '' for the whole service (NULLs never collide in a unique index).
    .addColumn('unit_key', 'text', (c) => c.notNull())
    .addColumn('school_year_id', 'text', (c) => c.notNull().references('school_years.id'))
    .addColumn('applies_from', 'text', (c) => c.notNull()) // YYYY-MM-DD, within the school year
    .addColumn('present_without_booking_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('late_cancellation_cents', 'integer', (c) => c.notNull().defaultTo(0))
    // Set once an issued invoice used the version: it never changes again.
    .addColumn('locked_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One version per service × unit × first day: a unique key, so two agents cannot create the same version twice.
  await db.schema.createIndex('tariff_versions_key').on('tariff_versions').columns(['service_id', 'unit_key', 'applies_from']).unique().execute();
  await db.schema.createIndex('tariff_versions_year').on('tariff_versions').columns(['school_year_id']).execute();

  await db.schema
    .createTable('tariff_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version_id', 'text', (c) => c.notNull().references('tariff_versions.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('qf_min', 'integer') // inclusive euros; null: no lower bound
    .addColumn('qf_max', 'integer') // inclusive euros; null: open
    .addColumn('residency', 'text', (c) => c.notNull().defaultTo('any')) // any | resident | non_resident
    .addColumn('rank_min', 'integer') // sibling rank, inclusive; null: every rank
    .addColumn('rank_max', 'integer')
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull()) // garde | repas
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('tariff_lines_version').on('tariff_lines').columns(['version_id', 'position']).unique().execute();

  // The town's places of residence: a household is resident when its postcode and (normalised) town match one.
  await db.schema
    .createTable('resident_places')
    .addColumn('postcode', 'text', (c) => c.notNull())
    .addColumn('city_key', 'text', (c) => c.notNull()) // normalised name (lower case, no accents)
    .addColumn('city', 'text', (c) => c.notNull()) // as typed, for display
    .addPrimaryKeyConstraint('resident_places_pk', ['postcode', 'city_key'])
    .execute();

  await db.schema.alterTable('quotients').addColumn('reason', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`update quotients set source = 'caf' where source = 'attestation'`.execute(db);
  await sql`update quotients set source = 'api_particulier' where source = 'api'`.execute(db);
  await db.schema.createIndex('quotients_household_month').on('quotients').columns(['household_id', 'reference_month']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('quotients_household_month').execute();
  await sql`update quotients set source = 'attestation' where source in ('caf', 'msa')`.execute(db);
  await sql`update quotients set source = 'api' where source = 'api_particulier'`.execute(db);
  await db.schema.alterTable('quotients').dropColumn('reason').execute();
  for (const t of ['resident_places', 'tariff_lines', 'tariff_versions']) await db.schema.dropTable(t).execute();
}
