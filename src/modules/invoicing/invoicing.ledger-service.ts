import type { AppContext } from '../../platform/context.ts';
import { auditRead, writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { formatEuros } from '../../platform/format.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { balanceOf, checkCounterPayment, dueOf, isCounterMeans, type BalanceLine, type CounterInput, type CounterRefusal } from './invoicing.ledger.domain.ts';
import { closureOf, lockReceipts } from './invoicing.cashdesk.repository.ts';
import { COUNTER_MEANS_PHRASES, MEANS_LABELS } from './invoicing.outcomes.ts';
import { notify } from '../messaging/messaging.notifications-service.ts';
import { recordPayment } from './invoicing.payments.ts';
import * as repo from './invoicing.payments.repository.ts';

export type CancelRefusal = 'already_cancelled' | 'online_payment' | 'no_reason' | 'day_closed';

/** Thrown inside a transaction to roll it back when the cash-desk day turned out closed. */
class DayClosed extends Error {}

/**
 * The payment ledger's use cases: counter payments recorded by the régie (`regie`, `admin`), their
 * receipts, their cancellation, the cash-desk day, and the household's balance explained. Another
 * household's payment is a 404 for a family; agents' reads of a household are audited.
 */
export function ledgerService(ctx: AppContext) {
  const { db, clock } = ctx;

  async function household(householdId: string) {
    const h = await repo.householdHeader(db, householdId);
    if (!h) throw new NotFoundError();
    return { ...h, payer: h.payer_first ? `${h.payer_first} ${h.payer_last ?? ''}`.trim() : h.name, address: [h.address_line1, h.address_line2, `${h.postcode} ${h.city}`].filter(Boolean).join('\n') };
  }

  /** The household's balance explained: every invoice, credit note, payment and allocation, with the totals. */
  async function balance(householdId: string) {
    const rows = await repo.balanceRows(db, householdId);
    const lines: BalanceLine[] = [
      ...rows.invoices.map((i) => ({ kind: 'invoice' as const, at: i.issued_at, id: i.id, number: i.number, amountCents: Number(i.total_cents) })),
      ...rows.notes.map((n) => ({ kind: 'credit_note' as const, at: n.issued_at, id: n.id, number: n.number, invoiceNumber: n.invoice_number, amountCents: Number(n.amount_cents) })),
      ...rows.payments.map((p) => ({ kind: 'payment' as const, at: p.received_at, id: p.id, number: p.number, means: p.means, amountCents: Number(p.amount_cents), allocatedCents: Number(p.allocated_cents) })),
      ...rows.allocations.map((a) => ({ kind: 'allocation' as const, at: a.allocated_at, paymentNumber: a.payment_number, invoiceNumber: a.invoice_number, amountCents: Number(a.amount_cents) })),
    ];
    return balanceOf(lines);
  }

  async function receiptOf(paymentId: string) {
    const p = await repo.findPayment(db, paymentId);
    if (!p) throw new NotFoundError();
    const [h, allocations, regieList] = await Promise.all([household(p.household_id), repo.allocationsOf(db, p.id), repo.regies(db)]);
    return { payment: p, household: h, allocations, regieName: regieList.find((r) => r.id === p.regie_id)?.name ?? '', details: JSON.parse(p.details) as Record<string, string> };
  }

  return {
    balance,

    /** The family's own balance. */
    familyBalance: (actor: FamilyActor) => balance(actor.householdId),

    /** The counter form: the household, its invoices with something to pay, its credit. */
    async counterForm(auth: Auth | null, householdId: string) {
      assertRole(auth, 'admin', 'regie');
      const h = await household(householdId);
      const [open, b] = await Promise.all([repo.openInvoices(db, householdId, null), balance(householdId)]);
      await auditRead(db, clock, auth, [householdId], 'household', 'le compte de paiements du foyer');
      return { household: h, open: open.map((o) => ({ id: o.id, number: o.number, month: o.month, dueOn: o.due_on, remainingCents: dueOf(o) })), creditCents: b.creditCents, owedCents: b.owedCents };
    },

    /**
     * Records a payment received at the counter and allocates it (chosen invoices, else the oldest
     * due first); what is left is credit, used by the next issued invoice. One transaction with its
     * receipt number, the audit row and the family's « paiement reçu »; refused (`caisse: day_closed`)
     * when the régie's cash-desk day is already closed.
     */
    async recordCounter(auth: Auth | null, householdId: string, input: CounterInput): Promise<{ ok: true; value: { id: string; number: string; allocatedCents: number; creditCents: number } } | { ok: false; errors: Partial<Record<string, CounterRefusal>> }> {
      assertRole(auth, 'admin', 'regie');
      await household(householdId);
      const open = await repo.openInvoices(db, householdId, null);
      const checked = checkCounterPayment(input, new Set(open.map((o) => o.id)));
      if (!checked.ok) return { ok: false, errors: checked.errors };
      const now = clock.now();
      const today = clock.today();
      return db.transaction().execute(async (tx) => {
        const recorded = await recordPayment(tx, { householdId, means: checked.means, amountCents: checked.amountCents, receivedAt: now, details: checked.details, recordedBy: auth.user.id, allocation: { invoiceIds: checked.invoiceIds } });
        // recordPayment took the receipt counter's row, which a closure locks: a closure committed before is seen here.
        if (await closureOf(tx, recorded.regieId, today)) throw new DayClosed();
        const allocated = recorded.allocations.reduce((s, a) => s + a.amountCents, 0);
        await writeAudit(tx, now, actorOf(auth), { action: 'payment.counter', targetType: 'household', targetId: householdId, summary: `Paiement au guichet ${recorded.number} : ${formatEuros(checked.amountCents)} (${MEANS_LABELS[checked.means].toLowerCase()}), ${formatEuros(allocated)} porté sur les factures${recorded.creditCents > 0 ? `, ${formatEuros(recorded.creditCents)} gardé au crédit du foyer` : ''}` });
        // The family is told, as for an online payment: once per payment (its id is the fact).
        await notify(tx, ctx, now, 'payment_received', [{ householdId, fact: recorded.id, values: { montant: formatEuros(checked.amountCents), moyen: COUNTER_MEANS_PHRASES[checked.means], reference: recorded.number, lien: `${ctx.config.publicUrl}/factures` } }]);
        return { ok: true as const, value: { id: recorded.id, number: recorded.number, allocatedCents: allocated, creditCents: recorded.creditCents } };
      }).catch((err: unknown) => {
        // The day of the régie is closed: nothing is recorded (the receipt number is given back).
        if (err instanceof DayClosed) return { ok: false as const, errors: { caisse: 'day_closed' as const } };
        throw err;
      });
    },

    /** A receipt for an agent (`regie`, `admin`, `enfance`), audited as a read of the household. */
    async agentReceipt(auth: Auth | null, paymentId: string) {
      assertRole(auth, 'admin', 'regie', 'enfance');
      const r = await receiptOf(paymentId);
      await auditRead(db, clock, auth, [r.payment.household_id], 'household', `le reçu ${r.payment.number}`);
      return r;
    },

    /** The family's own receipt; another household's is a 404. */
    async familyReceipt(actor: FamilyActor, paymentId: string) {
      const r = await receiptOf(paymentId);
      if (r.payment.household_id !== actor.householdId) throw new NotFoundError();
      return r;
    },

    /**
     * Cancels a counter payment entered by mistake, with a reason, once (`UPDATE … WHERE
     * cancelled_at IS NULL`): its allocations are cancelled and each invoice's paid amount goes down
     * in the same transaction; audited. An online payment is never cancelled here (PayFiP refunds).
     * Refused while today's cash-desk day of the payment's régie is closed (it would change it).
     */
    async cancel(auth: Auth | null, paymentId: string, reason: string): Promise<Result<{ number: string; householdId: string }, CancelRefusal>> {
      assertRole(auth, 'admin', 'regie');
      const p = await repo.findPayment(db, paymentId);
      if (!p) throw new NotFoundError();
      if (!isCounterMeans(p.means)) return fail('online_payment');
      if (p.cancelled_at) return fail('already_cancelled');
      const why = reason.trim();
      if (!why) return fail('no_reason');
      const now = clock.now();
      const today = clock.today();
      return db.transaction().execute(async (tx): Promise<Result<{ number: string; householdId: string }, CancelRefusal>> => {
        // A cancellation belongs to the journal of the day it is made: never to a day already closed.
        await lockReceipts(tx, today.slice(0, 4));
        if (await closureOf(tx, p.regie_id, today)) return fail('day_closed');
        if (!(await repo.markCancelled(tx, p.id, auth.user.id, why, now.toISOString()))) return fail('already_cancelled');
        const undone = await repo.cancelAllocations(tx, p.id, now.toISOString());
        await writeAudit(tx, now, actorOf(auth), { action: 'payment.cancelled', targetType: 'household', targetId: p.household_id, summary: `Paiement ${p.number} de ${formatEuros(Number(p.amount_cents))} annulé (${why}) : ${formatEuros(undone.reduce((s, a) => s + a.amountCents, 0))} retiré des factures` });
        return ok({ number: p.number, householdId: p.household_id });
      });
    },

    /** The household's payments for the agent's household page (the page's own guard checked the role). */
    paymentsOf: (householdId: string) => repo.paymentsOfHousehold(db, householdId),
  };
}

export type LedgerService = ReturnType<typeof ledgerService>;
