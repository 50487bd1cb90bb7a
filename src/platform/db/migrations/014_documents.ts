import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Issue 12 (documents and requests):
 * - stored_files: every file the portal keeps, encrypted at rest (src/platform/files), with the
 *   household it belongs to and when its retention ends;
 * - file_chunks: the sealed segments of files kept in the database rather than in DATA_DIR
 *   (DOCUMENT_STORAGE=database, for several instances on PostgreSQL); bytea on PostgreSQL, blob on SQLite;
 * - document_types: the kinds of document, with their validity rule and retention, the list
 *   built in and the town's own added in the back office;
 * - documents: the family's wallet, one row per document (its file in stored_files).
 */
interface TypeRow {
  id: string;
  code: string;
  label: string;
  validity: string;
  validity_months: number | null;
  retention_months: number;
  active: number;
  position: number;
  created_at: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('stored_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.references('households.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('backend', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delete_after', 'text')
    .execute();
  await db.schema.createIndex('stored_files_household').on('stored_files').column('household_id').execute();
  await db.schema.createIndex('stored_files_delete_after').on('stored_files').column('delete_after').execute();
  await db.schema.createIndex('stored_files_state').on('stored_files').columns(['state', 'created_at']).execute();
  await db.schema
    .createTable('file_chunks')
    .addColumn('file_id', 'text', (c) => c.notNull().references('stored_files.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['file_id', 'seq'])
    .execute();
  await db.schema
    .createTable('document_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    // 'months' (valid N months from the document's date), 'school_year' (until the 31st of August), 'none'.
    .addColumn('validity', 'text', (c) => c.notNull())
    .addColumn('validity_months', 'integer')
    // Months the file is kept after the end of its validity (or after it was sent, for 'none' when set).
    .addColumn('retention_months', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  const builtIn: [string, string, string, number | null, number][] = [
    ['domicile', 'Justificatif de domicile', 'months', 3, 12],
    ['quotient', 'Attestation CAF ou MSA de quotient familial', 'months', 12, 24],
    ['assurance', 'Attestation d\'assurance', 'school_year', null, 12],
    ['vaccinations', 'Carnet de vaccinations', 'none', null, 0],
    ['jugement', 'Jugement de garde', 'none', null, 0],
    ['pai', 'PAI (projet d\'accueil individualisé)', 'school_year', null, 12],
    ['certificat', 'Certificat médical', 'months', 12, 12],
    ['impots', 'Avis d\'imposition', 'months', 24, 12],
  ];
  await (db as unknown as Kysely<{ document_types: TypeRow }>)
    .insertInto('document_types')
    .values(builtIn.map(([code, label, validity, months, retention], i) => ({ id: `00000000-0000-7000-8000-00000000d0${String(i + 1).padStart(2, '0')}`, code, label, validity, validity_months: months, retention_months: retention, active: 1, position: i + 1, created_at: now })))
    .execute();
  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    // The child it is about; null for the whole household.
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('type_id', 'text', (c) => c.notNull().references('document_types.id'))
    // The file goes with its document when purged (retention) or anonymised.
    .addColumn('file_id', 'text', (c) => c.notNull().unique().references('stored_files.id').onDelete('cascade'))
    // 'pending' (à vérifier), 'validated', 'refused'; « expiré » is read from valid_until and today.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('document_date', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('refusal_reason', 'text')
    // An attestation CAF/MSA validated: the quotient familial it gives (whole euros) and its month ('YYYY-MM').
    .addColumn('qf_value', 'integer')
    .addColumn('qf_month', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_label', 'text')
    .execute();
  await db.schema.createIndex('documents_household').on('documents').columns(['household_id', 'created_at']).execute();
  await db.schema.createIndex('documents_queue').on('documents').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('documents').execute();
  await db.schema.dropTable('document_types').execute();
  await db.schema.dropTable('file_chunks').execute();
  await db.schema.dropTable('stored_files').execute();
}
