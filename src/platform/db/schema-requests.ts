import type { Instant } from './schema.ts';

/** Tables and columns of migration 020 (issue 12, tracking of every kind of request), merged into the schema's types. */
declare module './schema.ts' {
  interface Database {
    request_attachments: RequestAttachmentsTable;
    request_answers: RequestAnswersTable;
  }
}

declare module './schema-services.ts' {
  interface RequestsTable {
    /** The agent who took it in hand (« Je m'en occupe »); null: nobody yet. */
    assigned_to: string | null;
    assigned_label: string | null;
    assigned_at: Instant | null;
  }
}

/** A file joined to a request when it was filed (message_id null) or to one of its messages. */
export interface RequestAttachmentsTable {
  id: string;
  request_id: string;
  message_id: string | null;
  household_id: string;
  file_id: string;
  from_family: number;
  author_id: string | null;
  created_at: Instant;
}

/** The family's answers to a type's form (JSON), for the types without a table of their own. */
export interface RequestAnswersTable {
  request_id: string;
  household_id: string;
  payload: string;
}

declare module './schema.ts' {
  interface Database {
    request_documents: RequestDocumentsTable;
  }
}

/** A wallet document joined to a request, by a message of its thread (migration 025). */
export interface RequestDocumentsTable {
  id: string;
  request_id: string;
  message_id: string | null;
  household_id: string;
  document_id: string;
  created_at: Instant;
}
