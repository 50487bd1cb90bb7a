/** Tables of migration 024 (issue 12, item 4): the documents a service requires to enrol, and those a request carries. */
declare module './schema.ts' {
  interface Database {
    service_document_types: ServiceDocumentTypesTable;
    enrolment_documents: EnrolmentDocumentsTable;
  }
}

/** Whom a required document is about: the child enrolled, or the whole household (e.g. an insurance). */
export type DocumentSubject = 'child' | 'household';

/** A document type a service requires to enrol a child. */
export interface ServiceDocumentTypesTable {
  service_id: string;
  document_type_id: string;
  subject: DocumentSubject;
  created_at: string;
}

/** A document of the wallet carried by an enrolment request, one per required type. */
export interface EnrolmentDocumentsTable {
  request_id: string;
  document_type_id: string;
  household_id: string;
  /** Null once the document is deleted (replaced by the family, purged): the request then uses the wallet's newest valid one. */
  document_id: string | null;
}
