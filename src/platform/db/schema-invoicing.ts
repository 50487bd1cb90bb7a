import type { Instant } from './schema.ts';

/** Tables of the invoicing module (migration 013). Money in integer cents, days 'YYYY-MM-DD', months 'YYYY-MM'. */

export type RunStatus = 'draft' | 'controlled' | 'issued';
export type LineKind = 'booked' | 'present_without_booking' | 'late_cancellation';
export type LineCategory = 'garde' | 'repas';

export interface RegiesTable {
  id: string;
  name: string;
  created_at: Instant;
}

export interface InvoiceRunsTable {
  id: string;
  regie_id: string;
  month: string;
  status: RunStatus;
  /** Incremented by each draft; the control and the issue refer to one version. */
  draft_version: number;
  drafted_at: Instant | null;
  drafted_by: string | null;
  controlled_version: number | null;
  controlled_at: Instant | null;
  controlled_by: string | null;
  issued_at: Instant | null;
  issued_by: string | null;
  created_at: Instant;
}

/** How a line's price was found (the pricing trace), stored on draft and issued lines alike. */
export interface LineTrace {
  tariff_version_id: string;
  criterion_label: string;
  quotient: number | null;
  quotient_source: string | null;
  quotient_from: string | null;
  resident: number;
  sibling_rank: number;
}

export interface InvoiceDraftLinesTable extends LineTrace {
  run_id: string;
  draft_version: number;
  booking_id: string;
  household_id: string;
  child_person_id: string;
  service_id: string;
  unit_id: string;
  day: string;
  kind: LineKind;
  category: LineCategory;
  amount_cents: number;
  /** Part of amount_cents that is a surcharge (never childcare for the tax certificate). */
  surcharge_cents: number;
  /** 1 when the previous draft had no line for this booking, or another amount. */
  changed: number;
}

export interface InvoiceAnomaliesTable {
  run_id: string;
  kind: string;
  household_id: string | null;
  child_person_id: string | null;
  booking_id: string | null;
  day: string | null;
  amount_cents: number | null;
}

export interface InvoicesTable {
  id: string;
  number: string;
  year: number;
  seq: number;
  run_id: string;
  regie_id: string;
  household_id: string;
  month: string;
  issued_at: Instant;
  due_on: string;
  total_cents: number;
  payer_name: string;
  payer_address: string;
  paid_cents: number;
  credited_cents: number;
}

export interface InvoiceLinesTable extends LineTrace {
  invoice_id: string;
  booking_id: string;
  child_person_id: string;
  child_name: string;
  service_id: string;
  service_name: string;
  unit_label: string;
  day: string;
  kind: LineKind;
  category: LineCategory;
  amount_cents: number;
  /** Part of amount_cents that is a surcharge (never childcare for the tax certificate). */
  surcharge_cents: number;
}

export interface CreditNotesTable {
  id: string;
  number: string;
  year: number;
  seq: number;
  invoice_id: string;
  household_id: string;
  regie_id: string;
  issued_at: Instant;
  issued_by: string | null;
  reason: string;
  amount_cents: number;
}

export interface CreditNoteLinesTable {
  credit_note_id: string;
  invoice_id: string;
  booking_id: string;
  category: LineCategory;
  amount_cents: number;
}

export interface BillingLocksTable {
  regie_id: string;
  month: string;
  run_id: string;
  locked_at: Instant;
}

/** From `from_month` on, the service is invoiced by `regie_id` (migration 022); before its first row, by `services.regie_id`. */
export interface ServiceRegiesTable {
  service_id: string;
  from_month: string;
  regie_id: string;
  created_at: Instant;
  created_by: string | null;
}

export interface InvoicingTables {
  regies: RegiesTable;
  service_regies: ServiceRegiesTable;
  invoice_runs: InvoiceRunsTable;
  invoice_draft_lines: InvoiceDraftLinesTable;
  invoice_anomalies: InvoiceAnomaliesTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  credit_notes: CreditNotesTable;
  credit_note_lines: CreditNoteLinesTable;
  billing_locks: BillingLocksTable;
}
