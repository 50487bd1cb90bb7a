import type { Actor, Executor } from '../../platform/audit/audit.repository.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { formatEuros } from '../../platform/format.ts';
import { newId } from '../../platform/ids.ts';
import { todayIn } from '../../platform/calendar/calendar.domain.ts';
import { nextCounter } from '../../platform/db/counters.ts';
import { DEFAULT_REGIE_ID } from '../../platform/db/migrations/013_invoicing.ts';
import { allocationPlan, dueOf, receiptCounter, receiptNumber, type PaymentMeans } from './invoicing.ledger.domain.ts';
import * as repo from './invoicing.payments.repository.ts';

/** What a settled online payment brings to the invoices (the payments module's `onPaid`). */
export interface ReceivedPayment {
  /** The PayFiP transaction. */
  id: string;
  householdId: string;
  refdet: string;
  amountCents: number;
  means: 'card' | 'direct_debit' | null;
  items: readonly { invoiceId: string; amountCents: number }[];
}

/** A sum received, to write in the ledger. */
export interface NewPayment {
  householdId: string;
  /** The régie that received it; by default the régie of the first invoice allocated, else the town's first. */
  regieId?: string | null;
  means: PaymentMeans;
  amountCents: number;
  receivedAt: Date;
  details?: Record<string, string>;
  transactionId?: string | null;
  recordedBy?: string | null;
  /**
   * How to allocate it: explicit amounts per invoice (online items), chosen invoices (filled in this
   * order), or null for the oldest due first. What cannot be allocated stays as credit.
   */
  allocation: { items: readonly { invoiceId: string; amountCents: number }[] } | { invoiceIds: readonly string[] | null };
}

export interface RecordedPayment {
  id: string;
  number: string;
  regieId: string;
  allocations: { invoiceId: string; amountCents: number }[];
  creditCents: number;
  /** Items of an online payment whose invoice is not the household's (never offered by the portal). */
  unmatched: string[];
}

/**
 * Writes a payment and its allocations, inside the caller's transaction: a receipt number from the
 * year's gap-free counter (a rollback gives it back), then each allocation guarded on both sides
 * (repository `allocate`), so `invoices.paid_cents` stays the sum of its active allocations and a
 * payment never gives more than it received. Only invoices of the same household are touched.
 */
export async function recordPayment(tx: Executor, p: NewPayment): Promise<RecordedPayment> {
  const at = p.receivedAt.toISOString();
  const id = newId();
  let plan: { invoiceId: string; amountCents: number }[];
  const unmatched: string[] = [];
  let regieId = p.regieId ?? null;
  if ('items' in p.allocation) {
    plan = [];
    for (const item of p.allocation.items) {
      const invoice = await repo.invoiceOfHousehold(tx, p.householdId, item.invoiceId);
      if (!invoice) {
        unmatched.push(item.invoiceId);
        continue;
      }
      regieId ??= invoice.regie_id;
      // Never more than remains (a second attempt paid after the first): the rest is credit.
      const take = Math.min(item.amountCents, dueOf(invoice));
      if (take > 0) plan.push({ invoiceId: invoice.id, amountCents: take });
    }
  } else {
    const open = await repo.openInvoices(tx, p.householdId, p.regieId ?? null);
    const chosen = p.allocation.invoiceIds;
    const result = allocationPlan(p.amountCents, open.map((o) => ({ id: o.id, dueOn: o.due_on, number: o.number, remainingCents: dueOf(o) })), chosen);
    plan = result.allocations;
    regieId ??= open.find((o) => o.id === plan[0]?.invoiceId)?.regie_id ?? null;
  }
  regieId ??= DEFAULT_REGIE_ID;
  const year = todayIn(p.receivedAt).slice(0, 4);
  const number = receiptNumber(year, await nextCounter(tx, receiptCounter(year)));
  await repo.insertPayment(tx, {
    id,
    household_id: p.householdId,
    regie_id: regieId,
    number,
    means: p.means,
    amount_cents: p.amountCents,
    allocated_cents: 0,
    received_at: at,
    details: JSON.stringify(p.details ?? {}),
    transaction_id: p.transactionId ?? null,
    recorded_by: p.recordedBy ?? null,
    created_at: at,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
  });
  const allocations: { invoiceId: string; amountCents: number }[] = [];
  let left = p.amountCents;
  for (const a of plan) {
    const amount = Math.min(a.amountCents, left);
    if (amount <= 0) break;
    if (await repo.allocate(tx, { id: newId(), paymentId: id, invoiceId: a.invoiceId, householdId: p.householdId, amountCents: amount, at })) {
      allocations.push({ invoiceId: a.invoiceId, amountCents: amount });
      left -= amount;
    }
  }
  return { id, number, regieId, allocations, creditCents: left, unmatched };
}

