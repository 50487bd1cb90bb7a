import type { Executor } from '../../platform/audit/audit.repository.ts';
import { ARRIVAL_STEP } from '../../platform/clock/arrival.ts';
import type { BookingStatus } from '../../platform/db/schema-services.ts';
import { newId } from '../../platform/ids.ts';
import { prepared } from '../../platform/db/prepared.ts';
import { forUpdate } from '../../platform/db/locks.ts';

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

export interface SlotKey {
  unitId: string;
  groupId: string;
  day: string;
}
export const slotKey = (k: SlotKey) => `${k.unitId}|${k.groupId}|${k.day}`;

export interface SlotState {
  id: string;
  capacity: number | null;
  taken: number;
  /** The town closed the day for this slot's service. */
  closed: boolean;
}

const slotsAt = (db: Executor, unitIds: string[], groupIds: string[], days: string[]) =>
  db.selectFrom('slots').select(['id', 'unit_id', 'group_id', 'day', 'capacity', 'taken', 'closed']).where('unit_id', 'in', unitIds).where('group_id', 'in', groupIds).where('day', 'in', days).orderBy('id');
const slotsAtQuery = prepared(slotsAt);
const lockedSlotsAtQuery = prepared((db, unitIds: string[], groupIds: string[], days: string[]) => forUpdate(db, slotsAt(db, unitIds, groupIds, days)));

async function slotsOf(db: Executor, keys: SlotKey[], lock: boolean) {
  const rows = await (lock ? lockedSlotsAtQuery : slotsAtQuery).all(db, [...new Set(keys.map((k) => k.unitId))], [...new Set(keys.map((k) => k.groupId))], [...new Set(keys.map((k) => k.day))]);
  return new Map<string, SlotState>(rows.map((r) => [slotKey({ unitId: r.unit_id, groupId: r.group_id, day: r.day }), { id: r.id, capacity: r.capacity, taken: r.taken, closed: r.closed === 1 }]));
}

/**
 * The place counters of some unit × group × days (key → slot), created on first use with the
 * default capacity of their unit × group: one query when they exist, four when some are new.
 * `lock`: they stay locked until the transaction ends (PostgreSQL), so what they say holds.
 */
export async function ensureSlots(tx: Executor, keys: SlotKey[], options: { lock?: boolean } = {}): Promise<Map<string, SlotState>> {
  if (keys.length === 0) return new Map();
  const lock = options.lock ?? false;
  const found = await slotsOf(tx, keys, lock);
  const missing = [...new Map(keys.filter((k) => !found.has(slotKey(k))).map((k) => [slotKey(k), k])).values()];
  if (missing.length === 0) return found;
  const capacities = await tx
    .selectFrom('capacities')
    .select(['unit_id', 'group_id', 'places'])
    .where('unit_id', 'in', [...new Set(missing.map((k) => k.unitId))])
    .where('group_id', 'in', [...new Set(missing.map((k) => k.groupId))])
    .execute();
  const capacity = (k: SlotKey) => capacities.find((c) => c.unit_id === k.unitId && c.group_id === k.groupId)?.places ?? null;
  await tx
    .insertInto('slots')
    .values(missing.map((k) => ({ id: newId(), unit_id: k.unitId, group_id: k.groupId, day: k.day, capacity: capacity(k), taken: 0, waiting_seq: 0, waiting: 0, closed: 0 })))
    .onConflict((oc) => oc.columns(['unit_id', 'group_id', 'day']).doNothing())
    .execute();
  return slotsOf(tx, keys, lock);
}

export async function ensureSlot(tx: Executor, unitId: string, groupId: string, day: string): Promise<string> {
  return (await ensureSlots(tx, [{ unitId, groupId, day }])).get(slotKey({ unitId, groupId, day }))!.id;
}

/**
 * Takes one place on each slot atomically (ARCHITECTURE.md §4), in one statement: the ids of the
 * slots that still had one. `force` is the agents' over-capacity override.
 */
