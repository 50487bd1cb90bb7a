import type { Executor } from '../../platform/audit/audit.repository.ts';
import { prepared } from '../../platform/db/prepared.ts';
import type { EnrolmentStatus } from '../../platform/db/schema-services.ts';
import { newId } from '../../platform/ids.ts';

/** The only SQL on enrolments (and the catalogue reads the enrolment flow needs). */

/** Active services with their facility, to offer to families. */
export async function activeServices(db: Executor) {
  return activeServicesQuery.all(db);
}

// Prepared: the calendar page reads these for every family (why a service is missing).
const activeServicesQuery = prepared((db) =>
  db
    .selectFrom('services')
    .innerJoin('facilities', 'facilities.id', 'services.facility_id')
    .select(['services.id', 'services.name', 'services.kind', 'services.facility_id', 'services.class_levels', 'services.min_age', 'services.max_age', 'facilities.name as facility_name', 'facilities.kind as facility_kind'])
    .where('services.active', '=', 1)
    .orderBy('facilities.name')
    .orderBy('services.name'),
);

export type ServiceOption = Awaited<ReturnType<typeof activeServices>>[number];

/** The enrolments (any status) of some children in some years, with the kind of their service: one query. */
export async function enrolmentsOfChildren(db: Executor, childIds: string[], yearIds: string[]) {
  if (childIds.length === 0 || yearIds.length === 0) return [];
  return enrolmentsOfChildrenQuery.all(db, childIds, yearIds);
}

const enrolmentsOfChildrenQuery = prepared((db, childIds: string[], yearIds: string[]) =>
  db
    .selectFrom('enrolments')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .select(['enrolments.child_person_id', 'enrolments.service_id', 'services.kind as service_kind', 'enrolments.school_year_id', 'enrolments.status', 'enrolments.created_at'])
    .where('enrolments.child_person_id', 'in', childIds)
    .where('enrolments.school_year_id', 'in', yearIds),
);

/** For the agent's household page: the enrolments of these children in the years not over yet, one query. */
export async function currentEnrolmentsOf(db: Executor, childIds: readonly string[], today: string) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('enrolments')
    .innerJoin('requests', 'requests.id', 'enrolments.request_id')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .innerJoin('facilities', 'facilities.id', 'services.facility_id')
    .innerJoin('school_years', 'school_years.id', 'enrolments.school_year_id')
    .leftJoin('groups', 'groups.id', 'enrolments.group_id')
    .select(['enrolments.request_id', 'requests.household_id', 'enrolments.child_person_id', 'enrolments.status', 'services.name as service_name', 'facilities.name as facility_name', 'school_years.label as year_label', 'groups.name as group_name'])
    .where('enrolments.child_person_id', 'in', [...childIds])
    .where('school_years.end_date', '>=', today)
    .orderBy('school_years.start_date')
    .orderBy('services.name')
    .orderBy('enrolments.id')
    .limit(500)
    .execute();
}

/** School years not over yet. */
export async function yearsEndingFrom(db: Executor, today: string) {
  return yearsEndingFromQuery.all(db, today);
}

const yearsEndingFromQuery = prepared((db, today: string) => db.selectFrom('school_years').selectAll().where('end_date', '>=', today).orderBy('start_date').limit(5));

export async function insertEnrolment(tx: Executor, e: { requestId: string; childId: string; serviceId: string; schoolYearId: string }, now: Date) {
  const id = newId();
  await tx
    .insertInto('enrolments')
    .values({ id, request_id: e.requestId, child_person_id: e.childId, service_id: e.serviceId, school_year_id: e.schoolYearId, group_id: null, status: 'submitted', created_at: now.toISOString() })
    .execute();
  return id;
}

