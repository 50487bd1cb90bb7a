import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PaymentStatus } from './payments.domain.ts';

/** SQL of online payment transactions and of the locks on the items they pay. */

export type TransactionRow = Awaited<ReturnType<typeof findTransaction>> & {};

const COLUMNS = ['id', 'household_id', 'amount_cents', 'items', 'refdet', 'id_op', 'status', 'means', 'bank_data', 'created_at', 'updated_at', 'settled_at'] as const;

export function findTransaction(db: Executor, id: string) {
  return db.selectFrom('payment_transactions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertTransaction(tx: Executor, row: { id: string; householdId: string; amountCents: number; items: string; refdet: string; now: string }) {
  await tx
    .insertInto('payment_transactions')
    .values({ id: row.id, household_id: row.householdId, amount_cents: row.amountCents, items: row.items, refdet: row.refdet, id_op: null, status: 'pending', means: null, bank_data: null, created_at: row.now, updated_at: row.now, settled_at: null })
    .execute();
}

/**
 * Takes the lock of an item for a transaction, unless another attempt holds it still: one
 * statement (insert, or take over an expired lock), the row count says who won.
 */
export async function takeItemLock(tx: Executor, itemId: string, transactionId: string, now: string, until: string): Promise<boolean> {
  const result = await tx
    .insertInto('payment_item_locks')
    .values({ item_id: itemId, transaction_id: transactionId, locked_until: until })
    .onConflict((oc) => oc.column('item_id').doUpdateSet({ transaction_id: transactionId, locked_until: until }).where('payment_item_locks.locked_until', '<=', now))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function releaseItemLocks(tx: Executor, transactionId: string) {
  await tx.deleteFrom('payment_item_locks').where('transaction_id', '=', transactionId).execute();
}

export async function setIdOp(db: Executor, id: string, idOp: string, now: string) {
  await db.updateTable('payment_transactions').set({ id_op: idOp, updated_at: now }).where('id', '=', id).where('id_op', 'is', null).execute();
}

/** Moves a pending transaction to its final status; 1 for the one caller that did it, 0 for every other. */
export async function settleTransaction(tx: Executor, id: string, to: { status: Exclude<PaymentStatus, 'pending'>; means: 'card' | 'direct_debit' | null; bankData: string | null; now: string }): Promise<number> {
  const result = await tx
    .updateTable('payment_transactions')
    .set({ status: to.status, means: to.means, bank_data: to.bankData, settled_at: to.now, updated_at: to.now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Pending transactions created up to this instant: the reconciliation's work list, oldest first. */
export function pendingTransactions(db: Db, before: string, limit: number) {
  return db.selectFrom('payment_transactions').select(COLUMNS).where('status', '=', 'pending').where('created_at', '<=', before).orderBy('created_at').limit(limit).execute();
}