export async function takePlaces(tx: Executor, slotIds: string[], force = false): Promise<Set<string>> {
  if (slotIds.length === 0) return new Set();
  const rows = await (force ? forcePlacesQuery : takePlacesQuery).all(tx, slotIds);
  return new Set(rows.map((r) => r.id));
}

const takePlacesQuery = prepared((db, slotIds: string[]) =>
  db
    .updateTable('slots')
    .set((eb) => ({ taken: eb('taken', '+', 1) }))
    .where('id', 'in', slotIds)
    .where((eb) => eb.or([eb('capacity', 'is', null), eb('taken', '<', eb.ref('capacity'))]))
    .returning('id'),
);
const forcePlacesQuery = prepared((db, slotIds: string[]) => db.updateTable('slots').set((eb) => ({ taken: eb('taken', '+', 1) })).where('id', 'in', slotIds).returning('id'));

export async function takePlace(tx: Executor, slotId: string, force = false): Promise<boolean> {
  return (await takePlaces(tx, [slotId], force)).has(slotId);
}

/**
 * One more child on the waiting list of each slot that is still full (the slot's count of waiting
 * children). A slot where a place freed since the caller tried to take one is left out (the caller
 * tries that place again). The child's rank is not taken from here but from the request's arrival
 * (README.md of this module); `waiting_seq` only counts how many ever joined.
 *
 * The place on the list comes in the same statement, under the slot's lock: the slot's count of
 * waiting children (this one included) minus the children of other forms ranked after this arrival
 * (an earlier request written later; usually none). No further query while the lock is held.
 */
export async function joinWaitingLists(tx: Executor, slotIds: string[], arrival: number): Promise<Map<string, { position: number }>> {
  if (slotIds.length === 0) return new Map();
  const rows = await joinWaitingListsQuery.all(tx, slotIds, arrival + ARRIVAL_STEP);
  return new Map(rows.map((r) => [r.id, { position: Math.max(1, Number(r.waiting) - Number(r.later)) }]));
}

const joinWaitingListsQuery = prepared((db, slotIds: string[], laterThan: number) =>
  db
    .updateTable('slots')
    .set((eb) => ({ waiting_seq: eb('waiting_seq', '+', 1), waiting: eb('waiting', '+', 1) }))
    .where('id', 'in', slotIds)
    .where('capacity', 'is not', null)
    .whereRef('taken', '>=', 'capacity')
    .returning((eb) => [
      'id',
      'waiting',
      eb
        .selectFrom('bookings as w')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('w.slot_id', '=', 'slots.id')
        .where('w.status', '=', 'waiting')
        .where('w.waiting_rank', '>=', laterThan)
        .as('later'),
    ]),
);

/** A child left a slot's waiting list (given a place, cancelled, or came without booking). */
export async function leaveWaitingList(tx: Executor, slotId: string) {
  await tx.updateTable('slots').set((eb) => ({ waiting: eb('waiting', '-', 1) })).where('id', '=', slotId).where('waiting', '>', 0).execute();
}

export async function releasePlace(tx: Executor, slotId: string) {
  await tx.updateTable('slots').set((eb) => ({ taken: eb('taken', '-', 1) })).where('id', '=', slotId).where('taken', '>', 0).execute();
}

export async function slotById(db: Executor, id: string) {
  return db.selectFrom('slots').selectAll().where('id', '=', id).executeTakeFirst();
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

/** Closing a day: its slots are marked closed, nothing is taken, nobody waits any more. */
export async function closeSlots(tx: Executor, slotIds: string[]) {
  if (slotIds.length === 0) return;
  await tx.updateTable('slots').set({ taken: 0, waiting: 0, closed: 1 }).where('id', 'in', slotIds).execute();
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
  // `listed` is the count kept on the slot row: it must always equal `waiting`.
  return { capacity: slot?.capacity ?? null, taken: slot?.taken ?? 0, booked: by.booked ?? 0, waiting: by.waiting ?? 0, listed: slot?.waiting ?? 0 };
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
