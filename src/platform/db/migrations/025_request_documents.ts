import type { Kysely } from 'kysely';

/**
 * Wallet documents joined to a request (issue 12, item 4): the family answers a complement with a
 * document of its wallet, or with a new one that goes into the wallet first. The request points to
 * the document (not to a copy of its file): the agent sees its status and validates it where
 * documents are validated, and the file keeps one retention, the document type's. A row goes with
 * its request (a deleted draft), its message, or its document (deleted by the family, purged,
 * anonymised): ON DELETE CASCADE.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('request_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.references('request_messages.id').onDelete('cascade'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_documents_request').on('request_documents').columns(['request_id', 'created_at']).execute();
  await db.schema.createIndex('request_documents_document').on('request_documents').column('document_id').execute();
  await db.schema.createIndex('request_documents_household').on('request_documents').column('household_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('request_documents').execute();
}
