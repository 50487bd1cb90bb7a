import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { BookingStatus } from '../../platform/db/schema-services.ts';
import { newId } from '../../platform/ids.ts';
import { nextCounter } from '../../platform/db/counters.ts';

/** Accepted enrolments of some children, with their service (what can be booked). */
export async function acceptedEnrolments(db: Executor, childIds: string[]) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('enrolments')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .innerJoin('school_years', 'school_years.id', 'enrolments.school_year_id')
    .select([
      'enrolments.id as enrolment_id',
      'enrolments.child_person_id',
      'enrolments.group_id',
      'enrolments.school_year_id',
      'school_years.start_date as year_start',
      'school_years.end_date as year_end',
      'services.id as service_id',
      'services.name',
      'services.kind',
      'services.facility_id',
      'services.weekdays',
      'services.booking_rule',
      'services.cancellation_rule',
    ])
    .where('enrolments.child_person_id', 'in', childIds)
    .where('enrolments.status', '=', 'accepted')
    .where('services.active', '=', 1)
    .orderBy('services.kind')
    .execute();
}

export async function unitsOf(db: Executor, serviceIds: string[]) {
  if (serviceIds.length === 0) return [];
  return db.selectFrom('units').selectAll().where('service_id', 'in', serviceIds).orderBy('position').execute();
}

export async function periodsBetween(db: Executor, start: string, end: string) {
  return db.selectFrom('periods').selectAll().where('start_date', '<=', end).where('end_date', '>=', start).execute();
}

export async function closuresBetween(db: Executor, start: string, end: string) {
  return db.selectFrom('closures').selectAll().where('day', '>=', start).where('day', '<=', end).execute();
}

export async function bookingsOf(db: Executor, childIds: string[], start: string, end: string) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('child_person_id', 'in', childIds)
    .where('day', '>=', start)
    .where('day', '<=', end)
    .execute();
}

