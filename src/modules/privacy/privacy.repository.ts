import type { Executor } from '../../platform/audit/audit.repository.ts';
import { ANONYMOUS_HOUSEHOLD_NAME, ANONYMOUS_NAME, REDACTED } from './privacy.domain.ts';

/**
 * The queries of the RGPD module: reading everything about a household for its export, and
 * anonymising it. Every select names its columns: no secret (password or token hash) can leak
 * into an export by a `select *`.
 */

// Export

export async function householdForExport(db: Executor, householdId: string) {
  return db
    .selectFrom('households')
    .select(['id', 'reference', 'name', 'address_line1', 'address_line2', 'postcode', 'city', 'payer_person_id', 'archived_at', 'anonymised_at', 'created_at', 'updated_at'])
    .where('id', '=', householdId)
    .executeTakeFirst();
}

export async function membersForExport(db: Executor, householdId: string) {
  return db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .leftJoin('children', 'children.person_id', 'persons.id')
    .leftJoin('child_health', 'child_health.person_id', 'persons.id')
    .select([
      'persons.id',
      'persons.kind',
      'persons.first_name',
      'persons.last_name',
      'persons.birth_date',
      'persons.sex',
      'persons.email',
      'persons.phone',
      'persons.created_at',
      'household_members.role',
      'household_members.relationship',
      'children.school',
      'children.class_level',
      'children.diet',
      'children.photo_allowed',
      'children.may_leave_alone',
      'children.transport_allowed',
      'child_health.allergies',
      'child_health.has_pai',
      'child_health.pai_description',
      'child_health.doctor_name',
      'child_health.doctor_phone',
      'child_health.updated_at as health_updated_at',
    ])
    .where('household_members.household_id', '=', householdId)
    .orderBy('household_members.role', 'desc')
    .orderBy('persons.birth_date')
    .orderBy('persons.first_name')
    .execute();
}

export async function pickupPersonsForExport(db: Executor, householdId: string) {
  return db
    .selectFrom('pickup_persons')
    .innerJoin('household_members', 'household_members.person_id', 'pickup_persons.child_person_id')
    .select(['pickup_persons.id', 'pickup_persons.child_person_id', 'pickup_persons.name', 'pickup_persons.relation', 'pickup_persons.phone', 'pickup_persons.may_pick_up', 'pickup_persons.emergency_contact', 'pickup_persons.created_at'])
    .where('household_members.household_id', '=', householdId)
    .orderBy('pickup_persons.created_at')
    .execute();
}

export async function quotientsForExport(db: Executor, householdId: string) {
  return db
    .selectFrom('quotients')
    .select(['value_eur', 'reference_month', 'source', 'valid_until', 'created_at'])
    .where('household_id', '=', householdId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function pendingChangesForExport(db: Executor, householdId: string) {
  return db
    .selectFrom('pending_changes')
    .select(['kind', 'summary', 'status', 'reason', 'submitted_at', 'decided_at'])
    .where('household_id', '=', householdId)
    .orderBy('submitted_at', 'desc')
    .execute();
}

/** The household's history, and what was recorded about the requesting login itself. */
export async function historyForExport(db: Executor, householdId: string, userId: string | null) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'actor_label', 'action', 'summary'])
    .where((eb) => {
      const about = [eb.and([eb('target_type', '=', 'household'), eb('target_id', '=', householdId)]), eb('on_behalf_of_household_id', '=', householdId)];
      if (userId) about.push(eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', userId)]));
      return eb.or(about);
    })
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(5000)
    .execute();
}

/** The login account: never its password hash, nor any code or token. */
export async function accountForExport(db: Executor, userId: string) {
  return db.selectFrom('users').select(['email', 'first_name', 'last_name', 'phone', 'status', 'email_verified_at', 'created_at', 'last_login_at']).where('id', '=', userId).executeTakeFirst();
}

// Anonymisation

export async function householdForAnonymisation(db: Executor, householdId: string) {
  return db.selectFrom('households').select(['id', 'reference', 'name', 'archived_at', 'anonymised_at']).where('id', '=', householdId).executeTakeFirst();
}

/**
 * Marks the household anonymised, once: the condition is in the UPDATE itself (still archived at the
 * instant the rule was checked against, not yet anonymised), so two admins clicking at the same time
 * anonymise it once, and a household reactivated in between is left alone.
 */
