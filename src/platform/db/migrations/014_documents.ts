import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Issue 12 (documents and requests):
 * - stored_files: every file the portal keeps, encrypted at rest (src/platform/files), with the
 *   household it belongs to and when its retention ends;
 * - file_chunks: the sealed segments of files kept in the database rather than in DATA_DIR
 *   (DOCUMENT_STORAGE=database, for several instances on PostgreSQL); bytea on PostgreSQL, blob on SQLite.
 */
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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('file_chunks').execute();
  await db.schema.dropTable('stored_files').execute();
}
