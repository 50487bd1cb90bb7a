import type { Executor } from '../../platform/audit/audit.repository.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { formatEuros } from '../../platform/format.ts';
import { addPaid } from './invoicing.payments.repository.ts';

/** What a settled online payment brings to the invoices (the payments module's `onPaid`). */
export interface ReceivedPayment {
  householdId: string;
  refdet: string;
  items: readonly { invoiceId: string; amountCents: number }[];
}

/**
 * Records, inside the payment's own settlement transaction, what each invoice received: settled
 * once (the payments module's `UPDATE … WHERE status = 'pending'`), so it is added once. An item
 * whose invoice is not the household's (never offered by the portal) changes nothing and is written
 * to the history for the régie: the money was received all the same.
 */
export async function recordOnlinePayment(tx: Executor, at: Date, payment: ReceivedPayment): Promise<void> {
  for (const item of payment.items) {
    const recorded = await addPaid(tx, payment.householdId, item.invoiceId, item.amountCents);
    const summary = recorded
      ? `Paiement en ligne de ${formatEuros(item.amountCents)} porté sur la facture (référence ${payment.refdet})`
      : `Paiement en ligne de ${formatEuros(item.amountCents)} sans facture de ce foyer à créditer (référence ${payment.refdet}) : à traiter par la régie`;
    await writeAudit(tx, at, { id: null, label: 'Paiement en ligne (PayFiP)', onBehalfOfHouseholdId: null }, { action: recorded ? 'invoice.paid_online' : 'invoice.payment_unmatched', targetType: 'household', targetId: payment.householdId, summary });
  }
}

/** The payments module's door, seen from an invoice: starts a payment and says where to send the browser. */
export type PayOnline = (payer: { householdId: string; email: string }, items: { invoiceId: string; amountCents: number }[], subject: string) => Promise<{ ok: true; redirectUrl: string } | { ok: false; message: string }>;
