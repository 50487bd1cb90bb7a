import type { Executor } from '../../platform/audit/audit.repository.ts';
import { ANONYMOUS_NAME, REDACTED, type AnonymiseScope } from '../../platform/privacy/personal-data.ts';
import { ANONYMOUS_HOUSEHOLD_NAME, birthYearOnly } from '../privacy/privacy.domain.ts';

/**
 * The queries behind households.personal-data.ts: a household's own rows, persons, children's files,
 * health records, pickup persons, quotients and pending changes, exported or anonymised. Every
 * select names its columns.
 */

/** The household's members (guardians first, then children by age) with their child file and health record. */
async function membersForExport(db: Executor, householdId: string) {
  return db
    .selectFrom('household_members')
    .innerJoin('persons', 'persons.id', 'household_members.person_id')
    .leftJoin('children', 'children.person_id', 'persons.id')
    .leftJoin('child_health', 'child_health.person_id', 'persons.id')
    .select([
      'persons.id',
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

export async function householdExportRows(db: Executor, householdId: string) {
  const [household, people, pickups, quotients, changes] = await Promise.all([
    db.selectFrom('households').select(['id', 'reference', 'name', 'address_line1', 'address_line2', 'postcode', 'city', 'payer_person_id', 'created_at']).where('id', '=', householdId).executeTakeFirst(),
    membersForExport(db, householdId),
    db
      .selectFrom('pickup_persons')
      .innerJoin('household_members', 'household_members.person_id', 'pickup_persons.child_person_id')
      .innerJoin('persons', 'persons.id', 'pickup_persons.child_person_id')
      .select(['persons.first_name as child', 'pickup_persons.name', 'pickup_persons.relation', 'pickup_persons.phone', 'pickup_persons.may_pick_up', 'pickup_persons.emergency_contact', 'pickup_persons.created_at'])
      .where('household_members.household_id', '=', householdId)
      .orderBy('pickup_persons.created_at')
      .execute(),
    db.selectFrom('quotients').select(['value_eur', 'reference_month', 'source', 'reason', 'valid_until', 'created_at']).where('household_id', '=', householdId).orderBy('created_at', 'desc').execute(),
    db.selectFrom('pending_changes').select(['kind', 'summary', 'status', 'reason', 'submitted_at', 'decided_at']).where('household_id', '=', householdId).orderBy('submitted_at', 'desc').execute(),
  ]);
  return { household, people, pickups, quotients, changes };
}

/**
 * The household loses its name and address; its anonymised persons their names, contact details and
 * exact birth date (the year stays, for statistics); children's health records, medical diets and
 * pickup persons go. Pending changes keep their kind, status and dates.
 */
export async function anonymiseHousehold(tx: Executor, scope: AnonymiseScope, at: string): Promise<void> {
  await tx.updateTable('households').set({ name: ANONYMOUS_HOUSEHOLD_NAME, address_line1: '', address_line2: null, postcode: '', city: '', external_ref: null, search: '', updated_at: at }).where('id', '=', scope.householdId).execute();
  // Pending changes keep their kind, status and dates; their text (names, address) goes.
  await tx.updateTable('pending_changes').set({ summary: REDACTED, payload: '{}', submitted_by: REDACTED, reason: null }).where('household_id', '=', scope.householdId).execute();
  if (scope.personIds.length === 0) return;
  const persons = await tx.selectFrom('persons').select(['id', 'birth_date']).where('id', 'in', scope.personIds).execute();
  for (const p of persons) {
    await tx
      .updateTable('persons')
      .set({ first_name: ANONYMOUS_NAME, last_name: ANONYMOUS_NAME, birth_date: birthYearOnly(p.birth_date), email: null, phone: null, search: '', updated_at: at })
      .where('id', '=', p.id)
      .execute();
  }
  await tx.updateTable('household_members').set({ relationship: null }).where('household_id', '=', scope.householdId).where('person_id', 'in', scope.personIds).execute();
  await tx.updateTable('child_health').set({ allergies: '', has_pai: 0, pai_description: '', doctor_name: '', doctor_phone: '', updated_at: at }).where('person_id', 'in', scope.personIds).execute();
  // A medical diet says something about health too.
  await tx.updateTable('children').set({ diet: 'standard' }).where('person_id', 'in', scope.personIds).execute();
  await tx.deleteFrom('pickup_persons').where('child_person_id', 'in', scope.personIds).execute();
}