/** The enrolment of a request, with what a decision needs (child's class, service's facility). */
export async function enrolmentOfRequest(db: Executor, requestId: string) {
  return db
    .selectFrom('enrolments')
    .innerJoin('persons', 'persons.id', 'enrolments.child_person_id')
    .leftJoin('children', 'children.person_id', 'enrolments.child_person_id')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .innerJoin('facilities', 'facilities.id', 'services.facility_id')
    .innerJoin('school_years', 'school_years.id', 'enrolments.school_year_id')
    .leftJoin('groups', 'groups.id', 'enrolments.group_id')
    .select([
      'enrolments.id',
      'enrolments.status',
      'enrolments.group_id',
      'persons.first_name',
      'persons.last_name',
      'children.class_level',
      'services.name as service_name',
      'services.facility_id',
      'facilities.name as facility_name',
      'school_years.label as year_label',
      'groups.name as group_name',
    ])
    .where('enrolments.request_id', '=', requestId)
    .executeTakeFirst();
}

/** Groups of a facility in the order they were created (UUIDv7): the first is the default group. */
export async function groupsOfFacility(db: Executor, facilityId: string) {
  return db.selectFrom('groups').select(['id', 'name', 'class_levels']).where('facility_id', '=', facilityId).orderBy('id').execute();
}

export async function setEnrolmentStatus(tx: Executor, requestId: string, status: EnrolmentStatus, groupId?: string | null) {
  await tx
    .updateTable('enrolments')
    .set(groupId === undefined ? { status } : { status, group_id: groupId })
    .where('request_id', '=', requestId)
    .execute();
}

export interface QueueFilter {
  statuses: EnrolmentStatus[];
  serviceId: string | null;
  page: number;
  pageSize: number;
}

/** The agents' queue of enrolments, oldest request first; one query for the page and one for the count. */
export async function enrolmentQueue(db: Executor, f: QueueFilter) {
  let query = db
    .selectFrom('enrolments')
    .innerJoin('requests', 'requests.id', 'enrolments.request_id')
    .innerJoin('persons', 'persons.id', 'enrolments.child_person_id')
    .leftJoin('children', 'children.person_id', 'enrolments.child_person_id')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .innerJoin('facilities', 'facilities.id', 'services.facility_id')
    .innerJoin('school_years', 'school_years.id', 'enrolments.school_year_id')
    .innerJoin('households', 'households.id', 'requests.household_id')
    .leftJoin('groups', 'groups.id', 'enrolments.group_id');
  if (f.statuses.length > 0) query = query.where('enrolments.status', 'in', f.statuses);
  if (f.serviceId) query = query.where('enrolments.service_id', '=', f.serviceId);
  const [rows, total] = await Promise.all([
    query
      .select([
        'requests.id as request_id',
        'requests.reference',
        'requests.created_at',
        'requests.updated_at',
        'enrolments.status',
        'persons.first_name',
        'persons.last_name',
        'persons.birth_date',
        'children.class_level',
        'services.name as service_name',
        'facilities.name as facility_name',
        'school_years.label as year_label',
        'households.id as household_id',
        'households.name as household_name',
        'groups.name as group_name',
      ])
      .orderBy('requests.created_at')
      .orderBy('requests.id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export type QueueRow = Awaited<ReturnType<typeof enrolmentQueue>>['rows'][number];

/** For the agent home: enrolment requests waiting for a decision. */
export async function countToProcess(db: Executor) {
  const row = await db.selectFrom('enrolments').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['submitted', 'in_review']).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A household's enrolments not yet decided (déposée, en instruction, liste d'attente), oldest first, at most 20. */
export async function pendingEnrolmentsOfHousehold(db: Executor, householdId: string) {
  return pendingEnrolmentsOfHouseholdQuery.all(db, householdId);
}

const pendingEnrolmentsOfHouseholdQuery = prepared((db, householdId: string) =>
  db
    .selectFrom('enrolments')
    .innerJoin('requests', 'requests.id', 'enrolments.request_id')
    .innerJoin('persons', 'persons.id', 'enrolments.child_person_id')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .select(['enrolments.request_id', 'enrolments.status', 'enrolments.child_person_id', 'persons.first_name', 'services.name as service_name', 'services.kind as service_kind', 'requests.created_at'])
    .where('requests.household_id', '=', householdId)
    .where('enrolments.status', 'in', ['submitted', 'in_review', 'waiting_list'])
    .orderBy('requests.created_at')
    .orderBy('enrolments.id')
    .limit(20),
);
