import type { Instant } from './schema.ts';

/** Tables of migration 014 (issue 12): encrypted files and, on the database backend, their segments. */
declare module './schema.ts' {
  interface Database {
    stored_files: StoredFilesTable;
    file_chunks: FileChunksTable;
    document_types: DocumentTypesTable;
    documents: DocumentsTable;
  }
}

export type FileBackend = 'directory' | 'database';

/** A file kept for the portal (a document, a message's attachment), encrypted at rest (src/platform/files). */
export interface StoredFilesTable {
  id: string;
  /** The household it belongs to (export, anonymisation); null for a file of the town. */
  household_id: string | null;
  /** What keeps it: 'document', 'attachment'. */
  purpose: string;
  /** The type found from the content: application/pdf, image/jpeg, image/png, image/webp. */
  media_type: string;
  /** Size of the stored (sanitised) content, in bytes, before encryption. */
  byte_size: number;
  /** The name the file had on the person's device, cut to 120 characters (shown to agents, exported). */
  original_name: string;
  /** 'writing' while the upload streams in; 'stored' once complete. A row left 'writing' is purged. */
  state: 'writing' | 'stored';
  backend: FileBackend;
  created_at: Instant;
  /** When the retention of what keeps it ends: the purge removes the file then. Null: kept until removed. */
  delete_after: Instant | null;
}

/** One sealed segment of a file stored in the database (several app instances on PostgreSQL). */
export interface FileChunksTable {
  file_id: string;
  seq: number;
  bytes: Buffer;
}

export type DocumentValidity = 'months' | 'school_year' | 'none';

/** A kind of document and its rules, set by the town (the list is built in). */
export interface DocumentTypesTable {
  id: string;
  code: string;
  label: string;
  validity: DocumentValidity;
  validity_months: number | null;
  retention_months: number;
  active: number;
  position: number;
  created_at: Instant;
}

export type DocumentStatus = 'pending' | 'validated' | 'refused';

/** A document of a household's wallet. */
export interface DocumentsTable {
  id: string;
  household_id: string;
  person_id: string | null;
  type_id: string;
  file_id: string;
  status: DocumentStatus;
  /** The date written on the document ('YYYY-MM-DD'), from which its validity runs. */
  document_date: string;
  /** Last day it is valid; null: no end. Provisional from the type's rule until an agent validates it. */
  valid_until: string | null;
  refusal_reason: string | null;
  /** Quotient familial read on a validated attestation CAF/MSA (whole euros), and the month it applies from. */
  qf_value: number | null;
  qf_month: string | null;
  created_at: Instant;
  created_by: string | null;
  created_by_label: string;
  decided_at: Instant | null;
  decided_by: string | null;
  decided_by_label: string | null;
}
