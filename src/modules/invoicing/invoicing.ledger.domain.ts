import type { PaymentMeans } from '../../platform/db/schema-payments.ts';

/**
 * Pure rules of the payment ledger (issue 11): receipt numbers, the means of payment, how a sum is
 * spread over a household's invoices, and the household's balance explained line by line.
 */

export const PAYMENT_MEANS = ['card_online', 'direct_debit_online', 'cash', 'cheque', 'cesu', 'ancv', 'card_counter'] as const satisfies readonly PaymentMeans[];
export const COUNTER_MEANS = ['cash', 'cheque', 'cesu', 'ancv', 'card_counter'] as const satisfies readonly PaymentMeans[];
export type CounterMeans = (typeof COUNTER_MEANS)[number];

export const isCounterMeans = (means: string): means is CounterMeans => (COUNTER_MEANS as readonly string[]).includes(means);

/** Receipt number of the n-th payment of a year: Q-2026-000123 (the yearly counter is `receipt-<year>`). */
export function receiptNumber(year: number | string, seq: number): string {
  return `Q-${year}-${String(seq).padStart(6, '0')}`;
}
export const receiptCounter = (year: number | string) => `receipt-${year}`;

/** What remains to pay on an invoice. */
export const dueOf = (i: { total_cents: number; paid_cents: number; credited_cents: number }) => Math.max(0, Number(i.total_cents) - Number(i.credited_cents) - Number(i.paid_cents));

export interface OpenInvoice {
  id: string;
  dueOn: string;
  number: string;
  remainingCents: number;
}

/**
 * Spreads `amountCents` over invoices: the chosen ones in the order given, else the oldest due date
 * first (then by number). Never more than what remains on an invoice; what is left is credit.
 */
export function allocationPlan(amountCents: number, open: readonly OpenInvoice[], chosen: readonly string[] | null): { allocations: { invoiceId: string; amountCents: number }[]; creditCents: number } {
  const order = chosen && chosen.length > 0
    ? chosen.map((id) => open.find((o) => o.id === id)).filter((o): o is OpenInvoice => o !== undefined)
    : [...open].sort((a, b) => (a.dueOn === b.dueOn ? a.number.localeCompare(b.number) : a.dueOn.localeCompare(b.dueOn)));
  let left = amountCents;
  const allocations: { invoiceId: string; amountCents: number }[] = [];
  for (const o of order) {
    if (left <= 0) break;
    const take = Math.min(left, o.remainingCents);
    if (take > 0) {
      allocations.push({ invoiceId: o.id, amountCents: take });
      left -= take;
    }
  }
  return { allocations, creditCents: left };
}

/** One line of the balance explained: an invoice or credit note raises or lowers what is owed; a payment is money received. */
export type BalanceLine =
  | { kind: 'invoice'; at: string; id: string; number: string; amountCents: number }
  | { kind: 'credit_note'; at: string; id: string; number: string; invoiceNumber: string; amountCents: number }
  | { kind: 'payment'; at: string; id: string; number: string; means: PaymentMeans; amountCents: number; allocatedCents: number }
  | { kind: 'allocation'; at: string; paymentNumber: string; invoiceNumber: string; amountCents: number };

export interface Balance {
  invoicedCents: number;
  creditedCents: number;
  allocatedCents: number;
  /** Received and not yet allocated to an invoice: the household's credit. */
  creditCents: number;
  /** What the household still owes: invoices − credit notes − allocated payments. */
  owedCents: number;
  lines: BalanceLine[];
}

/** The balance from its lines (ordered by date): the invariant owed = invoices − credit notes − allocations holds by construction. */
export function balanceOf(lines: readonly BalanceLine[]): Balance {
  let invoiced = 0;
  let credited = 0;
  let allocated = 0;
  let received = 0;
  for (const l of lines) {
    if (l.kind === 'invoice') invoiced += l.amountCents;
    else if (l.kind === 'credit_note') credited += l.amountCents;
    else if (l.kind === 'allocation') allocated += l.amountCents;
    else received += l.amountCents;
  }
  const sorted = [...lines].sort((a, b) => a.at.localeCompare(b.at));
  return { invoicedCents: invoiced, creditedCents: credited, allocatedCents: allocated, creditCents: received - allocated, owedCents: invoiced - credited - allocated, lines: sorted };
}
