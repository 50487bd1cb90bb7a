import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { BookingStatus } from '../../platform/db/schema-services.ts';
import { newId } from '../../platform/ids.ts';
import { prepared } from '../../platform/db/prepared.ts';

// The queries of a booking form and of the month calendar are prepared (built and compiled once,
// src/platform/db/prepared.ts): on an opening day every family runs them at once.

const acceptedEnrolmentsQuery = prepared((db, childIds: string[]) =>
  db
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
    .orderBy('services.kind'),
);

/** Accepted enrolments of some children, with their service (what can be booked). */
export const acceptedEnrolments = async (db: Executor, childIds: string[]) => (childIds.length === 0 ? [] : acceptedEnrolmentsQuery.all(db, childIds));

const unitsQuery = prepared((db, serviceIds: string[]) => db.selectFrom('units').selectAll().where('service_id', 'in', serviceIds).orderBy('position'));
export const unitsOf = async (db: Executor, serviceIds: string[]) => (serviceIds.length === 0 ? [] : unitsQuery.all(db, serviceIds));

const periodsQuery = prepared((db, start: string, end: string) => db.selectFrom('periods').selectAll().where('start_date', '<=', end).where('end_date', '>=', start));
export const periodsBetween = (db: Executor, start: string, end: string) => periodsQuery.all(db, start, end);

const closuresQuery = prepared((db, start: string, end: string) => db.selectFrom('closures').selectAll().where('day', '>=', start).where('day', '<=', end));
export const closuresBetween = (db: Executor, start: string, end: string) => closuresQuery.all(db, start, end);

const bookingsOfQuery = prepared((db, childIds: string[], start: string, end: string) => db.selectFrom('bookings').selectAll().where('child_person_id', 'in', childIds).where('day', '>=', start).where('day', '<=', end));
export const bookingsOf = async (db: Executor, childIds: string[], start: string, end: string) => (childIds.length === 0 ? [] : bookingsOfQuery.all(db, childIds, start, end));

/**
 * Position on the waiting list (1 = next to get a place), for several bookings in one query: the
 * waiting bookings of the same slot ranked before or with each one, counted on the index alone.
 */
/**
 * Each waiting booking's place on its list: the slot's count of children waiting, minus those ranked
 * after it. Ranks are arrival stamps, so those are few (usually none: an earlier arrival written
 * later); counting the ones ranked before instead read the whole list, 2,700 rows deep on an
 * opening day, for every form. The slot's counter moves with every row on or off the list, in the
 * same transactions (joinWaitingLists, leaveWaitingList, closeSlots, the draw).
 */
export async function waitingPositions(db: Executor, bookingIds: string[]) {
  if (bookingIds.length === 0) return new Map<string, number>();
  const rows = await waitingPositionsQuery.all(db, bookingIds);
  return new Map(rows.map((r) => [r.id, Math.max(1, Number(r.waiting) - Number(r.after))]));
}

const waitingPositionsQuery = prepared((db, bookingIds: string[]) =>
  db
    .selectFrom('bookings as b')
    .innerJoin('slots as s', 's.id', 'b.slot_id')
    .select((eb) => [
      'b.id',
      's.waiting',
      eb
        .selectFrom('bookings as w')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('w.slot_id', '=', 'b.slot_id')
        .where('w.status', '=', 'waiting')
        .whereRef('w.waiting_rank', '>', 'b.waiting_rank')
        .as('after'),
    ])
    .where('b.id', 'in', bookingIds)
    .where('b.status', '=', 'waiting'),
);

export async function findBooking(db: Executor, childId: string, unitId: string, day: string) {
  return db.selectFrom('bookings').selectAll().where('child_person_id', '=', childId).where('unit_id', '=', unitId).where('day', '=', day).executeTakeFirst();
}

const bookingsAtQuery = prepared((db, childIds: string[], unitIds: string[], days: string[]) => db.selectFrom('bookings').selectAll().where('child_person_id', 'in', childIds).where('unit_id', 'in', unitIds).where('day', 'in', days));

/** The rows (whatever their status) of some children × units × days, read once for a whole form. */
export async function bookingsAt(db: Executor, childIds: string[], unitIds: string[], days: string[]) {
  if (childIds.length === 0 || unitIds.length === 0 || days.length === 0) return [];
  return bookingsAtQuery.all(db, childIds, unitIds, days);
}

