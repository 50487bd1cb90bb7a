import type { Transaction } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/schema.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { formatEuros } from '../../platform/format.ts';
import { isValidMel, normalizeObjet, refdetOf, STILL_RUNNING_MS, verdictOf, type DetailAnswer, type Verdict } from '../../platform/payfip/payfip.domain.ts';
import { PayfipError, PayfipFault, type PayfipClient, type PaymentDetail } from '../../platform/payfip/payfip.client.ts';
import { checkItems, CREATION_GRACE_MS, parseItems, statusOf, type PaymentItem, type PaymentStatus } from './payments.domain.ts';
import type { StartRefusal } from './payments.outcomes.ts';
import * as repo from './payments.repository.ts';

/** A transaction as the rest of the portal sees it. */
export interface PaymentTransaction {
  id: string;
  householdId: string;
  amountCents: number;
  items: PaymentItem[];
  refdet: string;
  idOp: string | null;
  status: PaymentStatus;
  means: 'card' | 'direct_debit' | null;
  createdAt: string;
  settledAt: string | null;
}

/**
 * Called once per paid transaction, inside the transaction that records it as paid: what the
 * payment pays is recorded there (the invoicing module allocates it to the invoices), or not at all.
 */
export type OnPaid = (tx: Transaction<Database>, transaction: PaymentTransaction) => Promise<void>;

/** A transaction, and, while it is pending, what PayFiP said last (an abandon that may still be paid, or nothing yet). */
export interface PaymentState {
  transaction: PaymentTransaction;
  lastVerdict: Verdict | null;
}

export interface PaymentsDeps {
  client: PayfipClient;
  onPaid: OnPaid;
  /** Where PayFiP sends the notification and the browser back: the portal's public address. */
  publicUrl: string;
  log?: (message: string) => void;
}

const toView = (r: NonNullable<repo.TransactionRow>): PaymentTransaction => ({
  id: r.id,
  householdId: r.household_id,
  amountCents: r.amount_cents,
  items: parseItems(r.items),
  refdet: r.refdet,
  idOp: r.id_op,
  status: r.status,
  means: r.means,
  createdAt: r.created_at,
  settledAt: r.settled_at,
});

/** Thrown inside the creation's database transaction to roll it back when an item is locked. */
class ItemLocked extends Error {}

