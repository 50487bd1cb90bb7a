import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { CashDeskClosuresTable } from '../../platform/db/schema-payments.ts';
import { forUpdate } from '../../platform/db/locks.ts';
import { COUNTER_MEANS, receiptCounter } from './invoicing.ledger.domain.ts';

/** SQL of the cash-desk day: closures, and the counter payments received or cancelled between two instants. */

/**
 * Locks the year's receipt counter (PostgreSQL; SQLite has one writer at a time). Every payment takes
 * this row to get its number, so a closure holding it waits for the payments being recorded and makes
 * the next ones wait until it is written: no payment slips into a day while it closes. The row is
 * created at 0 if the year has no receipt yet (the next number is still 1).
 */
export async function lockReceipts(tx: Executor, year: string): Promise<void> {
  await tx.insertInto('counters').values({ name: receiptCounter(year), value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  await forUpdate(tx, tx.selectFrom('counters').select('value').where('name', '=', receiptCounter(year)).orderBy('name')).execute();
}

export function closureOf(db: Executor, regieId: string, day: string) {
  return db.selectFrom('cash_desk_closures').selectAll().where('regie_id', '=', regieId).where('day', '=', day).executeTakeFirst();
}

/** Inserts the closure unless the day is already closed; true when this call closed it. */
export async function insertClosure(tx: Executor, row: CashDeskClosuresTable): Promise<boolean> {
  const inserted = await tx.insertInto('cash_desk_closures').values(row).onConflict((oc) => oc.columns(['regie_id', 'day']).doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

const journalColumns = ['p.id', 'p.number', 'p.means', 'p.amount_cents', 'p.received_at', 'p.details', 'p.cancelled_at', 'p.cancel_reason', 'h.name as household_name', 'h.reference as household_reference'] as const;

/** A régie's counter payments (the drawer's), with their household, for the journal. */
const counterPayments = (db: Executor, regieId: string) =>
  db.selectFrom('payments as p').innerJoin('households as h', 'h.id', 'p.household_id').select(journalColumns).where('p.regie_id', '=', regieId).where('p.means', 'in', [...COUNTER_MEANS]);

/** Counter payments received by a régie between two instants (a day in Paris). */
export function counterPaymentsReceived(db: Executor, regieId: string, from: string, to: string) {
  return counterPayments(db, regieId)
    .where('p.received_at', '>=', from)
    .where('p.received_at', '<', to)
    .orderBy('p.received_at')
    .orderBy('p.number')
    .execute();
}

/** Counter payments of a régie cancelled between two instants, whatever the day they were received. */
export function counterPaymentsCancelled(db: Executor, regieId: string, from: string, to: string) {
  return counterPayments(db, regieId)
    .where('p.cancelled_at', '>=', from)
    .where('p.cancelled_at', '<', to)
    .orderBy('p.cancelled_at')
    .execute();
}

/** Online payments of a régie received between two instants: count and amount (they do not go through the drawer). */
export async function onlineReceived(db: Executor, regieId: string, from: string, to: string) {
  const row = await db
    .selectFrom('payments')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('amount_cents').as('cents')])
    .where('regie_id', '=', regieId)
    .where('means', 'not in', [...COUNTER_MEANS])
    .where('cancelled_at', 'is', null)
    .where('received_at', '>=', from)
    .where('received_at', '<', to)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), cents: Number(row?.cents ?? 0) };
}

/** The instants of counter activity (receipts and cancellations) of a régie since an instant: the days that need closing. */
export async function counterActivitySince(db: Executor, regieId: string, from: string) {
  const [received, cancelled] = await Promise.all([
    db.selectFrom('payments').select('received_at as at').where('regie_id', '=', regieId).where('means', 'in', [...COUNTER_MEANS]).where('received_at', '>=', from).execute(),
    db.selectFrom('payments').select('cancelled_at as at').where('regie_id', '=', regieId).where('means', 'in', [...COUNTER_MEANS]).where('cancelled_at', '>=', from).execute(),
  ]);
  return [...received, ...cancelled].map((r) => r.at!);
}

export async function closedDaysSince(db: Executor, regieId: string, fromDay: string) {
  return (await db.selectFrom('cash_desk_closures').select('day').where('regie_id', '=', regieId).where('day', '>=', fromDay).execute()).map((r) => r.day);
}
