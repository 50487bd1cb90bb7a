import type { Db } from '../../platform/db/database.ts';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { ChildHealthTable, ChildrenTable, PendingChangesTable, PersonsTable } from '../../platform/db/schema.ts';
import { nextCounter } from '../../platform/db/counters.ts';
import { newId } from '../../platform/ids.ts';
import { formatReference, householdName, householdSearchText } from './households.domain.ts';
import { prepared } from '../../platform/db/prepared.ts';

// Households

export async function insertHousehold(
  tx: Executor,
  h: { address_line1: string; address_line2?: string | null; postcode: string; city: string; external_ref?: string | null; name: string },
  now: Date,
): Promise<string> {
  const id = newId();
  const reference = formatReference(await nextCounter(tx, 'household'));
  await tx
    .insertInto('households')
    .values({
      id,
      reference,
      external_ref: h.external_ref ?? null,
      name: h.name,
      address_line1: h.address_line1,
      address_line2: h.address_line2 ?? null,
      postcode: h.postcode,
      city: h.city,
      payer_person_id: null,
      search: '',
      archived_at: null,
      anonymised_at: null,
      merged_into_id: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  return id;
}

export async function findHousehold(db: Executor, id: string) {
  return findHouseholdQuery.first(db, id);
}

const findHouseholdQuery = prepared((db, id: string) =>
  db.selectFrom('households').selectAll().where('id', '=', id),
);

export async function findHouseholdByExternalRef(db: Executor, ref: string) {
  return db.selectFrom('households').selectAll().where('external_ref', '=', ref).executeTakeFirst();
}

export async function updateHousehold(
  tx: Executor,
  id: string,
  now: Date,
  changes: Partial<{ address_line1: string; address_line2: string | null; postcode: string; city: string; payer_person_id: string | null; archived_at: string | null; merged_into_id: string; name: string; search: string; anonymised_at: string; external_ref: string | null }>,
) {
  await tx.updateTable('households').set({ ...changes, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/** The households where this login is a guardian (usually one). */
const householdsOfUserQuery = prepared((db, userId: string) =>
  db
    .selectFrom('persons')
    .innerJoin('household_members', 'household_members.person_id', 'persons.id')
    .innerJoin('households', 'households.id', 'household_members.household_id')
    .select(['households.id', 'households.name', 'households.reference', 'persons.id as person_id'])
    .where('persons.user_id', '=', userId)
    .where('household_members.role', '=', 'guardian')
    .where('households.archived_at', 'is', null)
    .orderBy('households.created_at'),
);

/** The households a guardian's login belongs to, oldest first (every family page asks). */
export const householdsOfUser = (db: Executor, userId: string) => householdsOfUserQuery.all(db, userId);

// Persons and memberships

export type PersonInput = Pick<PersonsTable, 'kind' | 'first_name' | 'last_name'> & Partial<Pick<PersonsTable, 'birth_date' | 'sex' | 'email' | 'phone' | 'user_id'>>;

export async function insertPerson(tx: Executor, p: PersonInput, now: Date): Promise<string> {
  const id = newId();
  await tx
    .insertInto('persons')
    .values({
      id,
      kind: p.kind,
      first_name: p.first_name,
      last_name: p.last_name,
      birth_date: p.birth_date ?? null,
      sex: p.sex ?? null,
      email: p.email ?? null,
      phone: p.phone ?? null,
      user_id: p.user_id ?? null,
      search: '',
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  return id;
}

export async function updatePerson(tx: Executor, id: string, now: Date, changes: Partial<Pick<PersonsTable, 'first_name' | 'last_name' | 'birth_date' | 'sex' | 'email' | 'phone' | 'user_id'>>) {
  await tx.updateTable('persons').set({ ...changes, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function addMember(tx: Executor, householdId: string, personId: string, role: 'guardian' | 'child', now: Date, relationship: string | null = null) {
  await tx
    .insertInto('household_members')
    .values({ household_id: householdId, person_id: personId, role, relationship, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['household_id', 'person_id']).doNothing())
    .execute();
}

export async function insertChild(tx: Executor, personId: string, c: Partial<Omit<ChildrenTable, 'person_id'>>, now: Date) {
  await tx
    .insertInto('children')
    .values({ person_id: personId, school: c.school ?? null, class_level: c.class_level ?? null, diet: c.diet ?? 'standard', photo_allowed: c.photo_allowed ?? 0, may_leave_alone: c.may_leave_alone ?? 0, transport_allowed: c.transport_allowed ?? 0 })
    .execute();
  await tx.insertInto('child_health').values({ person_id: personId, allergies: '', has_pai: 0, pai_description: '', doctor_name: '', doctor_phone: '', updated_at: now.toISOString() }).execute();
}

export async function updateChild(tx: Executor, personId: string, changes: Partial<Omit<ChildrenTable, 'person_id'>>) {
  await tx.updateTable('children').set(changes).where('person_id', '=', personId).execute();
}

/** Members of a household with their child details (no health data). */
export async function membersOf(db: Executor, householdId: string) {
  return membersOfQuery.all(db, householdId);
}

const membersOfQuery = prepared((db, householdId: string) =>
  db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .leftJoin('children', 'children.person_id', 'persons.id')
    .leftJoin('users', 'users.id', 'persons.user_id')
    .select([
      'persons.id',
      'persons.kind',
      'persons.first_name',
      'persons.last_name',
      'persons.birth_date',
      'persons.sex',
      'persons.email',
      'persons.phone',
      'persons.user_id',
      'household_members.role',
      'household_members.relationship',
      'children.school',
      'children.class_level',
      'children.diet',
      'children.photo_allowed',
      'children.may_leave_alone',
      'children.transport_allowed',
      'users.status as account_status',
      'users.email as login_email',
    ])
    .where('household_members.household_id', '=', householdId)
    .orderBy('household_members.role', 'desc')
    .orderBy('persons.birth_date')
    .orderBy('persons.first_name'),
);

export type Member = Awaited<ReturnType<typeof membersOf>>[number];

/** A member of this household, or nothing: how every family route reaches a child (another household's id → 404). */
export async function memberOf(db: Executor, householdId: string, personId: string) {
  const rows = await membersOf(db, householdId);
  return rows.find((m) => m.id === personId);
}

/** The other households a child belongs to (separated parents). */
export async function otherHouseholdsOfPerson(db: Executor, personId: string, householdId: string) {
  return db
    .selectFrom('household_members')
    .innerJoin('households', 'households.id', 'household_members.household_id')
    .select(['households.id', 'households.name', 'households.reference'])
    .where('household_members.person_id', '=', personId)
    .where('household_members.household_id', '!=', householdId)
    .execute();
}

/** Recomputes the name and the normalised search text of a household after any change of its members or address. */
export async function refreshHouseholdIndex(tx: Executor, householdId: string, now: Date) {
  const h = await findHousehold(tx, householdId);
  if (!h) return;
  const members = await membersOf(tx, householdId);
  const guardians = members.filter((m) => m.role === 'guardian');
  const name = householdName(
    guardians.map((g) => g.last_name),
    members[0]?.last_name ?? h.reference,
  );
  await updateHousehold(tx, householdId, now, { name, search: householdSearchText({ ...h, members }) });
}

// Health: the only queries that read it. Callers audit agent reads.

export async function healthOf(db: Executor, personId: string) {
  return db.selectFrom('child_health').selectAll().where('person_id', '=', personId).executeTakeFirst();
}

export async function healthOfHousehold(db: Executor, householdId: string) {
  return db
    .selectFrom('child_health')
    .innerJoin('household_members', 'household_members.person_id', 'child_health.person_id')
    .selectAll('child_health')
    .where('household_members.household_id', '=', householdId)
    .execute();
}

export async function updateHealth(tx: Executor, personId: string, now: Date, changes: Partial<Omit<ChildHealthTable, 'person_id' | 'updated_at'>>) {
  await tx.updateTable('child_health').set({ ...changes, updated_at: now.toISOString() }).where('person_id', '=', personId).execute();
}

// Authorised pickup persons

export async function pickupPersonsOf(db: Executor, childIds: string[]) {
  if (childIds.length === 0) return [];
  return db.selectFrom('pickup_persons').selectAll().where('child_person_id', 'in', childIds).orderBy('created_at').execute();
}

export async function insertPickupPerson(tx: Executor, childId: string, p: { name: string; relation: string; phone: string; may_pick_up: number; emergency_contact: number }, now: Date) {
  const id = newId();
  await tx.insertInto('pickup_persons').values({ id, child_person_id: childId, ...p, created_at: now.toISOString() }).execute();
  return id;
}

export async function deletePickupPerson(tx: Executor, childId: string, id: string): Promise<boolean> {
  const r = await tx.deleteFrom('pickup_persons').where('id', '=', id).where('child_person_id', '=', childId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

// Family quotient (households.quotients.repository.ts)

export { quotientsOf, insertQuotient, quotientsOfHouseholds, addressesOfHouseholds } from './households.quotients.repository.ts';

// Pending changes

export async function insertPendingChange(tx: Executor, c: Pick<PendingChangesTable, 'household_id' | 'kind' | 'payload' | 'summary' | 'submitted_by'>, now: Date) {
  const id = newId();
  await tx.insertInto('pending_changes').values({ id, ...c, status: 'pending', reason: null, submitted_at: now.toISOString(), decided_by: null, decided_at: null }).execute();
  return id;
}

export async function pendingChangesOf(db: Executor, householdId: string) {
  return pendingChangesQuery.all(db, householdId);
}

// Read by every family home page: built and compiled once.
const pendingChangesQuery = prepared((db, householdId: string) => db.selectFrom('pending_changes').selectAll().where('household_id', '=', householdId).orderBy('submitted_at', 'desc').limit(50));

export async function findPendingChange(db: Executor, id: string) {
  return db.selectFrom('pending_changes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function pendingQueue(db: Db, limit = 200) {
  return db
    .selectFrom('pending_changes')
    .innerJoin('households', 'households.id', 'pending_changes.household_id')
    .select(['pending_changes.id', 'pending_changes.kind', 'pending_changes.summary', 'pending_changes.submitted_at', 'households.id as household_id', 'households.name', 'households.reference'])
    .where('pending_changes.status', '=', 'pending')
    .orderBy('pending_changes.submitted_at')
    .limit(limit)
    .execute();
}

export async function countPending(db: Db) {
  const r = await db.selectFrom('pending_changes').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Decides a pending change once: a second decision finds it no longer pending. */
export async function decidePendingChange(tx: Executor, id: string, status: 'accepted' | 'refused', by: string, reason: string | null, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('pending_changes')
    .set({ status, reason, decided_by: by, decided_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// Back-office search

export async function searchHouseholds(db: Db, tokens: string[], options: { includeArchived: boolean; limit: number }) {
  let q = db.selectFrom('households').select(['id', 'reference', 'name', 'address_line1', 'postcode', 'city', 'archived_at']).where('merged_into_id', 'is', null);
  if (!options.includeArchived) q = q.where('archived_at', 'is', null);
  for (const token of tokens) q = q.where('search', 'like', `%${token}%`);
  return q.orderBy('name').limit(options.limit).execute();
}

// History: audit rows about the household (including what was done for it at the counter)

export async function historyOf(db: Executor, householdId: string, limit = 100) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_label', 'action', 'summary', 'on_behalf_of_household_id'])
    .where((eb) => eb.or([eb.and([eb('target_type', '=', 'household'), eb('target_id', '=', householdId)]), eb('on_behalf_of_household_id', '=', householdId)]))
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
}

// School lists (configured by the town)

export async function schoolLists(db: Executor) {
  const rows = await db.selectFrom('school_lists').select(['kind', 'label']).orderBy('position').orderBy('label').execute();
  return { schools: rows.filter((r) => r.kind === 'school').map((r) => r.label), classLevels: rows.filter((r) => r.kind === 'class_level').map((r) => r.label) };
}

export async function insertSchoolListItem(tx: Executor, kind: 'school' | 'class_level', label: string, position: number) {
  await tx.insertInto('school_lists').values({ id: newId(), kind, label, position }).onConflict((oc) => oc.columns(['kind', 'label']).doNothing()).execute();
}

// Linking a login to a person

export async function personOfUser(db: Executor, userId: string) {
  return db.selectFrom('persons').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function findPersonForShare(db: Executor, personId: string) {
  return db.selectFrom('persons').select(['id', 'kind', 'first_name', 'last_name']).where('id', '=', personId).executeTakeFirst();
}

export async function findHouseholdByReference(db: Executor, reference: string) {
  return db.selectFrom('households').selectAll().where('reference', '=', reference).executeTakeFirst();
}

/** Merging: members (without duplicates), quotients and pending changes move from one household to the other. */
export async function moveHouseholdContents(tx: Executor, fromId: string, toId: string) {
  const members = await tx.selectFrom('household_members').selectAll().where('household_id', '=', fromId).execute();
  for (const m of members) {
    await tx
      .insertInto('household_members')
      .values({ ...m, household_id: toId })
      .onConflict((oc) => oc.columns(['household_id', 'person_id']).doNothing())
      .execute();
  }
  await tx.deleteFrom('household_members').where('household_id', '=', fromId).execute();
  await tx.updateTable('quotients').set({ household_id: toId }).where('household_id', '=', fromId).execute();
  await tx.updateTable('pending_changes').set({ household_id: toId }).where('household_id', '=', fromId).execute();
}

/** For the assisted-mode banner. */
export async function householdLabel(db: Executor, id: string) {
  return db.selectFrom('households').select(['name', 'reference']).where('id', '=', id).executeTakeFirst();
}

/** Where to write to a household: its guardians' e-mail addresses (login first, else the contact address), for notices and e-mails sent by any module. */
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

/** The family asked to receive by e-mail the summary of each booking form it saves. */
/**
 * What a booking form needs of its household, in one prepared read (it runs for every form of an
 * opening day): its children (whom the form may book for), the first names of its members (for the
 * history entry) and whether it asked for the e-mail.
 */
export async function bookingFormFacts(db: Executor, householdId: string) {
  const rows = await bookingFormFactsQuery.all(db, householdId);
  return { childIds: rows.filter((r) => r.role === 'child').map((r) => r.id), names: new Map(rows.map((r) => [r.id, r.first_name])), wantsMail: rows[0]?.booking_recap_mail === 1 };
}

const bookingFormFactsQuery = prepared((db, householdId: string) =>
  db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .innerJoin('households', 'households.id', 'household_members.household_id')
    .select(['persons.id', 'persons.first_name', 'household_members.role', 'households.booking_recap_mail'])
    .where('household_members.household_id', '=', householdId),
);

export async function setBookingRecap(db: Executor, householdId: string, on: boolean, now: Date) {
  await db.updateTable('households').set({ booking_recap_mail: on ? 1 : 0, updated_at: now.toISOString() }).where('id', '=', householdId).execute();
}
