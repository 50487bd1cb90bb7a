import { sql } from 'kysely';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { InvoiceAnomaliesTable, InvoiceDraftLinesTable } from '../../platform/db/schema-invoicing.ts';
import { newId } from '../../platform/ids.ts';

/** Régies, runs and drafts: the SQL of invoicing before the issue (invoicing.issue.repository.ts after). */

/** Rows per multi-row INSERT: 19 columns × 500 stays far below SQLite's and PostgreSQL's parameter limits. */
export const INSERT_BATCH = 500;

export async function regies(db: Executor) {
  return db.selectFrom('regies').select(['id', 'name']).orderBy('name').execute();
}

export async function regie(db: Executor, id: string) {
  return db.selectFrom('regies').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function insertRegie(db: Executor, name: string, now: Date) {
  const id = newId();
  await db.insertInto('regies').values({ id, name, created_at: now.toISOString() }).execute();
  return id;
}

export async function setServiceRegie(db: Executor, serviceId: string, regieId: string) {
  await db.updateTable('services').set({ regie_id: regieId }).where('id', '=', serviceId).execute();
}

/** The services a régie invoices, with their facility (closures are per facility or service). */
export async function servicesOfRegie(db: Executor, regieId: string) {
  return db.selectFrom('services').select(['id', 'facility_id', 'name']).where('regie_id', '=', regieId).orderBy('name').execute();
}

/** The run of a régie for a month, created (as an empty draft) the first time it is asked for. */
export async function ensureRun(db: Executor, regieId: string, month: string, now: Date) {
  await db
    .insertInto('invoice_runs')
    .values({ id: newId(), regie_id: regieId, month, status: 'draft', draft_version: 0, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['regie_id', 'month']).doNothing())
    .execute();
  return db.selectFrom('invoice_runs').selectAll().where('regie_id', '=', regieId).where('month', '=', month).executeTakeFirstOrThrow();
}

export async function run(db: Executor, id: string) {
  return db.selectFrom('invoice_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function runsOf(db: Executor, regieId: string) {
  return db.selectFrom('invoice_runs').selectAll().where('regie_id', '=', regieId).orderBy('month', 'desc').limit(36).execute();
}

/**
 * Starts a new draft version: only a run not issued, and it cancels any control. Inside the draft's
 * transaction, so two drafts of one run follow each other (the row stays locked until the commit).
 */
export async function startDraft(tx: Executor, runId: string, by: string, now: Date): Promise<number | null> {
  const row = await tx
    .updateTable('invoice_runs')
    .set((eb) => ({ draft_version: eb('draft_version', '+', 1), status: 'draft', controlled_version: null, controlled_at: null, controlled_by: null, drafted_at: now.toISOString(), drafted_by: by }))
    .where('id', '=', runId)
    .where('status', '<>', 'issued')
    .returning('draft_version')
    .executeTakeFirst();
  return row ? Number(row.draft_version) : null;
}

/** Households with a booked day of these services in the range: the draft walks them in batches. */
export async function householdsToBill(db: Executor, serviceIds: readonly string[], from: string, to: string): Promise<string[]> {
  if (serviceIds.length === 0) return [];
  const rows = await db
    .selectFrom('bookings')
    .select('household_id')
    .distinct()
    .where('service_id', 'in', serviceIds)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('status', '=', 'booked')
    .orderBy('household_id')
    .execute();
  return rows.map((r) => r.household_id);
}

/** The booked rows of a batch of households, with what the billing rules and the pricing need. */
export async function bookedDays(db: Executor, householdIds: readonly string[], serviceIds: readonly string[], from: string, to: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['bookings.id', 'bookings.household_id', 'bookings.child_person_id', 'bookings.service_id', 'bookings.unit_id', 'bookings.day', 'bookings.status', 'bookings.attendance', 'bookings.absence_declared_at', 'persons.birth_date', 'services.facility_id', 'services.kind as service_kind'])
    .where('bookings.household_id', 'in', householdIds)
    .where('bookings.service_id', 'in', serviceIds)
    .where('bookings.day', '>=', from)
    .where('bookings.day', '<=', to)
    .where('bookings.status', '=', 'booked')
    .orderBy('bookings.household_id')
    .orderBy('bookings.day')
    .execute();
}

export async function closuresBetween(db: Executor, from: string, to: string) {
  return db.selectFrom('closures').select(['day', 'facility_id', 'service_id']).where('day', '>=', from).where('day', '<=', to).execute();
}

/** Accepted enrolments of these children for these services, with the school year's dates. */
export async function acceptedEnrolments(db: Executor, childIds: readonly string[], serviceIds: readonly string[]) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('enrolments')
    .innerJoin('school_years', 'school_years.id', 'enrolments.school_year_id')
    .select(['enrolments.child_person_id', 'enrolments.service_id', 'school_years.start_date', 'school_years.end_date'])
    .where('enrolments.child_person_id', 'in', childIds)
    .where('enrolments.service_id', 'in', serviceIds)
    .where('enrolments.status', '=', 'accepted')
    .execute();
}

