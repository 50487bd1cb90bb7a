import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { Attendance } from '../../platform/db/schema-services.ts';

/** The groups an agent takes attendance for (animators: their own; enfance/admin: all). */
export async function groupsFor(db: Executor, userId: string | null) {
  let q = db
    .selectFrom('groups')
    .innerJoin('facilities', 'facilities.id', 'groups.facility_id')
    .select(['groups.id', 'groups.name', 'facilities.name as facility_name', 'facilities.id as facility_id'])
    .orderBy('facilities.name')
    .orderBy('groups.name');
  if (userId) q = q.innerJoin('agent_groups', 'agent_groups.group_id', 'groups.id').where('agent_groups.user_id', '=', userId);
  return q.execute();
}

export async function isAssigned(db: Executor, userId: string, groupId: string) {
  return !!(await db.selectFrom('agent_groups').select('group_id').where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst());
}

export async function findGroup(db: Executor, groupId: string) {
  return db
    .selectFrom('groups')
    .innerJoin('facilities', 'facilities.id', 'groups.facility_id')
    .select(['groups.id', 'groups.name', 'facilities.name as facility_name', 'facilities.id as facility_id'])
    .where('groups.id', '=', groupId)
    .executeTakeFirst();
}

/**
 * For the agent's household page: the household's bookings of these children over a span of days, counted
 * by child, service, status and attendance. One grouped query whatever the number of children; only the
 * bookings of this household (a child shared with another household has that household's own).
 */
export async function monthCountsOf(db: Executor, householdId: string, childIds: readonly string[], from: string, to: string) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('bookings')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['bookings.child_person_id', 'bookings.service_id', 'services.name as service_name', 'bookings.status', 'bookings.attendance', (eb) => eb.fn.countAll<number>().as('n')])
    .where('bookings.household_id', '=', householdId)
    .where('bookings.child_person_id', 'in', [...childIds])
    .where('bookings.day', '>=', from)
    .where('bookings.day', '<=', to)
    .groupBy(['bookings.child_person_id', 'bookings.service_id', 'services.name', 'bookings.status', 'bookings.attendance'])
    .execute();
}

/** A child's days of a span in one household's bookings (the counter's « jour par jour »), one query. */
export async function daysOfChild(db: Executor, householdId: string, childId: string, from: string, to: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .innerJoin('units', 'units.id', 'bookings.unit_id')
    .select(['bookings.id', 'bookings.day', 'bookings.status', 'bookings.attendance', 'bookings.override', 'services.name as service_name', 'units.label as unit_label'])
    .where('bookings.household_id', '=', householdId)
    .where('bookings.child_person_id', '=', childId)
    .where('bookings.day', '>=', from)
    .where('bookings.day', '<=', to)
    .orderBy('bookings.day')
    .orderBy('services.name')
    .orderBy('units.position')
    .limit(400)
    .execute();
}

/**
 * Children expected (or present without booking) in a group on a day, per unit: identity without photo,
 * class, diet, and health *flags* only (the details stay in the audited health record).
 */
