import type { Instant } from './schema.ts';

/** Tables of migration 016 (online payments through PayFiP), merged into the schema's types. */
declare module './schema.ts' {
  interface Database {
    payment_transactions: PaymentTransactionsTable;
    payment_item_locks: PaymentItemLocksTable;
  }
}

export type PaymentStatus = 'pending' | 'paid' | 'refused' | 'abandoned' | 'failed';

export interface PaymentTransactionsTable {
  id: string;
  household_id: string;
  amount_cents: number;
  /** JSON list of { invoiceId, amountCents }. */
  items: string;
  /** 30 characters made from the id (payfip.domain.ts refdetOf). */
  refdet: string;
  id_op: string | null;
  status: PaymentStatus;
  means: 'card' | 'direct_debit' | null;
  bank_data: string | null;
  created_at: Instant;
  updated_at: Instant;
  settled_at: Instant | null;
}

export interface PaymentItemLocksTable {
  item_id: string;
  transaction_id: string;
  locked_until: Instant;
}

/** Tables of migration 017 (the payment ledger: every sum received, and its allocation to invoices). */
declare module './schema.ts' {
  interface Database {
    payments: PaymentsTable;
    payment_allocations: PaymentAllocationsTable;
  }
}

/** The same set as PAYMENT_MEANS of invoicing.ledger.domain.ts (platform code never imports a module; invoicing.ledger.test.ts checks they match). */
export type PaymentMeans = 'card_online' | 'direct_debit_online' | 'cash' | 'cheque' | 'cesu' | 'ancv' | 'card_counter';

export interface PaymentsTable {
  id: string;
  household_id: string;
  regie_id: string;
  /** Receipt number Q-<year>-<000123>, gap-free per year. */
  number: string;
  means: PaymentMeans;
  amount_cents: number;
  /** Sum of the payment's active allocations; amount_cents − allocated_cents is the household's credit. */
  allocated_cents: number;
  /** When the money was received. */
  received_at: Instant;
  /** JSON: cheque number and bank, CESU/ANCV count… */
  details: string;
  transaction_id: string | null;
  recorded_by: string | null;
  created_at: Instant;
  cancelled_at: Instant | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface PaymentAllocationsTable {
  id: string;
  payment_id: string;
  invoice_id: string;
  household_id: string;
  amount_cents: number;
  allocated_at: Instant;
  cancelled_at: Instant | null;
}

/** Table of migration 023 (the closed cash-desk days of each régie). */
declare module './schema.ts' {
  interface Database {
    cash_desk_closures: CashDeskClosuresTable;
  }
}

export interface CashDeskClosuresTable {
  id: string;
  regie_id: string;
  /** The Paris day closed, YYYY-MM-DD; unique with the régie. */
  day: string;
  closed_at: Instant;
  closed_by: string | null;
  closed_by_label: string;
  /** Per counter means: payments received that day, and the net amount (received − cancelled that day). */
  cash_count: number;
  cash_cents: number;
  cheque_count: number;
  cheque_cents: number;
  cesu_count: number;
  cesu_cents: number;
  ancv_count: number;
  ancv_cents: number;
  card_counter_count: number;
  card_counter_cents: number;
  /** Cancellations made that day (of payments of any day). */
  cancelled_count: number;
  cancelled_cents: number;
  total_cents: number;
  counted_cash_cents: number | null;
  /** counted_cash_cents − cash_cents. */
  difference_cents: number | null;
  comment: string | null;
}
