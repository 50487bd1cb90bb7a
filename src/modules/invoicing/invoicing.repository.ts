import { sql } from 'kysely';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { InvoiceAnomaliesTable, InvoiceDraftLinesTable } from '../../platform/db/schema-invoicing.ts';
import { newId } from '../../platform/ids.ts';
import { forUpdate } from '../../platform/db/locks.ts';

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

/** The régie a service is created with (before any move): used by tests and the demo before any run exists. */
export async function setServiceRegie(db: Executor, serviceId: string, regieId: string) {
  await db.updateTable('services').set({ regie_id: regieId }).where('id', '=', serviceId).execute();
}

/**
 * The services a régie invoices for a month, with their facility (closures are per facility or
 * service): those whose latest assignment from that month or before names it, or, without one,
 * created with it.
 */
export async function servicesOfRegie(db: Executor, regieId: string, month: string) {
  return db
    .selectFrom('services as s')
    .select(['s.id', 's.facility_id', 's.name'])
    .where(
      (eb) =>
        eb.fn.coalesce(
          eb.selectFrom('service_regies as a').select('a.regie_id').whereRef('a.service_id', '=', 's.id').where('a.from_month', '<=', month).orderBy('a.from_month', 'desc').limit(1),
          's.regie_id',
        ),
      '=',
      regieId,
    )
    .orderBy('s.name')
    .execute();
}

/** Régies locked in id order (PostgreSQL): a move of a service and a draft of one of its régies follow each other. */
export async function lockRegies(tx: Executor, ids: readonly string[]) {
  if (ids.length === 0) return;
  await forUpdate(tx, tx.selectFrom('regies').select('id').where('id', 'in', [...ids]).orderBy('id')).execute();
}

export async function regieByName(db: Executor, name: string) {
  return db.selectFrom('regies').select(['id', 'name']).where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

export async function renameRegie(db: Executor, id: string, name: string) {
  const r = await db.updateTable('regies').set({ name }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Every service with the régie it was created with and its moves (a handful of rows per service). */
export async function servicesWithRegies(db: Executor) {
  const [services, assignments] = await Promise.all([
    db.selectFrom('services').select(['id', 'name', 'kind', 'active', 'regie_id']).orderBy('name').orderBy('id').limit(500).execute(),
    db.selectFrom('service_regies').select(['service_id', 'from_month', 'regie_id']).orderBy('from_month').limit(5000).execute(),
  ]);
  return { services, assignments };
}

export async function serviceAssignments(db: Executor, serviceId: string) {
  const [service, assignments] = await Promise.all([
    db.selectFrom('services').select(['id', 'name', 'regie_id']).where('id', '=', serviceId).executeTakeFirst(),
    db.selectFrom('service_regies').select(['from_month', 'regie_id']).where('service_id', '=', serviceId).orderBy('from_month').execute(),
  ]);
  return service ? { service, assignments } : null;
}

/** Runs of these régies for the month or later that have a draft (or were issued): a move from that month would change them. */
export async function startedRunsFrom(db: Executor, regieIds: readonly string[], month: string) {
  return db.selectFrom('invoice_runs').select(['regie_id', 'month', 'status']).where('regie_id', 'in', [...regieIds]).where('month', '>=', month).where('draft_version', '>', 0).orderBy('month').execute();
}

/** The last month each régie has drafted or issued (a move can start only after it, for the régies concerned). */
export async function lastStartedMonths(db: Executor) {
  return db.selectFrom('invoice_runs').select(['regie_id', (eb) => eb.fn.max('month').as('month')]).where('draft_version', '>', 0).groupBy('regie_id').orderBy('regie_id').execute();
}

/** From `month` on, the service is invoiced by `regieId`: later moves are replaced by this one. */
export async function assignFrom(tx: Executor, serviceId: string, regieId: string, month: string, by: string, now: Date) {
  await tx.deleteFrom('service_regies').where('service_id', '=', serviceId).where('from_month', '>=', month).execute();
  await tx.insertInto('service_regies').values({ service_id: serviceId, from_month: month, regie_id: regieId, created_at: now.toISOString(), created_by: by }).execute();
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
