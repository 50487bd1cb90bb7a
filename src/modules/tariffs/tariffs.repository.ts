import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { TariffLinesTable, TariffVersionsTable } from '../../platform/db/schema-tariffs.ts';
import { newId } from '../../platform/ids.ts';
import { prepared } from '../../platform/db/prepared.ts';

/** SQL of the tariffs module: versions, their lines, the town's places of residence. */

/** Bound-parameter limits of the engines: long id lists go in slices. */
const SLICE = 500;

export interface VersionRow extends TariffVersionsTable {
  applies_until: string;
}

/**
 * Versions that may apply on a day of [from, to]: first day on or before `to`, in a school year that
 * ends on or after `from` (a town keeps a handful per service and year: all of them, in one query).
 */
export async function versionsForPeriod(db: Executor, from: string, to: string, serviceIds?: readonly string[]): Promise<VersionRow[]> {
  // A family's calendar asks for its few services on every page: that shape is built and compiled once.
  if (serviceIds && serviceIds.length > 0 && serviceIds.length <= SLICE) return versionsOfServicesQuery.all(db, to, from, serviceIds);
  let q = db
    .selectFrom('tariff_versions')
    .innerJoin('school_years', 'school_years.id', 'tariff_versions.school_year_id')
    .selectAll('tariff_versions')
    .select('school_years.end_date as applies_until')
    .where('tariff_versions.applies_from', '<=', to)
    .where('school_years.end_date', '>=', from);
  if (serviceIds) {
    if (serviceIds.length === 0) return [];
    if (serviceIds.length <= SLICE) q = q.where('tariff_versions.service_id', 'in', serviceIds);
  }
  return q.orderBy('tariff_versions.applies_from').execute();
}

const versionsOfServicesQuery = prepared((db, to: string, from: string, serviceIds: readonly string[]) =>
  db
    .selectFrom('tariff_versions')
    .innerJoin('school_years', 'school_years.id', 'tariff_versions.school_year_id')
    .selectAll('tariff_versions')
    .select('school_years.end_date as applies_until')
    .where('tariff_versions.applies_from', '<=', to)
    .where('school_years.end_date', '>=', from)
    .where('tariff_versions.service_id', 'in', serviceIds)
    .orderBy('tariff_versions.applies_from'),
);

export async function linesOfVersions(db: Executor, versionIds: readonly string[]): Promise<TariffLinesTable[]> {
  const rows: TariffLinesTable[] = [];
  for (let i = 0; i < versionIds.length; i += SLICE) {
    rows.push(...(await linesQuery.all(db, versionIds.slice(i, i + SLICE))));
  }
  return rows;
}

const linesQuery = prepared((db, versionIds: readonly string[]) => db.selectFrom('tariff_lines').selectAll().where('version_id', 'in', versionIds).orderBy('version_id').orderBy('position'));

export async function residentPlaces(db: Executor) {
  return residentPlacesQuery.all(db);
}

const residentPlacesQuery = prepared((db) => db.selectFrom('resident_places').select(['postcode', 'city_key', 'city']).orderBy('postcode').orderBy('city'));

/** Locks versions used by an issued invoice; already locked ones keep their first date. */
export async function lockVersions(tx: Executor, versionIds: readonly string[], at: string): Promise<void> {
  for (let i = 0; i < versionIds.length; i += SLICE) {
    await tx.updateTable('tariff_versions').set({ locked_at: at }).where('id', 'in', versionIds.slice(i, i + SLICE)).where('locked_at', 'is', null).execute();
  }
}

export interface NewVersion {
  serviceId: string;
  unitId: string | null;
  schoolYearId: string;
  appliesFrom: string;
  presentWithoutBookingCents: number;
  lateCancellationCents: number;
  createdBy: string | null;
}

export type NewLine = Omit<TariffLinesTable, 'id' | 'version_id' | 'position'>;