export async function markAnonymised(tx: Executor, householdId: string, checkedArchivedAt: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('households')
    .set({
      anonymised_at: now.toISOString(),
      updated_at: now.toISOString(),
      name: ANONYMOUS_HOUSEHOLD_NAME,
      address_line1: '',
      address_line2: null,
      postcode: '',
      city: '',
      external_ref: null,
      search: '',
    })
    .where('id', '=', householdId)
    .where('anonymised_at', 'is', null)
    .where('archived_at', '=', checkedArchivedAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function membersOfHousehold(db: Executor, householdId: string) {
  return db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .select(['persons.id', 'persons.kind', 'persons.birth_date', 'persons.email', 'persons.user_id', 'household_members.role'])
    .where('household_members.household_id', '=', householdId)
    .execute();
}

/** Which of these persons also belong to another household that still holds personal data. */
export async function personsSharedWithLiveHousehold(db: Executor, personIds: string[], householdId: string): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('household_members')
    .innerJoin('households', 'households.id', 'household_members.household_id')
    .select('household_members.person_id')
    .where('household_members.person_id', 'in', personIds)
    .where('household_members.household_id', '!=', householdId)
    .where('households.anonymised_at', 'is', null)
    .where('households.merged_into_id', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

export async function anonymisePerson(tx: Executor, personId: string, birthDate: string | null, now: Date) {
  await tx
    .updateTable('persons')
    .set({ first_name: ANONYMOUS_NAME, last_name: ANONYMOUS_NAME, birth_date: birthDate, email: null, phone: null, search: '', updated_at: now.toISOString() })
    .where('id', '=', personId)
    .execute();
}

export async function blankHealth(tx: Executor, personIds: string[], now: Date) {
  if (personIds.length === 0) return;
  await tx.updateTable('child_health').set({ allergies: '', has_pai: 0, pai_description: '', doctor_name: '', doctor_phone: '', updated_at: now.toISOString() }).where('person_id', 'in', personIds).execute();
  // A medical diet says something about health too.
  await tx.updateTable('children').set({ diet: 'standard' }).where('person_id', 'in', personIds).execute();
}

export async function deletePickupPersons(tx: Executor, childIds: string[]) {
  if (childIds.length === 0) return;
  await tx.deleteFrom('pickup_persons').where('child_person_id', 'in', childIds).execute();
}

export async function emailsOfUsers(db: Executor, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users').select('email').where('id', 'in', userIds).execute();
  return rows.map((r) => r.email).filter((e): e is string => !!e);
}

/** The logins of anonymised guardians: disabled, without e-mail nor password, their sessions, codes and tokens gone. */
export async function disableUsers(tx: Executor, userIds: string[], now: Date) {
  if (userIds.length === 0) return;
  await tx
    .updateTable('users')
    .set({ status: 'disabled', email: null, password_hash: null, phone: null, first_name: ANONYMOUS_NAME, last_name: ANONYMOUS_NAME, updated_at: now.toISOString() })
    .where('id', 'in', userIds)
    .execute();
  await tx.deleteFrom('sessions').where('user_id', 'in', userIds).execute();
  await tx.deleteFrom('email_tokens').where('user_id', 'in', userIds).execute();
  await tx.updateTable('activation_codes').set({ revoked_at: now.toISOString() }).where('user_id', 'in', userIds).where('revoked_at', 'is', null).where('used_at', 'is', null).execute();
}

/** An agent still "acting for" this household at the counter leaves it. */
export async function endAssistedSessions(tx: Executor, householdId: string) {
  await tx.updateTable('sessions').set({ acting_household_id: null }).where('acting_household_id', '=', householdId).execute();
}

/** Requests of the family keep their kind, status and dates; their text (names, address) goes. */
export async function redactPendingChanges(tx: Executor, householdId: string) {
  await tx.updateTable('pending_changes').set({ summary: REDACTED, payload: '{}', submitted_by: REDACTED }).where('household_id', '=', householdId).execute();
}

/** E-mails queued or kept for these addresses hold names and codes: they go. */
export async function deleteMailsTo(tx: Executor, addresses: string[]) {
  if (addresses.length === 0) return;
  await tx.deleteFrom('outbox').where('to_address', 'in', addresses).execute();
}

/**
 * The audit log keeps who did what and when, without the personal data: summaries about the
 * household (or done for it at the counter) and about the anonymised logins are redacted, and
 * the anonymised guardians' own name no longer labels what they did.
 */
export async function redactAudit(tx: Executor, householdId: string, userIds: string[]) {
  await tx
    .updateTable('audit_log')
    .set({ summary: REDACTED })
    .where((eb) => {
      const about = [eb.and([eb('target_type', '=', 'household'), eb('target_id', '=', householdId)]), eb('on_behalf_of_household_id', '=', householdId)];
      if (userIds.length) about.push(eb.and([eb('target_type', '=', 'user'), eb('target_id', 'in', userIds)]));
      return eb.or(about);
    })
    .execute();
  if (userIds.length) await tx.updateTable('audit_log').set({ actor_label: ANONYMOUS_NAME }).where('actor_id', 'in', userIds).execute();
}
