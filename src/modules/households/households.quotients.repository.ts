import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { QuotientsTable } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { prepared } from '../../platform/db/prepared.ts';

/**
 * The family quotient history of households: one household's (its page, « Mon foyer »), a new value,
 * and those of a batch of households for pricing (with their postcode and town, for residency).
 */

export async function quotientsOf(db: Executor, householdId: string) {
  return db.selectFrom('quotients').selectAll().where('household_id', '=', householdId).orderBy('reference_month', 'desc').orderBy('created_at', 'desc').limit(50).execute();
}

export async function insertQuotient(tx: Executor, q: { household_id: string; value_eur: number; reference_month: string; source: QuotientsTable['source']; reason: string; valid_until: string | null; created_by: string | null }, now: Date) {
  const id = newId();
  await tx.insertInto('quotients').values({ id, ...q, created_at: now.toISOString() }).execute();
  return id;
}

/**
 * The QF values of many households that may apply up to a month (pricing a batch of households):
 * one query per 500 households, to stay under the engines' bound-parameter limits.
 */
export async function quotientsOfHouseholds(db: Executor, householdIds: readonly string[], untilMonth: string) {
  const rows: Pick<QuotientsTable, 'id' | 'household_id' | 'value_eur' | 'reference_month' | 'source' | 'valid_until' | 'created_at'>[] = [];
  for (let i = 0; i < householdIds.length; i += 500) {
    rows.push(...(await quotientsOfHouseholdsQuery.all(db, householdIds.slice(i, i + 500), untilMonth)));
  }
  return rows;
}

// Every priced calendar page reads them (one household), invoicing per batch: built and compiled once per batch size.
const quotientsOfHouseholdsQuery = prepared((db, householdIds: readonly string[], untilMonth: string) =>
  db.selectFrom('quotients').select(['id', 'household_id', 'value_eur', 'reference_month', 'source', 'valid_until', 'created_at']).where('household_id', 'in', householdIds).where('reference_month', '<=', untilMonth),
);

/** Postcode and town of many households (residency), one query per 500. */
export async function addressesOfHouseholds(db: Executor, householdIds: readonly string[]) {
  const rows: { id: string; postcode: string; city: string }[] = [];
  for (let i = 0; i < householdIds.length; i += 500) {
    rows.push(...(await addressesQuery.all(db, householdIds.slice(i, i + 500))));
  }
  return rows;
}

const addressesQuery = prepared((db, householdIds: readonly string[]) => db.selectFrom('households').select(['id', 'postcode', 'city']).where('id', 'in', householdIds));