export async function listOfDay(db: Executor, groupId: string, day: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('slots', 'slots.id', 'bookings.slot_id')
    .innerJoin('units', 'units.id', 'bookings.unit_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('children', 'children.person_id', 'persons.id')
    .leftJoin('child_health', 'child_health.person_id', 'persons.id')
    .select([
      'bookings.id',
      'bookings.household_id',
      'bookings.attendance',
      'bookings.absence_declared_at',
      'units.id as unit_id',
      'units.label as unit_label',
      'services.name as service_name',
      'persons.first_name',
      'persons.last_name',
      'children.class_level',
      'children.diet',
      'child_health.has_pai',
      'child_health.allergies',
    ])
    .where('slots.group_id', '=', groupId)
    .where('bookings.day', '=', day)
    .where('bookings.status', '=', 'booked')
    .orderBy('services.name')
    .orderBy('units.position')
    .orderBy('persons.last_name')
    .orderBy('persons.first_name')
    .execute();
}

export async function bookingInGroup(db: Executor, bookingId: string, groupId: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('slots', 'slots.id', 'bookings.slot_id')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .select(['bookings.id', 'bookings.household_id', 'bookings.service_id', 'bookings.day', 'bookings.status', 'bookings.attendance', 'bookings.slot_id', 'persons.first_name'])
    .where('bookings.id', '=', bookingId)
    .where('slots.group_id', '=', groupId)
    .executeTakeFirst();
}

/** The booking and the child's health record, for the animator of the group (the read is audited by the service). */
export async function healthOfBooking(db: Executor, bookingId: string, groupId: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('slots', 'slots.id', 'bookings.slot_id')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('children', 'children.person_id', 'persons.id')
    .leftJoin('child_health', 'child_health.person_id', 'persons.id')
    .select([
      'bookings.id',
      'bookings.household_id',
      'bookings.day',
      'bookings.status',
      'persons.first_name',
      'persons.last_name',
      'children.class_level',
      'children.diet',
      'child_health.allergies',
      'child_health.has_pai',
      'child_health.pai_description',
      'child_health.doctor_name',
      'child_health.doctor_phone',
    ])
    .where('bookings.id', '=', bookingId)
    .where('slots.group_id', '=', groupId)
    .executeTakeFirst();
}

export async function setAttendance(tx: Executor, bookingId: string, value: Attendance, by: string, now: Date) {
  await tx.updateTable('bookings').set({ attendance: value, attendance_at: now.toISOString(), attendance_by: by, updated_at: now.toISOString() }).where('id', '=', bookingId).execute();
}

/**
 * One candidate for a walk-in, checked without loading the whole list, with the household that enrolled
 * the child (the one billed for this service, also for children of separated parents).
 */
export async function walkInEnrolment(db: Executor, groupId: string, facilityId: string, childId: string, unitId: string) {
  return db
    .selectFrom('enrolments')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .innerJoin('units', 'units.service_id', 'services.id')
    .innerJoin('requests', 'requests.id', 'enrolments.request_id')
    .select(['enrolments.id', 'requests.household_id'])
    .where('enrolments.status', '=', 'accepted')
    .where('enrolments.child_person_id', '=', childId)
    .where('units.id', '=', unitId)
    .where('services.facility_id', '=', facilityId)
    .where((eb) => eb.or([eb('enrolments.group_id', '=', groupId), eb('enrolments.group_id', 'is', null)]))
    .orderBy('enrolments.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A walk-in added by mistake: the row goes back to cancelled (nothing billed) and its place is freed. */
export async function undoWalkIn(tx: Executor, bookingId: string, by: string, now: Date) {
  const r = await tx
    .updateTable('bookings')
    .set({ status: 'cancelled', attendance: null, attendance_at: now.toISOString(), attendance_by: by, updated_at: now.toISOString() })
    .where('id', '=', bookingId)
    .where('status', '=', 'booked')
    .where('attendance', '=', 'present_unbooked')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Children accepted in a service run by this group's facility, to add one who came without booking. */
export async function walkInCandidates(db: Executor, groupId: string, facilityId: string) {
  return db
    .selectFrom('enrolments')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .innerJoin('units', 'units.service_id', 'services.id')
    .innerJoin('persons', 'persons.id', 'enrolments.child_person_id')
    .select(['persons.id as child_id', 'persons.first_name', 'persons.last_name', 'units.id as unit_id', 'units.label as unit_label', 'services.name as service_name'])
    .where('enrolments.status', '=', 'accepted')
    .where('services.facility_id', '=', facilityId)
    .where((eb) => eb.or([eb('enrolments.group_id', '=', groupId), eb('enrolments.group_id', 'is', null)]))
    .orderBy('persons.last_name')
    .orderBy('persons.first_name')
    .limit(3000)
    .execute();
}

/**
 * The kitchen's count for a facility and a day: meals booked, minus the absences already taken,
 * plus the children present without booking — by diet, never with names.
 */
export async function mealCounts(db: Executor, facilityId: string, day: string) {
  return mealsServed(db)
    .select(['units.id as unit_id', 'units.label as unit_label', 'services.name as service_name', 'children.diet', (eb) => eb.fn.countAll<number>().as('meals'), (eb) => eb.fn.sum<number>('child_health.has_pai').as('pai')])
    .where('services.facility_id', '=', facilityId)
    .where('bookings.day', '=', day)
    .groupBy(['units.id', 'units.label', 'services.name', 'children.diet'])
    .execute();
}

/** The meals the kitchen serves: booked meal units, minus the absences already taken; the counts add their own grouping. */
function mealsServed(db: Executor) {
  return db
    .selectFrom('bookings')
    .innerJoin('units', 'units.id', 'bookings.unit_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .innerJoin('children', 'children.person_id', 'bookings.child_person_id')
    .leftJoin('child_health', 'child_health.person_id', 'bookings.child_person_id')
    .where('units.is_meal', '=', 1)
    .where('bookings.status', '=', 'booked')
    .where((eb) => eb.or([eb('bookings.attendance', 'is', null), eb('bookings.attendance', 'in', ['present', 'present_unbooked'])]));
}

export async function facilities(db: Executor) {
  return db.selectFrom('facilities').select(['id', 'name']).orderBy('name').execute();
}

/**
 * The day's counts of several groups at once (the animator's home): expected, present, absent —
 * one grouped query whatever the number of groups.
 */
export async function countsOfDay(db: Executor, groupIds: string[], day: string) {
  if (groupIds.length === 0) return [];
  return db
    .selectFrom('bookings')
    .innerJoin('slots', 'slots.id', 'bookings.slot_id')
    .select([
      'slots.group_id',
      (eb) => eb.fn.countAll<number>().as('expected'),
      (eb) => eb.fn.sum<number>(eb.case().when('bookings.attendance', 'in', ['present', 'present_unbooked']).then(1).else(0).end()).as('present'),
      (eb) => eb.fn.sum<number>(eb.case().when('bookings.attendance', 'in', ['absent_unjustified', 'absent_justified']).then(1).else(0).end()).as('absent'),
    ])
    .where('slots.group_id', 'in', groupIds)
    .where('bookings.day', '=', day)
    .where('bookings.status', '=', 'booked')
    .groupBy('slots.group_id')
    .execute();
}

/** Meals per facility, day and diet over a span of days (the cook's week), never with names. */
export async function mealsOfSpan(db: Executor, from: string, to: string) {
  return mealsServed(db)
    .select(['services.facility_id', 'bookings.day', 'children.diet', 'child_health.has_pai', 'child_health.allergies', (eb) => eb.fn.countAll<number>().as('meals')])
    .where('bookings.day', '>=', from)
    .where('bookings.day', '<=', to)
    .groupBy(['services.facility_id', 'bookings.day', 'children.diet', 'child_health.has_pai', 'child_health.allergies'])
    .execute();
}

/**
 * Past booked days of a household's children that the child missed or that nobody marked yet (not
 * present, not already justified), from `from` to the day before `today`, newest first (bounded):
 * the days a family may justify with a certificate.
 */
export async function missedBookedDays(db: Executor, householdId: string, from: string, today: string, limit = 60) {
  return db
    .selectFrom('bookings')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .innerJoin('units', 'units.id', 'bookings.unit_id')
    .select(['bookings.id', 'bookings.child_person_id', 'bookings.service_id', 'bookings.day', 'bookings.attendance', 'persons.first_name', 'services.name as service_name', 'units.label as unit_label'])
    .where('bookings.household_id', '=', householdId)
    .where('bookings.status', '=', 'booked')
    .where('bookings.day', '>=', from)
    .where('bookings.day', '<', today)
    .where((eb) => eb.or([eb('bookings.attendance', 'is', null), eb('bookings.attendance', '=', 'absent_unjustified')]))
    .orderBy('bookings.day', 'desc')
    .orderBy('persons.first_name')
    .orderBy('bookings.id')
    .limit(limit)
    .execute();
}

/** One booking of a household, with the child's first name (another household's is undefined). */
export async function bookingOfHousehold(db: Executor, householdId: string, bookingId: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .select(['bookings.id', 'bookings.household_id', 'bookings.child_person_id', 'bookings.service_id', 'bookings.day', 'bookings.status', 'bookings.attendance', 'persons.first_name', 'services.name as service_name'])
    .where('bookings.household_id', '=', householdId)
    .where('bookings.id', '=', bookingId)
    .executeTakeFirst();
}

/** Marks a booked day « absent, justifié » unless it is no longer booked or already marked present. */
export async function justifyBooking(tx: Executor, bookingId: string, by: string | null, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('bookings')
    .set({ attendance: 'absent_justified', attendance_at: now.toISOString(), attendance_by: by, updated_at: now.toISOString() })
    .where('id', '=', bookingId)
    .where('status', '=', 'booked')
    .where((eb) => eb.or([eb('attendance', 'is', null), eb('attendance', 'in', ['absent_unjustified', 'absent_justified'])]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function bookingById(db: Executor, bookingId: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
    .select(['bookings.id', 'bookings.household_id', 'bookings.service_id', 'bookings.day', 'bookings.status', 'bookings.attendance', 'persons.first_name'])
    .where('bookings.id', '=', bookingId)
    .executeTakeFirst();
}
