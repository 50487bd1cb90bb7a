import { Temporal } from 'temporal-polyfill';
import { TIME_ZONE } from '../../platform/calendar/calendar.domain.ts';
import { parseAmountCents } from '../tariffs/tariffs.domain.ts';

/**
 * Pure rules of the payment ledger (issue 11): receipt numbers, the means of payment, how a sum is
 * spread over a household's invoices, and the household's balance explained line by line.
 */

/** Every means of payment (the `payments.means` column takes its type from here). */
export const PAYMENT_MEANS = ['card_online', 'direct_debit_online', 'cash', 'cheque', 'cesu', 'ancv', 'card_counter'] as const;
export type PaymentMeans = (typeof PAYMENT_MEANS)[number];
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

/** The start (inclusive) and end (exclusive) instants of a day in Paris, as ISO strings (the cash-desk day). */
export function parisDayBounds(day: string): { from: string; to: string } {
  const start = Temporal.PlainDate.from(day);
  const at = (d: Temporal.PlainDate) => new Date(d.toZonedDateTime({ timeZone: TIME_ZONE }).epochMilliseconds).toISOString();
  return { from: at(start), to: at(start.add({ days: 1 })) };
}

export const CHEQUE_NUMBER_MAX = 20;
export const BANK_MAX = 80;
export const CANCEL_REASON_MAX = 300;

export type CounterRefusal = 'no_means' | 'no_amount' | 'bad_amount' | 'no_cheque_number' | 'no_bank' | 'bad_invoice' | 'day_closed';

export interface CounterInput {
  means: string;
  amount: string;
  chequeNumber: string;
  bank: string;
  /** Chosen invoices; empty: the oldest due first. */
  invoiceIds: readonly string[];
}

/** Checks a counter payment typed by the régie; field → refusal, or the payment to record. */
export function checkCounterPayment(input: CounterInput, openInvoiceIds: ReadonlySet<string>): { ok: true; means: CounterMeans; amountCents: number; details: Record<string, string>; invoiceIds: string[] | null } | { ok: false; errors: Partial<Record<'moyen' | 'montant' | 'cheque' | 'banque' | 'factures', CounterRefusal>> } {
  const errors: Partial<Record<'moyen' | 'montant' | 'cheque' | 'banque' | 'factures', CounterRefusal>> = {};
  const means = isCounterMeans(input.means) ? input.means : null;
  if (!means) errors.moyen = 'no_means';
  const amountText = input.amount.trim();
  const cents = amountText ? parseAmountCents(amountText) : null;
  if (!amountText) errors.montant = 'no_amount';
  else if (cents === null || cents <= 0) errors.montant = 'bad_amount';
  const chequeNumber = input.chequeNumber.trim();
  const bank = input.bank.trim();
  if (means === 'cheque') {
    if (!/^[0-9A-Za-z]{1,20}$/.test(chequeNumber)) errors.cheque = 'no_cheque_number';
    if (!bank || bank.length > BANK_MAX) errors.banque = 'no_bank';
  }
  if (input.invoiceIds.some((id) => !openInvoiceIds.has(id))) errors.factures = 'bad_invoice';
  if (!means || cents === null || cents <= 0 || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, means, amountCents: cents, details: means === 'cheque' ? { cheque_number: chequeNumber, bank } : {}, invoiceIds: input.invoiceIds.length > 0 ? [...input.invoiceIds] : null };
}

/**
 * Which reminder an unpaid invoice is due for on `today`: 0 while not past its due date, then 1 from
 * the day after, 2 after `intervalDays` more days, and so on. The outbox's dedupe key carries this
 * number: the same reminder is never queued twice (two workers, a rerun), the next one only once the
 * interval has passed.
 */
export function reminderNumber(dueOn: string, today: string, intervalDays: number): number {
  if (today <= dueOn) return 0;
  const daysLate = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`)) / 86_400_000);
  return 1 + Math.floor((daysLate - 1) / intervalDays);
}
