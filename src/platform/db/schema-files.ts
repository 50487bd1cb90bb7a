import type { Instant } from './schema.ts';

/** Tables of migration 014 (issue 12): encrypted files and, on the database backend, their segments. */
declare module './schema.ts' {
  interface Database {
    stored_files: StoredFilesTable;
    file_chunks: FileChunksTable;
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
