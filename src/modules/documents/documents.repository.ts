import type { Insertable } from 'kysely';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { DocumentsTable, DocumentTypesTable } from '../../platform/db/schema-files.ts';

/** SQL of the document wallet: types, a household's documents (with their file and child). */

const TYPE_COLUMNS = ['id', 'code', 'label', 'validity', 'validity_months', 'retention_months', 'active', 'position'] as const;

export const activeTypes = (db: Executor) => db.selectFrom('document_types').select(TYPE_COLUMNS).where('active', '=', 1).orderBy('position').execute();
export const allTypes = (db: Executor) => db.selectFrom('document_types').select(TYPE_COLUMNS).orderBy('position').execute();
export const typeById = (db: Executor, id: string) => db.selectFrom('document_types').select(TYPE_COLUMNS).where('id', '=', id).executeTakeFirst();

export async function insertType(tx: Executor, row: Omit<Insertable<DocumentTypesTable>, 'position'>): Promise<void> {
  const last = await tx.selectFrom('document_types').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
  await tx.insertInto('document_types').values({ ...row, position: Number(last?.p ?? 0) + 1 }).execute();
}

export const setTypeActive = (tx: Executor, id: string, active: boolean) => tx.updateTable('document_types').set({ active: active ? 1 : 0 }).where('id', '=', id).executeTakeFirst();

export const insertDocument = (tx: Executor, row: Insertable<DocumentsTable>) => tx.insertInto('documents').values(row).execute();

const documentQuery = (db: Executor) =>
  db
    .selectFrom('documents')
    .innerJoin('document_types', 'document_types.id', 'documents.type_id')
    .innerJoin('stored_files', 'stored_files.id', 'documents.file_id')
    .leftJoin('persons', 'persons.id', 'documents.person_id')
    .select([
      'documents.id',
      'documents.household_id',
      'documents.person_id',
      'documents.type_id',
      'documents.file_id',
      'documents.status',
      'documents.document_date',
      'documents.valid_until',
      'documents.refusal_reason',
      'documents.created_at',
      'documents.created_by_label',
      'document_types.label as type_label',
      'persons.first_name as person_first_name',
      'stored_files.original_name',
      'stored_files.media_type',
      'stored_files.byte_size',
    ]);
export type DocumentRow = Awaited<ReturnType<typeof householdDocuments>>[number];

export const householdDocuments = (db: Executor, householdId: string) =>
  documentQuery(db).where('documents.household_id', '=', householdId).orderBy('documents.created_at', 'desc').orderBy('documents.id', 'desc').execute();

/** One document, only if it belongs to this household (another household's id reads as unknown). */
export const householdDocument = (db: Executor, householdId: string, id: string) =>
  documentQuery(db).where('documents.household_id', '=', householdId).where('documents.id', '=', id).executeTakeFirst();

/** Removes the document and its file row in one go (the bytes are removed by the caller, after the commit). */
export async function deleteDocument(tx: Executor, householdId: string, id: string): Promise<boolean> {
  const row = await tx.selectFrom('documents').select('file_id').where('id', '=', id).where('household_id', '=', householdId).executeTakeFirst();
  if (!row) return false;
  await tx.deleteFrom('stored_files').where('id', '=', row.file_id).execute();
  return true;
}

export const documentsExportRows = (db: Executor, householdId: string) =>
  documentQuery(db).select(['documents.decided_at', 'documents.decided_by_label']).where('documents.household_id', '=', householdId).orderBy('documents.created_at').execute();

/** Anonymisation: the documents go with their file rows (ON DELETE CASCADE from stored_files). */
export const deleteHouseholdDocuments = (tx: Executor, householdId: string) => tx.deleteFrom('stored_files').where('household_id', '=', householdId).execute();