/** Position on the waiting list (1 = next to get a place), for several bookings in one query. */
export async function waitingPositions(db: Executor, bookingIds: string[]) {
  if (bookingIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('bookings as b')
    .innerJoin('bookings as w', (j) => j.onRef('w.slot_id', '=', 'b.slot_id').on('w.status', '=', 'waiting').onRef('w.waiting_rank', '<=', 'b.waiting_rank'))
    .select(['b.id', (eb) => eb.fn.count<number>('w.id').as('n')])
    .where('b.id', 'in', bookingIds)
    .groupBy('b.id')
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

export async function findBooking(db: Executor, childId: string, unitId: string, day: string) {
  return db.selectFrom('bookings').selectAll().where('child_person_id', '=', childId).where('unit_id', '=', unitId).where('day', '=', day).executeTakeFirst();
}

export async function findBookingById(db: Executor, id: string) {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function defaultCapacity(db: Executor, unitId: string, groupId: string): Promise<number | null> {
  const row = await db.selectFrom('capacities').select('places').where('unit_id', '=', unitId).where('group_id', '=', groupId).executeTakeFirst();
  return row?.places ?? null;
}

/** The place counter of a unit × group × day, created on first use with the default capacity. */
export async function ensureSlot(tx: Executor, unitId: string, groupId: string, day: string): Promise<string> {
  const existing = await tx.selectFrom('slots').select('id').where('unit_id', '=', unitId).where('group_id', '=', groupId).where('day', '=', day).executeTakeFirst();
  if (existing) return existing.id;
  const capacity = await defaultCapacity(tx, unitId, groupId);
  await tx
    .insertInto('slots')
    .values({ id: newId(), unit_id: unitId, group_id: groupId, day, capacity, taken: 0 })
    .onConflict((oc) => oc.columns(['unit_id', 'group_id', 'day']).doNothing())
    .execute();
  const row = await tx.selectFrom('slots').select('id').where('unit_id', '=', unitId).where('group_id', '=', groupId).where('day', '=', day).executeTakeFirstOrThrow();
  return row.id;
}

/** Takes a place atomically: succeeds only while places remain (ARCHITECTURE.md §4). `force` is the agents' over-capacity override. */
export async function takePlace(tx: Executor, slotId: string, force = false): Promise<boolean> {
  let q = tx.updateTable('slots').set((eb) => ({ taken: eb('taken', '+', 1) })).where('id', '=', slotId);
  if (!force) q = q.where((eb) => eb.or([eb('capacity', 'is', null), eb('taken', '<', eb.ref('capacity'))]));
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releasePlace(tx: Executor, slotId: string) {
  await tx.updateTable('slots').set((eb) => ({ taken: eb('taken', '-', 1) })).where('id', '=', slotId).where('taken', '>', 0).execute();
}

export async function slotById(db: Executor, id: string) {
  return db.selectFrom('slots').selectAll().where('id', '=', id).executeTakeFirst();
}

export const nextWaitingRank = (tx: Executor) => nextCounter(tx, 'waiting_rank');

export interface BookingWrite {
  childId: string;
  householdId: string;
  serviceId: string;
  unitId: string;
  slotId: string;
  day: string;
  status: BookingStatus;
  waitingRank: number | null;
  override: boolean;
}

/**
 * One row per child × unit × day: a new wish updates the row if it exists (after a cancellation),
 * inserts it otherwise. The unique constraint makes a duplicate impossible even under races.
 */
export async function writeBooking(tx: Executor, b: BookingWrite, now: Date, known?: { id: string } | null): Promise<string> {
  const at = now.toISOString();
  // `known`: the caller already read the row in this transaction (null = it does not exist).
  const existing = known === undefined ? await findBooking(tx, b.childId, b.unitId, b.day) : known;
  if (existing) {
    await tx
      .updateTable('bookings')
      .set({ status: b.status, waiting_rank: b.waitingRank, override: b.override ? 1 : 0, slot_id: b.slotId, household_id: b.householdId, updated_at: at, absence_declared_at: null })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  const id = newId();
  await tx
    .insertInto('bookings')
    .values({
      id,
      child_person_id: b.childId,
      household_id: b.householdId,
      service_id: b.serviceId,
      unit_id: b.unitId,
      slot_id: b.slotId,
      day: b.day,
      status: b.status,
      waiting_rank: b.waitingRank,
      override: b.override ? 1 : 0,
      attendance: null,
      attendance_at: null,
      attendance_by: null,
      absence_declared_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

/** Moves a booking from one status to another only if it is still in the expected one (no double processing). */
export async function setStatus(tx: Executor, id: string, from: BookingStatus[], to: BookingStatus, now: Date, extra: { waiting_rank?: number | null } = {}): Promise<boolean> {
  const r = await tx.updateTable('bookings').set({ status: to, updated_at: now.toISOString(), ...extra }).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The next on the waiting list of a slot, in arrival order. */
export async function firstWaiting(tx: Executor, slotId: string) {
  return tx.selectFrom('bookings').selectAll().where('slot_id', '=', slotId).where('status', '=', 'waiting').orderBy('waiting_rank').limit(1).executeTakeFirst();
}

export async function markAbsenceDeclared(tx: Executor, id: string, now: Date) {
  await tx.updateTable('bookings').set({ absence_declared_at: now.toISOString(), attendance: 'absent_unjustified', updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/** Active bookings of a day for a facility's services (closing a day). */
export async function activeBookingsOfDay(tx: Executor, day: string, facilityId: string, serviceId: string | null) {
  let q = tx
    .selectFrom('bookings')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .selectAll('bookings')
    .where('bookings.day', '=', day)
    .where('services.facility_id', '=', facilityId)
    .where('bookings.status', 'in', ['booked', 'waiting', 'requested']);
  if (serviceId) q = q.where('bookings.service_id', '=', serviceId);
  return q.execute();
}

export async function insertClosure(tx: Executor, c: { day: string; facilityId: string; serviceId: string | null; reason: string; by: string }, now: Date) {
  await tx.insertInto('closures').values({ id: newId(), day: c.day, facility_id: c.facilityId, service_id: c.serviceId, reason: c.reason, created_by: c.by, created_at: now.toISOString() }).execute();
}

/** Closing a day frees every slot of it: nothing is taken any more. */
export async function resetSlotsOfDay(tx: Executor, slotIds: string[]) {
  if (slotIds.length === 0) return;
  await tx.updateTable('slots').set({ taken: 0 }).where('id', 'in', slotIds).execute();
}

export { insertNotice, noticesOf } from '../../platform/notices/notices.repository.ts';

/** Where to write to a household: its guardians' e-mail addresses (login first). */
export async function guardianEmails(db: Executor, householdId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .leftJoin('users', 'users.id', 'persons.user_id')
    .select(['users.email as login', 'persons.email'])
    .where('household_members.household_id', '=', householdId)
    .where('household_members.role', '=', 'guardian')
    .execute();
  return [...new Set(rows.map((r) => r.login ?? r.email).filter((e): e is string => !!e))];
}

export async function childName(db: Executor, childId: string) {
  return db.selectFrom('persons').select(['first_name', 'last_name']).where('id', '=', childId).executeTakeFirst();
}

export async function unitWithService(db: Executor, unitId: string) {
  return db
    .selectFrom('units')
    .innerJoin('services', 'services.id', 'units.service_id')
    .select(['units.id', 'units.label', 'units.is_meal', 'services.id as service_id', 'services.name as service_name', 'services.facility_id', 'services.kind'])
    .where('units.id', '=', unitId)
    .executeTakeFirst();
}

/** The first group of a facility, for enrolments without an explicit group. */
export async function firstGroupOf(db: Executor, facilityId: string) {
  return db.selectFrom('groups').select('id').where('facility_id', '=', facilityId).orderBy('name').limit(1).executeTakeFirst();
}

/** Correctness counters for tests and the opening-day benchmark. */
export async function slotCounters(db: Executor, slotId: string) {
  const slot = await slotById(db, slotId);
  const counts = await db
    .selectFrom('bookings')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('slot_id', '=', slotId)
    .groupBy('status')
    .execute();
  const by = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
  return { capacity: slot?.capacity ?? null, taken: slot?.taken ?? 0, booked: by.booked ?? 0, waiting: by.waiting ?? 0 };
}

/** Requests collected for a draw period, with what the priority needs (child at a school of the town). */
export async function requestedInPeriod(db: Executor, start: string, end: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('children', 'children.person_id', 'bookings.child_person_id')
    .select(['bookings.id', 'bookings.slot_id', 'children.school'])
    .where('bookings.status', '=', 'requested')
    .where('bookings.day', '>=', start)
    .where('bookings.day', '<=', end)
    .orderBy('bookings.id')
    .execute();
}

export async function markAllocated(tx: Executor, periodId: string, now: Date) {
  await tx.updateTable('periods').set({ allocated_at: now.toISOString() }).where('id', '=', periodId).execute();
}

export async function findPeriod(db: Executor, id: string) {
  return db.selectFrom('periods').selectAll().where('id', '=', id).executeTakeFirst();
}
