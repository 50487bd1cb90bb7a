import { isPayableAmount, MAX_AMOUNT_CENTS, MIN_AMOUNT_CENTS, type Outcome } from '../../platform/payfip/payfip.domain.ts';

/** pending: sent to PayFiP, no final answer yet; failed: PayFiP could not be reached to create it. */
export const PAYMENT_STATUSES = ['pending', 'paid', 'refused', 'abandoned', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * Rules of an online payment, independent of what is paid: the items (invoices, for the invoicing
 * module), their total, the local status a PayFiP outcome leads to, and how long an attempt locks
 * its items.
 */

/** One thing paid: an invoice and the part of it paid now, in cents. */
export interface PaymentItem {
  invoiceId: string;
  amountCents: number;
}

export const MAX_ITEMS = 50;

export type ItemsProblem = 'no_items' | 'invalid_items' | 'amount_too_low' | 'amount_too_high';

/** The total of valid items, or why they cannot be paid online. */
export function checkItems(items: readonly PaymentItem[]): { ok: true; totalCents: number } | { ok: false; code: ItemsProblem } {
  if (items.length === 0) return { ok: false, code: 'no_items' };
  if (items.length > MAX_ITEMS) return { ok: false, code: 'invalid_items' };
  const ids = new Set(items.map((i) => i.invoiceId));
  if (ids.size !== items.length) return { ok: false, code: 'invalid_items' };
  if (items.some((i) => !/^[A-Za-z0-9_-]{1,64}$/.test(i.invoiceId) || !Number.isSafeInteger(i.amountCents) || i.amountCents <= 0)) return { ok: false, code: 'invalid_items' };
  const totalCents = items.reduce((sum, i) => sum + i.amountCents, 0);
  if (totalCents < MIN_AMOUNT_CENTS) return { ok: false, code: 'amount_too_low' };
  if (totalCents > MAX_AMOUNT_CENTS || !isPayableAmount(totalCents)) return { ok: false, code: 'amount_too_high' };
  return { ok: true, totalCents };
}

/** The stored status of a final outcome; 'unknown' is never final. */
export function statusOf(outcome: Exclude<Outcome, 'unknown'>): { status: Exclude<PaymentStatus, 'pending'>; means: 'card' | 'direct_debit' | null } {
  switch (outcome) {
    case 'paid_card':
      return { status: 'paid', means: 'card' };
    case 'paid_direct_debit':
      return { status: 'paid', means: 'direct_debit' };
    case 'refused':
      return { status: 'refused', means: null };
    case 'abandoned':
      return { status: 'abandoned', means: null };
  }
}

/** A transaction that never got its idOp (the process stopped during creerPaiementSecurise) is failed after this. */
export const CREATION_GRACE_MS = 2 * 60_000;

export const parseItems = (json: string): PaymentItem[] => {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new TypeError('items');
  return value.map((v: { invoiceId: string; amountCents: number }) => ({ invoiceId: String(v.invoiceId), amountCents: Number(v.amountCents) }));
};
