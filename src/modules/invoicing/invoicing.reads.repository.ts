import type { Executor } from '../../platform/audit/audit.repository.ts';

/** Reads of the régie's pages (control, totals) and the control's one write. */

export async function markControlled(tx: Executor, runId: string, version: number, by: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('invoice_runs')
    .set({ status: 'controlled', controlled_version: version, controlled_at: now.toISOString(), controlled_by: by })
    .where('id', '=', runId)
    .where('status', '=', 'draft')
    .where('draft_version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function anomalyCounts(db: Executor, runId: string) {
  return db.selectFrom('invoice_anomalies').select(['kind', (eb) => eb.fn.countAll<number>().as('n')]).where('run_id', '=', runId).groupBy('kind').execute();
}

export async function changedCount(db: Executor, runId: string, version: number) {
  const row = await db.selectFrom('invoice_draft_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).where('draft_version', '=', version).where('changed', '=', 1).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The first anomalies of a kind, with the names an agent needs to act. */
export async function anomalySample(db: Executor, runId: string, kind: string, limit = 50) {
  return db
    .selectFrom('invoice_anomalies as a')
    .leftJoin('households as h', 'h.id', 'a.household_id')
    .leftJoin('persons as c', 'c.id', 'a.child_person_id')
    .select(['a.kind', 'a.household_id', 'h.name as household_name', 'h.reference', 'c.first_name', 'a.day', 'a.amount_cents'])
    .where('a.run_id', '=', runId)
    .where('a.kind', '=', kind)
    .orderBy('h.name')
    .orderBy('a.day')
    .limit(limit)
    .execute();
}

export async function changedSample(db: Executor, runId: string, version: number, limit = 50) {
  return db
    .selectFrom('invoice_draft_lines as l')
    .innerJoin('households as h', 'h.id', 'l.household_id')
    .innerJoin('persons as c', 'c.id', 'l.child_person_id')
    .select([(eb) => eb.val('changed').as('kind'), 'l.household_id', 'h.name as household_name', 'h.reference', 'c.first_name', 'l.day', 'l.amount_cents'])
    .where('l.run_id', '=', runId)
    .where('l.draft_version', '=', version)
    .where('l.changed', '=', 1)
    .orderBy('h.name')
    .orderBy('l.day')
    .limit(limit)
    .execute();
}

/** Totals of a draft by service and criterion (the bracket): lines, days, amount. */
export async function draftTotals(db: Executor, runId: string, version: number) {
  return db
    .selectFrom('invoice_draft_lines as l')
    .innerJoin('services as s', 's.id', 'l.service_id')
    .select(['s.name as service_name', 'l.criterion_label', (eb) => eb.fn.countAll<number>().as('lines'), (eb) => eb.fn.sum<number>('l.amount_cents').as('cents')])
    .where('l.run_id', '=', runId)
    .where('l.draft_version', '=', version)
    .groupBy(['s.name', 'l.criterion_label'])
    .orderBy('s.name')
    .orderBy('l.criterion_label')
    .execute();
}

/** Totals of an issued run by service and criterion, from the invoices' own lines. */
export async function issuedTotals(db: Executor, runId: string) {
  return db
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
    .select(['l.service_name', 'l.criterion_label', (eb) => eb.fn.countAll<number>().as('lines'), (eb) => eb.fn.sum<number>('l.amount_cents').as('cents')])
    .where('i.run_id', '=', runId)
    .groupBy(['l.service_name', 'l.criterion_label'])
    .orderBy('l.service_name')
    .orderBy('l.criterion_label')
    .execute();
}

/** Per run of a régie: invoices, their total and what credit notes took back. */
export async function runTotals(db: Executor, runIds: readonly string[]) {
  if (runIds.length === 0) return [];
  return db
    .selectFrom('invoices')
    .select(['run_id', (eb) => eb.fn.countAll<number>().as('invoices'), (eb) => eb.fn.sum<number>('total_cents').as('cents'), (eb) => eb.fn.sum<number>('credited_cents').as('credited'), (eb) => eb.fn.sum<number>('paid_cents').as('paid')])
    .where('run_id', 'in', runIds)
    .groupBy('run_id')
    .execute();
}

export async function draftRunTotals(db: Executor, runIds: readonly string[]) {
  if (runIds.length === 0) return [];
  return db
    .selectFrom('invoice_draft_lines as l')
    .innerJoin('invoice_runs as r', (j) => j.onRef('r.id', '=', 'l.run_id').onRef('r.draft_version', '=', 'l.draft_version'))
    .select(['l.run_id', (eb) => eb.fn.countAll<number>().as('lines'), (eb) => eb.fn.sum<number>('l.amount_cents').as('cents')])
    .where('l.run_id', 'in', runIds)
    .groupBy('l.run_id')
    .execute();
}

export async function draftHouseholdCount(db: Executor, runId: string, version: number) {
  const row = await db
    .selectFrom('invoice_draft_lines')
    .select((eb) => eb.fn.count<number>('household_id').distinct().as('n'))
    .where('run_id', '=', runId)
    .where('draft_version', '=', version)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