export async function insertDraftLines(tx: Executor, lines: readonly InvoiceDraftLinesTable[]) {
  for (let i = 0; i < lines.length; i += INSERT_BATCH) await tx.insertInto('invoice_draft_lines').values(lines.slice(i, i + INSERT_BATCH)).execute();
}

export async function insertAnomalies(tx: Executor, rows: readonly InvoiceAnomaliesTable[]) {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) await tx.insertInto('invoice_anomalies').values(rows.slice(i, i + INSERT_BATCH)).execute();
}

/** The previous draft's lines of a batch of households (index on run, version, household). */
export async function previousLines(db: Executor, runId: string, version: number, householdIds: readonly string[]) {
  return db
    .selectFrom('invoice_draft_lines')
    .select(['booking_id', 'household_id', 'child_person_id', 'day', 'kind', 'amount_cents'])
    .where('run_id', '=', runId)
    .where('draft_version', '=', version)
    .where('household_id', 'in', householdIds)
    .execute();
}

export async function householdsOfDraft(db: Executor, runId: string, version: number): Promise<string[]> {
  const rows = await db.selectFrom('invoice_draft_lines').select('household_id').distinct().where('run_id', '=', runId).where('draft_version', '=', version).execute();
  return rows.map((r) => r.household_id);
}

/** Every line of these households in a previous draft, as « removed » anomalies. */
export async function insertRemoved(tx: Executor, runId: string, version: number, householdIds: readonly string[]) {
  await tx
    .insertInto('invoice_anomalies')
    .columns(['run_id', 'kind', 'household_id', 'child_person_id', 'booking_id', 'day', 'amount_cents'])
    .expression(
      tx
        .selectFrom('invoice_draft_lines')
        .select([sql<string>`${runId}`.as('run_id'), sql<string>`'removed'`.as('kind'), 'household_id', 'child_person_id', 'booking_id', 'day', 'amount_cents'])
        .where('run_id', '=', runId)
        .where('draft_version', '=', version)
        .where('household_id', 'in', householdIds),
    )
    .execute();
}

export async function deleteOlderDrafts(tx: Executor, runId: string, version: number) {
  await tx.deleteFrom('invoice_draft_lines').where('run_id', '=', runId).where('draft_version', '<', version).execute();
}

/** Households whose draft total is zero or negative: reported at the control. */
export async function insertZeroTotals(tx: Executor, runId: string, version: number) {
  await tx
    .insertInto('invoice_anomalies')
    .columns(['run_id', 'kind', 'household_id', 'amount_cents'])
    .expression(
      tx
        .selectFrom('invoice_draft_lines')
        .select([sql<string>`${runId}`.as('run_id'), sql<string>`'zero_or_negative'`.as('kind'), 'household_id', (eb) => eb.fn.sum<number>('amount_cents').as('amount_cents')])
        .where('run_id', '=', runId)
        .where('draft_version', '=', version)
        .groupBy('household_id')
        .having((eb) => eb.fn.sum('amount_cents'), '<=', 0),
    )
    .execute();
}

export async function clearAnomalies(tx: Executor, runId: string) {
  await tx.deleteFrom('invoice_anomalies').where('run_id', '=', runId).execute();
}
