import type { Executor } from '../../platform/audit/audit.repository.ts';
import { prepared } from '../../platform/db/prepared.ts';
import type { ServiceKind } from '../../platform/db/schema-services.ts';
import { newId } from '../../platform/ids.ts';
import type { DeadlineRule } from '../../platform/calendar/deadlines.domain.ts';

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
  drawMode?: 'day' | 'request';
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
      draw_mode: p.drawMode ?? 'day',
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

/** The first and last day of every period the town has opened (any year, any kind), in date order. */
export async function periodSpans(db: Executor) {
  return periodSpansQuery.all(db);
}

// Prepared: every calendar page reads it (its navigation stays inside the opened periods).
const periodSpansQuery = prepared((db) => db.selectFrom('periods').select(['start_date', 'end_date']).orderBy('start_date').limit(500));

export async function listClosures(db: Executor, from: string) {
  return db.selectFrom('closures').selectAll().where('day', '>=', from).orderBy('day').limit(200).execute();
}

/** The school year containing a day. */
export async function schoolYearOn(db: Executor, day: string) {
  return db.selectFrom('school_years').selectAll().where('start_date', '<=', day).where('end_date', '>=', day).executeTakeFirst();
}

// Back office of the catalogue: single reads and updates.

export async function findFacility(db: Executor, id: string) {
  return db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateFacility(tx: Executor, id: string, f: { name: string; kind: 'school' | 'leisure_centre'; address: string }) {
  await tx.updateTable('facilities').set({ name: f.name, kind: f.kind, address: f.address }).where('id', '=', id).execute();
}

export async function findGroup(db: Executor, id: string) {
  return db
    .selectFrom('groups')
    .innerJoin('facilities', 'facilities.id', 'groups.facility_id')
    .selectAll('groups')
    .select('facilities.name as facility_name')
    .where('groups.id', '=', id)
    .executeTakeFirst();
}

export async function groupsOfFacility(db: Executor, facilityId: string) {
  return db.selectFrom('groups').selectAll().where('facility_id', '=', facilityId).orderBy('name').execute();
}

export async function updateGroup(tx: Executor, id: string, g: { name: string; classLevels: string[] }) {
  await tx.updateTable('groups').set({ name: g.name, class_levels: g.classLevels.join(',') }).where('id', '=', id).execute();
}

export async function findService(db: Executor, id: string) {
  return db
    .selectFrom('services')
    .innerJoin('facilities', 'facilities.id', 'services.facility_id')
    .selectAll('services')
    .select('facilities.name as facility_name')
    .where('services.id', '=', id)
    .executeTakeFirst();
}

export async function servicesOfFacility(db: Executor, facilityId: string) {
  return db.selectFrom('services').selectAll().where('facility_id', '=', facilityId).orderBy('kind').orderBy('name').execute();
}

export async function updateService(tx: Executor, id: string, s: ServiceInput) {
  await tx
    .updateTable('services')
    .set({
      facility_id: s.facilityId,
      kind: s.kind,
      name: s.name,
      weekdays: s.weekdays.join(','),
      class_levels: (s.classLevels ?? []).join(','),
      min_age: s.minAge ?? null,
      max_age: s.maxAge ?? null,
      booking_rule: JSON.stringify(s.bookingRule),
      cancellation_rule: JSON.stringify(s.cancellationRule),
    })
    .where('id', '=', id)
    .execute();
}

export async function unitsOfService(db: Executor, serviceId: string) {
  return db.selectFrom('units').selectAll().where('service_id', '=', serviceId).orderBy('position').orderBy('label').execute();
}

export async function findUnit(db: Executor, id: string) {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function nextUnitPosition(db: Executor, serviceId: string): Promise<number> {
  const row = await db.selectFrom('units').select((eb) => eb.fn.max('position').as('p')).where('service_id', '=', serviceId).executeTakeFirst();
  return row?.p === null || row?.p === undefined ? 0 : Number(row.p) + 1;
}

export async function updateUnit(tx: Executor, id: string, u: { label: string; isMeal: boolean }) {
  await tx.updateTable('units').set({ label: u.label, is_meal: u.isMeal ? 1 : 0 }).where('id', '=', id).execute();
}

/** The units of a service that exclude each other (one set per service, group 1); the others combine with any. */
export async function setExclusionGroup(tx: Executor, serviceId: string, unitIds: string[]) {
  await tx.updateTable('units').set({ exclusion_group: null }).where('service_id', '=', serviceId).execute();
  if (unitIds.length > 0) await tx.updateTable('units').set({ exclusion_group: 1 }).where('service_id', '=', serviceId).where('id', 'in', unitIds).execute();
}

export async function capacitiesOfUnits(db: Executor, unitIds: string[]) {
  if (unitIds.length === 0) return [];
  return db.selectFrom('capacities').selectAll().where('unit_id', 'in', unitIds).execute();
}

export async function findSchoolYear(db: Executor, id: string) {
  return db.selectFrom('school_years').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function schoolYearByLabel(db: Executor, label: string) {
  return db.selectFrom('school_years').selectAll().where('label', '=', label).executeTakeFirst();
}

export async function updateSchoolYear(tx: Executor, id: string, y: { label: string; start: string; end: string }) {
  await tx.updateTable('school_years').set({ label: y.label, start_date: y.start, end_date: y.end }).where('id', '=', id).execute();
}

export async function findPeriod(db: Executor, id: string) {
  return db.selectFrom('periods').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updatePeriod(tx: Executor, id: string, p: Omit<PeriodInput, 'schoolYearId'>) {
  await tx
    .updateTable('periods')
    .set({
      kind: p.kind,
      label: p.label,
      start_date: p.start,
      end_date: p.end,
      booking_opens_at: p.bookingOpensAt ?? null,
      allocation: p.allocation ?? 'fcfs',
      requests_close_at: p.requestsCloseAt ?? null,
      draw_mode: p.drawMode ?? 'day',
    })
    .where('id', '=', id)
    .execute();
}

/** Closures of a range, with the names of what they close (null = every facility / every service). */
export async function closuresBetweenNamed(db: Executor, start: string, end: string) {
  return db
    .selectFrom('closures')
    .leftJoin('facilities', 'facilities.id', 'closures.facility_id')
    .leftJoin('services', 'services.id', 'closures.service_id')
    .selectAll('closures')
    .select(['facilities.name as facility_name', 'services.name as service_name'])
    .where('closures.day', '>=', start)
    .where('closures.day', '<=', end)
    .orderBy('closures.day')
    .orderBy('closures.created_at')
    .execute();
}

/** What closing a day would cancel: its active bookings and the households they belong to. */
export async function bookingsToClose(db: Executor, day: string, facilityId: string, serviceId: string | null) {
  let q = db
    .selectFrom('bookings')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select((eb) => [eb.fn.count<number>('bookings.id').as('bookings'), eb.fn.count<number>('bookings.household_id').distinct().as('households')])
    .where('bookings.day', '=', day)
    .where('services.facility_id', '=', facilityId)
    .where('bookings.status', 'in', ['booked', 'waiting', 'requested']);
  if (serviceId) q = q.where('bookings.service_id', '=', serviceId);
  const row = await q.executeTakeFirstOrThrow();
  return { bookings: Number(row.bookings), households: Number(row.households) };
}

/** Agents holding the role animateur (roles are a comma list), active or not yet activated. */
export async function listAnimators(db: Executor) {
  return db
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name', 'email', 'status'])
    .where('kind', '=', 'agent')
    .where('roles', 'like', '%animateur%')
    .where('status', '!=', 'disabled')
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
}

export async function agentsOfGroup(db: Executor, groupId: string) {
  return (await db.selectFrom('agent_groups').select('user_id').where('group_id', '=', groupId).execute()).map((r) => r.user_id);
}

/** The animators of a group become exactly `selected` among `animatorIds`; other assignments stay. */
export async function setGroupAnimators(tx: Executor, groupId: string, selected: string[], animatorIds: string[]) {
  const removed = animatorIds.filter((id) => !selected.includes(id));
  if (removed.length > 0) await tx.deleteFrom('agent_groups').where('group_id', '=', groupId).where('user_id', 'in', removed).execute();
  for (const userId of selected) await assignAgentToGroup(tx, userId, groupId);
}

// The draw. It moves requested bookings to booked or waiting and keeps each slot's counters
// (`taken`, `waiting_seq`, `waiting`) the way the bookings module reads them.

/**
 * Claims a period for its draw: only one agent's click allocates it (a conditional UPDATE, so two
 * clicks at once on PostgreSQL cannot both draw).
 */
export async function claimDraw(tx: Executor, periodId: string, now: Date): Promise<boolean> {
  const r = await tx.updateTable('periods').set({ allocated_at: now.toISOString() }).where('id', '=', periodId).where('allocated_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * The requests collected for a draw period: requested bookings of its days, for services of its
 * kind (holiday services for holiday periods, the others for school periods), with what the
 * priority and the families' messages need. Ordered by id so the input of the draw is stable.
 */
export async function requestsToDraw(db: Executor, period: { start_date: string; end_date: string; kind: 'school' | 'holiday' }) {
  return db
    .selectFrom('bookings')
    .innerJoin('children', 'children.person_id', 'bookings.child_person_id')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('units', 'units.id', 'bookings.unit_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['bookings.id', 'bookings.slot_id', 'bookings.day', 'bookings.household_id', 'bookings.child_person_id', 'bookings.unit_id', 'children.school', 'persons.first_name', 'units.label as unit_label', 'services.name as service_name'])
    .where('bookings.status', '=', 'requested')
    .where('bookings.day', '>=', period.start_date)
    .where('bookings.day', '<=', period.end_date)
    .where('services.kind', period.kind === 'holiday' ? '=' : '!=', 'holiday')
    .orderBy('bookings.id')
    .execute();
}

/** One place on each slot, or none at all: the places taken are given back when one slot is full. */
export async function takePlacesTogether(tx: Executor, slotIds: string[]): Promise<boolean> {
  const taken: string[] = [];
  for (const slotId of slotIds) {
    const r = await tx
      .updateTable('slots')
      .set((eb) => ({ taken: eb('taken', '+', 1) }))
      .where('id', '=', slotId)
      .where((eb) => eb.or([eb('capacity', 'is', null), eb('taken', '<', eb.ref('capacity'))]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      for (const id of taken) await tx.updateTable('slots').set((eb) => ({ taken: eb('taken', '-', 1) })).where('id', '=', id).execute();
      return false;
    }
    taken.push(slotId);
  }
  return true;
}

/** One more child at the end of a slot's waiting list: the rank it gets and its position. */
export async function joinWaitingList(tx: Executor, slotId: string): Promise<{ rank: number; position: number }> {
  const row = await tx
    .updateTable('slots')
    .set((eb) => ({ waiting_seq: eb('waiting_seq', '+', 1), waiting: eb('waiting', '+', 1) }))
    .where('id', '=', slotId)
    .returning(['waiting_seq', 'waiting'])
    .executeTakeFirstOrThrow();
  return { rank: Number(row.waiting_seq), position: Number(row.waiting) };
}

export async function setDrawn(tx: Executor, bookingId: string, status: 'booked' | 'waiting', rank: number | null, now: Date) {
  await tx.updateTable('bookings').set({ status, waiting_rank: rank, updated_at: now.toISOString() }).where('id', '=', bookingId).where('status', '=', 'requested').execute();
}