/**
 * Uses a household's credit (payments not fully allocated, oldest first) on its open invoices of
 * the régie, oldest due first. Inside the caller's transaction (the issue of a run: the new
 * invoices are paid by the credit as they appear). Returns the amount used.
 */
export async function applyCredit(tx: Executor, at: Date, householdId: string, regieId: string): Promise<number> {
  const payments = await repo.paymentsWithCredit(tx, householdId, regieId);
  if (payments.length === 0) return 0;
  const open = (await repo.openInvoices(tx, householdId, regieId)).map((o) => ({ id: o.id, left: dueOf(o) }));
  let used = 0;
  for (const p of payments) {
    let credit = Number(p.amount_cents) - Number(p.allocated_cents);
    for (const o of open) {
      if (credit <= 0) break;
      const take = Math.min(credit, o.left);
      if (take <= 0) continue;
      if (await repo.allocate(tx, { id: newId(), paymentId: p.id, invoiceId: o.id, householdId, amountCents: take, at: at.toISOString() })) {
        credit -= take;
        o.left -= take;
        used += take;
      }
    }
  }
  return used;
}

/** The issue hook: every household of the run that had credit sees it used on its new invoices, in the transaction. */
export async function applyCreditToRun(tx: Executor, at: Date, runId: string, regieId: string): Promise<number> {
  const households = await repo.householdsOfRun(tx, runId);
  let used = 0;
  for (let i = 0; i < households.length; i += 500) {
    const withCredit = await repo.householdsWithCredit(tx, households.slice(i, i + 500).map((h) => h.household_id), regieId);
    for (const h of withCredit) used += await applyCredit(tx, at, h.household_id, regieId);
  }
  return used;
}

/**
 * Records, inside the payment's own settlement transaction, a settled online payment in the ledger:
 * settled once (the payments module's `UPDATE … WHERE status = 'pending'`), so written once (and
 * `payments.transaction_id` is unique as the last guard). An item whose invoice is not the
 * household's changes no invoice: the money stays as the household's credit, and the history says so.
 */
export async function recordOnlinePayment(tx: Executor, at: Date, payment: ReceivedPayment): Promise<void> {
  const means: PaymentMeans = payment.means === 'direct_debit' ? 'direct_debit_online' : 'card_online';
  const recorded = await recordPayment(tx, { householdId: payment.householdId, means, amountCents: payment.amountCents, receivedAt: at, transactionId: payment.id, details: { refdet: payment.refdet }, allocation: { items: payment.items } });
  const system: Actor = { id: null, label: 'Paiement en ligne (PayFiP)', onBehalfOfHouseholdId: null };
  for (const a of recorded.allocations) {
    await writeAudit(tx, at, system, { action: 'invoice.paid_online', targetType: 'household', targetId: payment.householdId, summary: `Paiement en ligne de ${formatEuros(a.amountCents)} porté sur la facture (référence ${payment.refdet}, reçu ${recorded.number})` });
  }
  if (recorded.unmatched.length > 0 || recorded.creditCents > 0) {
    await writeAudit(tx, at, system, { action: 'invoice.payment_unmatched', targetType: 'household', targetId: payment.householdId, summary: `Paiement en ligne : ${formatEuros(recorded.creditCents)} sans facture de ce foyer à créditer (référence ${payment.refdet}, reçu ${recorded.number}) : gardé au crédit du foyer, à vérifier par la régie` });
  }
}

/** The payments module's door, seen from an invoice: starts a payment and says where to send the browser. */
export type PayOnline = (payer: { householdId: string; email: string }, items: { invoiceId: string; amountCents: number }[], subject: string) => Promise<{ ok: true; redirectUrl: string } | { ok: false; message: string }>;