/** A new version with its lines. The unique key (service, unit, first day) refuses a duplicate: the caller maps it. */
export async function insertVersion(tx: Executor, v: NewVersion, lines: readonly NewLine[], now: Date): Promise<string> {
  const id = newId();
  const at = now.toISOString();
  await tx
    .insertInto('tariff_versions')
    .values({ id, service_id: v.serviceId, unit_id: v.unitId, unit_key: v.unitId ?? '', school_year_id: v.schoolYearId, applies_from: v.appliesFrom, present_without_booking_cents: v.presentWithoutBookingCents, late_cancellation_cents: v.lateCancellationCents, locked_at: null, created_by: v.createdBy, created_at: at, updated_at: at })
    .execute();
  await insertLines(tx, id, lines);
  return id;
}

async function insertLines(tx: Executor, versionId: string, lines: readonly NewLine[]) {
  if (lines.length === 0) return;
  await tx
    .insertInto('tariff_lines')
    .values(lines.map((l, position) => ({ id: newId(), version_id: versionId, position, ...l })))
    .execute();
}

/**
 * Replaces the lines and surcharges of a version not locked, atomically: the UPDATE … WHERE locked_at
 * IS NULL takes the row first, so an invoice issued at the same moment either locks before (this
 * returns false, nothing changed) or waits for this transaction.
 */
export async function replaceUnlockedVersion(tx: Executor, id: string, surcharges: { presentWithoutBookingCents: number; lateCancellationCents: number }, lines: readonly NewLine[], now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('tariff_versions')
    .set({ present_without_booking_cents: surcharges.presentWithoutBookingCents, late_cancellation_cents: surcharges.lateCancellationCents, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('locked_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await tx.deleteFrom('tariff_lines').where('version_id', '=', id).execute();
  await insertLines(tx, id, lines);
  return true;
}

export async function findVersion(db: Executor, id: string) {
  return db
    .selectFrom('tariff_versions')
    .innerJoin('school_years', 'school_years.id', 'tariff_versions.school_year_id')
    .selectAll('tariff_versions')
    .select(['school_years.end_date as applies_until', 'school_years.start_date as year_start', 'school_years.label as year_label'])
    .where('tariff_versions.id', '=', id)
    .executeTakeFirst();
}

/** The town's places of residence, replaced as a whole by the settings form. */
export async function replaceResidentPlaces(tx: Executor, places: readonly { postcode: string; city_key: string; city: string }[]): Promise<void> {
  await tx.deleteFrom('resident_places').execute();
  if (places.length > 0) await tx.insertInto('resident_places').values([...places]).execute();
}

/** The services and units a tariff can be set for (back office and public simulator). */
export async function servicesAndUnits(db: Executor) {
  return db
    .selectFrom('services')
    .innerJoin('facilities', 'facilities.id', 'services.facility_id')
    .leftJoin('units', 'units.service_id', 'services.id')
    .select(['services.id as service_id', 'services.name as service_name', 'services.kind', 'facilities.name as facility_name', 'units.id as unit_id', 'units.label as unit_label'])
    .where('services.active', '=', 1)
    .orderBy('facilities.name')
    .orderBy('services.name')
    .orderBy('units.position')
    .execute();
}

export async function schoolYears(db: Executor) {
  return db.selectFrom('school_years').select(['id', 'label', 'start_date', 'end_date']).orderBy('start_date', 'desc').limit(10).execute();
}

/** Every version (a town keeps a handful per service and year), newest first, with its year's last day. */
export async function allVersions(db: Executor): Promise<VersionRow[]> {
  return db
    .selectFrom('tariff_versions')
    .innerJoin('school_years', 'school_years.id', 'tariff_versions.school_year_id')
    .selectAll('tariff_versions')
    .select('school_years.end_date as applies_until')
    .orderBy('tariff_versions.applies_from', 'desc')
    .limit(500)
    .execute();
}
