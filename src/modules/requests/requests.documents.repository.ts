import type { Executor } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';

/** The only SQL on request_documents (migration 025): wallet documents joined to a request by a message. */

export async function insertRequestDocument(tx: Executor, d: { requestId: string; messageId: string | null; householdId: string; documentId: string }, now: Date) {
  await tx.insertInto('request_documents').values({ id: newId(), request_id: d.requestId, message_id: d.messageId, household_id: d.householdId, document_id: d.documentId, created_at: now.toISOString() }).execute();
}

/** The wallet documents joined to a request, with their type and status (bounded). */
export async function documentsOfRequest(db: Executor, requestId: string) {
  return db
    .selectFrom('request_documents as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .innerJoin('document_types as t', 't.id', 'd.type_id')
    .select(['r.id', 'r.message_id', 'r.document_id', 'r.created_at', 'd.status', 'd.document_date', 't.label as type_label'])
    .where('r.request_id', '=', requestId)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(100)
    .execute();
}

export type RequestDocumentRow = Awaited<ReturnType<typeof documentsOfRequest>>[number];

export async function requestDocumentsExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('request_documents as r')
    .innerJoin('requests as q', 'q.id', 'r.request_id')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .innerJoin('document_types as t', 't.id', 'd.type_id')
    .select(['q.reference', 'r.created_at', 't.label as type_label', 'd.document_date'])
    .where('r.household_id', '=', householdId)
    .orderBy('r.created_at')
    .execute();
}

/** The links go (the documents themselves are deleted by their module). */
export async function anonymiseRequestDocuments(tx: Executor, householdId: string) {
  await tx.deleteFrom('request_documents').where('household_id', '=', householdId).execute();
}
