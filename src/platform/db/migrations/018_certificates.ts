import type { Kysely } from 'kysely';

/**
 * Certificates (issue 11): one row per certificate issued (attendance, payment, tax), with its number,
 * what it certifies in the fewest words the public verification page needs, and the keyed hash of its
 * verification code (never the code itself). And the PES V2 bordereaux sent to the accountant: one
 * bordereau number per issued run, kept so that the same run exported again gives the same file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // attendance | payment | tax
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('child_person_id', 'text') // attendance: the child
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer') // payment, tax: the total certified
    .addColumn('day_count', 'integer') // attendance: the days of presence
    .addColumn('holder_initials', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addUniqueConstraint('certificates_year_seq', ['year', 'seq'])
    .execute();
  await db.schema.createIndex('certificates_household').on('certificates').columns(['household_id', 'issued_at']).execute();

  await db.schema
    .createTable('pes_exports')
    .addColumn('run_id', 'text', (c) => c.primaryKey().references('invoice_runs.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('id_bord', 'integer', (c) => c.notNull())
    .addColumn('exported_at', 'text', (c) => c.notNull())
    .addColumn('exported_by', 'text')
    .addUniqueConstraint('pes_exports_year_bord', ['year', 'id_bord'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pes_exports').execute();
  await db.schema.dropTable('certificates').execute();
}
