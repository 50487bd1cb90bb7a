import { sql } from 'kysely';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { InvoicesTable } from '../../platform/db/schema-invoicing.ts';
import { INSERT_BATCH } from './invoicing.repository.ts';

/** The SQL of issuing: numbers, invoices and their lines, locks. Runs inside the issuing transaction. */

/**
 * Takes `count` consecutive numbers of a yearly sequence at once and returns the first: one UPDATE
 * of the counter row, which holds the row until the transaction ends. A second issue waits, then
 * continues after the last number; a rollback gives the numbers back: no gap, no duplicate.
 */
export async function reserveNumbers(tx: Executor, name: string, count: number): Promise<number> {
  const row = await tx.updateTable('counters').set((eb) => ({ value: eb('value', '+', count) })).where('name', '=', name).returning('value').executeTakeFirst();
  if (row) return Number(row.value) - count + 1;
  const inserted = await tx.insertInto('counters').values({ name, value: count }).onConflict((oc) => oc.column('name').doNothing()).returning('value').executeTakeFirst();
  return inserted ? 1 : reserveNumbers(tx, name, count);
}

/** Claims the run for issuing: only a run controlled at its current draft (row count 1, else someone else did it or the run moved). */
export async function claimIssue(tx: Executor, runId: string, by: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('invoice_runs')
    .set({ status: 'issued', issued_at: now.toISOString(), issued_by: by })
    .where('id', '=', runId)
    .where('status', '=', 'controlled')
    .whereRef('controlled_version', '=', 'draft_version')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countBlocking(db: Executor, runId: string, kinds: readonly string[]) {
  const row = await db.selectFrom('invoice_anomalies').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).where('kind', 'in', kinds).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Per household of the draft: its total and who pays (the payer, else the first guardian), in the order numbers are given. */
export async function draftHouseholds(tx: Executor, runId: string, version: number) {
  return tx
    .selectFrom('invoice_draft_lines as l')
    .innerJoin('households as h', 'h.id', 'l.household_id')
    .leftJoin('persons as p', 'p.id', 'h.payer_person_id')
    .select(['l.household_id', 'h.name', 'h.reference', 'h.address_line1', 'h.address_line2', 'h.postcode', 'h.city', 'p.first_name as payer_first', 'p.last_name as payer_last', (eb) => eb.fn.sum<number>('l.amount_cents').as('total')])
    .where('l.run_id', '=', runId)
    .where('l.draft_version', '=', version)
    .groupBy(['l.household_id', 'h.name', 'h.reference', 'h.address_line1', 'h.address_line2', 'h.postcode', 'h.city', 'p.first_name', 'p.last_name'])
    .orderBy('h.name')
    .orderBy('l.household_id')
    .execute();
}

export async function insertInvoices(tx: Executor, rows: readonly InvoicesTable[]) {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) await tx.insertInto('invoices').values(rows.slice(i, i + INSERT_BATCH)).execute();
}

/** Every draft line becomes its invoice's line in one INSERT … SELECT, with the names as they are today. */
export async function copyLines(tx: Executor, runId: string, version: number) {
  await tx
    .insertInto('invoice_lines')
    .columns(['invoice_id', 'booking_id', 'child_person_id', 'child_name', 'service_id', 'service_name', 'unit_label', 'day', 'kind', 'category', 'amount_cents', 'surcharge_cents', 'tariff_version_id', 'criterion_label', 'quotient', 'quotient_source', 'quotient_from', 'resident', 'sibling_rank'])
    .expression(
      tx
        .selectFrom('invoice_draft_lines as l')
        .innerJoin('invoices as i', (j) => j.onRef('i.run_id', '=', 'l.run_id').onRef('i.household_id', '=', 'l.household_id'))
        .innerJoin('persons as c', 'c.id', 'l.child_person_id')
        .innerJoin('services as s', 's.id', 'l.service_id')
        .innerJoin('units as u', 'u.id', 'l.unit_id')
        .select(['i.id', 'l.booking_id', 'l.child_person_id', 'c.first_name', 'l.service_id', 's.name', 'u.label', 'l.day', 'l.kind', 'l.category', 'l.amount_cents', 'l.surcharge_cents', 'l.tariff_version_id', 'l.criterion_label', 'l.quotient', 'l.quotient_source', 'l.quotient_from', 'l.resident', 'l.sibling_rank'])
        .where('l.run_id', '=', runId)
        .where('l.draft_version', '=', version),
    )
    .execute();
}

export async function tariffVersionsOf(tx: Executor, runId: string, version: number): Promise<string[]> {
  const rows = await tx.selectFrom('invoice_draft_lines').select('tariff_version_id').distinct().where('run_id', '=', runId).where('draft_version', '=', version).execute();
  return rows.map((r) => r.tariff_version_id);
}

export async function deleteDraft(tx: Executor, runId: string) {
  await tx.deleteFrom('invoice_draft_lines').where('run_id', '=', runId).execute();
}

export async function lockMonth(tx: Executor, regieId: string, month: string, runId: string, now: Date) {
  await tx.insertInto('billing_locks').values({ regie_id: regieId, month, run_id: runId, locked_at: now.toISOString() }).execute();
}

/** Guardians' addresses of many households at once (login first, else the contact address). */
export async function guardianEmailsOf(db: Executor, householdIds: readonly string[]) {
  if (householdIds.length === 0) return [];
  return db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .leftJoin('users', 'users.id', 'persons.user_id')
    .select(['household_members.household_id', sql<string | null>`coalesce(users.email, persons.email)`.as('email')])
    .where('household_members.household_id', 'in', householdIds)
    .where('household_members.role', '=', 'guardian')
    .execute();
}
