import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { DocumentSubject } from '../../platform/db/schema-enrolment-documents.ts';

/** SQL of the documents a service requires to enrol a child (migration 024). */

/** The required types of a service with their wording, in the wallet's order of types. */
export const requiredDocuments = (db: Executor, serviceId: string) =>
  db
    .selectFrom('service_document_types')
    .innerJoin('document_types', 'document_types.id', 'service_document_types.document_type_id')
    .select(['service_document_types.document_type_id as type_id', 'service_document_types.subject', 'document_types.code', 'document_types.label'])
    .where('service_document_types.service_id', '=', serviceId)
    .orderBy('document_types.position')
    .execute();

export type RequiredDocument = Awaited<ReturnType<typeof requiredDocuments>>[number];

export async function setRequired(tx: Executor, serviceId: string, typeId: string, subject: DocumentSubject | null, now: string): Promise<void> {
  await tx.deleteFrom('service_document_types').where('service_id', '=', serviceId).where('document_type_id', '=', typeId).execute();
  if (subject) await tx.insertInto('service_document_types').values({ service_id: serviceId, document_type_id: typeId, subject, created_at: now }).execute();
}
