import type { Instant } from './schema.ts';

/** Tables of migration 019 (issue 12, item 4): the town's settings per type of request, and the rows of two types. */
declare module './schema.ts' {
  interface Database {
    request_types: RequestTypesTable;
    quotient_requests: QuotientRequestsTable;
    absence_requests: AbsenceRequestsTable;
  }
}

/** A type of request as the town sets it (no row: offered, without help text). */
export interface RequestTypesTable {
  code: string;
  active: number;
  help_text: string;
  updated_at: Instant;
  updated_by: string | null;
}

/** « Mise à jour du quotient familial »: the attestation sent, and the value the agent validates. */
export interface QuotientRequestsTable {
  request_id: string;
  household_id: string;
  document_id: string | null;
  qf_value: number | null;
  qf_month: string | null;
  qf_source: 'caf' | 'msa' | null;
}

/** « Absence justifiée »: the booked day the child missed, and the certificate. */
export interface AbsenceRequestsTable {
  request_id: string;
  household_id: string;
  booking_id: string;
  child_person_id: string;
  day: string;
  document_id: string | null;
}