export function paymentsService(ctx: AppContext, deps: PaymentsDeps) {
  const { db, clock } = ctx;
  const { client } = deps;
  const log = deps.log ?? (() => {});
  const system = { id: null, label: 'Paiement en ligne (PayFiP)' };

  /** Asks PayFiP, and turns whatever happens into an answer the rules read (never throws for PayFiP's sake). */
  async function ask(idOp: string): Promise<{ answer: DetailAnswer; detail: PaymentDetail | null }> {
    try {
      const detail = await client.paymentDetail(idOp);
      return { answer: { kind: 'result', resultrans: detail.resultrans }, detail };
    } catch (err) {
      if (err instanceof PayfipFault && err.fault.kind === 'FonctionnelleErreur') return { answer: { kind: 'fault', code: err.fault.code }, detail: null };
      if (err instanceof PayfipError) {
        log(`PayFiP : détail de ${idOp} indisponible : ${err.message}`);
        return { answer: { kind: 'unavailable' }, detail: null };
      }
      throw err;
    }
  }

  /** Records a final status once: the UPDATE … WHERE status = 'pending' lets exactly one caller through. */
  async function finish(t: PaymentTransaction, status: Exclude<PaymentStatus, 'pending'>, means: 'card' | 'direct_debit' | null, bankData: Record<string, string> | null): Promise<void> {
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      const moved = await repo.settleTransaction(tx, t.id, { status, means, bankData: bankData ? JSON.stringify(bankData) : null, now: now.toISOString() });
      if (moved !== 1) return;
      await repo.releaseItemLocks(tx, t.id);
      const summary = { paid: `Paiement en ligne de ${formatEuros(t.amountCents)} accepté (${means === 'direct_debit' ? 'prélèvement' : 'carte bancaire'})`, refused: `Paiement en ligne de ${formatEuros(t.amountCents)} refusé par la banque`, abandoned: `Paiement en ligne de ${formatEuros(t.amountCents)} abandonné ou expiré`, failed: `Paiement en ligne de ${formatEuros(t.amountCents)} non créé : PayFiP n'a pas répondu ou l'a refusé` }[status];
      await writeAudit(tx, now, { ...system, onBehalfOfHouseholdId: null }, { action: `payment.${status}`, targetType: 'household', targetId: t.householdId, summary: `${summary}, référence ${t.refdet}` });
      if (status === 'paid') await deps.onPaid(tx, { ...t, status, means, settledAt: now.toISOString() });
    });
  }

  /**
   * Asks PayFiP what became of a pending transaction and settles it when the answer is final.
   * Safe to call any number of times, at once: only the first final answer is recorded.
   */
  async function settle(t: PaymentTransaction): Promise<PaymentState> {
    if (t.status !== 'pending') return { transaction: t, lastVerdict: null };
    const now = clock.now();
    if (!t.idOp) {
      // The process stopped during creerPaiementSecurise, or PayFiP never answered it: nothing can be paid with it.
      if (now.getTime() - Date.parse(t.createdAt) >= CREATION_GRACE_MS) await finish(t, 'failed', null, null);
      return reread(t.id, null);
    }
    const { answer, detail } = await ask(t.idOp);
    const verdict = verdictOf(answer, new Date(t.createdAt), now);
    if (!verdict.final) return reread(t.id, verdict);
    if (verdict.outcome === 'unknown') return reread(t.id, verdict);
    const { status, means } = statusOf(verdict.outcome);
    if (status === 'paid' && detail && (detail.amountCents !== t.amountCents || (detail.refdet !== '' && detail.refdet !== t.refdet))) {
      // PayFiP says paid, but not this amount or reference: never recorded as is; an agent must look.
      log(`PayFiP : paiement ${t.id} annoncé payé avec un montant ou une référence différents (${detail.amountCents ?? '?'} / ${detail.refdet}) : laissé en attente`);
      return reread(t.id, { outcome: 'unknown', final: false });
    }
    await finish(t, status, means, detail?.bankData ?? null);
    return reread(t.id, null);
  }

  async function reread(id: string, lastVerdict: Verdict | null): Promise<PaymentState> {
    const row = await repo.findTransaction(db, id);
    if (!row) throw new Error(`transaction ${id} disparue`);
    return { transaction: toView(row), lastVerdict: row.status === 'pending' ? lastVerdict : null };
  }

  return {
    /**
     * Starts an online payment of these items for a household: the local transaction, the locks
     * on its items, then creerPaiementSecurise. Returns the PayFiP page to send the browser to.
     */
    async startPayment(payer: { householdId: string; email: string }, items: PaymentItem[], subject = 'Paiement portail famille'): Promise<Result<{ transactionId: string; redirectUrl: string }, StartRefusal>> {
      const checked = checkItems(items);
      if (!checked.ok) return fail(checked.code);
      if (!isValidMel(payer.email)) return fail('no_email');
      const id = newId();
      const refdet = refdetOf(id);
      const now = clock.now();
      const stamp = now.toISOString();
      const until = new Date(now.getTime() + STILL_RUNNING_MS).toISOString();
      try {
        await db.transaction().execute(async (tx) => {
          await repo.insertTransaction(tx, { id, householdId: payer.householdId, amountCents: checked.totalCents, items: JSON.stringify(items.map((i) => ({ invoiceId: i.invoiceId, amountCents: i.amountCents }))), refdet, now: stamp });
          for (const item of items) if (!(await repo.takeItemLock(tx, item.invoiceId, id, stamp, until))) throw new ItemLocked();
        });
      } catch (err) {
        if (err instanceof ItemLocked) return fail('already_running');
        throw err;
      }
      const base = deps.publicUrl.replace(/\/$/, '');
      let idOp: string;
      try {
        idOp = await client.createPayment({
          // The fiscal year of the day in Paris (the UTC year is the previous one on 31 December evening).
          exer: clock.today().slice(0, 4),
          mel: payer.email,
          amountCents: checked.totalCents,
          objet: normalizeObjet(subject),
          refdet,
          urlnotif: `${base}/paiements/payfip/notification/${id}`,
          urlredirect: `${base}/paiements/payfip/retour/${id}`,
        });
      } catch (err) {
        if (!(err instanceof PayfipError)) throw err;
        log(`PayFiP : création du paiement ${id} impossible : ${err.message}`);
        const row = await repo.findTransaction(db, id);
        if (row) await finish(toView(row), 'failed', null, null);
        return fail('payfip_unavailable');
      }
      await repo.setIdOp(db, id, idOp, clock.now().toISOString());
      return ok({ transactionId: id, redirectUrl: client.paymentPageFor(idOp) });
    },

    /**
     * The notification or the browser's return: only the idOp is taken from the request, and only
     * when it is the one PayFiP gave for this transaction; then PayFiP is asked. Null: unknown.
     */
    async handleCallback(transactionId: string, idOp: string | null): Promise<PaymentState | null> {
      const row = await repo.findTransaction(db, transactionId);
      if (!row || !row.id_op || (idOp !== null && idOp !== row.id_op)) return null;
      return settle(toView(row));
    },

    /** A household's transaction, brought up to date with PayFiP when still pending; null when it is not theirs. */
    async stateFor(householdId: string, transactionId: string): Promise<PaymentState | null> {
      const row = await repo.findTransaction(db, transactionId);
      if (!row || row.household_id !== householdId) return null;
      return settle(toView(row));
    },

    /**
     * Settles the pending transactions whose notification never came (worker loop and CLI), oldest
     * first, at most `limit` per run, one at a time (PayFiP is not hurried). One too old for PayFiP
     * to remember answers P1 and ends abandoned: nothing stays pending for ever.
     */
    async reconcile(limit = 200): Promise<{ checked: number; settled: number }> {
      const now = clock.now();
      const rows = await repo.pendingTransactions(db, now.toISOString(), limit);
      let settled = 0;
      for (const row of rows) {
        const state = await settle(toView(row));
        if (state.transaction.status !== 'pending') settled++;
      }
      return { checked: rows.length, settled };
    },
  };
}

export type PaymentsService = ReturnType<typeof paymentsService>;
