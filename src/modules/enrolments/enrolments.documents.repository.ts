import type { Executor } from '../../platform/audit/audit.repository.ts';

/** SQL of the documents an enrolment request carries (enrolment_documents, migration 024). */

export const insertLinks = async (tx: Executor, rows: { request_id: string; document_type_id: string; household_id: string; document_id: string }[]) => {
  if (rows.length > 0) await tx.insertInto('enrolment_documents').values(rows).execute();
};

/**
 * The documents carried by some requests, with what the wallet says of them today (a read of the documents
 * module's table, as its queue reads enrolments), and the child of each enrolment. One query.
 */
export const linksOfRequests = (db: Executor, requestIds: string[]) =>
  requestIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('enrolment_documents')
        .innerJoin('document_types', 'document_types.id', 'enrolment_documents.document_type_id')
        .innerJoin('enrolments', 'enrolments.request_id', 'enrolment_documents.request_id')
        .leftJoin('documents', 'documents.id', 'enrolment_documents.document_id')
        .select([
          'enrolment_documents.request_id',
          'enrolment_documents.household_id',
          'enrolment_documents.document_type_id as type_id',
          'document_types.code as type_code',
          'document_types.label as type_label',
          'document_types.position',
          'enrolments.child_person_id',
          'documents.id',
          'documents.person_id',
          'documents.status',
          'documents.valid_until',
          'documents.document_date',
          'documents.refusal_reason',
          'documents.created_at',
        ])
        .where('enrolment_documents.request_id', 'in', requestIds)
        .orderBy('enrolment_documents.request_id')
        .orderBy('document_types.position')
        .execute();

export type LinkRow = Awaited<ReturnType<typeof linksOfRequests>>[number];

/** On acceptance: the request carries the document that stood for the type (a replacement of a refused one). */
export const setLinkDocument = (tx: Executor, requestId: string, typeId: string, documentId: string) =>
  tx.updateTable('enrolment_documents').set({ document_id: documentId }).where('request_id', '=', requestId).where('document_type_id', '=', typeId).execute();

/** For the RGPD export: what each enrolment request of the household carries. */
export const linksOfHousehold = (db: Executor, householdId: string) =>
  db
    .selectFrom('enrolment_documents')
    .innerJoin('requests', 'requests.id', 'enrolment_documents.request_id')
    .innerJoin('document_types', 'document_types.id', 'enrolment_documents.document_type_id')
    .leftJoin('documents', 'documents.id', 'enrolment_documents.document_id')
    .select(['requests.reference', 'document_types.label as type_label', 'documents.document_date'])
    .where('enrolment_documents.household_id', '=', householdId)
    .orderBy('requests.reference')
    .execute();
