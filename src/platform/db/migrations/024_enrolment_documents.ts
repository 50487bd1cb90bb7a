import type { Kysely } from 'kysely';

/**
 * Documents required by an enrolment (issue 12, item 4):
 * - service_document_types: the town's setting per service, the document types a family must hand in to
 *   enrol a child, each for the child or for the whole household (`subject`);
 * - enrolment_documents: the documents of the wallet an enrolment request carries, one per required
 *   type. The purge or deletion of a document leaves the row without it (the request then asks again).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('service_document_types')
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('document_type_id', 'text', (c) => c.notNull().references('document_types.id'))
    .addColumn('subject', 'text', (c) => c.notNull()) // child | household
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('service_document_types_pk', ['service_id', 'document_type_id'])
    .execute();

  await db.schema
    .createTable('enrolment_documents')
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
    .addColumn('document_type_id', 'text', (c) => c.notNull().references('document_types.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('document_id', 'text', (c) => c.references('documents.id').onDelete('set null'))
    .addPrimaryKeyConstraint('enrolment_documents_pk', ['request_id', 'document_type_id'])
    .execute();
  await db.schema.createIndex('enrolment_documents_household').on('enrolment_documents').column('household_id').execute();
  await db.schema.createIndex('enrolment_documents_document').on('enrolment_documents').column('document_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('enrolment_documents').execute();
  await db.schema.dropTable('service_document_types').execute();
}
