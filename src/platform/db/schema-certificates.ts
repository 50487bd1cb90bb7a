import type { Instant } from './schema.ts';

/** Tables of migration 018 (certificates and PES V2 bordereaux), merged into the schema's types. */
declare module './schema.ts' {
  interface Database {
    certificates: CertificatesTable;
    pes_exports: PesExportsTable;
  }
}

/** The same set as CERTIFICATE_KINDS of certificates.domain.ts (platform code never imports a module; certificates.domain.test.ts checks they match). */
export type CertificateKind = 'attendance' | 'payment' | 'tax';

export interface CertificatesTable {
  id: string;
  /** « ATT-2026-000123 »: per year of issue, unique. */
  number: string;
  year: number;
  seq: number;
  kind: CertificateKind;
  household_id: string;
  child_person_id: string | null;
  /** 'YYYY-MM-DD', inclusive. */
  period_start: string;
  period_end: string;
  amount_cents: number | null;
  day_count: number | null;
  /** « A. D. »: the most the public verification page shows of the family. */
  holder_initials: string;
  /** Keyed hash (HMAC with a key derived from SECRET_KEY) of number + code: the code is never stored. */
  code_hash: string;
  issued_at: Instant;
  /** The agent who issued it for the family; null when the family did. */
  issued_by: string | null;
}

export interface PesExportsTable {
  run_id: string;
  year: number;
  id_bord: number;
  exported_at: Instant;
  exported_by: string | null;
}
