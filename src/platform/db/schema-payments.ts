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