export async function findBookingById(db: Executor, id: string) {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

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
 * New rows of a whole form in one statement; the unique child × unit × day constraint rejects a
 * duplicate even under races. Every form of an opening day writes here: built and compiled once per
 * number of rows (Kysely's building of a multi-row insert cost more than SQLite's writing it).
 */
export async function insertBookings(tx: Executor, rows: BookingWrite[], now: Date): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids = rows.map(() => newId());
  const column = <T>(pick: (b: BookingWrite) => T) => rows.map(pick);
  await insertBookingsQuery.run(tx, ids, column((b) => b.childId), column((b) => b.householdId), column((b) => b.serviceId), column((b) => b.unitId), column((b) => b.slotId), column((b) => b.day), column((b) => b.status), column((b) => b.waitingRank), column((b) => (b.override ? 1 : 0)), now.toISOString());
  return ids;
}

// One argument per column, each a list with one value per row.
const insertBookingsQuery = prepared((tx, ids: string[], childIds: string[], householdIds: string[], serviceIds: string[], unitIds: string[], slotIds: string[], days: string[], statuses: BookingStatus[], ranks: (number | null)[], overrides: number[], at: string) =>
  tx.insertInto('bookings').values(
    ids.map((id, i) => ({
      id,
      child_person_id: childIds[i],
      household_id: householdIds[i],
      service_id: serviceIds[i],
      unit_id: unitIds[i],
      slot_id: slotIds[i],
      day: days[i],
      status: statuses[i],
      waiting_rank: ranks[i],
      override: overrides[i],
      attendance: null,
      attendance_at: null,
      attendance_by: null,
      absence_declared_at: null,
      created_at: at,
      updated_at: at,
    })),
  ),
);

/** A new wish on a row that exists (after a cancellation), only while it is still in one of the `from` statuses. */
export async function reviveBooking(tx: Executor, id: string, from: BookingStatus[], b: BookingWrite, now: Date): Promise<boolean> {
  return (await reviveQuery.run(tx, b.status, b.waitingRank, b.override ? 1 : 0, b.slotId, b.householdId, now.toISOString(), id, from)) === 1;
}

// Booking again a day cancelled earlier, on every form: built and compiled once.
const reviveQuery = prepared((tx, status: BookingStatus, waitingRank: number | null, override: number, slotId: string, householdId: string, at: string, id: string, from: readonly BookingStatus[]) =>
  tx.updateTable('bookings').set({ status, waiting_rank: waitingRank, override, slot_id: slotId, household_id: householdId, updated_at: at, absence_declared_at: null }).where('id', '=', id).where('status', 'in', from),
);

/**
 * One row per child × unit × day: a new wish updates the row if it exists (after a cancellation),
 * inserts it otherwise. The unique constraint makes a duplicate impossible even under races.
 */
export async function writeBooking(tx: Executor, b: BookingWrite, now: Date): Promise<string> {
  const existing = await findBooking(tx, b.childId, b.unitId, b.day);
  if (existing) {
    await reviveBooking(tx, existing.id, [existing.status], b, now);
    return existing.id;
  }
  const [id] = await insertBookings(tx, [b], now);
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

/** Every unit × group a closure touches: the units of the facility's services (or of one) × its groups. */
export async function unitGroupsOf(db: Executor, facilityId: string, serviceId: string | null) {
  let q = db
    .selectFrom('units')
    .innerJoin('services', 'services.id', 'units.service_id')
    .innerJoin('groups', 'groups.facility_id', 'services.facility_id')
    .select(['units.id as unitId', 'groups.id as groupId'])
    .where('services.facility_id', '=', facilityId);
  if (serviceId) q = q.where('services.id', '=', serviceId);
  return q.execute();
}

export { insertNotice, noticesOf } from '../../platform/notices/notices.repository.ts';
// A day's places and waiting list (one row per unit × group × day), in their own file.
export * from './bookings.slots.repository.ts';

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

export async function findPeriod(db: Executor, id: string) {
  return db.selectFrom('periods').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Days booked or waited for by some children in [start, end], with the unit's words (a draw's result): at most 400. */
export async function heldBookingsOf(db: Executor, childIds: string[], start: string, end: string) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('bookings')
    .innerJoin('units', 'units.id', 'bookings.unit_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['bookings.id', 'bookings.child_person_id', 'bookings.day', 'bookings.status', 'services.kind', 'services.name as service_name', 'units.label as unit_label'])
    .where('bookings.child_person_id', 'in', childIds)
    .where('bookings.day', '>=', start)
    .where('bookings.day', '<=', end)
    .where('bookings.status', 'in', ['booked', 'waiting'])
    .orderBy('bookings.day')
    .limit(400)
    .execute();
}
