import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { ServiceKind } from '../../platform/db/schema-services.ts';
import { newId } from '../../platform/ids.ts';
import type { DeadlineRule } from '../bookings/deadlines.domain.ts';

/** Writes and reads of the catalogue: facilities, groups, services and units, capacities, years, periods. */

export async function insertFacility(tx: Executor, f: { name: string; kind: 'school' | 'leisure_centre'; address?: string }, now: Date) {
  const id = newId();
  await tx.insertInto('facilities').values({ id, name: f.name, kind: f.kind, address: f.address ?? '', created_at: now.toISOString() }).execute();
  return id;
}

export async function insertGroup(tx: Executor, g: { facilityId: string; name: string; classLevels?: string[] }) {
  const id = newId();
  await tx.insertInto('groups').values({ id, facility_id: g.facilityId, name: g.name, class_levels: (g.classLevels ?? []).join(',') }).execute();
  return id;
}

export async function assignAgentToGroup(tx: Executor, userId: string, groupId: string) {
  await tx.insertInto('agent_groups').values({ user_id: userId, group_id: groupId }).onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing()).execute();
}

export interface ServiceInput {
  facilityId: string;
  kind: ServiceKind;
  name: string;
  weekdays: number[];
  classLevels?: string[];
  minAge?: number | null;
  maxAge?: number | null;
  bookingRule: DeadlineRule;
  cancellationRule: DeadlineRule;
}

export async function insertService(tx: Executor, s: ServiceInput, now: Date) {
  const id = newId();
  await tx
    .insertInto('services')
    .values({
      id,
      facility_id: s.facilityId,
      kind: s.kind,
      name: s.name,
      weekdays: s.weekdays.join(','),
      class_levels: (s.classLevels ?? []).join(','),
      min_age: s.minAge ?? null,
      max_age: s.maxAge ?? null,
      booking_rule: JSON.stringify(s.bookingRule),
      cancellation_rule: JSON.stringify(s.cancellationRule),
      active: 1,
      created_at: now.toISOString(),
    })
    .execute();
  return id;
}

export async function insertUnit(tx: Executor, u: { serviceId: string; label: string; isMeal: boolean; position?: number }) {
  const id = newId();
  await tx.insertInto('units').values({ id, service_id: u.serviceId, label: u.label, is_meal: u.isMeal ? 1 : 0, position: u.position ?? 0 }).execute();
  return id;
}

export async function setCapacity(tx: Executor, unitId: string, groupId: string, places: number | null) {
  await tx
    .insertInto('capacities')
    .values({ id: newId(), unit_id: unitId, group_id: groupId, places })
    .onConflict((oc) => oc.columns(['unit_id', 'group_id']).doUpdateSet({ places }))
    .execute();
}

export async function insertSchoolYear(tx: Executor, y: { label: string; start: string; end: string }) {
  const id = newId();
  await tx.insertInto('school_years').values({ id, label: y.label, start_date: y.start, end_date: y.end }).execute();
  return id;
}

export interface PeriodInput {
  schoolYearId: string;
  kind: 'school' | 'holiday';
  label: string;
  start: string;
  end: string;
  bookingOpensAt?: string | null;
  allocation?: 'fcfs' | 'draw';
  requestsCloseAt?: string | null;
}

export async function insertPeriod(tx: Executor, p: PeriodInput) {
  const id = newId();
  await tx
    .insertInto('periods')
    .values({
      id,
      school_year_id: p.schoolYearId,
      kind: p.kind,
      label: p.label,
      start_date: p.start,
      end_date: p.end,
      booking_opens_at: p.bookingOpensAt ?? null,
      allocation: p.allocation ?? 'fcfs',
      requests_close_at: p.requestsCloseAt ?? null,
      allocated_at: null,
    })
    .execute();
  return id;
}

export async function listFacilities(db: Executor) {
  return db.selectFrom('facilities').selectAll().orderBy('name').execute();
}

export async function listGroups(db: Executor) {
  return db.selectFrom('groups').selectAll().orderBy('name').execute();
}

export async function listServices(db: Executor) {
  return db
    .selectFrom('services')
    .innerJoin('facilities', 'facilities.id', 'services.facility_id')
    .selectAll('services')
    .select('facilities.name as facility_name')
    .orderBy('facilities.name')
    .orderBy('services.kind')
    .execute();
}

export async function listUnits(db: Executor) {
  return db.selectFrom('units').selectAll().orderBy('position').execute();
}

export async function listSchoolYears(db: Executor) {
  return db.selectFrom('school_years').selectAll().orderBy('start_date', 'desc').execute();
}

export async function listPeriods(db: Executor, schoolYearId: string) {
  return db.selectFrom('periods').selectAll().where('school_year_id', '=', schoolYearId).orderBy('start_date').execute();
}

export async function listClosures(db: Executor, from: string) {
  return db.selectFrom('closures').selectAll().where('day', '>=', from).orderBy('day').limit(200).execute();
}

/** The school year containing a day. */
export async function schoolYearOn(db: Executor, day: string) {
  return db.selectFrom('school_years').selectAll().where('start_date', '<=', day).where('end_date', '>=', day).executeTakeFirst();
}
